"""Fusion: mentions → one event per real-world occurrence, within and across articles.

Two stages, both average-linkage agglomerative clustering with cannot-links:

1. **Within an article** the mentions of one occurrence (headline, lead, the paragraph with
   the toll) become one *group*. Pairs are blocked when their types belong to different
   families, their dates cannot be the same day, or they name two places far apart; scored
   on sub-type, place, actors, shared figures and how close they sit in the text.
2. **Across articles** the groups are blocked on event-type family, a date window set by the
   coarser time precision, and governorate (admin1); scored on place distance, type
   compatibility, actors and their camps/coalitions, casualty compatibility and the text
   similarity of the evidence sentences (rapidfuzz). Two groups of one article were told
   apart by their author (or by a misread day or place): they join here only when other
   reports tie them together, at a cost (``same_article_penalty``). A report with no date at
   all joins only a dated one of the same sub-type and place with the same toll or wording.
   Perpetrators from opposed camps (state forces against rebels or "militants") count against,
   strongly when the reports also name different weapons; different weapons at one place and
   day need an actor, the same toll or close wording to agree (a besieged city is shelled by
   one side and bombed by the other on the same day).

Clusters merge best-first while their *average* pair score reaches the threshold and no pair
between them is blocked, so the result does not depend on input order. Undated reports are
left out of that clustering and then join the cluster of their best strong match. Every merge is kept
as a :class:`~sitrep.schema.FusionLink` (the best pair, its features, the linkage score): each
event says why its mentions were joined. Thresholds are :class:`FuseSettings`; the defaults
are measured by ``benchmarks/fusion_dev.py``.

Event ids are stable: a fresh event is named after its anchor mention (earliest published
article, then position), and :func:`assign_event_ids` carries stored ids over to the new
clusters, so articles that join later do not rename an event.
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from sitrep.extract.casualties import conservative_fatalities, fatality_range, is_cumulative, is_subset
from sitrep.notes import generate_note
from sitrep.resolve.places import same_area
from sitrep.schema import (
    SUB_EVENT_PARENT,
    ActorRef,
    Article,
    Claim,
    Event,
    EventType,
    Evidence,
    FusionLink,
    GeoPrecision,
    Inter,
    Mention,
    Modality,
    PlaceRef,
    SourceType,
    SubEventType,
    TimePrecision,
    interaction_code,
)

S = SubEventType
_WINDOW_DAYS = {TimePrecision.DAY: 1, TimePrecision.WEEK: 7, TimePrecision.MONTH: 31, TimePrecision.YEAR: 366}
_TERRITORY = {S.GOVERNMENT_REGAINS_TERRITORY, S.NON_STATE_OVERTAKES_TERRITORY, S.NON_VIOLENT_TRANSFER}
#: Camps that make two perpetrators incompatible; unknown/civilian/other say nothing.
_CAMPS = {"government", "opposition", "jihadist", "kurdish"}
#: Generic armed groups of unknown side that are still not the state: "militants", "terrorists"
#: (state media's word for rebels). Their camp, "nonstate", conflicts with the government and any state's forces.
_NONSTATE_GENERIC = {"generic-militants", "generic-terrorists"}


def _camps_conflict(a: set[str], b: set[str]) -> bool:
    if a & b:
        return False
    if "nonstate" in a or "nonstate" in b:
        return ("government" in a and "nonstate" in b) or ("government" in b and "nonstate" in a)
    return True


class FuseSettings(BaseModel):
    """Thresholds for joining mentions (defaults measured in benchmarks/fusion_dev.py, see README)."""

    min_score: float = Field(default=0.45, description="cross-article: average pair score needed to merge two clusters")
    article_min_score: float = Field(default=0.45, description="within one article: average pair score to merge")
    max_km: float = Field(default=12.0, gt=0, description="places further apart than this are not the same place")
    text_weight: float = Field(default=0.3, ge=0, description="weight of evidence-text similarity across articles")
    max_texts: int = Field(default=4, ge=1, description="sentences per group compared for text similarity")
    lead_chars: int = Field(default=600, ge=0, description="the opening of an article, where differently worded types may still be one occurrence")
    same_article_penalty: float | None = Field(
        default=0.1,
        description="cross-article stage: two groups one article kept apart may still join, at this cost, when other "
        "reports tie them together (None: never)",
    )
    corroborating_text: float = Field(
        default=0.7, ge=0, le=1,
        description="text similarity that corroborates two reports naming different weapons (else an actor or a figure must)",
    )
    undated_penalty: float | None = Field(
        default=0.0,
        description="a report without any date joins a dated one only with the same sub-type, place and toll or wording, "
        "at this cost (None: never)",
    )


# --------------------------------------------------------------------------- features


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _window(a: TimePrecision, b: TimePrecision) -> int:
    return max(_WINDOW_DAYS[a], _WINDOW_DAYS[b])


def _date_gap(da: date | None, pa: TimePrecision, db: date | None, pb: TimePrecision) -> int | None:
    """Days apart, or None when the two dates cannot be one occurrence."""
    if da is None or db is None:
        return None
    gap = abs((da - db).days)
    return gap if gap <= _window(pa, pb) else None


def _family(sub: SubEventType) -> EventType:
    return SUB_EVENT_PARENT[sub]


#: Sub-types rare enough that two reports of one on the same day are likely one occurrence.
_DISTINCTIVE = {S.CHEMICAL_WEAPON, S.SUICIDE_BOMB}


def _type_feature(a: SubEventType, b: SubEventType) -> float | None:
    if a == b:
        return 0.35 if a in _DISTINCTIVE else 0.25
    if {a, b} <= (_TERRITORY | {S.ARMED_CLASH}) - {S.NON_VIOLENT_TRANSFER}:
        return 0.15  # the clash that ended in a capture is one battle
    if _family(a) == _family(b):
        return 0.15  # reports differ on the weapon (barrel bomb / air strike / shelling)
    if S.ATTACK in (a, b) and EventType.EXPLOSIONS in (_family(a), _family(b)):
        return 0.05  # "the attack", "a massacre": one outlet names the victims, another the weapon
    return None


def _block_family(sub: SubEventType) -> EventType:
    """Blocking key: attacks on civilians are compared with explosions (see _type_feature)."""
    fam = _family(sub)
    return EventType.EXPLOSIONS if fam == EventType.VIOLENCE_AGAINST_CIVILIANS else fam


def _vague(p: PlaceRef) -> bool:
    """A region, or a city named like its governorate: "in Syria's Idlib" often means the province."""
    return p.geo_precision == GeoPrecision.REGION or bool(p.admin1 and _fold(p.name) == _fold(p.admin1))


def _fold(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalpha()).removeprefix("al").removeprefix("ar")


def _place_feature(pa: PlaceRef | None, pb: PlaceRef | None, max_km: float, *, strict: bool = False) -> float | None:
    """Place agreement; None = two different places (blocked).

    ``strict`` (one article): a city named like its governorate is the city, since the author
    who also names a town in that governorate is telling the two apart.
    """
    if pa is None or pb is None:
        return 0.0
    if pa.place_id and pa.place_id == pb.place_id:
        return 0.3
    if strict:
        vague = GeoPrecision.REGION in (pa.geo_precision, pb.geo_precision)
    else:
        vague = _vague(pa) or _vague(pb)
    d = None
    if None not in (pa.latitude, pa.longitude, pb.latitude, pb.longitude):
        d = _km((pa.latitude, pa.longitude), (pb.latitude, pb.longitude))  # type: ignore[arg-type]
    if pa.admin1 and pb.admin1 and pa.admin1 != pb.admin1:
        # only close places cross a boundary: Damascus city and its Ghouta suburbs lie in two governorates
        regional = GeoPrecision.REGION in (pa.geo_precision, pb.geo_precision)
        if regional and same_area(pa.admin1, pb.admin1):
            return 0.0  # "Damascus" for the whole capital area says nothing against a Ghouta suburb
        # an area ("Eastern Ghouta") or a capital standing for its surroundings reaches further
        reach = max_km * (2 if not strict and (vague or GeoPrecision.NEAR in (pa.geo_precision, pb.geo_precision)) else 1)
        if d is None or d > reach or regional:
            return None
        return round(0.2 * (1 - d / reach), 3)
    if d is not None and not vague:
        if d <= max_km:
            return round(0.3 * (1 - d / max_km) + 0.05, 3)
        if pa.admin2 and pa.admin2 == pb.admin2:
            return -0.1  # two places of one district: spellings the gazetteer split, or two strikes
        return None
    if pa.admin1 and pa.admin1 == pb.admin1:
        if pa.admin2 and pa.admin2 == pb.admin2:
            return 0.1
        return 0.05 if vague else -0.1
    if not pa.admin1 or not pb.admin1:
        return 0.0
    return None


@lru_cache(maxsize=4096)
def _actor_profile(actor_id: str, on: date | None) -> tuple[frozenset[str], str | None]:
    """(the actor with its coalitions on ``on``, its camp) from the actor knowledge base."""
    try:
        from sitrep.resolve.actors import default_actor_kb

        kb = default_actor_kb()
        actor = kb.get(actor_id)
    except Exception:  # noqa: BLE001 - fusion still works on bare ids without the KB
        return frozenset({actor_id}), None
    if actor is None:
        return frozenset({actor_id}), None
    keys = {actor_id} | {c.actor_id for c in kb.coalitions_of(actor_id, on) if c.actor_id}
    side = kb.camp(actor_id)
    if side not in _CAMPS and actor_id in _NONSTATE_GENERIC:
        side = "nonstate"
    return frozenset(keys), side if side in _CAMPS | {"nonstate"} else None


def _ref_key(r: ActorRef) -> str:
    return r.actor_id or r.name


def _is_generic(r: ActorRef) -> bool:
    return bool(r.actor_id and r.actor_id.startswith("generic"))


@dataclass
class _Actors:
    keys: set[str] = field(default_factory=set)  # actors of any role, with their coalitions
    camps1: set[str] = field(default_factory=set)  # perpetrators' camps
    forces1: set[bool] = field(default_factory=set)  # per perpetrator: a state's (own or foreign) forces?

    @classmethod
    def of(cls, mentions: Iterable[Mention]) -> _Actors:
        out = cls()
        for m in mentions:
            for r in (m.actor1, m.actor2, *m.assoc_actor_1, *m.assoc_actor_2):
                if r is None or r.inter == Inter.CIVILIANS or _is_generic(r):
                    continue
                keys, _ = _actor_profile(_ref_key(r), m.event_date)
                out.keys |= keys
            for r in (m.actor1, *m.assoc_actor_1):
                if r is not None:
                    _, camp = _actor_profile(_ref_key(r), m.event_date)
                    if camp:
                        out.camps1.add(camp)
                    if r.inter != Inter.UNKNOWN:
                        out.forces1.add(r.inter in (Inter.STATE_FORCES, Inter.EXTERNAL_OTHER) and not _is_generic(r))
        return out

    @property
    def only_forces(self) -> bool:
        return self.forces1 == {True}

    @property
    def only_nonstate(self) -> bool:
        return self.camps1 == {"nonstate"}


def _actor_feature(a: _Actors, b: _Actors) -> float | None:
    if a.keys & b.keys:
        return 0.15
    if (a.only_forces and b.only_nonstate) or (b.only_forces and a.only_nonstate):
        return -0.15  # a state's (or a coalition's) forces against "militants"
    if a.camps1 and b.camps1:
        if _camps_conflict(a.camps1, b.camps1):
            return -0.15  # perpetrators are often misread: a hint, not a veto
        return 0.05 if a.camps1 & b.camps1 else 0.0
    return None  # nothing to compare


def _figures(claims: Iterable[Claim]) -> set[int]:
    return {c.value for c in claims if c.kind == "fatalities" and c.value and not is_subset(c) and not is_cumulative(c)}


def _casualty_feature(a: set[int], b: set[int]) -> float | None:
    """Tolls rise and outlets disagree, so only far-apart figures count against."""
    if not a or not b:
        return None
    if a & b:
        return 0.1
    lo, hi = max(min(a), min(b)), min(max(a), max(b))
    ratio = max(min(x, y) / max(x, y) for x in a for y in b)
    if ratio >= 0.5:
        return 0.05
    if ratio < 0.2 and lo >= 3 and hi >= 3:
        return -0.1
    return 0.0


# --------------------------------------------------------------------------- clustering


@dataclass
class _Link:
    total: float = 0.0
    count: int = 0
    best: tuple[float, int, int, dict[str, float]] | None = None
    firm: int = 0  # pairs that can justify a merge by themselves (not ``soft``)

    def add(self, score: float, i: int, j: int, feats: dict[str, float], soft: bool = False) -> None:
        self.total += score
        self.count += 1
        if not soft:
            self.firm += 1
            if self.best is None or score > self.best[0]:
                self.best = (score, i, j, feats)

    def merged(self, other: _Link) -> _Link:
        out = _Link(self.total + other.total, self.count + other.count, self.best, self.firm + other.firm)
        if other.best is not None and (out.best is None or other.best[0] > out.best[0]):
            out.best = other.best
        return out


def _agglomerate(
    n: int, pairs: dict[tuple[int, int], tuple[float, dict[str, float]]], threshold: float,
    soft: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset(),
) -> tuple[list[list[int]], list[tuple[int, int, float, dict[str, float]]]]:
    """Average-linkage clustering of items 0..n-1; a pair missing from ``pairs`` is a cannot-link.

    A ``soft`` pair counts in the average but never joins two clusters by itself: some other
    pair between them must be scored too (two groups of one article join through other reports).

    Returns the clusters (lists of item indices, sorted) and the merges as
    (item, item, linkage score, features of that best pair). Deterministic: ties break on
    the smallest item indices, so the caller's order (by publication) decides.
    """
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    links: dict[int, dict[int, _Link]] = {i: {} for i in range(n)}
    for (i, j), (s, feats) in pairs.items():
        link = _Link()
        link.add(s, i, j, feats, soft=(i, j) in soft)
        links[i][j] = link
        links[j][i] = link
    version = [0] * n
    heap: list[tuple[float, int, int, int, int, int, int]] = []

    def push(a: int, b: int) -> None:
        link = links[a][b]
        if link.count != len(members[a]) * len(members[b]) or not link.firm:
            return  # some pair between them is blocked, or only soft pairs join them
        avg = link.total / link.count
        if avg >= threshold:
            lo, hi = min(a, b), max(a, b)
            heapq.heappush(heap, (-avg, lo, hi, a, b, version[a], version[b]))

    for i in range(n):
        for j in links[i]:
            if i < j:
                push(i, j)
    merges: list[tuple[int, int, float, dict[str, float]]] = []
    while heap:
        neg, _, _, a, b, va, vb = heapq.heappop(heap)
        if a not in members or b not in members or version[a] != va or version[b] != vb:
            continue
        keep, gone = min(a, b), max(a, b)
        best = links[keep][gone].best
        assert best is not None
        merges.append((best[1], best[2], round(-neg, 3), best[3]))
        members[keep].extend(members.pop(gone))
        gone_links = links.pop(gone)
        del links[keep][gone]
        for c, link in gone_links.items():
            if c == keep:
                continue
            del links[c][gone]
            combined = links[keep][c].merged(link) if c in links[keep] else None
            if combined is None:
                # no scored pair with ``keep``: the merged cluster stays blocked from c
                links[keep].pop(c, None)
                links[c].pop(keep, None)
                continue
            links[keep][c] = combined
            links[c][keep] = combined
        for c in [c for c in links[keep] if c not in gone_links]:
            # c had no scored pair with ``gone``: now blocked from the merged cluster
            del links[c][keep]
            del links[keep][c]
        version[keep] += 1
        for c in links[keep]:
            push(keep, c)
    return [sorted(m) for _, m in sorted(members.items())], merges


# --------------------------------------------------------------------------- stage 1


def _position(m: Mention) -> int:
    return -1 if m.span.field == "title" else m.span.start


def _article_pair(a: Mention, b: Mention, settings: FuseSettings) -> tuple[float, dict[str, float]] | None:
    """Score two mentions of one article; None when they cannot be one occurrence."""
    if (a.modality == Modality.HISTORICAL) != (b.modality == Modality.HISTORICAL):
        return None  # the author tells the news from the background ("the rebels used the same gas in Aleppo last year")
    t = _type_feature(a.sub_event_type, b.sub_event_type)
    if t is None:
        return None
    # one author rarely reports two explosions or two battles on one day and place without saying so
    feats: dict[str, float] = {"type": 0.3 if a.sub_event_type == b.sub_event_type else 0.2 if t >= 0.15 else 0.1}
    if a.event_date is not None and b.event_date is not None:
        gap = _date_gap(a.event_date, a.time_precision, b.event_date, b.time_precision)
        if gap is None or (gap > 0 and a.time_precision == b.time_precision == TimePrecision.DAY):
            return None  # one article giving two days means two occurrences
        feats["date"] = 0.1 if gap == 0 else 0.0
    both_placed = a.place is not None and b.place is not None
    battle = {a.sub_event_type, b.sub_event_type} <= _TERRITORY | {S.ARMED_CLASH}  # a capture and its battle
    if both_placed and a.sub_event_type != b.sub_event_type and not battle and min(_position(a), _position(b)) >= settings.lead_chars:
        # past the headline and opening paragraph, an author who names a place for each tells
        # two kinds of attack apart; the opening often words the main occurrence differently
        return None
    # the headline and opening often name the province ("in Syria's Idlib") and the body the town;
    # further down, a city named like its governorate is the city
    province_lead = any(_names_province(m) and _position(m) < settings.lead_chars for m in (a, b))
    place = _place_feature(a.place, b.place, settings.max_km, strict=not province_lead)
    if place is None:
        return None
    feats["place"] = place if both_placed else 0.1  # the headline names no place; the lead does
    actors = _actor_feature(_Actors.of([a]), _Actors.of([b]))
    if actors is not None:
        if actors < 0:
            return None
        feats["actors"] = actors
    shared = _figures(a.claims) & _figures(b.claims)
    if shared:
        feats["figures"] = 0.1
    distance = abs(_position(a) - _position(b))
    feats["proximity"] = round(0.15 * max(0.0, 1 - distance / 1500), 3)
    return round(sum(feats.values()), 3), feats


def _names_province(m: Mention) -> bool:
    """The mention's place may stand for its governorate: a region, or a city named like its
    governorate ("in Syria's Idlib", "rebel-held Idlib") unless the sentence says the city
    ("Sweida city", "the city of Homs")."""
    p = m.place
    if p is None or not _vague(p):
        return False
    if p.geo_precision == GeoPrecision.REGION:
        return True
    surface = (p.surface or p.name).casefold()
    text = m.sentence.casefold()
    at = text.find(surface)
    if not surface or at < 0:
        return "city" not in surface
    before, after = text[max(0, at - 12) : at], text[at + len(surface) : at + len(surface) + 6]
    return "city" not in surface and not after.startswith(" city") and not before.endswith(("city of ", "town of "))


@dataclass
class _Group:
    """The mentions of one occurrence within one article (stage-1 result)."""

    article_id: str
    mentions: list[Mention]
    links: list[FusionLink]
    order: int = 0

    def __post_init__(self) -> None:
        ms = self.mentions
        dated = [m for m in ms if m.event_date is not None]
        # the earliest of the finest dates, as for the event: a toll update ("the death toll rose
        # to 112 on Sunday") dates the report, which comes after the attack, never before it
        best = min(dated, key=lambda m: (int(m.time_precision), m.event_date, _position(m))) if dated else None
        self.date = best.event_date if best else None
        self.precision = best.time_precision if best else TimePrecision.YEAR
        subs = Counter(m.sub_event_type for m in ms)
        self.sub = max(subs, key=lambda s: (subs[s], s in _TERRITORY))
        self.family = _block_family(self.sub)
        placed = [m.place for m in ms if m.place is not None]
        self.place = min(placed, key=lambda p: int(p.geo_precision)) if placed else None
        self.actors = _Actors.of(ms)
        self.figures = _figures(c for m in ms for c in m.claims)
        by_pos = sorted(ms, key=_position)
        self.texts = list(dict.fromkeys(m.sentence for m in by_pos))


def _group_article(article_id: str, mentions: list[Mention], settings: FuseSettings) -> list[_Group]:
    ms = sorted(mentions, key=lambda m: (_position(m), m.id))
    pairs = {}
    for i in range(len(ms)):
        for j in range(i + 1, len(ms)):
            s = _article_pair(ms[i], ms[j], settings)
            if s is not None:
                pairs[(i, j)] = s
    clusters, merges = _agglomerate(len(ms), pairs, settings.article_min_score)
    where = {i: k for k, c in enumerate(clusters) for i in c}
    links: list[list[FusionLink]] = [[] for _ in clusters]
    for i, j, s, feats in merges:
        links[where[i]].append(FusionLink(mention_a=ms[i].id, mention_b=ms[j].id, stage="article", score=s, features=feats))
    return [_Group(article_id, [ms[i] for i in c], links[k]) for k, c in enumerate(clusters)]


# --------------------------------------------------------------------------- stage 2


def _text_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Best token-set similarity (0..1) between the groups' leading sentences."""
    best = 0.0
    for x in a:
        for y in b:
            best = max(best, fuzz.token_set_ratio(x, y, processor=str.casefold) / 100)
            if best >= 1.0:
                return best
    return best


