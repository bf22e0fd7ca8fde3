"""Check a pipeline result against ``expected.yaml`` and report every hit and miss.

``expected.yaml`` states, per example article, the events a competent extractor must find
(``must``), the things the article only talks about that must not become events
(``must_not``: threats, predictions, counterfactuals, history, boilerplate) and the
articles that report the same event and must be fused (``cross_article``). The file format
is documented at its top.

The matcher is deliberately small and explicit so that a report can say, for each
expectation, which event satisfied it or why the nearest candidates did not::

    report = check_expectations(Pipeline().run(example_paths()))
    print(report.format())
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sitrep.resolve.normalize import normalize_place
from sitrep.schema import SUB_EVENT_PARENT, Article, Event, EventType, SubEventType

#: ACLED's spelling of Syria's 14 governorates (the ``admin1`` column).
ACLED_ADMIN1_SYRIA: frozenset[str] = frozenset(
    {
        "Aleppo",
        "Al Hasakeh",
        "Ar Raqqa",
        "As-Sweida",
        "Damascus",
        "Dar'a",
        "Deir ez Zor",
        "Hama",
        "Homs",
        "Idleb",
        "Lattakia",
        "Quneitra",
        "Rural Damascus",
        "Tartous",
    }
)

Note = Literal["threat", "prediction", "historical", "counterfactual", "boilerplate"]
CheckKind = Literal["article", "published", "must", "must_not", "cross"]


# --------------------------------------------------------------------------- text folding


def fold(text: str) -> str:
    """Lowercase, strip accents, turn punctuation into single spaces ("Hay'at" -> "hay at")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", " ", plain.lower()).strip()


def contains_words(haystack: str | None, needle: str) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as whole words, after folding both."""
    if not haystack:
        return False
    return f" {fold(needle)} " in f" {fold(haystack)} "


def place_key(name: str) -> str:
    """A spelling-tolerant key: the resolver's transliteration key ("Jisr al-Shughour" and
    "Jisr ash-Shughur" share it), so a gazetteer's choice of spelling is not a wrong place."""
    return normalize_place(name)


def place_matches(actual: str | None, names: Iterable[str]) -> bool:
    """Same place name, or one name containing the other ("Tiyas" in "Tiyas Airbase")."""
    if not actual:
        return False
    got = place_key(actual)
    for name in names:
        want = place_key(name)
        if not want or not got:
            continue
        if want == got:
            return True
        # containment only for names long enough not to match by accident
        if min(len(want), len(got)) >= 4 and (want in got or got in want):
            return True
    return False


# --------------------------------------------------------------------------- the file's model


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExpectedEvent(_Spec):
    """An event the article must yield."""

    event_type: EventType | None = None
    sub_event_type: SubEventType
    admin1: str
    location: str | None = None
    location_aliases: list[str] = Field(default_factory=list)
    event_date: date
    actor1_contains: list[str] = Field(default_factory=list, description="any of these, whole words")
    actor2_contains: list[str] = Field(default_factory=list, description="any of these, whole words")
    fatalities_min: int | None = Field(default=None, ge=0)
    fatalities_max: int | None = Field(default=None, ge=0)

    _lists = field_validator("actor1_contains", "actor2_contains", "location_aliases", mode="before")(_as_list)

    @model_validator(mode="after")
    def _consistent(self) -> ExpectedEvent:
        parent = SUB_EVENT_PARENT[self.sub_event_type]
        if self.event_type is None:
            self.event_type = parent
        elif self.event_type != parent:
            raise ValueError(f"sub_event_type {self.sub_event_type.value!r} belongs to {parent.value!r}")
        if self.admin1 not in ACLED_ADMIN1_SYRIA:
            raise ValueError(f"admin1 {self.admin1!r} is not ACLED's spelling of a Syrian governorate")
        if self.fatalities_min is not None and self.fatalities_max is not None and self.fatalities_min > self.fatalities_max:
            raise ValueError(f"fatalities_min {self.fatalities_min} > fatalities_max {self.fatalities_max}")
        return self

    @property
    def place_names(self) -> list[str]:
        return ([self.location] if self.location else []) + self.location_aliases

    def describe(self) -> str:
        parts = [f"{self.event_date} {self.sub_event_type.value} @ {self.location or '?'} ({self.admin1})"]
        if self.actor1_contains:
            parts.append(f"actor1~{'|'.join(self.actor1_contains)}")
        if self.actor2_contains:
            parts.append(f"actor2~{'|'.join(self.actor2_contains)}")
        if self.fatalities_min is not None or self.fatalities_max is not None:
            parts.append(f"fatalities {self.fatalities_min if self.fatalities_min is not None else 0}-{self.fatalities_max if self.fatalities_max is not None else '∞'}")
        return " ".join(parts)


