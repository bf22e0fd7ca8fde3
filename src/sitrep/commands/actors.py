"""``sitrep actors``: list, search and show the actor knowledge base (kb/actors/*.yaml).

    sitrep actors                      every actor, by theatre
    sitrep actors nusra --on 2015-06-01   search; also says what the words resolve to on that date
    sitrep actors show nusra-hts       names over time, aliases, coalitions and members
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sitrep.kb.models import Actor, Validity
    from sitrep.resolve.actors import ActorKB

#: ACLED's meaning of each inter code, for display.
INTER_LABELS = {
    1: "state forces",
    2: "rebel group",
    3: "political militia",
    4: "identity militia",
    5: "rioters",
    6: "protesters",
    7: "civilians",
    8: "external/other forces",
}


def _span(v: Validity) -> str:
    if v.valid_from is None and v.valid_to is None:
        return ""
    start = v.valid_from.isoformat() if v.valid_from else "…"
    end = v.valid_to.isoformat() if v.valid_to else "…"
    return f"{start} – {end}"


def _load(kb_files: list[str] | None) -> ActorKB:
    from pathlib import Path

    from sitrep.errors import SitrepError
    from sitrep.resolve.actors import ActorKB, default_actor_kb

    try:
        return ActorKB.load([Path(p) for p in kb_files]) if kb_files else default_actor_kb()
    except SitrepError as exc:
        from sitrep.cli import err

        err.print(f"[bold red]error[/]: {exc}", highlight=False)
        raise typer.Exit(2) from None


def _parse_on(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD", param_hint="--on") from None


def _table_of(actors: list[tuple[Actor, float | None]], kb: ActorKB, on: date | None):
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("name" + (f" on {on}" if on else ""))
    table.add_column("inter", justify="right")
    table.add_column("side")
    table.add_column("type")
    table.add_column("theatre")
    if any(score is not None for _, score in actors):
        table.add_column("score", justify="right")
    for actor, score in actors:
        row = [actor.id, kb.acled_name(actor.id, on), str(actor.inter_on(on)), actor.side, actor.type, kb.theatre(actor.id)]
        if score is not None:
            row.append(f"{min(score, 100):.0f}")
        table.add_row(*row)
    return table


def list_actors(query: str | None, on: date | None, theatre: str | None, limit: int, kb: ActorKB) -> None:
    from sitrep.cli import out

    if query:
        country = theatre or "Syria"
        ref = kb.match(query, on=on, country=country)
        if ref is not None:
            when = f" on {on}" if on else ""
            out.print(f"[bold]{query!r}[/]{when} resolves to [green]{ref.name}[/] ([cyan]{ref.actor_id}[/], inter {int(ref.inter)})", highlight=False)
        hits = [(a, s) for a, s in kb.search(query, limit=limit) if theatre is None or kb.theatre(a.id) == theatre]
        if not hits:
            if ref is None:
                from sitrep.cli import err

                err.print(f"no actor matches {query!r}; `sitrep actors` lists them all", highlight=False)
                raise typer.Exit(1)
            return
        out.print(_table_of(hits, kb, on))
        return
    rows = [(a, None) for a in kb if theatre is None or kb.theatre(a.id) == theatre]
    if not rows:
        from sitrep.cli import err

        err.print(f"no actors for theatre {theatre!r}; theatres: {', '.join(sorted({kb.theatre(a.id) for a in kb}))}")
        raise typer.Exit(1)
    out.print(_table_of(rows, kb, on))
    out.print(f"{len(rows)} actors", highlight=False)


def show_actor(actor_id: str, on: date | None, kb: ActorKB) -> None:
    from rich.table import Table

    from sitrep.cli import err, out

    actor = kb.get(actor_id)
    if actor is None:
        hits = kb.search(actor_id, limit=3)
        hint = f"; did you mean {', '.join(a.id for a, _ in hits)}?" if hits else ""
        err.print(f"error: no actor with id {actor_id!r}{hint} (`sitrep actors QUERY` searches)", highlight=False)
        raise typer.Exit(1)
    out.print(f"[bold cyan]{actor.id}[/]  [bold]{kb.acled_name(actor.id, on)}[/]" + (f"  (on {on})" if on else ""), highlight=False)
    facts = [
        ("inter", f"{actor.inter_on(on)} ({INTER_LABELS[actor.inter_on(on)]})"),
        ("type", actor.type),
        ("country", actor.country),
        ("side", actor.side + (f", backs {actor.aligned_with}" if actor.aligned_with else "")),
        ("theatre", kb.theatre(actor.id)),
        ("existed", _span(actor) or "undated"),
    ]
    if actor.parent:
        facts.append(("part of", f"{actor.parent} ({kb.acled_name(actor.parent, on)})"))
    if actor.generic:
        facts.append(("generic", "a descriptive reference; replaced by the article's named group when one is clear"))
    for label, value in facts:
        out.print(f"  [dim]{label:8}[/] {value}", highlight=False)

    names = Table(title="Names over time", title_justify="left", header_style="bold")
    names.add_column("name")
    names.add_column("from")
    names.add_column("until (exclusive)")
    names.add_column("inter", justify="right")
    current = actor.name_on(on) if on else None
    for n in kb.names_over_time(actor.id):
        mark = "[green]" if current is not None and n.name == current.name else ""
        names.add_row(
            f"{mark}{n.name}", n.valid_from.isoformat() if n.valid_from else "", n.valid_to.isoformat() if n.valid_to else "", str(n.inter or actor.inter)
        )
    out.print(names)

    def forms(aliases) -> str:
        return ", ".join(a.text + (f" [{_span(a)}]" if _span(a) else "") + (" (case-sensitive)" if a.case_sensitive else "") for a in aliases)

    if actor.aliases:
        out.print(f"[bold]Aliases[/]: {forms(actor.aliases)}", highlight=False)
    if actor.descriptors:
        out.print(f"[bold]Descriptive references[/] (in {kb.theatre(actor.id)} articles): {forms(actor.descriptors)}", highlight=False)
    for group in actor.groups:
        out.print(f"[bold]Associated group[/] {group.name}: {', '.join(group.aliases)}", highlight=False)

    if actor.members:
        members = Table(title="Coalition members" + (f" on {on}" if on else ""), title_justify="left", header_style="bold")
        members.add_column("member", style="cyan")
        members.add_column("name" + (f" on {on}" if on else ""))
        members.add_column("membership")
        members.add_column("note")
        for m in actor.members:
            if on is not None and not m.holds_on(on):
                continue
            members.add_row(m.actor, kb.acled_name(m.actor, on or m.valid_from), _span(m), m.note)
        out.print(members)
    memberships = kb.memberships(actor.id)
    if memberships:
        table = Table(title="Member of", title_justify="left", header_style="bold")
        table.add_column("coalition", style="cyan")
        table.add_column("name")
        table.add_column("membership")
        for coalition_id, m in memberships:
            if on is not None and not m.holds_on(on):
                continue
            table.add_row(coalition_id, kb.acled_name(coalition_id, on or m.valid_from), _span(m))
        out.print(table)
    if actor.note:
        out.print(f"[bold]Note[/]: {actor.note}", highlight=False)
    out.print(f"[dim]Source: {actor.source}[/]", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command("actors")
    def actors(
        words: Annotated[
            list[str] | None,
            typer.Argument(help="QUERY to search names and aliases, or `show ID` for one actor's history.", show_default=False),
        ] = None,
        on: Annotated[str | None, typer.Option("--on", help="Date YYYY-MM-DD: names, inter codes and members valid then.")] = None,
        theatre: Annotated[str | None, typer.Option("--theatre", help="Only actors of this theatre (e.g. Syria, Sudan).")] = None,
        limit: Annotated[int, typer.Option("--limit", min=1, help="Most search results shown.")] = 15,
        kb_file: Annotated[
            list[str] | None, typer.Option("--kb", help="Actor YAML file(s) to use instead of the packaged ones (repeatable).")
        ] = None,
    ) -> None:
        """List and search the actor knowledge base, or show one actor: `sitrep actors show ID`."""
        day = _parse_on(on)
        kb = _load(kb_file)
        args = list(words or [])
        if args and args[0] == "show":
            if len(args) != 2:
                raise typer.BadParameter("usage: sitrep actors show ID (one id, e.g. nusra-hts)", param_hint="ID")
            show_actor(args[1], day, kb)
            return
        list_actors(" ".join(args) or None, day, theatre, limit, kb)