def cross_score(g: _Group, h: _Group, settings: FuseSettings) -> tuple[float, dict[str, float]] | None:
    """Score two groups (normally of different articles); None when blocked."""
    same_article = g.article_id == h.article_id
    if same_article and settings.same_article_penalty is None:
        return None
    t = _type_feature(g.sub, h.sub)
    if t is None:
        return None
    undated = g.date is None or h.date is None
    gap = _date_gap(g.date, g.precision, h.date, h.precision)
    if gap is None and not undated:
        return None
    place = _place_feature(g.place, h.place, settings.max_km)
    if place is None:
        return None
    same_day = g.precision == h.precision == TimePrecision.DAY
    # "overnight", "on Friday" against the publication day: a day apart is common for one event
    feats = {"type": t, "place": place, "date": (0.15 if gap == 0 else 0.05) if same_day and gap is not None else 0.0}
    actors = _actor_feature(g.actors, h.actors)
    if actors is not None:
        if actors < 0 and g.sub != h.sub:
            actors = _OPPOSED_AND_OTHER_WEAPON  # opposed camps and another weapon: two attacks, each side's
        feats["actors"] = actors
    casualties = _casualty_feature(g.figures, h.figures)
    if casualties is not None:
        feats["casualties"] = casualties
    sim = _text_similarity(g.texts[: settings.max_texts], h.texts[: settings.max_texts])
    if g.sub != h.sub and t < 0.25 and not (feats.get("actors", 0) > 0 or feats.get("casualties", 0) >= 0.1 or sim >= settings.corroborating_text):
        # another weapon at the same place and day is one occurrence only if something else agrees:
        # a besieged city is shelled by one side and bombed by the other every day
        feats["type"] = _UNCORROBORATED_WEAPON
    if undated:
        # a report without a date (no dateline, no publication date) joins only what it matches
        # closely: the same kind of attack, at the same place, with the same toll or the same words
        if settings.undated_penalty is None or g.sub != h.sub or place < 0.1 or not (casualties == 0.1 or sim >= 0.9):
            return None
        feats["date"] = -settings.undated_penalty
    feats["text"] = round(settings.text_weight * max(0.0, (sim - 0.5) / 0.5), 3)
    if same_article:
        feats = {"same_article": -settings.same_article_penalty, **{k: v for k, v in feats.items() if k != "text"}}
    return round(sum(feats.values()), 3), feats


