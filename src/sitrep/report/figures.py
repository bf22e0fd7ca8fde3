"""The figures of a situation report, computed from the store and nothing else.

``build_brief(store, period, scope)`` reads the period's events, the previous period of the
same length and the history before the period, and returns a :class:`Brief`: typed figures
that the charts and the templates only lay out. Counting rules (stated in the brief too):

* an event counts in a period when its ``event_date`` falls inside it (undated events are
  left out and counted separately);
* fatalities are the coded (conservative) ``Event.fatalities``;
* a source supports an event when one of the event's articles comes from it (its outlet).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sitrep.schema import Article, Claim, Event, EventType, Inter, SourceType, SubEventType
from sitrep.store.base import EventFilter, Store

#: ACLED's event types in the order a brief lists them.
EVENT_TYPES: tuple[EventType, ...] = tuple(EventType)

#: Sub-event types that move territory from one side to another (fallback when no control timeline).
TERRITORY_SUB_TYPES: frozenset[SubEventType] = frozenset(
    {
        SubEventType.GOVERNMENT_REGAINS_TERRITORY,
        SubEventType.NON_STATE_OVERTAKES_TERRITORY,
        SubEventType.NON_VIOLENT_TRANSFER,
    }
)

#: Source types that speak for one side, whatever their listed leaning.
PARTISAN_TYPES: frozenset[SourceType] = frozenset({SourceType.PARTISAN_MEDIA, SourceType.PARTY})

#: How many rows the ranked sections show.
SERIOUS_LIMIT = 8
ACTOR_LIMIT = 10

_LAST = re.compile(r"^\s*(\d+)\s*([dw])\s*$", re.IGNORECASE)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- scope


class Period(_Model):
    """Inclusive date range of a brief."""

    since: date
    until: date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.until < self.since:
            raise ValueError(f"the period ends ({self.until}) before it starts ({self.since})")
        return self

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.since - timedelta(days=1)
        return Period(since=end - timedelta(days=self.days - 1), until=end)

    def dates(self) -> list[date]:
        return [self.since + timedelta(days=i) for i in range(self.days)]

    def label(self) -> str:
        if self.since == self.until:
            return self.since.isoformat()
        return f"{self.since.isoformat()} to {self.until.isoformat()}"


def parse_last(text: str) -> int:
    """'7d' → 7, '2w' → 14 (days); ValueError otherwise."""
    m = _LAST.match(text or "")
    if not m or int(m.group(1)) < 1:
        raise ValueError(f"{text!r} is not a length; use a number of days or weeks such as 7d or 2w")
    return int(m.group(1)) * (7 if m.group(2).lower() == "w" else 1)


def resolve_period(
    since: date | None, until: date | None, last: str | None, *, today: date | None = None
) -> Period:
    """The brief's period from the command's options; default: the 7 days ending today.

    ``--last`` counts back from ``--until`` (default today); it cannot be combined with ``--since``.
    """
    if last is not None and since is not None:
        raise ValueError("give either --since/--until or --last, not --since with --last")
    end = until or today or date.today()
    if last is not None:
        return Period(since=end - timedelta(days=parse_last(last) - 1), until=end)
    return Period(since=since or end - timedelta(days=6), until=end)


class Scope(_Model):
    """Which events a brief covers besides the dates (empty = everything)."""

    admin1: list[str] = Field(default_factory=list)
    actor: str | None = None

    def label(self) -> str:
        parts = []
        if self.admin1:
            parts.append("governorates: " + ", ".join(self.admin1))
        if self.actor:
            parts.append(f"actor: {self.actor}")
        return "; ".join(parts) or "all governorates, all actors"


# --------------------------------------------------------------------------- figures


class TypeFigure(_Model):
    event_type: str
    events: int
    fatalities: int
    previous_events: int
    previous_fatalities: int

    @property
    def events_change(self) -> int:
        return self.events - self.previous_events

    @property
    def fatalities_change(self) -> int:
        return self.fatalities - self.previous_fatalities


class ClaimLine(_Model):
    """One figure as somebody gave it."""

    kind: str
    value: int | None
    qualifier: str | None = None
    victims: str | None = None
    claimant: str
    claimant_type: str
    text: str = ""


class EvidenceLine(_Model):
    text: str
    outlet: str
    article_id: str
    ref: int | None = Field(default=None, description="number in the brief's source list")
    url: str | None = None


class EventLine(_Model):
    """An event as the brief shows it."""

    event_id: str
    event_date: date | None
    event_type: str
    sub_event_type: str
    place: str
    admin1: str | None
    actor1: str | None
    actor2: str | None
    note: str
    fatalities: int
    fatalities_high: int | None = None
    disputed: bool = False
    dispute: str | None = Field(default=None, description="state media against monitors, when both gave figures")
    claims: list[ClaimLine] = Field(default_factory=list)
    evidence: list[EvidenceLine] = Field(default_factory=list)
    refs: list[int] = Field(default_factory=list)
    outlets: list[str] = Field(default_factory=list)
    single_partisan: str | None = Field(default=None, description="the one partisan source the event rests on")
    modality: str = "asserted"
    latitude: float | None = None
    longitude: float | None = None


class ActorFigure(_Model):
    actor: str
    events: int
    as_actor1: int
    as_actor2: int
    fatalities: int


class TerritoryChange(_Model):
    event_date: date | None
    place: str
    admin1: str | None
    taken_by: str | None
    taken_from: str | None
    how: str
    event_id: str | None = None


class NewPlace(_Model):
    place: str
    admin1: str | None
    first_date: date | None
    events: int
    event_id: str


class SourceFigure(_Model):
    outlet: str
    source_type: str
    leaning: str | None
    events: int
    articles: int
    partisan: bool


class SourceRef(_Model):
    """One entry of the numbered source list: an article."""

    number: int
    article_id: str
    outlet: str
    title: str
    published: date | None = None
    url: str | None = None


class Brief(_Model):
    title: str
    period: Period
    previous: Period
    scope: Scope
    generated: date
    events_total: int
    fatalities_total: int
    previous_events_total: int
    previous_fatalities_total: int
    by_type: list[TypeFigure]
    serious: list[EventLine]
    actors: list[ActorFigure]
    territory: list[TerritoryChange]
    territory_source: str = Field(description="'control timeline' or 'territory sub-event types'")
    new_places: list[NewPlace]
    sources: list[SourceFigure]
    single_partisan_events: int
    references: list[SourceRef]
    events: list[EventLine] = Field(description="every event of the period, by date")
    daily: dict[str, dict[str, tuple[int, int]]] = Field(
        default_factory=dict, description="ISO day → event type → (events, fatalities)"
    )

    @property
    def empty(self) -> bool:
        return self.events_total == 0


# --------------------------------------------------------------------------- helpers


def _select(store: Store, period: Period, scope: Scope) -> list[Event]:
    """The scope's dated events in ``period`` (several governorates: one query each, merged)."""
    admin1s: Sequence[str | None] = scope.admin1 or [None]
    found: dict[str, Event] = {}
    for admin1 in admin1s:
        f = EventFilter(since=period.since, until=period.until, admin1=admin1, actor=scope.actor)
        for e in store.events(f):
            found.setdefault(e.event_id, e)
    return sorted((e for e in found.values() if e.event_date is not None), key=lambda e: (e.event_date, e.event_id))


