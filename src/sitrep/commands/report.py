"""``sitrep report``: the situation brief for a period, from the store (HTML, PDF or Markdown)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def report(
    output: Annotated[Path, typer.Option("-o", "--output", help="The brief to write (.html, .pdf or .md).")],
    db: Annotated[str, typer.Option("--db", help="The store to read: SQLite file or postgresql:// URL.")] = "sitrep.db",
    since: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD (default: 6 days before --until).")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD (default: today).")] = None,
    last: Annotated[str | None, typer.Option("--last", help="Length ending on --until, e.g. 7d or 2w (not with --since).")] = None,
    admin1: Annotated[list[str] | None, typer.Option("--admin1", help="Governorate, ACLED spelling; repeat for several.")] = None,
    actor: Annotated[str | None, typer.Option(help="Only events where an actor name contains this.")] = None,
    fmt: Annotated[str | None, typer.Option("--format", "-f", help="html, pdf or md (default: from the file name, else html).")] = None,
    title: Annotated[str, typer.Option(help="Title at the top of the brief.")] = "Situation report",
) -> None:
    """Write the situation brief for a period: figures, map, timeline, serious events, sources."""
    from sitrep.cli import _fail, _need_db, _parse_date, err
    from sitrep.errors import SitrepError
    from sitrep.report import Scope, build_brief, resolve_period, write_brief
    from sitrep.report.render import format_for
    from sitrep.store import open_store

    try:
        period = resolve_period(_parse_date(since, "--since"), _parse_date(until, "--until"), last)
    except ValueError as exc:
        raise typer.BadParameter(str(exc).splitlines()[-1], param_hint="--since/--until/--last") from None
    try:
        kind = format_for(output, fmt)
    except SitrepError as exc:
        raise _fail(exc) from exc
    _need_db(db)
    scope = Scope(admin1=[a.strip() for a in admin1 or [] if a.strip()], actor=actor or None)
    try:
        with open_store(db) as store:
            brief = build_brief(store, period, scope, title=title)
        files = write_brief(brief, output, kind)
    except SitrepError as exc:
        raise _fail(exc) from exc
    extra = f" (+ {', '.join(str(f) for f in files[1:])})" if len(files) > 1 else ""
    err.print(
        f"wrote {kind} brief {output}{extra}: {brief.events_total} events, {brief.fatalities_total} fatalities, "
        f"{period.label()}",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.command("report")(report)