_CELL_DEG = 0.25  # grid cell for blocking across governorate lines (about 25 km, above max_km)


_OPPOSED_AND_OTHER_WEAPON = -0.3
_UNCORROBORATED_WEAPON = -0.05  # place and day alone do not make two weapons one attack


def _cell(p: PlaceRef | None) -> tuple[int, int] | None:
    if p is None or p.latitude is None or p.longitude is None or p.geo_precision == GeoPrecision.REGION:
        return None
    return int(p.latitude // _CELL_DEG), int(p.longitude // _CELL_DEG)


class BlockIndex:
    """Fusion's blocking, for any kind of item: which items could be compared with a report.

    Two reports are compared when they share a blocking family and either one is undated and
    both lie in one governorate, or their days fall within a precision window and they share
    a governorate (or one has none) or neighbouring grid cells (across a governorate line).
    :func:`_candidate_pairs` pairs fusion's groups with it; the partitioned engines use it to
    keep every pair fusion could make inside one partition.
    """

    def __init__(self) -> None:
        self._dated: dict[tuple, dict] = {}
        self._in_admin1: dict[tuple, dict] = {}
        self._admin1s: dict[EventType, set[str | None]] = {}

    def add(self, item, family: EventType, admin1: str | None, cell: tuple[int, int] | None, day: int | None) -> None:
        if admin1:
            self._in_admin1.setdefault((family, admin1), {})[item] = None
        if day is None:
            return
        self._dated.setdefault((family, "a1", admin1, day), {})[item] = None
        self._admin1s.setdefault(family, set()).add(admin1)
        if cell is not None:
            self._dated.setdefault((family, "cell", cell, day), {})[item] = None

    def near(self, family: EventType, admin1: str | None, cell: tuple[int, int] | None, day: int | None, window: int) -> Iterator:
        """Items a report with these features may be compared with (itself included; may repeat)."""
        if day is None:
            # an undated report is compared with every report of its family in its governorate
            if admin1:
                yield from self._in_admin1.get((family, admin1), ())
            return
        # without a governorate it may match any; with one its own, an unknown one, or a neighbour
        keys = [("a1", a1) for a1 in (self._admin1s.get(family, ()) if admin1 is None else {admin1, None})]
        if cell is not None:
            keys += [("cell", (cell[0] + di, cell[1] + dj)) for di in (-1, 0, 1) for dj in (-1, 0, 1)]
        for kind, value in keys:
            for d in range(day - window, day + window + 1):
                yield from self._dated.get((family, kind, value, d), ())


def _candidate_pairs(groups: list[_Group]) -> Iterable[tuple[int, int]]:
    """Blocking (:class:`BlockIndex`): the pairs of groups worth scoring, each once."""
    index = BlockIndex()
    for i, g in enumerate(groups):
        index.add(i, g.family, g.place.admin1 if g.place else None, _cell(g.place), g.date.toordinal() if g.date else None)
    seen: set[tuple[int, int]] = set()
    for dated in (False, True):  # undated reports first, as they are compared with any day
        for i, g in enumerate(groups):
            if (g.date is not None) != dated:
                continue
            w = _WINDOW_DAYS[g.precision]
            admin1 = g.place.admin1 if g.place else None
            for j in index.near(g.family, admin1, _cell(g.place), g.date.toordinal() if g.date else None, w):
                # a dated pair is generated once, from the side with the wider window
                if j == i or (dated and _WINDOW_DAYS[groups[j].precision] > w):
                    continue
                pair = (min(i, j), max(i, j))
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def _cluster_groups(
    groups: list[_Group], pairs: dict[tuple[int, int], tuple[float, dict[str, float]]], threshold: float, soft: set[tuple[int, int]],
) -> tuple[list[list[int]], list[tuple[int, int, float, dict[str, float]]]]:
    """Dated reports by average linkage; then each undated report joins the cluster of its best match.

    A report without a date cannot contradict anyone's date, so it is not asked to agree with every
    member of a cluster (the dated reports of a big attack always include a day-off outlier that
    blocks it); it joins the cluster holding the report it matches best (same attack, place and
    toll or wording: see cross_score), or, failing that, stays with the other undated reports.
    """
    dated = [i for i, g in enumerate(groups) if g.date is not None]
    undated = [i for i, g in enumerate(groups) if g.date is None]

    def sub(ids: list[int]) -> tuple[list[list[int]], list[tuple[int, int, float, dict[str, float]]]]:
        local = {g: k for k, g in enumerate(ids)}
        sub_pairs = {(local[i], local[j]): v for (i, j), v in pairs.items() if i in local and j in local}
        sub_soft = {(local[i], local[j]) for i, j in soft if i in local and j in local}
        cl, mg = _agglomerate(len(ids), sub_pairs, threshold, sub_soft)
        return [[ids[k] for k in c] for c in cl], [(ids[a], ids[b], sc, f) for a, b, sc, f in mg]

    clusters, merges = sub(dated)
    where = {i: k for k, c in enumerate(clusters) for i in c}
    # each undated report's best dated match, in one pass over the scored pairs
    best: dict[int, tuple[float, int, dict[str, float]]] = {}
    for (i, j), (sc, feats) in pairs.items():
        if sc < threshold or (i, j) in soft:
            continue
        for u, other in ((i, j), (j, i)):
            if u not in where and other in where and (u not in best or (sc, -other) > (best[u][0], -best[u][1])):
                best[u] = (sc, other, feats)
    left = []
    for u in undated:
        if u not in best:
            left.append(u)
            continue
        sc, other, feats = best[u]
        clusters[where[other]].append(u)
        merges.append((other, u, sc, feats))
    rest, rest_merges = sub(left)
    clusters = [sorted(c) for c in clusters] + rest
    return sorted(clusters, key=lambda c: c[0]), merges + rest_merges


@dataclass
class Cluster:
    """Mentions fused into one event, with the links that explain the fusion."""

    mentions: list[Mention] = field(default_factory=list)
    links: list[FusionLink] = field(default_factory=list)

    @property
    def anchor(self) -> Mention:
        return self.mentions[0]


def _article_order(articles: dict[str, Article]) -> dict[str, int]:
    return {aid: (a.published or date.max).toordinal() for aid, a in articles.items()}


def cluster_mentions(mentions: Iterable[Mention], articles: dict[str, Article], settings: FuseSettings | None = None) -> list[Cluster]:
    """Cluster event mentions: within each article, then across articles."""
    settings = settings or FuseSettings()
    order = _article_order(articles)
    by_article: dict[str, list[Mention]] = {}
    for m in mentions:
        by_article.setdefault(m.article_id, []).append(m)
    groups: list[_Group] = []
    for aid in sorted(by_article, key=lambda a: (order.get(a, date.max.toordinal()), a)):
        groups.extend(_group_article(aid, by_article[aid], settings))
    pairs = {}
    soft = set()
    for i, j in _candidate_pairs(groups):
        s = cross_score(groups[i], groups[j], settings)
        if s is not None:
            pairs[(i, j)] = s
            if groups[i].article_id == groups[j].article_id:
                soft.add((i, j))
    clusters, merges = _cluster_groups(groups, pairs, settings.min_score, soft)
    where = {i: k for k, c in enumerate(clusters) for i in c}
    out = [Cluster([m for i in c for m in groups[i].mentions], [lk for i in c for lk in groups[i].links]) for c in clusters]
    for i, j, s, feats in merges:
        gi, gj = groups[i], groups[j]
        out[where[i]].links.append(
            FusionLink(mention_a=gi.mentions[0].id, mention_b=gj.mentions[0].id, stage="cross", score=s, features=feats)
        )
    return out


# --------------------------------------------------------------------------- events


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


def _with_outlet(claim: Claim, article: Article | None) -> Claim:
    """A figure the outlet gives in its own voice is the outlet's claim."""
    if claim.claimant is not None or article is None or not article.outlet:
        return claim
    try:
        from sitrep.resolve.sources import classify_source

        name, kind = classify_source(article.outlet)
    except Exception:  # noqa: BLE001 - unknown outlet: keep its name
        name, kind = article.outlet, SourceType.OUTLET
    if kind == SourceType.UNKNOWN:
        kind = SourceType.OUTLET
    return claim.model_copy(update={"claimant": name or article.outlet, "claimant_type": kind})


def _by_type(claims: list[Claim], kind: SourceType) -> int | None:
    cs = [c for c in claims if c.claimant_type == kind]
    return conservative_fatalities(cs) if cs else None


def _disputed(claims: list[Claim]) -> tuple[bool, int | None, int | None]:
    """(disputed, state media figure, monitors' figure); the figures only when they differ."""
    state, monitor = _by_type(claims, SourceType.STATE_MEDIA), _by_type(claims, SourceType.MONITOR)
    if state is not None and monitor is not None and state != monitor:
        return True, state, monitor
    values = {c.value for c in claims if c.value is not None and not is_subset(c) and not is_cumulative(c)}
    return len(values) > 1 and len({c.claimant for c in claims}) > 1, None, None


def _vote(refs: list[ActorRef | None], exclude: ActorRef | None = None) -> ActorRef | None:
    """Most frequent named actor (generic descriptions count half); ties go to the earliest."""
    weight: dict[str, float] = {}
    first: dict[str, ActorRef] = {}
    for r in refs:
        if r is None or (exclude is not None and r.name == exclude.name):
            continue
        weight[r.name] = weight.get(r.name, 0) + (0.5 if _is_generic(r) else 1.0)
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


def event_id_for(anchor: Mention) -> str:
    return "ev_" + hashlib.sha1(anchor.id.encode()).hexdigest()[:12]


def build_event(cluster: Cluster, articles: dict[str, Article], event_id: str | None = None) -> Event:
    ms = cluster.mentions
    # the most informative mention speaks for the event: a place, a day, then the trigger priority
    rep = max(
        ms,
        key=lambda m: (
            m.place is not None and m.place.geo_precision == 1,
            m.place is not None and not _vague(m.place),  # the town, not "Syria's Idlib"
            m.place is not None,
            m.actor1 is not None and m.actor2 is not None,
            m.actor1 is not None,
            m.event_date is not None,
            -int(m.time_precision),
            m.modality == Modality.ASSERTED,
            m.confidence,
        ),
    )
    # a capture outranks the clash it ended; otherwise the most frequent sub-type decides
    territory = [m for m in ms if m.sub_event_type in _TERRITORY]
    if territory:
        lead = territory[0]
        rep = lead if lead.place is not None else rep
    else:
        subs = Counter(m.sub_event_type for m in ms)
        top = max(subs.values())
        lead = rep if subs[rep.sub_event_type] == top else next(m for m in ms if subs[m.sub_event_type] == top)
    sub, etype = lead.sub_event_type, lead.event_type
    dated = [m for m in ms if m.event_date is not None]
    best_date = min(dated, key=lambda m: (int(m.time_precision), m.event_date)) if dated else None
    # who acted: the territory change decides when there is one, else the mentions vote
    voters = territory or ms
    # "both sides denied using chemical weapons": a denial names a suspect, not the doer
    said = [m for m in voters if m.modality != Modality.DENIED] or voters
    actor1 = _vote([m.actor1 for m in said]) or _vote([m.actor1 for m in ms if m.modality != Modality.DENIED])
    actor2 = _vote([m.actor2 for m in voters], exclude=actor1) or _vote([m.actor2 for m in ms], exclude=actor1)
    if territory and actor2 is not None and actor2.inter == Inter.CIVILIANS:
        actor2 = None  # territory changes hands between armed actors
    if sub in (S.GOVERNMENT_REGAINS_TERRITORY, S.NON_STATE_OVERTAKES_TERRITORY) and actor1 is not None:
        # the sub-type follows who took the place, as decided by all the mentions together
        sub = S.GOVERNMENT_REGAINS_TERRITORY if actor1.inter == Inter.STATE_FORCES else S.NON_STATE_OVERTAKES_TERRITORY
    assoc1 = sorted({a.name for m in ms for a in m.assoc_actor_1} - {actor1.name if actor1 else ""} - {actor2.name if actor2 else ""})
    assoc2 = sorted({a.name for m in ms for a in m.assoc_actor_2} - {actor2.name if actor2 else ""} - {actor1.name if actor1 else ""})
    place = rep.place or next((m.place for m in ms if m.place), None)
    claims = _dedupe_claims(_with_outlet(c, articles.get(m.article_id)) for m in ms for c in m.claims)
    fatality_claims = [c for c in claims if c.kind == "fatalities"]
    fatalities = conservative_fatalities(fatality_claims) or 0
    low, best, high = fatality_range(fatality_claims)
    disputed, state_fig, monitor_fig = _disputed(fatality_claims)
    art_ids = list(dict.fromkeys(m.article_id for m in ms))
    arts = [articles[a] for a in art_ids if a in articles]
    outlets = list(dict.fromkeys(o for a in arts for o in a.outlets))  # copies elsewhere are sources too
    evidence: list[Evidence] = []
    seen_spans: set[tuple[str, str, int, int]] = set()
    for m in sorted(ms, key=lambda m: (art_ids.index(m.article_id), _position(m))):
        art = articles.get(m.article_id)
        key = (m.article_id, m.span.field, m.span.start, m.span.end)
        if key not in seen_spans:
            seen_spans.add(key)
            evidence.append(Evidence(article_id=m.article_id, span=m.span, text=m.sentence, url=art.url if art else None, outlet=art.outlet if art else None))
        for c in m.claims:
            if c.span and art and c.span.field == "text" and not _inside(c.span.start, m):
                sent_start, sent_end = _sentence_bounds(art.text, c.span.start, c.span.end)
                key = (m.article_id, "text", sent_start, sent_end)
                if key not in seen_spans:
                    seen_spans.add(key)
                    evidence.append(Evidence(article_id=m.article_id, span=c.span.model_copy(update={"start": sent_start, "end": sent_end}), text=art.text[sent_start:sent_end], url=art.url, outlet=art.outlet))
    modalities = {m.modality for m in ms}
    modality = Modality.ASSERTED if Modality.ASSERTED in modalities else Modality.CLAIMED if Modality.CLAIMED in modalities else Modality.HISTORICAL
    inter1 = int(actor1.inter) if actor1 else 0
    inter2 = int(actor2.inter) if actor2 else 0
    event = Event(
        event_id=event_id or event_id_for(cluster.anchor),
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
        figures_disputed=disputed,
        state_media_fatalities=state_fig,
        monitor_fatalities=monitor_fig,
        modality=modality,
        claims=claims,
        evidence=evidence,
        article_ids=[articles[a].display_id if a in articles else a for a in art_ids],
        source_urls=list(dict.fromkeys(u for a in arts for u in a.urls)),
        mention_ids=[m.id for m in ms],
        mentions=len(ms),
        actor1_id=actor1.actor_id if actor1 else None,
        actor2_id=actor2.actor_id if actor2 else None,
        place_id=place.place_id if place else None,
        fusion=cluster.links,
    )
    event.notes = generate_note(event)
    return event


def _inside(pos: int, m: Mention) -> bool:
    return m.span.field == "text" and m.span.start <= pos < m.span.end


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a figure's span to its sentence so evidence reads as a sentence."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    s = left + 1 if left >= 0 else 0
    while s < len(text) and text[s] == " ":
        s += 1
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i != -1]
    e = min(right_candidates) + 1 if right_candidates else len(text)
    return s, min(e, len(text))


