"""``sitrep gazetteer``: import, download, stats, lookup and missing place names."""

from __future__ import annotations

import tempfile
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="The place gazetteer: import GeoNames/WOF/CSV files, inspect it, list unknown names.", no_args_is_help=True)


class ImportFormat(StrEnum):
    geonames = "geonames"
    wof = "wof"
    csv = "csv"


def register(main: typer.Typer) -> None:
    main.add_typer(app, name="gazetteer")


IndexOpt = Annotated[Path | None, typer.Option("--index", help="Gazetteer file (default: setting gazetteer.path, else $SITREP_HOME/gazetteer.db).")]


def _settings():
    from sitrep.settings import Settings

    return Settings.load()


def _index_path(index: Path | None) -> Path:
    from sitrep.resolve.gazetteer_db import GazetteerSettings, default_db_path

    if index is not None:
        return index
    settings = getattr(_settings(), "gazetteer", None)
    return default_db_path(settings if isinstance(settings, GazetteerSettings) else None)


def _fail(message: str) -> None:
    from sitrep.cli import err

    err.print(f"[bold red]error[/]: {message}", highlight=False)
    raise typer.Exit(2)


def _import(path: Path, fmt: str | None, alternate_names: Path | None, index: Path | None, country: str) -> None:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from sitrep.cli import err, out
    from sitrep.errors import SitrepError
    from sitrep.resolve.gazetteer_import import import_file

    db = _index_path(index)
    try:
        with Progress(SpinnerColumn(), TextColumn("importing {task.completed} rows"), TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task("import", total=None)
            report = import_file(db, path, fmt, alternate_names=alternate_names, country=country, progress=lambda n: bar.advance(task, n))
    except SitrepError as exc:
        _fail(str(exc))
    skipped = ", ".join(f"{n} {why}" for why, n in report.skipped.most_common()) or "none"
    out.print(
        f"{path} ({report.format}) → {db}: {report.read} places read, {report.added} added, "
        f"{report.merged} merged into known places, {report.unchanged} unchanged; skipped: {skipped}"
        + (f"; {report.alternate_names} alternate names added" if alternate_names else ""),
        highlight=False,
    )


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="GeoNames dump (SY.txt, allCountries.txt, cities500.txt), the WOF table, or a CSV.")],
    fmt: Annotated[ImportFormat | None, typer.Option("--format", "-f", help="geonames, wof or csv (default: detected).")] = None,
    alternate_names: Annotated[Path | None, typer.Option("--alternate-names", help="GeoNames alternateNamesV2.txt to add spellings from.")] = None,
    country: Annotated[str, typer.Option(help="Keep rows of this ISO country code (GeoNames files).")] = "SY",
    index: IndexOpt = None,
) -> None:
    """Stream a gazetteer file into the index: constant memory, idempotent, duplicates merged."""
    if not file.is_file():
        _fail(f"{file}: no such file; give a GeoNames dump, the WOF table or a CSV")
    _import(file, fmt.value if fmt else None, alternate_names, index, country.upper())


@app.command("download")
def download_command(
    country: Annotated[str, typer.Argument(help="ISO country code, e.g. SY.")] = "SY",
    url: Annotated[str | None, typer.Option(help="URL template with {country} (default: setting gazetteer.download_url).")] = None,
    index: IndexOpt = None,
) -> None:
    """Fetch GeoNames' country file (needs the internet or a mirror) and import it."""
    from sitrep.errors import SitrepError
    from sitrep.resolve.gazetteer_db import DEFAULT_DOWNLOAD_URL
    from sitrep.resolve.gazetteer_import import download

    settings = getattr(_settings(), "gazetteer", None)
    template = url or getattr(settings, "download_url", None) or DEFAULT_DOWNLOAD_URL
    with tempfile.TemporaryDirectory(prefix="sitrep-geonames-") as tmp:
        try:
            dump = download(country, template, Path(tmp))
        except SitrepError as exc:
            _fail(str(exc))
        _import(dump, "geonames", None, index, country.upper())