def place_key(event: Event) -> tuple[str, str]:
    """What a reader takes for the same place: its name in its governorate. Not the gazetteer id:
    'Damascus' coded at the governorate and 'Damascus' the city are one place in a brief."""
    if not event.location and event.place_id:
        return ("id", event.place_id)
    return ((event.admin1 or "").casefold(), (event.location or "").casefold())


def place_name(event: Event) -> str:
    return event.location or (f"{event.admin1} governorate" if event.admin1 else "unknown place")


def actor_names(event: Event) -> list[tuple[str, int]]:
    """(name, side) for every actor of the event: side 1 for actor1 and its allies, 2 for actor2's."""
    names: list[tuple[str, int]] = []
    for side, main, assoc in ((1, event.actor1, event.assoc_actor_1), (2, event.actor2, event.assoc_actor_2)):
        for name in [main, *((assoc or "").split(";"))]:
            name = (name or "").strip()
            if name and (name, side) not in names:
                names.append((name, side))
    return names


def _is_civilians(name: str, event: Event) -> bool:
    # Civilians are victims, not actors; "most active actors" lists those who act.
    if name == event.actor1 and event.inter1 == Inter.CIVILIANS:
        return True
    if name == event.actor2 and event.inter2 == Inter.CIVILIANS:
        return True
    return name.startswith("Civilians (")