# --------------------------------------------------------------------------- stable ids


@dataclass
class IdChange:
    """A change fusion made to stored events, for the store's change log."""

    kind: str  # mention_moved | event_merged | event_split
    subject_id: str
    detail: dict


def assign_event_ids(
    clusters: Sequence[Cluster], previous: dict[str, list[str]], reserved: Iterable[str] = ()
) -> tuple[list[str], list[IdChange]]:
    """Ids for ``clusters`` that keep the stored ones (``previous``: event id → mention ids).

    An old id goes to the new cluster holding most of its mentions (ties: the cluster with
    the old anchor mention, then the lower id); a cluster no old id fits is named after its
    anchor. Mentions that end up under another event id, and old events that merged into
    another or split, are reported as changes.
    """
    old_of = {m: eid for eid, ms in previous.items() for m in ms}
    candidates = []
    for k, c in enumerate(clusters):
        overlap = Counter(old_of[m.id] for m in c.mentions if m.id in old_of)
        mids = {m.id for m in c.mentions}
        for eid, n in overlap.items():
            has_anchor = bool(previous[eid]) and previous[eid][0] in mids
            candidates.append((-n, not has_anchor, eid, k))
    ids: list[str | None] = [None] * len(clusters)
    used: set[str] = set()
    for _, _, eid, k in sorted(candidates):
        if ids[k] is None and eid not in used:
            ids[k] = eid
            used.add(eid)
    taken = used | set(previous) | set(reserved)  # reserved: ids of stored events outside these clusters
    for k, c in enumerate(clusters):
        if ids[k] is None:
            eid, n = event_id_for(c.anchor), 1
            while eid in taken:  # the anchor's name belongs to another event already
                eid = event_id_for(c.anchor) + f"_{n}"
                n += 1
            ids[k] = eid
            taken.add(eid)
    final = [i for i in ids if i is not None]
    changes: list[IdChange] = []
    for k, c in enumerate(clusters):
        why = {lk.mention_b: lk for lk in c.links} | {lk.mention_a: lk for lk in c.links}
        for m in c.mentions:
            before = old_of.get(m.id)
            if before is not None and before != final[k]:
                link = why.get(m.id)
                detail = {"from": before, "to": final[k]}
                if link is not None:
                    detail.update(score=link.score, features=link.features)
                changes.append(IdChange("mention_moved", m.id, detail))
    for eid, mids in previous.items():
        if eid in used:
            continue
        now = Counter(final[k] for k, c in enumerate(clusters) for m in c.mentions if m.id in set(mids))
        kind = "event_merged" if len(now) == 1 else "event_split"
        changes.append(IdChange(kind, eid, {"into": dict(now)}))
    return final, changes


def fuse(mentions: Iterable[Mention], articles: dict[str, Article], settings: FuseSettings | None = None) -> list[Event]:
    """Fuse event mentions (non-event modalities are skipped) into events, ordered by date."""
    eventful = [m for m in mentions if m.is_event]
    clusters = cluster_mentions(eventful, articles, settings)
    events = [build_event(c, articles) for c in clusters]
    events.sort(key=lambda e: (e.event_date or date.max, e.event_id))
    return events


def score(a: Mention, b: Mention, settings: FuseSettings | None = None) -> tuple[float, dict[str, float]] | None:
    """Score two mentions as fusion would: within one article, or as one-mention groups across articles."""
    settings = settings or FuseSettings()
    if a.article_id == b.article_id:
        return None if a.id == b.id else _article_pair(a, b, settings)
    return cross_score(_Group(a.article_id, [a], []), _Group(b.article_id, [b], []), settings)