@app.command("stats")
def stats_command(index: IndexOpt = None) -> None:
    """What the index holds: places by source, feature and governorate; past imports."""
    from rich.table import Table

    from sitrep.cli import out
    from sitrep.resolve.gazetteer_db import ensure_db, stats

    db = ensure_db(_index_path(index))
    s = stats(db)
    out.print(f"{s['path']}: {s['places']} places ({s['merged_duplicates']} imported rows merged into them), {s['name_keys']} name keys", highlight=False)
    for title, key in (("source", "by_source"), ("feature", "by_feature"), ("admin1", "by_admin1")):
        table = Table(title=f"places by {title}")
        table.add_column(title)
        table.add_column("places", justify="right")
        for k, v in s[key].items():
            table.add_row(str(k), str(v))
        out.print(table)
    for imp in s["imports"][-5:]:
        out.print(f"imported {imp['path']} ({imp['format']}) at {imp['at']}: {imp['added']} added, {imp['merged']} merged", highlight=False)


@app.command("lookup")
def lookup_command(
    name: Annotated[str, typer.Argument(help="A place name or phrase ('Idlib countryside', 'the town of Kasab').")],
    context: Annotated[str | None, typer.Option("--context", help="Governorate in focus (ACLED spelling), for homonyms.")] = None,
    index: IndexOpt = None,
) -> None:
    """Records the index has under NAME (exact key, then fuzzy) and what the resolver makes of it."""
    from rich.table import Table

    from sitrep.cli import out
    from sitrep.resolve.gazetteer_db import open_gazetteer
    from sitrep.resolve.places import PlaceResolver

    gaz = open_gazetteer(_index_path(index))
    exact = gaz.lookup(name)
    hits = [(r, 100.0) for r in exact] or gaz.fuzzy(name, limit=10)
    table = Table(title=f"gazetteer records for {name!r}")
    for col in ("id", "name", "feature", "admin1", "admin2", "lat", "lon", "population", "score", "source"):
        table.add_column(col)
    for r, score in hits[:15]:
        table.add_row(r.place_id, r.name, r.feature, r.admin1 or "", r.admin2 or "", f"{r.lat:.4f}", f"{r.lon:.4f}", str(r.population), f"{score:.0f}", r.source)
    out.print(table)
    ref = PlaceResolver(gaz).resolve(name, context_admin1=context)
    if ref is None:
        out.print("resolver: not a known place")
        raise typer.Exit(1)
    out.print(
        f"resolver: {ref.name} ({ref.feature}), {ref.admin2 or '-'} / {ref.admin1}, "
        f"{ref.latitude:.4f}, {ref.longitude:.4f}, geo_precision {int(ref.geo_precision)}"
        + (f", unresolved name {ref.unresolved!r}" if ref.unresolved else ""),
        highlight=False,
    )


@app.command("missing")
def missing_command(
    db: Annotated[str, typer.Option("--db", help="The event store to read mentions from: SQLite file or postgresql:// URL.")],
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="Show the N most frequent names.")] = 50,
) -> None:
    """Place names the gazetteer did not know, by frequency (their events sit at the enclosing area)."""
    from rich.table import Table

    from sitrep.cli import out

    counts = missing_names(db)
    if not counts:
        out.print(f"{db}: no unresolved place names")
        return
    table = Table(title=f"unresolved place names in {db}")
    table.add_column("name")
    table.add_column("mentions", justify="right")
    table.add_column("kept at")
    for (name, admin1), n in counts.most_common(top):
        table.add_row(name, str(n), admin1 or "")
    out.print(table)


def missing_names(db: str | Path) -> Counter:
    """(unresolved name, governorate it was kept at) -> number of mentions, from a store."""
    from sitrep.errors import SitrepError
    from sitrep.store import open_store, store_exists

    if not store_exists(db):
        _fail(f"{db}: no such store; create it with `sitrep ingest FILES --db {db}`")
    try:
        store = open_store(db)
    except SitrepError as exc:
        _fail(str(exc))
    counts: Counter = Counter()
    with store:
        for m in store.mentions():
            seen = set()
            for p in (m.place, *m.places):
                if p is not None and p.unresolved and (p.unresolved, p.span and p.span.start) not in seen:
                    seen.add((p.unresolved, p.span and p.span.start))
                    counts[(p.unresolved, p.admin1)] += 1
    return counts