@lru_cache(maxsize=1)
def _source_kb():
    from sitrep.resolve.sources import SourceKB

    # Without the actor knowledge base: outlets are matched against the source list only.
    return SourceKB.load()


def classify_outlet(name: str) -> tuple[str, str, str | None]:
    """(display name, source type, leaning) of an outlet; unlisted outlets are 'unknown'."""
    src = _source_kb().match(name)
    if src is None:
        return name, SourceType.UNKNOWN.value, None
    return src.name, src.type.value, src.leaning


def is_partisan(source_type: str, leaning: str | None) -> bool:
    """A source speaking for one side: a listed leaning other than neutral, or a partisan type.

    Monitors are never partisan here: the brief contrasts them with state media instead.
    """
    if source_type == SourceType.MONITOR.value:
        return False
    if leaning is not None:
        return leaning != "neutral"
    return SourceType(source_type) in PARTISAN_TYPES or source_type == SourceType.STATE_MEDIA.value


def _claimant(claim: Claim, outlet: str | None = None) -> tuple[str, str, str | None]:
    """(name, type, leaning) of who made a claim; no claimant = the outlet itself."""
    if not claim.claimant:
        return (f"{outlet} (own reporting)" if outlet else "the outlet"), SourceType.OUTLET.value, None
    src = _source_kb().match(claim.claimant)
    if src is not None:
        return src.name, src.type.value, src.leaning
    return claim.claimant, claim.claimant_type.value, None


class _Articles:
    """Article look-ups, once each, numbered in order of first citation."""

    def __init__(self, store: Store):
        self.store = store
        self._cache: dict[str, Article | None] = {}
        self.refs: dict[str, SourceRef] = {}

    def get(self, article_id: str) -> Article | None:
        if article_id not in self._cache:
            self._cache[article_id] = self.store.get_article(article_id)
        return self._cache[article_id]

    def outlet(self, article_id: str, fallback: str | None = None) -> str:
        article = self.get(article_id)
        name = fallback or (article.outlet if article else None)
        return classify_outlet(name)[0] if name else "outlet not recorded"

    def ref(self, article_id: str, outlet_hint: str | None = None) -> SourceRef:
        article = self.get(article_id)
        key = article.id if article else article_id
        if key not in self.refs:
            self.refs[key] = SourceRef(
                number=len(self.refs) + 1,
                article_id=article.display_id if article else article_id,
                outlet=self.outlet(article_id, outlet_hint),
                title=(article.title if article else "") or "(untitled)",
                published=article.published if article else None,
                url=article.url if article else None,
            )
        return self.refs[key]


def _event_articles(event: Event) -> list[str]:
    ids = [ev.article_id for ev in event.evidence]
    ids += [c.article_id for c in event.claims if c.article_id]
    if not ids:
        ids = list(event.article_ids)
    return list(dict.fromkeys(ids))


def _dispute(event: Event) -> str | None:
    if event.state_media_fatalities is not None and event.monitor_fatalities is not None:
        return f"state media {event.state_media_fatalities}, monitors {event.monitor_fatalities}"
    return None


def _single_partisan(event: Event, outlets: list[str]) -> str | None:
    """The one partisan source an event rests on, or None.

    Either its only outlet is partisan, or (one or no named outlet) every figure it carries
    comes from one partisan claimant, e.g. a ministry's own account relayed by a wire.
    """
    if len(outlets) == 1:
        _, kind, leaning = classify_outlet(outlets[0])
        if is_partisan(kind, leaning):
            return outlets[0]
    if len(outlets) <= 1 and event.claims:
        claimants = {_claimant(c) for c in event.claims}
        if len(claimants) == 1:
            name, kind, leaning = next(iter(claimants))
            if kind != SourceType.OUTLET.value and is_partisan(kind, leaning):
                return name
    return None


