"""End to end over the five real seed articles in ../shared/samples/seeds (skipped when absent).

Every seed must yield at least one usable event (date, admin1, coordinates), publication
dates come from the manifest beside the files, and background history or speculation must
not turn into an event dated on the day the article was published.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sitrep.schema import Article, Event, Modality, SubEventType

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "samples" / "seeds"

pytestmark = [
    pytest.mark.seeds,
    pytest.mark.skipif(not SEEDS.is_dir(), reason=f"no seed articles at {SEEDS}"),
]


def _manifest() -> dict[str, dict]:
    lines = (SEEDS / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return {rec["file"]: rec for rec in (json.loads(line) for line in lines if line.strip())}


@pytest.fixture(scope="module")
def seed_paths() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 5, [p.name for p in paths]
    return paths


@pytest.fixture(scope="module")
def result(seed_paths):
    from sitrep.pipeline import Pipeline

    return Pipeline().run(seed_paths)


@pytest.fixture(scope="module")
def by_seed(result) -> dict[str, tuple[Article, list[Event]]]:
    """Seed number ("000".."004") -> its article and the events listing it."""
    out: dict[str, tuple[Article, list[Event]]] = {}
    for article in result.articles:
        assert article.source_path, article.id
        ids = {i for i in (article.id, article.external_id) if i}
        events = [e for e in result.events if ids.intersection(e.article_ids)]
        out[Path(article.source_path).name[:3]] = (article, events)
    return out


def _show(events: list[Event]) -> str:
    return "\n".join(
        f"  {e.event_date} {e.sub_event_type.value} @ {e.location} ({e.admin1}) "
        f"[{e.latitude}, {e.longitude}] {e.modality.value} a1={e.actor1}"
        for e in events
    )


def test_seeds_read_without_problems_and_with_manifest_dates(result, by_seed):
    assert [str(p) for p in result.problems] == []
    assert sorted(by_seed) == ["000", "001", "002", "003", "004"]
    manifest = _manifest()
    for article, _ in by_seed.values():
        want = date.fromisoformat(manifest[Path(article.source_path).name]["published"])
        assert article.published == want, (article.source_path, article.published, want)


def test_every_seed_yields_a_dated_geocoded_event(by_seed):
    lacking = {}
    for seed, (_, events) in sorted(by_seed.items()):
        usable = [
            e
            for e in events
            if e.event_date is not None and e.admin1 and e.latitude is not None and e.longitude is not None
        ]
        if not usable:
            lacking[seed] = _show(events) or "  (no events)"
    assert not lacking, "seeds without a dated, geocoded event:\n" + "\n".join(f"{k}:\n{v}" for k, v in lacking.items())


def test_loss_of_raqqa_in_2013_is_history_not_news(by_seed):
    article, events = by_seed["002"]
    assert article.published == date(2015, 3, 29)
    bad = [
        e
        for e in events
        if e.sub_event_type == SubEventType.NON_STATE_OVERTAKES_TERRITORY
        and e.admin1 == "Ar Raqqa"
        and e.event_date == article.published
    ]
    assert not bad, "the March 2013 loss of Raqqa became an event on the publication date:\n" + _show(bad)


def test_aleppo_predictions_are_not_events_on_the_publication_day(by_seed):
    article, events = by_seed["001"]
    bad = [
        e
        for e in events
        if e.event_date == article.published and e.modality not in (Modality.ASSERTED, Modality.CLAIMED)
    ]
    assert not bad, "non-asserted events dated on the publication day:\n" + _show(bad)


def test_no_history_dated_at_publication_in_any_seed(by_seed):
    bad = {
        seed: [e for e in events if e.modality == Modality.HISTORICAL and e.event_date == article.published]
        for seed, (article, events) in by_seed.items()
    }
    bad = {k: v for k, v in bad.items() if v}
    assert not bad, "\n".join(f"{k}:\n{_show(v)}" for k, v in bad.items())
