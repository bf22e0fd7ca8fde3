"""Score extraction against UCDP GED (``--format ucdp``): places, governorates, sides, deaths.

UCDP GED (Sundberg & Melander 2013) codes each event from a whole report, but the JSON
Lines file keeps only the report's headline (``source_headline``). Each distinct headline
is run through the pipeline alone, dated by the row's ``date_start``.

**Geocoding** is scored on the rows where it can be judged from the headline: UCDP's place
is precise (``where_prec`` ≤ 2) and the headline names it. ``where_coordinates`` ("Teir
Maaleh village", "Tadmur/Palmyra town") loses its feature word, each "/" alternative is a
name, and a headline names the place when a run of 1-4 of its words has the same
transliteration key (:func:`~sitrep.resolve.normalize.normalize_place`) or a rapidfuzz
ratio ≥ ``NAME_MATCH`` on it. Our place for the row is the one our resolver gives the
mention overlapping that run (from the pipeline's mentions, else the resolver run on the
headline); without one, the first event's place; without any, a miss. Scores: within 10 km
and 50 km of UCDP's point, and our admin1 equal to UCDP's ``adm_1`` (spelling mapped).

**Governorate (all)**: every row with an ``adm_1`` against the admin1 of the headline's first
event (else its first resolved place).

**Sides**: UCDP ``side_a``/``side_b`` as coarse sides (government, opposition, nusra,
islamic_state, kurdish, turkey, coalition, civilians ...) against the sides of our mentions'
actor1/actor2 through the actor knowledge base; a row counts when its side is among ours.

**Deaths**: per headline, the sum of UCDP ``best`` over its rows against the sum of our
events' fatalities, exact and within ±10 %.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from sitrep.errors import InputError
from sitrep.evaluate.report import EvalReport, Score
from sitrep.resolve.gazetteer import haversine_km
from sitrep.resolve.normalize import normalize_place
from sitrep.schema import Article, Event, Mention, PlaceRef

Progress = Callable[[int], None]

#: rapidfuzz ratio on transliteration keys above which a headline word run names UCDP's place.
NAME_MATCH = 85.0
#: Keys this short must match exactly ("Tal" is not "Tel Aviv").
MIN_FUZZY_KEY = 5

TARGETS: dict[str, float] = {"place_admin1": 0.95, "place_within_10km": 0.60}

#: UCDP's feature words after a place name ("Teir Maaleh village").
_FEATURE_WORDS = re.compile(
    r"\s+(?:village|town|city|area|district|sub-?district|governorate|province|neighbou?rhood|suburb|camp|"
    r"refugee camp|military airport|airport|air ?base|airbase|crossing|border crossing|hill|hills|mountains?|"
    r"dam|region|plain|valley|field|gas field|oil field|checkpoint|prison|base|quarter|square|bridge|"
    r"countryside|desert|highway|road|junction|farms?)\s*$",
    re.I,
)
_WORD = re.compile(r"[\w'’`-]+")

# UCDP's names of the parties as coarse sides (UCDP's own spellings; lower case).
UCDP_SIDES: dict[str, str] = {
    "government of syria": "government",
    "government of russia (soviet union)": "government",
    "government of russia": "government",
    "government of iran": "government",
    "hezbollah": "government",
    "is": "islamic_state",
    "sdf": "kurdish",
    "pyd": "kurdish",
    "ypg": "kurdish",
    "civilians": "civilians",
    "government of turkey": "turkey",
    "government of united states of america": "coalition",
    "government of israel": "israel",
    "hts": "nusra",
    "jabhat fateh al-sham": "nusra",
    "jabhat al-nusra": "nusra",
}


@dataclass
class Row:
    index: int
    id: str
    headline: str
    day: date | None
    where: str
    where_prec: int
    adm_1: str | None
    lat: float | None
    lon: float | None
    side_a: str
    side_b: str
    best: int


@dataclass
class Headline:
    text: str
    day: date | None
    rows: list[Row] = field(default_factory=list)
    article: Article | None = None
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    places: list[PlaceRef] = field(default_factory=list)


def read_rows(path: Path, limit: int | None = None) -> Iterator[Row]:
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if limit is not None and i >= limit:
                return
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(str(path), f"line {i + 1}: not JSON ({exc.msg})", hint="give UCDP GED rows as JSON Lines") from exc
            if "source_headline" not in r or "where_coordinates" not in r:
                raise InputError(str(path), f"line {i + 1}: no source_headline/where_coordinates: not UCDP GED", hint="use --format fakes or gold for other data")
            try:
                day = date.fromisoformat(str(r.get("date_start"))[:10])
            except ValueError:
                day = None
            yield Row(
                index=i, id=str(r.get("id", i)), headline=(r.get("source_headline") or "").strip(), day=day,
                where=r.get("where_coordinates") or "", where_prec=int(r.get("where_prec") or 9),
                adm_1=r.get("adm_1"), lat=r.get("latitude"), lon=r.get("longitude"),
                side_a=r.get("side_a") or "", side_b=r.get("side_b") or "", best=int(r.get("best") or 0),
            )


# --------------------------------------------------------------------------- name matching


def place_names(where: str) -> list[str]:
    """UCDP's ``where_coordinates`` as bare names: "Tadmur/Palmyra town" -> ["Tadmur", "Palmyra"]."""
    text = re.sub(r"\([^)]*\)", " ", where)
    out = []
    for part in re.split(r"\s*[/;,]\s*|\s+-\s+", text):
        part = part.strip()
        for _ in range(2):
            part = _FEATURE_WORDS.sub("", part).strip()
        if part:
            out.append(part)
    return out