class ForbiddenEvent(_Spec):
    """Something the article mentions that must not become an event (at all, or on a given day)."""

    event_type: EventType | None = None
    sub_event_type: SubEventType | None = None
    location: str
    location_aliases: list[str] = Field(default_factory=list)
    note: Note
    not_dated: date | None = Field(default=None, description="only an event on this day violates")

    _lists = field_validator("location_aliases", mode="before")(_as_list)

    @model_validator(mode="after")
    def _typed(self) -> ForbiddenEvent:
        if self.sub_event_type is None and self.event_type is None:
            raise ValueError("give sub_event_type or event_type")
        if self.sub_event_type is not None:
            parent = SUB_EVENT_PARENT[self.sub_event_type]
            if self.event_type is not None and self.event_type != parent:
                raise ValueError(f"sub_event_type {self.sub_event_type.value!r} belongs to {parent.value!r}")
        return self

    @property
    def place_names(self) -> list[str]:
        return [self.location, *self.location_aliases]

    def describe(self) -> str:
        kind = self.sub_event_type.value if self.sub_event_type else f"{self.event_type.value} event"  # type: ignore[union-attr]
        when = f" dated {self.not_dated}" if self.not_dated else ""
        return f"no {kind} @ {self.location}{when} ({self.note})"


class ArticleExpectation(_Spec):
    published: date
    published_source: Literal["metadata", "front_matter", "dateline", "text"] | None = None
    must: list[ExpectedEvent] = Field(default_factory=list)
    must_not: list[ForbiddenEvent] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_after_publication(self) -> ArticleExpectation:
        for item in self.must:
            if item.event_date > self.published:
                raise ValueError(f"event dated {item.event_date} after publication {self.published}: {item.describe()}")
        return self


class CrossArticle(_Spec):
    """Two articles reporting one real event: fusion must give one Event listing both."""

    articles: tuple[str, str]
    sub_event_type: SubEventType
    event_date: date
    note: str = ""


class Expectations(_Spec):
    articles: dict[str, ArticleExpectation]
    cross_article: list[CrossArticle] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_articles(self) -> Expectations:
        for pair in self.cross_article:
            for key in pair.articles:
                if key not in self.articles:
                    raise ValueError(f"cross_article names {key!r}, which has no entry under articles")
        return self


def load_expectations(path: Path | str | None = None) -> Expectations:
    """Read and validate ``expected.yaml`` (the bundled one by default)."""
    if path is None:
        from sitrep.examples import expected_path

        path = expected_path()
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Expectations.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise ValueError(f"{path}: invalid expectations: {exc}") from exc


# --------------------------------------------------------------------------- matching


class ResultLike(Protocol):
    """What the checker reads from a pipeline result."""

    @property
    def articles(self) -> Sequence[Article]: ...

    @property
    def events(self) -> Sequence[Event]: ...


def article_key_index(articles: Iterable[Article]) -> dict[str, Article]:
    """Articles by the key ``expected.yaml`` uses: caller id (JSON Lines) or file name."""
    index: dict[str, Article] = {}
    for article in articles:
        if article.external_id:
            index[article.external_id] = article
        if article.source_path:
            # several JSON Lines records share one file; their ids are the keys that count
            index.setdefault(Path(article.source_path).name, article)
    return index


def article_ids(article: Article) -> set[str]:
    """The ids an Event may list for this article (caller's id when given, else sitrep's)."""
    return {i for i in (article.id, article.external_id) if i}


def events_of(article: Article, events: Iterable[Event]) -> list[Event]:
    ids = article_ids(article)
    return [e for e in events if ids.intersection(e.article_ids)]


def mismatches(expected: ExpectedEvent, event: Event) -> list[str]:
    """Why ``event`` does not satisfy ``expected`` (empty when it does)."""
    why: list[str] = []
    if event.sub_event_type != expected.sub_event_type:
        why.append(f"sub-type {event.sub_event_type.value}")
    if (event.admin1 or "").casefold() != expected.admin1.casefold():
        why.append(f"admin1 {event.admin1}")
    if event.event_date != expected.event_date:
        why.append(f"date {event.event_date}")
    lo, hi = expected.fatalities_min, expected.fatalities_max
    if (lo is not None and event.fatalities < lo) or (hi is not None and event.fatalities > hi):
        why.append(f"fatalities {event.fatalities}")
    if expected.actor1_contains and not any(contains_words(event.actor1, s) for s in expected.actor1_contains):
        why.append(f"actor1 {event.actor1}")
    if expected.actor2_contains and not any(contains_words(event.actor2, s) for s in expected.actor2_contains):
        why.append(f"actor2 {event.actor2}")
    return why


def violates(forbidden: ForbiddenEvent, event: Event) -> bool:
    if forbidden.sub_event_type is not None and event.sub_event_type != forbidden.sub_event_type:
        return False
    if forbidden.event_type is not None and event.event_type != forbidden.event_type:
        return False
    if forbidden.not_dated is not None and event.event_date != forbidden.not_dated:
        return False
    return place_matches(event.location, forbidden.place_names)