def event_line(event: Event, articles: _Articles) -> EventLine:
    from sitrep.notes import generate_note

    evidence = []
    seen: set[tuple[str, str]] = set()
    for ev in event.evidence:
        ref = articles.ref(ev.article_id, ev.outlet)
        text = " ".join(ev.text.split())
        if (ref.article_id, text) in seen:
            continue  # one sentence supporting two mentions of the event is shown once
        seen.add((ref.article_id, text))
        evidence.append(
            EvidenceLine(
                text=text,
                outlet=ref.outlet,
                article_id=ref.article_id,
                ref=ref.number,
                url=ev.url or ref.url,
            )
        )
    refs = [articles.ref(a).number for a in _event_articles(event)]
    outlets = list(dict.fromkeys(articles.ref(a).outlet for a in _event_articles(event)))
    named_outlets = [o for o in outlets if o != "outlet not recorded"]
    claims = []
    for c in event.claims:
        if c.kind not in ("fatalities", "injuries"):
            continue
        name, kind, _ = _claimant(c, articles.ref(c.article_id).outlet if c.article_id else None)
        line = ClaimLine(
                kind=c.kind,
                value=c.value,
                qualifier=c.qualifier,
                victims=c.victims,
                claimant=name,
                claimant_type=kind,
                text=" ".join(c.text.split()),
            )
        if line not in claims:  # the same words read for two mentions of the event: list once
            claims.append(line)
    return EventLine(
        event_id=event.event_id,
        event_date=event.event_date,
        event_type=event.event_type.value,
        sub_event_type=event.sub_event_type.value,
        place=place_name(event),
        admin1=event.admin1,
        actor1=event.actor1,
        actor2=event.actor2,
        note=event.notes or generate_note(event),
        fatalities=event.fatalities,
        fatalities_high=event.fatalities_high if event.fatalities_high != event.fatalities else None,
        disputed=event.figures_disputed,
        dispute=_dispute(event),
        claims=claims,
        evidence=evidence,
        refs=sorted(set(refs)),
        outlets=outlets,
        single_partisan=_single_partisan(event, named_outlets),
        modality=event.modality.value,
        latitude=event.latitude,
        longitude=event.longitude,
    )


def type_figures(current: Iterable[Event], previous: Iterable[Event]) -> list[TypeFigure]:
    now: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    before: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for bucket, events in ((now, current), (before, previous)):
        for e in events:
            bucket[e.event_type.value][0] += 1
            bucket[e.event_type.value][1] += e.fatalities
    return [
        TypeFigure(
            event_type=t.value,
            events=now[t.value][0],
            fatalities=now[t.value][1],
            previous_events=before[t.value][0],
            previous_fatalities=before[t.value][1],
        )
        for t in EVENT_TYPES
    ]


def actor_figures(events: Iterable[Event], limit: int = ACTOR_LIMIT) -> list[ActorFigure]:
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for e in events:
        seen = set()
        for name, side in actor_names(e):
            if _is_civilians(name, e):
                continue
            row = rows[name]
            row[side] += 1
            if name not in seen:
                row[0] += 1
                row[3] += e.fatalities
                seen.add(name)
    ranked = sorted(rows.items(), key=lambda kv: (-kv[1][0], -kv[1][3], kv[0]))
    return [ActorFigure(actor=n, events=r[0], as_actor1=r[1], as_actor2=r[2], fatalities=r[3]) for n, r in ranked[:limit]]


def territory_from_events(events: Iterable[Event]) -> list[TerritoryChange]:
    """Territory changes read from ACLED's territory sub-event types (the side named first took it)."""
    return [
        TerritoryChange(
            event_date=e.event_date,
            place=place_name(e),
            admin1=e.admin1,
            taken_by=e.actor1,
            taken_from=e.actor2,
            how=e.sub_event_type.value,
            event_id=e.event_id,
        )
        for e in events
        if e.sub_event_type in TERRITORY_SUB_TYPES
    ]


def _territory(store: Store, period: Period, events: list[Event]) -> tuple[list[TerritoryChange], str]:
    """Changes of hands in the period, from the control timeline (sitrep.control) when installed.

    The timeline adds what one event may not say: who held the place before (an earlier
    capture), and whether the 'change' only re-reports the current holder.
    """
    try:
        from sitrep.control import control_timelines
    except ImportError:
        return territory_from_events(events), "territory sub-event types"
    ids = {e.event_id: e for e in events}
    rows = []
    for timeline in control_timelines(store):
        for change in timeline.changes:
            event = ids.get(change.event_id)
            if event is None:
                continue  # outside the period, governorates or actor of the brief
            before = timeline.holder_at(change.date - timedelta(days=1))
            taken_from = change.previous_holder or (before.holder if before else None)
            if taken_from == change.holder:
                continue  # the holder re-reported, not a change of hands
            how = change.sub_event_type.value + (" (claimed)" if change.modality.value == "claimed" else "")
            rows.append(
                TerritoryChange(
                    event_date=change.date,
                    place=timeline.place,
                    admin1=timeline.admin1,
                    taken_by=change.holder,
                    taken_from=taken_from,
                    how=how,
                    event_id=change.event_id,
                )
            )
    rows.sort(key=lambda r: (r.event_date or date.max, r.place))
    return rows, "control timeline"