def name_span(headline: str, names: list[str]) -> tuple[int, int] | None:
    """Character span of the headline's word run that names one of ``names`` (best match)."""
    keys = [k for k in (normalize_place(n) for n in names) if len(k) >= 2]
    if not keys:
        return None
    words = list(_WORD.finditer(headline))
    best: tuple[float, int, int] | None = None
    for i in range(len(words)):
        for j in range(i + 1, min(i + 5, len(words) + 1)):
            start, end = words[i].start(), words[j - 1].end()
            cand = normalize_place(headline[start:end])
            if len(cand) < 2:
                continue
            for key in keys:
                if cand == key:
                    score = 100.0
                elif min(len(cand), len(key)) < MIN_FUZZY_KEY or cand[:2] != key[:2]:
                    continue  # short keys exact only; a misspelling keeps the opening sound
                else:
                    score = fuzz.ratio(cand, key)
                # best score; on ties the shortest run ("Jobar", not "the Jobar")
                if score >= NAME_MATCH and (best is None or score > best[0] or (score == best[0] and end - start < best[2] - best[1])):
                    best = (score, start, end)
    return (best[1], best[2]) if best else None


# --------------------------------------------------------------------------- sides


def coarse_side(actor_id: str | None, kb) -> str | None:
    if not actor_id:
        return None
    actor = kb.get(actor_id)
    if actor is None:
        return None
    seen = 0
    while actor.parent and seen < 5 and kb.get(actor.parent) is not None:
        actor, seen = kb.get(actor.parent), seen + 1
    aid = actor.id
    if aid == "nusra-hts":
        return "nusra"
    if aid in ("islamic-state", "khalid-ibn-al-walid"):
        return "islamic_state"
    if aid in ("anti-is-coalition", "us-forces", "uk-forces", "france-forces", "jordan-forces"):
        return "coalition"
    if aid == "turkey-forces":
        return "turkey"
    if aid == "israel-forces":
        return "israel"
    side = str(actor.side)
    if side == "government" or (side == "foreign" and actor.aligned_with == "government"):
        return "government"
    if side in ("opposition", "jihadist") or (side == "foreign" and actor.aligned_with == "opposition"):
        return "opposition"
    if side == "kurdish":
        return "kurdish"
    if side == "civilian":
        return "civilians"
    return None


def gold_sides(side: str) -> set[str]:
    low = side.strip().lower()
    if not low:
        return set()
    if low in UCDP_SIDES:
        return {UCDP_SIDES[low]}
    if low.startswith("government of"):
        return {"other"}
    return {UCDP_SIDES.get(p.strip(), "opposition") for p in low.split(",")}


# --------------------------------------------------------------------------- scoring


def _admin1_map():
    from sitrep.resolve.gazetteer import default_gazetteer

    gaz = default_gazetteer()
    cache: dict[str, str | None] = {}

    def acled(adm_1: str | None) -> str | None:
        if not adm_1:
            return None
        if adm_1 not in cache:
            name = re.sub(r"\s+governorate$", "", adm_1.strip(), flags=re.I)
            gov = gaz.governorate(name)
            cache[adm_1] = gov.admin1 if gov else None
        return cache[adm_1]

    return acled


def _event_place(h: Headline) -> PlaceRef | None:
    for m in h.mentions:
        if m.place is not None:
            return m.place
    return None


def _place_at(h: Headline, span: tuple[int, int]) -> PlaceRef | None:
    s, e = span
    for p in h.places:
        if p.span is not None and p.span.start < e and s < p.span.end:
            return p
    return None