def describe_event(event: Event) -> str:
    return (
        f"{event.event_date} {event.sub_event_type.value} @ {event.location} ({event.admin1}) "
        f"a1={event.actor1} a2={event.actor2} fat={event.fatalities} mod={event.modality.value}"
    )


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class CheckResult:
    key: str  # the article key (or "a + b" for cross-article checks)
    kind: CheckKind
    ok: bool
    expected: str
    detail: str = ""

    def line(self) -> str:
        mark = "ok  " if self.ok else "MISS" if self.kind in ("must", "cross", "article") else "FAIL"
        tail = f"  -> {self.detail}" if self.detail else ""
        return f"  [{mark}] {self.kind:<9} {self.expected}{tail}"


@dataclass
class ExpectationReport:
    results: list[CheckResult] = field(default_factory=list)

    def of_kind(self, *kinds: CheckKind) -> list[CheckResult]:
        return [r for r in self.results if r.kind in kinds]

    def failures(self, *kinds: CheckKind) -> list[CheckResult]:
        return [r for r in self.results if not r.ok and (not kinds or r.kind in kinds)]

    def counts(self, *kinds: CheckKind) -> tuple[int, int]:
        """(passed, total) over the given kinds (all kinds when none given)."""
        chosen = self.of_kind(*kinds) if kinds else self.results
        return sum(r.ok for r in chosen), len(chosen)

    def format(self, *kinds: CheckKind, only_failures: bool = False) -> str:
        """Per-article listing of hits and misses."""
        lines: list[str] = []
        current = None
        for r in self.results:
            if kinds and r.kind not in kinds:
                continue
            if only_failures and r.ok:
                continue
            if r.key != current:
                current = r.key
                lines.append(f"{r.key}:")
            lines.append(r.line())
        passed, total = self.counts(*kinds)
        lines.append(f"{passed}/{total} checks passed")
        return "\n".join(lines)


def _check_must(key: str, wanted: list[ExpectedEvent], events: list[Event]) -> list[CheckResult]:
    """One distinct event per expectation; events at the expected place are handed out first."""
    chosen: dict[int, int] = {}  # expectation index -> event index
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
    out: list[CheckResult] = []
    for k, exp in enumerate(wanted):
        if k in chosen:
            out.append(CheckResult(key, "must", True, exp.describe(), describe_event(events[chosen[k]])))
            continue
        near = [e for e in events if e.sub_event_type == exp.sub_event_type or e.event_date == exp.event_date]
        detail = "; ".join(f"{describe_event(e)} [{', '.join(mismatches(exp, e)) or 'taken'}]" for e in near[:4])
        out.append(CheckResult(key, "must", False, exp.describe(), detail or f"{len(events)} events, none close"))
    return out


def check_expectations(result: ResultLike, expectations: Expectations | None = None) -> ExpectationReport:
    """Compare a pipeline result with the expectations; never raises on a mismatch."""
    expectations = expectations or load_expectations()
    index = article_key_index(result.articles)
    report = ExpectationReport()
    for key, exp in expectations.articles.items():
        article = index.get(key)
        if article is None:
            report.results.append(CheckResult(key, "article", False, "article read", "not among the articles read"))
            continue
        source_ok = exp.published_source is None or article.published_source == exp.published_source
        report.results.append(
            CheckResult(
                key,
                "published",
                article.published == exp.published and source_ok,
                f"published {exp.published}" + (f" from {exp.published_source}" if exp.published_source else ""),
                f"got {article.published} from {article.published_source}",
            )
        )
        events = events_of(article, result.events)
        report.results.extend(_check_must(key, exp.must, events))
        for forbidden in exp.must_not:
            bad = [e for e in events if violates(forbidden, e)]
            detail = "; ".join(describe_event(e) for e in bad)
            report.results.append(CheckResult(key, "must_not", not bad, forbidden.describe(), detail))
    for pair in expectations.cross_article:
        a, b = (index.get(k) for k in pair.articles)
        label = " + ".join(pair.articles)
        expected = f"one {pair.sub_event_type.value} on {pair.event_date} from both"
        if a is None or b is None:
            report.results.append(CheckResult(label, "cross", False, expected, "an article was not read"))
            continue
        ids_a, ids_b = article_ids(a), article_ids(b)
        fused = [
            e
            for e in result.events
            if e.sub_event_type == pair.sub_event_type
            and e.event_date == pair.event_date
            and ids_a.intersection(e.article_ids)
            and ids_b.intersection(e.article_ids)
        ]
        candidates = [
            e
            for e in result.events
            if e.sub_event_type == pair.sub_event_type and (ids_a | ids_b).intersection(e.article_ids)
        ]
        detail = describe_event(fused[0]) if fused else "; ".join(describe_event(e) for e in candidates) or "no candidates"
        report.results.append(CheckResult(label, "cross", bool(fused), expected, detail))
    return report


__all__ = [
    "ACLED_ADMIN1_SYRIA",
    "ArticleExpectation",
    "CheckResult",
    "CrossArticle",
    "ExpectationReport",
    "ExpectedEvent",
    "Expectations",
    "ForbiddenEvent",
    "article_ids",
    "article_key_index",
    "check_expectations",
    "contains_words",
    "events_of",
    "fold",
    "load_expectations",
    "mismatches",
    "place_matches",
    "violates",
]
