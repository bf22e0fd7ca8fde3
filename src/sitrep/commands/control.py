"""``sitrep control``: who held a place, and since when, from the store's territory events."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer


class ControlFmt(StrEnum):
    table = "table"
    json = "json"
    geojson = "geojson"


def control(
    place: Annotated[str | None, typer.Argument(help="Place name as stored (accents and case ignored), or a place id.")] = None,
    at: Annotated[str | None, typer.Option("--at", help="YYYY-MM-DD: who held it on this day.")] = None,
    fmt: Annotated[ControlFmt, typer.Option("--format", "-f", help="table, json, or geojson (the map at --at).")] = ControlFmt.table,
    db: Annotated[str, typer.Option("--db", help="The store written by `sitrep ingest`: SQLite file or postgresql:// URL.")] = "sitrep.db",
) -> None:
    """Control of territory: a place's timeline, who held it on a day, or the map of control on a day."""
    from rich.table import Table

    from sitrep.cli import _fail, _need_db, _parse_date, err, out
    from sitrep.control import control_at, control_geojson, control_timelines, find_places, format_since
    from sitrep.errors import SitrepError
    from sitrep.store import open_store

    day = _parse_date(at, "--at")
    if place is None and day is None:
        raise typer.BadParameter("give a PLACE, or --at DATE for the map of control on that day", param_hint="PLACE/--at")
    if fmt == ControlFmt.geojson and (day is None or place is not None):
        raise typer.BadParameter("--format geojson draws the map of all places on a day: give --at DATE and no PLACE", param_hint="--format")
    _need_db(db)
    try:
        with open_store(db) as store:
            timelines = control_timelines(store)
    except SitrepError as exc:
        raise _fail(exc) from exc

    if place is None:
        assert day is not None
        if fmt == ControlFmt.geojson:
            out.print_json(json.dumps(control_geojson(timelines, day)))
            return
        known = control_at(timelines, day)
        if fmt == ControlFmt.json:
            out.print_json(json.dumps([{"place": t.place, "admin1": t.admin1, **p.model_dump(mode="json")} for t, p in known]))
            return
        table = Table("place", "admin1", "holder", "since", "events", title=f"Known control on {day}")
        for t, p in known:
            table.add_row(t.place, t.admin1 or "", p.holder + (" (inferred)" if p.inferred else ""), format_since(p) if p.since else "before records", ", ".join(p.event_ids))
        out.print(table)
        err.print(f"{len(known)} places with a known holder on {day} (of {len(timelines)} with control changes)")
        return

    found = find_places(timelines, place)
    if not found:
        names = ", ".join(sorted({t.place for t in timelines})[:15]) or "none"
        err.print(f"[bold red]error[/]: {place}: no control changes recorded in {db}; places with changes: {names}")
        raise typer.Exit(1)
    if fmt == ControlFmt.json:
        out.print_json(json.dumps([t.model_dump(mode="json") for t in found]))
        return
    for t in found:
        where = f"{t.place} ({t.admin1})" if t.admin1 else t.place
        if day is not None:
            p = t.holder_at(day)
            if p is None:
                out.print(f"{where} on {day}: holder unknown (first recorded change {t.changes[0].date})")
            else:
                since = f"since {format_since(p)}" if p.since else f"before {p.until} (inferred from its loss)"
                basis = f" (events {', '.join(p.event_ids)})" if p.event_ids else ""
                flags = "".join(f" [{f}]" for f in ("claimed", "contested") if getattr(p, f))
                out.print(f"{where} on {day}: held by {p.holder} {since}{basis}{flags}", highlight=False)
            continue
        table = Table("holder", "from", "until", "how", "evidence", title=f"Control of {where}")
        by_id = {c.event_id: c for c in t.changes}
        for p in t.periods:
            how = "inferred from a later loss" if p.inferred else "; ".join(f"{by_id[e].sub_event_type.value} {e}" for e in p.event_ids)
            quote = next((ev.text for e in p.event_ids for ev in by_id[e].evidence), "")
            table.add_row(p.holder, format_since(p), str(p.until or "latest known"), how, quote[:160])
        out.print(table)


def register(app: typer.Typer) -> None:
    app.command("control")(control)