def evaluate(path: str | Path, *, limit: int | None = None, pipeline=None, progress: Progress | None = None) -> EvalReport:
    """Run the pipeline on each distinct headline of ``path`` and score places, admin1, sides, deaths."""
    from sitrep.ingest import article_from_text
    from sitrep.pipeline import Pipeline
    from sitrep.resolve.actors import default_actor_kb

    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), "no such file", hint="give UCDP GED JSON Lines, e.g. ../shared/eval/ucdp_ged_syria_dev.jsonl")
    pipe = pipeline or Pipeline()
    kb = default_actor_kb()
    acled = _admin1_map()

    heads: dict[str, Headline] = {}
    n_rows = 0
    for row in read_rows(path, limit):
        n_rows += 1
        h = heads.setdefault(row.headline, Headline(text=row.headline, day=row.day))
        h.rows.append(row)
    for i, h in enumerate(heads.values()):
        if not h.text:
            continue
        try:
            h.article = article_from_text(h.text, outlet="SOHR", published=h.day, external_id=f"ucdp-{i}")
        except InputError:
            h.article = None
    readable = [h for h in heads.values() if h.article is not None]
    resolver = pipe.extractor.places
    for h, (_, mentions) in zip(readable, pipe.extract([h.article for h in readable], progress), strict=True):
        h.mentions = mentions
        h.events = pipe.fuse(mentions, [h.article]) if mentions else []
        places: dict[tuple[int, int], PlaceRef] = {}
        for m in mentions:
            for p in (m.place, *m.places):
                if p is not None and p.span is not None:
                    places.setdefault((p.span.start, p.span.end), p)
        if not places:
            for p in resolver.resolve_text(h.article.text):
                places.setdefault((p.span.start, p.span.end), p)
        # article text may differ from the headline (cleaning): spans are into article.text
        h.places = list(places.values())

    c: Counter[str] = Counter()
    details: list[dict[str, Any]] = []
    for h in heads.values():
        text = h.article.text if h.article is not None else h.text
        first_place = _event_place(h) or (h.places[0] if h.places else None)
        our_sides = {coarse_side(a.actor_id, kb) for m in h.mentions for a in (m.actor1, m.actor2) if a is not None} - {None}
        for row in h.rows:
            gold_admin1 = acled(row.adm_1)
            if gold_admin1:
                c["admin1_n"] += 1
                c["admin1_hit"] += first_place is not None and first_place.admin1 == gold_admin1
            for key, side in (("side_a", row.side_a), ("side_b", row.side_b)):
                gs = gold_sides(side)
                if gs:
                    c[f"{key}_n"] += 1
                    c[f"{key}_hit"] += bool(gs & our_sides)
            if row.where_prec > 2 or row.lat is None or row.lon is None:
                continue
            span = name_span(text, place_names(row.where))
            if span is None:
                continue
            c["place_n"] += 1
            ours = _place_at(h, span)
            how = "named"
            if ours is None:
                ours, how = _event_place(h), "event"
            km = haversine_km(row.lat, row.lon, ours.latitude, ours.longitude) if ours and ours.latitude is not None else None
            c["place_found"] += ours is not None
            c["place_10"] += km is not None and km <= 10
            c["place_50"] += km is not None and km <= 50
            c["place_admin1"] += ours is not None and gold_admin1 is not None and ours.admin1 == gold_admin1
            c["place_admin1_n"] += gold_admin1 is not None
            if km is None or km > 10:
                details.append({
                    "id": row.id, "headline": h.text, "ucdp_place": row.where, "ucdp_admin1": gold_admin1,
                    "ucdp_latlon": [row.lat, row.lon], "named": text[span[0]:span[1]], "how": how,
                    "ours": None if ours is None else {"name": ours.name, "admin1": ours.admin1, "latlon": [ours.latitude, ours.longitude],
                                                       "precision": int(ours.geo_precision), "surface": ours.surface,
                                                       "unresolved": getattr(ours, "unresolved", None)},
                    "km": None if km is None else round(km, 1),
                })
        gold_deaths = sum(r.best for r in h.rows)
        ours_deaths = sum(e.fatalities or 0 for e in h.events)
        c["deaths_n"] += 1
        c["deaths_exact"] += ours_deaths == gold_deaths
        c["deaths_10"] += abs(ours_deaths - gold_deaths) <= 0.1 * gold_deaths if gold_deaths else ours_deaths == 0

    def ratio(hit: str, n: str, name: str, desc: str) -> Score:
        return Score(name=name, value=c[hit] / c[n] if c[n] else None, hits=c[hit], n=c[n], target=TARGETS.get(name), description=desc)

    scores = [
        ratio("place_10", "place_n", "place_within_10km", "headline names UCDP's place (prec ≤ 2): ours within 10 km"),
        ratio("place_50", "place_n", "place_within_50km", "same rows: within 50 km"),
        ratio("place_admin1", "place_admin1_n", "place_admin1", "same rows: admin1 agrees"),
        ratio("place_found", "place_n", "place_found", "same rows: we placed it at all"),
        ratio("admin1_hit", "admin1_n", "admin1_all", "all rows: first event's (or place's) admin1 agrees"),
        ratio("side_a_hit", "side_a_n", "side_a", "UCDP side_a among our actors' sides"),
        ratio("side_b_hit", "side_b_n", "side_b", "UCDP side_b among our actors' sides"),
        ratio("deaths_exact", "deaths_n", "deaths_exact", "per headline: our events' fatalities = UCDP best (summed)"),
        ratio("deaths_10", "deaths_n", "deaths_within10", "per headline: within ±10 %"),
    ]
    return EvalReport(
        format="ucdp",
        data=str(path),
        n_items=n_rows,
        scores=scores,
        counts={"rows": n_rows, "headlines": len(heads), "place_rows": c["place_n"], "with_mentions": sum(1 for h in heads.values() if h.mentions)},
        details=details,
        notes=["place rows: where_prec ≤ 2 and the headline names UCDP's place (transliteration key or fuzzy match)"],
    )
