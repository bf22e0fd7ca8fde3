"""Control of territory: who held each place from when, from the territory events in a store.

Three ACLED sub-types change hands: 'Government regains territory', 'Non-state actor
overtakes territory' and 'Non-violent transfer of territory'. Each such event with a place,
a date and a taker (actor1) starts a *period* of control at that place; the actor it was
taken from (actor2) is known to have held the place before it. Periods carry the events and
evidence behind them. Nothing is stored: timelines are computed from the store's events on
demand, so they follow fusion (a later article that corrects a capture corrects the timeline).

    timelines = control_timelines(store)
    holder_at(find_places(timelines, "Palmyra")[0], date(2016, 4, 1))
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sitrep.schema import Event, Evidence, GeoPrecision, Modality, SubEventType, TimePrecision

TERRITORY_TYPES: tuple[SubEventType, ...] = (
    SubEventType.GOVERNMENT_REGAINS_TERRITORY,
    SubEventType.NON_STATE_OVERTAKES_TERRITORY,
    SubEventType.NON_VIOLENT_TRANSFER,
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ControlChange(_Model):
    """One event that moved a place from one holder to another."""

    event_id: str
    date: date
    time_precision: TimePrecision
    sub_event_type: SubEventType
    holder: str = Field(description="who took the place (the event's actor1)")
    previous_holder: str | None = Field(default=None, description="who lost it (actor2), when the reports say")
    modality: Modality
    source: str | None = None
    notes: str = ""
    evidence: list[Evidence] = Field(default_factory=list)


class ControlPeriod(_Model):
    """``holder`` held the place from ``since`` (None: before anything known) to ``until`` (None: still, as far as known)."""

    holder: str
    since: date | None
    until: date | None = None
    precision: TimePrecision = Field(default=TimePrecision.DAY, description="how exactly ``since`` is known")
    event_ids: list[str] = Field(default_factory=list, description="the events that began or confirmed the period")
    inferred: bool = Field(default=False, description="known only because a later event took the place from this holder")
    claimed: bool = Field(default=False, description="every event behind it is a party's claim")
    contested: bool = Field(default=False, description="another change on the same day names another holder")

    def covers(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day < self.until)


class PlaceControl(_Model):
    """The control timeline of one place."""

    place: str
    place_id: str | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: GeoPrecision | None = None
    changes: list[ControlChange] = Field(default_factory=list)
    periods: list[ControlPeriod] = Field(default_factory=list)

    def holder_at(self, day: date) -> ControlPeriod | None:
        return next((p for p in reversed(self.periods) if p.covers(day)), None)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if c.isalnum()).casefold()


def _place_key(e: Event) -> str:
    return e.place_id or f"{_fold(e.location or '')}|{e.admin1 or ''}"


def _change(e: Event) -> ControlChange | None:
    if e.event_date is None or e.actor1 is None or e.location is None:
        return None
    return ControlChange(
        event_id=e.event_id,
        date=e.event_date,
        time_precision=e.time_precision,
        sub_event_type=e.sub_event_type,
        holder=e.actor1,
        previous_holder=e.actor2,
        modality=e.modality,
        source=e.source,
        notes=e.notes,
        evidence=e.evidence,
    )


def _periods(changes: list[ControlChange]) -> list[ControlPeriod]:
    periods: list[ControlPeriod] = []
    first = changes[0]
    if first.previous_holder and first.previous_holder != first.holder:
        periods.append(ControlPeriod(holder=first.previous_holder, since=None, until=first.date, inferred=True))
    holders_on: dict[date, set[str]] = {}
    for c in changes:
        holders_on.setdefault(c.date, set()).add(c.holder)
    for c in changes:
        claimed = c.modality == Modality.CLAIMED
        contested = len(holders_on[c.date]) > 1
        last = periods[-1] if periods else None
        if last is not None and not last.inferred and last.holder == c.holder:
            # another report of the same holder taking it: the period goes on, with more evidence
            last.event_ids.append(c.event_id)
            last.claimed = last.claimed and claimed
            last.contested = last.contested or contested
            continue
        if last is not None and last.until is None:
            last.until = c.date
        periods.append(
            ControlPeriod(holder=c.holder, since=c.date, precision=c.time_precision, event_ids=[c.event_id], claimed=claimed, contested=contested)
        )
    return periods


def build_timelines(events: Iterable[Event], *, max_geo_precision: GeoPrecision = GeoPrecision.NEAR) -> list[PlaceControl]:
    """Control timelines of every place some territory event names precisely enough.

    A governorate-level capture ('took much of Hasakeh province') says nothing about any one
    place, so events coarser than ``max_geo_precision`` are left out.
    """
    by_place: dict[str, tuple[Event, list[ControlChange]]] = {}
    for e in events:
        if e.sub_event_type not in TERRITORY_TYPES:
            continue
        if e.geo_precision is not None and e.geo_precision > max_geo_precision:
            continue
        change = _change(e)
        if change is None:
            continue
        key = _place_key(e)
        first, changes = by_place.setdefault(key, (e, []))
        changes.append(change)
    out = []
    for first, changes in by_place.values():
        changes.sort(key=lambda c: (c.date, c.event_id))
        out.append(
            PlaceControl(
                place=first.location or "",
                place_id=first.place_id,
                admin1=first.admin1,
                latitude=first.latitude,
                longitude=first.longitude,
                geo_precision=first.geo_precision,
                changes=changes,
                periods=_periods(changes),
            )
        )
    out.sort(key=lambda p: (p.admin1 or "", p.place))
    return out


def format_since(period: ControlPeriod) -> str:
    """``since`` as exactly as it is known: a day, or a month for history reported as 'in May 2015'."""
    if period.since is None:
        return "?"
    if period.precision >= TimePrecision.MONTH:
        return period.since.strftime("%Y-%m") if period.precision == TimePrecision.MONTH else str(period.since.year)
    return period.since.isoformat()


def control_timelines(store: Any, **kwargs: Any) -> list[PlaceControl]:
    """Timelines from the territory events of ``store`` (any :class:`~sitrep.store.Store`)."""
    from sitrep.store import EventFilter

    events: list[Event] = []
    for sub in TERRITORY_TYPES:
        events.extend(store.events(EventFilter(sub_event_type=sub.value)))
    return build_timelines(events, **kwargs)


def find_places(timelines: Iterable[PlaceControl], name: str) -> list[PlaceControl]:
    """Timelines of the place ``name`` names: its stored spelling (accents, case and punctuation
    folded), its place id, or any spelling the gazetteer resolves to the same place."""
    timelines = list(timelines)
    wanted = _fold(name)
    found = [t for t in timelines if _fold(t.place) == wanted or (t.place_id is not None and t.place_id == name)]
    if found:
        return found
    try:
        from sitrep.resolve.places import default_resolver

        ref = default_resolver().resolve(name)
    except Exception:  # noqa: BLE001 - without the gazetteer only stored spellings match
        return []
    if ref is None or ref.place_id is None:
        return []
    return [t for t in timelines if t.place_id == ref.place_id]


def control_at(timelines: Iterable[PlaceControl], day: date) -> list[tuple[PlaceControl, ControlPeriod]]:
    """Every place whose holder on ``day`` is known, with the period that covers the day."""
    out = []
    for t in timelines:
        period = t.holder_at(day)
        if period is not None:
            out.append((t, period))
    return out


def control_geojson(timelines: Iterable[PlaceControl], day: date) -> dict[str, Any]:
    """A GeoJSON FeatureCollection: one point per located place, its holder on ``day``."""
    features = []
    for t, p in control_at(timelines, day):
        if t.latitude is None or t.longitude is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [t.longitude, t.latitude]},
                "properties": {
                    "place": t.place,
                    "place_id": t.place_id,
                    "admin1": t.admin1,
                    "holder": p.holder,
                    "since": p.since.isoformat() if p.since else None,
                    "until": p.until.isoformat() if p.until else None,
                    "inferred": p.inferred,
                    "claimed": p.claimed,
                    "contested": p.contested,
                    "event_ids": p.event_ids,
                },
            }
        )
    return {"type": "FeatureCollection", "properties": {"at": day.isoformat()}, "features": features}