def new_places(store: Store, period: Period, events: list[Event]) -> list[NewPlace]:
    """Places with an event in the period and none in the store before it (any actor)."""
    first: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for e in events:
        if e.location or e.place_id:
            first[place_key(e)].append(e)
    if not first:
        return []
    before: set[tuple[str, str]] = set()
    end = period.since - timedelta(days=1)
    for admin1 in sorted({e.admin1 for group in first.values() for e in group if e.admin1} | {None}, key=str):
        for old in store.events(EventFilter(until=end, admin1=admin1)):
            before.add(place_key(old))
    rows = []
    for key, group in first.items():
        if key in before:
            continue
        e = group[0]
        rows.append(
            NewPlace(place=place_name(e), admin1=e.admin1, first_date=e.event_date, events=len(group), event_id=e.event_id)
        )
    return sorted(rows, key=lambda r: (r.first_date or date.max, r.place))


def source_figures(lines: Iterable[EventLine]) -> list[SourceFigure]:
    events: Counter[str] = Counter()
    articles: dict[str, set[int]] = defaultdict(set)
    for line in lines:
        for outlet in line.outlets:
            events[outlet] += 1
        for ev in line.evidence:
            if ev.ref is not None:
                articles[ev.outlet].add(ev.ref)
    rows = []
    for outlet, n in events.items():
        if outlet == "outlet not recorded":
            kind, leaning = SourceType.UNKNOWN.value, None
        else:
            _, kind, leaning = classify_outlet(outlet)
        rows.append(
            SourceFigure(
                outlet=outlet,
                source_type=kind,
                leaning=leaning,
                events=n,
                articles=len(articles.get(outlet, ())),
                partisan=kind != SourceType.UNKNOWN.value and is_partisan(kind, leaning),
            )
        )
    return sorted(rows, key=lambda r: (-r.events, r.outlet))


def serious_key(line: EventLine) -> tuple[int, int, int]:
    return (line.fatalities, line.fatalities_high or 0, len(line.refs))


def build_brief(
    store: Store, period: Period, scope: Scope | None = None, *, title: str | None = None, today: date | None = None
) -> Brief:
    """Every figure of the brief for ``period`` and ``scope``, from ``store``."""
    scope = scope or Scope()
    previous = period.previous()
    events = _select(store, period, scope)
    before = _select(store, previous, scope)
    articles = _Articles(store)
    lines = [event_line(e, articles) for e in events]
    daily: dict[str, dict[str, tuple[int, int]]] = {}
    for e in events:
        day = daily.setdefault(e.event_date.isoformat(), {})  # type: ignore[union-attr]
        n, f = day.get(e.event_type.value, (0, 0))
        day[e.event_type.value] = (n + 1, f + e.fatalities)
    serious = sorted(
        (line for line in lines if line.fatalities > 0 or line.fatalities_high),
        key=serious_key,
        reverse=True,
    )[:SERIOUS_LIMIT]
    territory, territory_source = _territory(store, period, events)
    return Brief(
        title=title or "Situation report",
        period=period,
        previous=previous,
        scope=scope,
        generated=today or date.today(),
        events_total=len(events),
        fatalities_total=sum(e.fatalities for e in events),
        previous_events_total=len(before),
        previous_fatalities_total=sum(e.fatalities for e in before),
        by_type=type_figures(events, before),
        serious=serious,
        actors=actor_figures(events),
        territory=territory,
        territory_source=territory_source,
        new_places=new_places(store, period, events),
        sources=source_figures(lines),
        single_partisan_events=sum(1 for line in lines if line.single_partisan),
        references=sorted(articles.refs.values(), key=lambda r: r.number),
        events=lines,
        daily=daily,
    )
