"""Command line: thin commands over the Python API (sitrep.pipeline, sitrep.store, sitrep.export)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from sitrep.errors import SitrepError
from sitrep.schema import InputProblem

app = typer.Typer(
    name="sitrep",
    help="Conflict events from news text: ACLED-compatible, geocoded, deduplicated, with the evidence.",
    no_args_is_help=True,
    add_completion=False,
)
# Piped output (make demo, CI logs) gets a wide table rather than rich's 80-column default.
out = Console(width=None if sys.stdout.isatty() else 180)
# Error lines are never wrapped: a long path broken across lines cannot be copied or grepped.
err = Console(stderr=True, soft_wrap=True)

#: Show a progress bar from this many articles on.
PROGRESS_FROM = 20


class Fmt(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    geojson = "geojson"


class ExportFmt(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    geojson = "geojson"
    parquet = "parquet"


class ListFmt(StrEnum):
    table = "table"
    csv = "csv"
    jsonl = "jsonl"
    geojson = "geojson"


def _report_problems(problems: Iterable[InputProblem]) -> int:
    n = 0
    for p in problems:
        err.print(f"[bold red]error[/]: {p}", highlight=False, markup=True, soft_wrap=True)
        n += 1
    return n


@contextmanager
def _progress(total: int, label: str):
    if total < PROGRESS_FROM or not err.is_terminal and total < PROGRESS_FROM * 5:
        yield None
        return
    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def _pipeline(max_bytes: int | None = None, workers: int | None = None):
    from sitrep.engine.local import ParallelPipeline
    from sitrep.settings import Settings

    settings = Settings.load()
    if max_bytes is not None:
        settings.max_bytes = max_bytes
    # serial for small inputs; a worker pool (all cores unless --workers) for large ones
    return ParallelPipeline(settings, workers=workers)


def _fail(exc: SitrepError) -> typer.Exit:
    err.print(f"[bold red]error[/]: {exc}", highlight=False)
    return typer.Exit(2)


PathsArg = Annotated[list[Path], typer.Argument(help="Files or folders (.txt, .md, .html, .jsonl); folders are walked.")]
PublishedOpt = Annotated[
    str | None, typer.Option("--published", help="Publication date YYYY-MM-DD for input that carries none.")
]
MaxBytesOpt = Annotated[int | None, typer.Option("--max-bytes", help="Largest input file accepted (default 10 MB).")]
WorkersOpt = Annotated[int | None, typer.Option("--workers", "-w", min=1, help="Worker processes for large inputs (default: all cores).")]
DbOpt = Annotated[
    str,
    typer.Option("--db", help="SQLite file (created when missing) or PostgreSQL URL postgresql://USER:PASSWORD@HOST:5432/DB."),
]


def _parse_date(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param_hint=flag) from None


@app.command()
def extract(
    paths: PathsArg,
    published: PublishedOpt = None,
    fmt: Annotated[Fmt, typer.Option("--format", "-f", help="csv (ACLED columns), jsonl (full records), geojson.")] = Fmt.csv,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
    non_events: Annotated[bool, typer.Option("--non-events", help="Also list threats, plans, denials (jsonl only, as mentions).")] = False,
    max_bytes: MaxBytesOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Extract events from articles (stateless): one row per fused event."""
    from sitrep.export import write_events

    pipe = _pipeline(max_bytes, workers)
    articles, problems = pipe.read(paths, published=_parse_date(published, "--published"))
    _report_problems(problems)
    if not articles:
        err.print("nothing could be processed")
        raise typer.Exit(1)
    with _progress(len(articles), "extracting") as tick:
        result = pipe.run_articles(articles, problems=problems, progress=tick)
    target = None if output is None or str(output) == "-" else output
    n = write_events(result.events, target, fmt.value)
    if non_events:
        import json

        stream = open(target, "a", encoding="utf-8") if target else sys.stdout
        try:
            for m in result.mentions:
                if not m.is_event:
                    stream.write(json.dumps({"non_event_mention": m.model_dump(mode="json")}) + "\n")
        finally:
            if target:
                stream.close()
    err.print(f"{len(articles)} articles, {len(result.mentions)} mentions, {n} events" + (f", {len(problems)} inputs skipped" if problems else ""))


