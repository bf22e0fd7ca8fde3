"""Fusion: mentions → one event per real-world occurrence, within and across articles.

Blocking keeps the comparison cheap (same event-type family, dates within a window that
depends on time precision); scoring weighs place, actors, sub-type and date; each mention
joins the best-scoring cluster above ``min_score`` or starts a new one. Every event keeps
all claims and evidence spans of its mentions, and the conservative fatality figure.

Event ids are stable: an event is named after its anchor mention (the earliest-published
mention), so articles that join later do not rename it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel

from sitrep.extract.casualties import conservative_fatalities, fatality_range, is_cumulative, is_subset
from sitrep.notes import generate_note
from sitrep.schema import (
    ActorRef,
    Article,
    Claim,
    Event,
    EventType,
    Evidence,
    Inter,
    Mention,
    Modality,
    SourceType,
    SubEventType,
    TimePrecision,
    interaction_code,
)

S = SubEventType
_WINDOW_DAYS = {TimePrecision.DAY: 1, TimePrecision.WEEK: 7, TimePrecision.MONTH: 31, TimePrecision.YEAR: 366}
_TERRITORY = {S.GOVERNMENT_REGAINS_TERRITORY, S.NON_STATE_OVERTAKES_TERRITORY, S.NON_VIOLENT_TRANSFER}


class FuseSettings(BaseModel):
    """Thresholds for joining mentions. Defaults measured on the bundled examples (see README)."""

    min_score: float = 0.55
    max_km: float = 12.0
    same_article_bonus: float = 0.15


@dataclass
class _Cluster:
    mentions: list[Mention] = field(default_factory=list)

    @property
    def anchor(self) -> Mention:
        return self.mentions[0]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _dates_compatible(a: Mention, b: Mention) -> bool:
    if a.event_date is None or b.event_date is None:
        return a.article_id == b.article_id
    window = max(_WINDOW_DAYS[a.time_precision], _WINDOW_DAYS[b.time_precision])
    return abs((a.event_date - b.event_date).days) <= window


def _types_compatible(a: Mention, b: Mention) -> bool:
    if a.sub_event_type == b.sub_event_type:
        return True
    # the clash that ended in a capture, reported for the same day, is one battle
    return {a.sub_event_type, b.sub_event_type} <= (_TERRITORY | {S.ARMED_CLASH}) and (
        a.event_date is None or b.event_date is None or a.event_date == b.event_date
    )


def _place_score(a: Mention, b: Mention, settings: FuseSettings) -> float | None:
    """None = incompatible places."""
    pa, pb = a.place, b.place
    if pa is None or pb is None:
        if a.article_id == b.article_id:
            return 0.1
        if pa is None and pb is None:
            return 0.0
        return 0.0 if (pa or pb) else None
    if pa.place_id and pa.place_id == pb.place_id:
        return 0.35
    if pa.latitude is not None and pb.latitude is not None and pa.longitude is not None and pb.longitude is not None:
        d = _km((pa.latitude, pa.longitude), (pb.latitude, pb.longitude))
        if d <= settings.max_km:
            return 0.25 * (1 - d / settings.max_km) + 0.05
    if pa.admin1 and pa.admin1 == pb.admin1 and (pa.geo_precision > 1 or pb.geo_precision > 1):
        return 0.05  # a governorate-level mention may be the same event as a town in it
    return None


def _actor_ids(m: Mention) -> set[str]:
    refs = [m.actor1, m.actor2, *m.assoc_actor_1, *m.assoc_actor_2]
    return {r.actor_id or r.name for r in refs if r is not None}


def score(a: Mention, b: Mention, settings: FuseSettings) -> tuple[float, dict[str, float]] | None:
    """Similarity of two mentions, with the features that produced it; None when blocked."""
    if a.article_id == b.article_id and a.id == b.id:
        return None
    if not _types_compatible(a, b) or not _dates_compatible(a, b):
        return None
    place = _place_score(a, b, settings)
    if place is None:
        return None
    feats = {"place": place}
    feats["type"] = 0.3 if a.sub_event_type == b.sub_event_type else 0.15
    if a.event_date and b.event_date:
        feats["date"] = 0.15 if a.event_date == b.event_date else 0.05
    ia, ib = _actor_ids(a), _actor_ids(b)
    if ia and ib:
        feats["actors"] = 0.2 if ia & ib else -0.25
    if a.article_id == b.article_id:
        feats["same_article"] = settings.same_article_bonus
    return round(sum(feats.values()), 3), feats


def cluster_mentions(mentions: Iterable[Mention], settings: FuseSettings | None = None, order: dict[str, int] | None = None) -> list[_Cluster]:
    settings = settings or FuseSettings()
    order = order or {}
    ms = sorted(mentions, key=lambda m: (order.get(m.article_id, 0), m.article_id, m.span.start, m.id))
    clusters: list[_Cluster] = []
    for m in ms:
        best, best_score = None, settings.min_score
        for c in clusters:
            # a mention must fit every member of the cluster (complete linkage on blocking)
            scores = [score(m, other, settings) for other in c.mentions]
            if any(s is None for s in scores):
                continue
            top = max(s[0] for s in scores if s is not None)
            if top >= best_score:
                best, best_score = c, top
        if best is None:
            clusters.append(_Cluster([m]))
        else:
            best.mentions.append(m)
    return clusters


def _dedupe_claims(claims: Iterable[Claim]) -> list[Claim]:
    seen: set[tuple] = set()
    out = []
    for c in claims:
        key = (c.article_id, c.span.start if c.span else None, c.kind, c.value)
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def _disputed(claims: list[Claim]) -> bool:
    state = {c.value for c in claims if c.kind == "fatalities" and c.claimant_type == SourceType.STATE_MEDIA and c.value is not None}
    monitors = {c.value for c in claims if c.kind == "fatalities" and c.claimant_type == SourceType.MONITOR and c.value is not None}
    if state and monitors and state.isdisjoint(monitors):
        return True
    values = {c.value for c in claims if c.kind == "fatalities" and c.value is not None and not is_subset(c) and not is_cumulative(c)}
    return len(values) > 1 and len({c.claimant for c in claims if c.kind == "fatalities"}) > 1


def _vote(refs: list[ActorRef | None], exclude: ActorRef | None = None) -> ActorRef | None:
    """Most frequent named actor (generic descriptions count half); ties go to the earliest."""
    weight: dict[str, float] = {}
    first: dict[str, ActorRef] = {}
    for r in refs:
        if r is None or (exclude is not None and r.name == exclude.name):
            continue
        generic = bool(r.actor_id and r.actor_id.startswith("generic"))
        weight[r.name] = weight.get(r.name, 0) + (0.5 if generic else 1.0)
        first.setdefault(r.name, r)
    if not weight:
        return None
    best = max(weight, key=lambda n: (weight[n], -list(first).index(n)))
    return first[best]


def _source_scale(outlets: list[str]) -> str | None:
    try:
        from sitrep.resolve.sources import source_scale
    except ImportError:  # pragma: no cover
        return None
    return source_scale(outlets) if outlets else None


def build_event(cluster: _Cluster, articles: dict[str, Article]) -> Event:
    ms = cluster.mentions
    # the most informative mention speaks for the event: a place, a day, then the trigger priority
    rep = max(
        ms,
        key=lambda m: (
            m.place is not None and m.place.geo_precision == 1,
            m.place is not None,
            m.actor1 is not None and m.actor2 is not None,
            m.actor1 is not None,
            m.event_date is not None,
            -int(m.time_precision),
            m.modality == Modality.ASSERTED,
            m.confidence,
        ),
    )
    # a capture outranks the clash it ended; otherwise the representative mention decides
    territory = [m for m in ms if m.sub_event_type in _TERRITORY]
    lead = territory[0] if territory else rep
    if territory:
        rep = lead if lead.place is not None else rep
    sub, etype = lead.sub_event_type, lead.event_type
    dated = [m for m in ms if m.event_date is not None]
    best_date = min(dated, key=lambda m: (int(m.time_precision), m.event_date)) if dated else None
    # who acted: the territory change decides when there is one, else the mentions vote
    voters = territory or ms
    actor1 = _vote([m.actor1 for m in voters]) or _vote([m.actor1 for m in ms])
    actor2 = _vote([m.actor2 for m in voters], exclude=actor1) or _vote([m.actor2 for m in ms], exclude=actor1)
    if territory and actor2 is not None and actor2.inter == Inter.CIVILIANS:
        actor2 = None  # territory changes hands between armed actors
    if sub in (S.GOVERNMENT_REGAINS_TERRITORY, S.NON_STATE_OVERTAKES_TERRITORY) and actor1 is not None:
        # the sub-type follows who took the place, as decided by all the mentions together
        sub = S.GOVERNMENT_REGAINS_TERRITORY if actor1.inter == Inter.STATE_FORCES else S.NON_STATE_OVERTAKES_TERRITORY
    assoc1 = sorted({a.name for m in ms for a in m.assoc_actor_1} - {actor1.name if actor1 else ""} - {actor2.name if actor2 else ""})
    assoc2 = sorted({a.name for m in ms for a in m.assoc_actor_2} - {actor2.name if actor2 else ""} - {actor1.name if actor1 else ""})
    place = rep.place or next((m.place for m in ms if m.place), None)
    claims = _dedupe_claims(c for m in ms for c in m.claims)
    fatality_claims = [c for c in claims if c.kind == "fatalities"]
    fatalities = conservative_fatalities(fatality_claims) or 0
    low, best, high = fatality_range(fatality_claims)
    art_ids = list(dict.fromkeys(m.article_id for m in ms))
    arts = [articles[a] for a in art_ids if a in articles]
    outlets = list(dict.fromkeys(a.outlet for a in arts if a.outlet))
    evidence: list[Evidence] = []
    seen_spans: set[tuple[str, int, int]] = set()
    for m in ms:
        art = articles.get(m.article_id)
        key = (m.article_id, m.span.start, m.span.end)
        if key not in seen_spans:
            seen_spans.add(key)
            evidence.append(Evidence(article_id=m.article_id, span=m.span, text=m.sentence, url=art.url if art else None, outlet=art.outlet if art else None))
        for c in m.claims:
            if c.span and art:
                sent_start, sent_end = _sentence_bounds(art.text, c.span.start, c.span.end)
                key = (m.article_id, sent_start, sent_end)
                if key not in seen_spans:
                    seen_spans.add(key)
                    evidence.append(Evidence(article_id=m.article_id, span=c.span.model_copy(update={"start": sent_start, "end": sent_end}), text=art.text[sent_start:sent_end], url=art.url, outlet=art.outlet))
    modalities = {m.modality for m in ms}
    modality = Modality.ASSERTED if Modality.ASSERTED in modalities else Modality.CLAIMED if Modality.CLAIMED in modalities else Modality.HISTORICAL
    inter1 = int(actor1.inter) if actor1 else 0
    inter2 = int(actor2.inter) if actor2 else 0
    anchor = cluster.anchor
    event = Event(
        event_id="ev_" + hashlib.sha1(anchor.id.encode()).hexdigest()[:12],
        event_date=best_date.event_date if best_date else None,
        time_precision=best_date.time_precision if best_date else TimePrecision.MONTH,
        event_type=etype,
        sub_event_type=sub,
        actor1=actor1.name if actor1 else None,
        assoc_actor_1="; ".join(assoc1) or None,
        inter1=inter1,
        actor2=actor2.name if actor2 else None,
        assoc_actor_2="; ".join(assoc2) or None,
        inter2=inter2,
        interaction=interaction_code(inter1, inter2),
        country=(place.country if place else None) or "Syria",
        admin1=place.admin1 if place else None,
        admin2=place.admin2 if place else None,
        location=place.name if place else None,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        geo_precision=place.geo_precision if place else None,
        source="; ".join(outlets) or None,
        source_scale=_source_scale(outlets),
        fatalities=fatalities,
        fatalities_low=low,
        fatalities_best=best,
        fatalities_high=high,
        figures_disputed=_disputed(fatality_claims),
        modality=modality,
        claims=claims,
        evidence=evidence,
        article_ids=[articles[a].display_id if a in articles else a for a in art_ids],
        source_urls=list(dict.fromkeys(a.url for a in arts if a.url)),
        mention_ids=[m.id for m in ms],
        mentions=len(ms),
        actor1_id=actor1.actor_id if actor1 else None,
        actor2_id=actor2.actor_id if actor2 else None,
        place_id=place.place_id if place else None,
    )
    event.notes = generate_note(event)
    return event


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a figure's span to its sentence so evidence reads as a sentence."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    s = left + 1 if left >= 0 else 0
    while s < len(text) and text[s] == " ":
        s += 1
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    e = min(right_candidates) + 1 if right_candidates else len(text)
    return s, min(e, len(text))


def fuse(mentions: Iterable[Mention], articles: dict[str, Article], settings: FuseSettings | None = None) -> list[Event]:
    """Fuse event mentions (non-event modalities are skipped) into events, ordered by date."""
    eventful = [m for m in mentions if m.is_event]
    order = {aid: (a.published or date.max).toordinal() for aid, a in articles.items()}
    clusters = cluster_mentions(eventful, settings, order)
    events = [build_event(c, articles) for c in clusters]
    events.sort(key=lambda e: (e.event_date or date.max, e.event_id))
    return events
