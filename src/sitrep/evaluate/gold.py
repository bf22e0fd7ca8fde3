"""Score extraction against our own hand-annotated articles (``sitrep eval DIR --format gold``).

A gold file is JSON, one per article (the bundled ones are in ``sitrep/examples/gold/``)::

    {
      "article": "../xinhua_damascus_mortars_2014.txt",   # relative to the gold file
      "record_id": null,             # the record ``id`` when the article is a JSON Lines record
      "published": "2014-11-12",
      "complete": false,             # true: ``must`` lists EVERY real event of the article
      "must": [                      # events a competent extractor must find
        {"sub_event_type": "Shelling/artillery/missile attack", "admin1": "Damascus",
         "location": "Bab Touma", "location_aliases": [], "event_date": "2014-11-12",
         "actor1_contains": [], "actor2_contains": [], "fatalities_min": 3, "fatalities_max": 4}
      ],
      "must_not": [                  # statements that must not become events
        {"statement": "the large-scale battles seen in Aleppo and Homs", "event_type": "Battles",
         "location": "Aleppo", "note": "generic", "not_dated": null}
      ]
    }

``must`` entries are :class:`sitrep.examples.expectations.ExpectedEvent` and ``must_not``
entries :class:`ForbiddenEvent` plus the ``statement`` (the article's words), so a gold file
and ``expected.yaml`` match events the same way; :func:`from_expectations` converts the latter.

Scores (an event counts for the article when it lists the article's id):

- ``recall``: must-events matched by a distinct event in every field (type, date, place, actors,
  fatalities range), as ``expected.yaml`` matches them;
- ``precision``: matched / (matched + false events), false events being events that turn a
  must-not statement into an event, plus, in ``complete`` articles, every unmatched event;
- ``type_recall``: must-events with an event of that sub-type in that governorate; ``date``,
  ``place``, ``actors`` and ``fatalities``: among those, the nearest such event agrees on that field;
- ``must_not_respected``: must-not statements that no event turns into an event.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sitrep.errors import InputError
from sitrep.evaluate.report import EvalReport, Score
from sitrep.examples.expectations import (
    ExpectedEvent,
    ForbiddenEvent,
    Expectations,
    article_key_index,
    contains_words,
    describe_event,
    events_of,
    mismatches,
    place_matches,
    violates,
    _check_must,
)
from sitrep.schema import Event

Progress = Callable[[int], None]

TARGETS: dict[str, float] = {"recall": 1.0, "must_not_respected": 1.0}


class GoldForbidden(ForbiddenEvent):
    """A statement the article makes that must not become an event."""

    statement: str = Field(default="", description="the article's words (for the reader of the report)")
    note: str  # threat, prediction, historical, counterfactual, boilerplate, generic ...


class GoldArticle(BaseModel):
    model_config = ConfigDict(extra="forbid")

    article: str = Field(description="the article file, relative to the gold file")
    record_id: str | None = Field(default=None, description="record id inside a JSON Lines file")
    published: date | None = None
    complete: bool = False
    must: list[ExpectedEvent] = Field(default_factory=list)
    must_not: list[GoldForbidden] = Field(default_factory=list)

    @property
    def key(self) -> str:
        return self.record_id or Path(self.article).name


def gold_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.glob("*.json"))
    return [path]


def load_gold(path: str | Path) -> list[tuple[Path, GoldArticle]]:
    """Gold files from a file or a folder of ``*.json``; a bad file raises InputError naming it."""
    out = []
    for file in gold_files(Path(path)):
        try:
            gold = GoldArticle.model_validate(json.loads(file.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError, ValidationError) as exc:
            raise InputError(str(file), f"not a gold file: {str(exc).splitlines()[0]}", hint="see sitrep.evaluate.gold for the format") from exc
        out.append((file, gold))
    if not out:
        raise InputError(str(path), "no gold files (*.json) found", hint="give a gold JSON file or a folder of them")
    return out


def from_expectations(expectations: Expectations, articles_dir: str = "..") -> list[GoldArticle]:
    """Gold articles equivalent to an ``expected.yaml`` (statements left empty)."""
    from sitrep.examples import example_paths

    files = {p.name: p for p in example_paths()}
    jsonl = sorted(n for n in files if n.endswith(".jsonl"))
    out = []
    for key, exp in expectations.articles.items():
        if key in files:
            article, record = f"{articles_dir}/{key}", None
        else:  # a JSON Lines record id
            article, record = f"{articles_dir}/{jsonl[0]}", key
        out.append(
            GoldArticle(
                article=article,
                record_id=record,
                published=exp.published,
                must=list(exp.must),
                must_not=[GoldForbidden(**f.model_dump()) for f in exp.must_not],
            )
        )
    return out


def _match(wanted: list[ExpectedEvent], events: list[Event]) -> dict[int, int]:
    """Expectation index -> event index, as ``_check_must`` hands them out (place matches first)."""
    chosen: dict[int, int] = {}
    for at_place_only in (True, False):
        for k, exp in enumerate(wanted):
            if k in chosen:
                continue
            for i, event in enumerate(events):
                if i in chosen.values() or mismatches(exp, event):
                    continue
                if at_place_only and not place_matches(event.location, exp.place_names):
                    continue
                chosen[k] = i
                break
    return chosen


def _aligned(exp: ExpectedEvent, events: list[Event]) -> Event | None:
    """The event a reader would compare with ``exp``: same sub-type and governorate, nearest in place and date."""
    same = [e for e in events if e.sub_event_type == exp.sub_event_type and (e.admin1 or "").casefold() == exp.admin1.casefold()]
    if not same:
        return None

    def rank(e: Event) -> tuple[int, int]:
        days = abs((e.event_date - exp.event_date).days) if e.event_date else 999
        return (0 if place_matches(e.location, exp.place_names) else 1, days)

    return min(same, key=rank)


def _fields(exp: ExpectedEvent, e: Event) -> dict[str, bool]:
    lo, hi = exp.fatalities_min, exp.fatalities_max
    return {
        "date": e.event_date == exp.event_date,
        "place": place_matches(e.location, exp.place_names) if exp.place_names else True,
        "actors": (not exp.actor1_contains or any(contains_words(e.actor1, s) for s in exp.actor1_contains))
        and (not exp.actor2_contains or any(contains_words(e.actor2, s) for s in exp.actor2_contains)),
        "fatalities": (lo is None or e.fatalities >= lo) and (hi is None or e.fatalities <= hi),
    }


def evaluate(path: str | Path, *, limit: int | None = None, pipeline=None, progress: Progress | None = None) -> EvalReport:
    """Run the pipeline over the gold files' articles (fused together) and score them."""
    from sitrep.pipeline import Pipeline

    path = Path(path)
    golds = load_gold(path)[:limit]
    pipe = pipeline or Pipeline()
    sources = sorted({(file.parent / g.article).resolve() for file, g in golds})
    missing = [s for s in sources if not s.is_file()]
    if missing:
        raise InputError(str(missing[0]), "article named by a gold file does not exist", hint="'article' is relative to the gold file")
    articles, problems = pipe.read(sources)
    if problems:
        raise InputError(problems[0].path, problems[0].message, hint=problems[0].hint)
    result = pipe.run_articles(articles, progress=progress)
    index = article_key_index(result.articles)

    n_must = n_matched = n_typed = n_not = n_respected = false_events = 0
    field_hits = {"date": 0, "place": 0, "actors": 0, "fatalities": 0}
    details: list[dict[str, Any]] = []
    for file, gold in golds:
        article = index.get(gold.key)
        if article is None:
            raise InputError(str(file), f"article {gold.key!r} not found in {gold.article}", hint="check 'article' and 'record_id'")
        events = events_of(article, result.events)
        checks = _check_must(gold.key, gold.must, events)
        matched_ids = {events[i].event_id for i in _match(gold.must, events).values()}
        violated: list[dict[str, str]] = []
        bad_ids: set[str] = set()
        for forbidden in gold.must_not:
            bad = [e for e in events if violates(forbidden, e)]
            bad_ids.update(e.event_id for e in bad)
            if bad:
                violated.append({"statement": forbidden.statement or forbidden.describe(), "event": describe_event(bad[0])})
        unmatched = [e for e in events if e.event_id not in matched_ids and e.event_id not in bad_ids] if gold.complete else []
        per_field: list[dict[str, Any]] = []
        for exp in gold.must:
            near = _aligned(exp, events)
            if near is None:
                per_field.append({"expected": exp.describe(), "nearest": None})
                continue
            n_typed += 1
            f = _fields(exp, near)
            for k, v in f.items():
                field_hits[k] += v
            per_field.append({"expected": exp.describe(), "nearest": describe_event(near), "wrong": [k for k, v in f.items() if not v]})
        n_must += len(gold.must)
        n_matched += sum(c.ok for c in checks)
        n_not += len(gold.must_not)
        n_respected += len(gold.must_not) - len(violated)
        false_events += len(bad_ids) + len(unmatched)
        details.append(
            {
                "gold": str(file),
                "article": gold.key,
                "events": len(events),
                "must": [{"ok": c.ok, "expected": c.expected, "detail": c.detail} for c in checks],
                "fields": per_field,
                "must_not_violated": violated,
                "unlisted_events": [describe_event(e) for e in unmatched],
            }
        )

    def score(name: str, hits: int, n: int, desc: str) -> Score:
        return Score(name=name, value=round(hits / n, 4) if n else None, hits=hits, n=n, target=TARGETS.get(name), description=desc)

    scores = [
        score("recall", n_matched, n_must, "must-extract events found with every field right"),
        score("precision", n_matched, n_matched + false_events, "found / (found + must-not events + unlisted events in complete articles)"),
        score("type_recall", n_typed, n_must, "must-extract events with an event of that sub-type in that governorate"),
        *(score(k, v, n_typed, f"{k} of the nearest such event agrees") for k, v in field_hits.items()),
        score("must_not_respected", n_respected, n_not, "must-not statements that did not become events"),
    ]
    return EvalReport(
        format="gold",
        data=str(path),
        n_items=len(golds),
        scores=scores,
        counts={"articles": len(golds), "must": n_must, "must_not": n_not, "events": sum(d["events"] for d in details), "false_events": false_events},
        details=details,
        notes=["events are fused across all gold articles, as `sitrep extract` does"],
    )