@app.command()
def ingest(
    paths: PathsArg,
    db: DbOpt = "sitrep.db",
    published: PublishedOpt = None,
    max_bytes: MaxBytesOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Add articles to a store and update its events. Re-ingesting the same input changes nothing."""
    from sitrep.pipeline import ingest_articles
    from sitrep.store import open_store

    pipe = _pipeline(max_bytes, workers)
    try:
        with open_store(db) as store:
            articles, problems = pipe.read(paths, published=_parse_date(published, "--published"))
            _report_problems(problems)
            new = sum(1 for a in articles if not store.has_article(a.id))
            with _progress(new, "ingesting") as tick:
                result = ingest_articles(pipe, store, articles, progress=tick)
            counts = store.counts()
    except SitrepError as exc:
        raise _fail(exc) from exc
    err.print(
        f"{len(result.articles)} new articles ({result.skipped} already stored), {len(result.mentions)} mentions; "
        f"store now holds {counts.get('articles', 0)} articles and {counts.get('events', 0)} events"
    )
    if not articles and problems:
        raise typer.Exit(1)


def _filter(since, until, event_type, admin1, actor):
    from sitrep.store.base import EventFilter

    return EventFilter(
        since=_parse_date(since, "--since"),
        until=_parse_date(until, "--until"),
        event_type=event_type,
        admin1=admin1,
        actor=actor,
    )


@app.command()
def events(
    db: DbOpt = "sitrep.db",
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="ACLED event type, e.g. 'Battles'.")] = None,
    admin1: Annotated[str | None, typer.Option(help="Governorate, ACLED spelling, e.g. Idleb.")] = None,
    actor: Annotated[str | None, typer.Option(help="Substring of an actor name.")] = None,
    fmt: Annotated[ListFmt, typer.Option("--format", "-f")] = ListFmt.table,
) -> None:
    """List stored events, filtered."""
    from sitrep.export import events_table, write_events
    from sitrep.store import open_store

    _need_db(db)
    try:
        with open_store(db) as store:
            found = store.events(_filter(since, until, event_type, admin1, actor))
    except SitrepError as exc:
        raise _fail(exc) from exc
    if fmt == ListFmt.table:
        out.print(events_table(found))
        err.print(f"{len(found)} events")
    else:
        write_events(found, None, fmt.value)


@app.command()
def export(
    db: DbOpt = "sitrep.db",
    fmt: Annotated[ExportFmt, typer.Option("--format", "-f")] = ExportFmt.csv,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output file.")] = Path("events.csv"),
) -> None:
    """Export every stored event (ACLED CSV, JSON Lines, GeoJSON or Parquet)."""
    from sitrep.export import write_events
    from sitrep.store import open_store

    _need_db(db)
    try:
        with open_store(db) as store:
            n = write_events(store.events(), output, fmt.value)
    except SitrepError as exc:
        raise _fail(exc) from exc
    err.print(f"wrote {n} events to {output}")


def _need_db(db: str) -> None:
    from sitrep.store import store_exists

    if not store_exists(db):
        err.print(f"[bold red]error[/]: {db}: no such store; create it with `sitrep ingest FILES --db {db}`")
        raise typer.Exit(2)


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for events.csv, events.geojson and sitrep.db.")] = Path("."),
) -> None:
    """Run the whole pipeline on the bundled example articles."""
    from sitrep.examples import example_paths
    from sitrep.export import events_table, write_events
    from sitrep.pipeline import ingest_articles
    from sitrep.store import open_store

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = example_paths()
    db = out_dir / "sitrep.db"
    pipe = _pipeline()
    articles, problems = pipe.read(paths)
    _report_problems(problems)
    with open_store(db) as store:
        ingest_articles(pipe, store, articles)
        found = store.events()
    out.print(events_table(found))
    write_events(found, out_dir / "events.csv", "csv")
    n_geo = write_events(found, out_dir / "events.geojson", "geojson")
    out.print(
        f"{len(articles)} example articles → {len(found)} events "
        f"({n_geo} with coordinates). Wrote {out_dir / 'events.csv'}, {out_dir / 'events.geojson'}, {db}"
    )


def _register_command_modules() -> None:
    # Imported late: command modules use this module's consoles and helpers.
    from sitrep.commands import register_all

    register_all(app)


_register_command_modules()


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
