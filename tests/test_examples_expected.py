"""End to end on the bundled example corpus, driven by ``expected.yaml``.

The cheap tests check the corpus and the contract themselves (files, manifest, the
expectations file, the matcher). The end-to-end tests run the pipeline once over the
examples and report, per article, every expected event found or missed.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sitrep.examples import example_paths, examples_dir, expected_path
from sitrep.examples.expectations import (
    ExpectationReport,
    ExpectedEvent,
    Expectations,
    ForbiddenEvent,
    check_expectations,
    contains_words,
    load_expectations,
    mismatches,
    place_matches,
    violates,
)
from sitrep.schema import Article, Event, EventType, Modality, SubEventType

# --------------------------------------------------------------------------- the corpus itself


@pytest.fixture(scope="module")
def expectations() -> Expectations:
    return load_expectations()


def _jsonl_ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_example_paths_are_the_articles_and_nothing_else():
    paths = example_paths()
    names = [p.name for p in paths]
    assert names == sorted(names)
    assert all(p.is_file() and p.parent == examples_dir() for p in paths)
    assert not {"manifest.jsonl", "expected.yaml", "README.md", "__init__.py", "expectations.py"} & set(names)
    suffixes = [p.suffix for p in paths]
    assert suffixes.count(".txt") >= 5 and suffixes.count(".html") == 2 and suffixes.count(".jsonl") == 1


def test_every_article_has_expectations_and_every_expectation_an_article(expectations):
    keys: set[str] = set()
    for path in example_paths():
        keys.update(_jsonl_ids(path) if path.suffix == ".jsonl" else [path.name])
    assert keys == set(expectations.articles), f"articles without expectations: {keys - set(expectations.articles)}; " f"expectations without article: {set(expectations.articles) - keys}"


def test_jsonl_records_carry_caller_ids_and_all_fields():
    (wire,) = [p for p in example_paths() if p.suffix == ".jsonl"]
    records = [json.loads(line) for line in wire.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) == 2
    for rec in records:
        assert set(rec) == {"id", "title", "url", "published", "outlet", "text"}
        assert rec["id"].startswith("wire-2016-0412-")
        date.fromisoformat(rec["published"])


def test_manifest_names_existing_text_files_with_dates():
    manifest = examples_dir() / "manifest.jsonl"
    entries = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert entries
    txt = {p.name for p in example_paths() if p.suffix == ".txt"}
    for entry in entries:
        assert entry["file"] in txt
        assert {"file", "published", "outlet", "url"} <= set(entry) <= {"file", "published", "outlet", "url", "title"}
        date.fromisoformat(entry["published"])
    # at least one text file is left without any metadata (only an in-text dateline)
    front_matter = {p.name for p in example_paths() if p.suffix == ".txt" and p.read_text(encoding="utf-8").startswith("---\n")}
    assert front_matter and txt - {e["file"] for e in entries} - front_matter


def test_articles_have_realistic_length():
    for path in example_paths():
        if path.suffix == ".jsonl":
            continue
        words = len(path.read_text(encoding="utf-8").split())
        assert 250 <= words <= 1000, f"{path.name}: {words} words (markup included)"


def test_expectations_cover_the_promised_cases(expectations):
    must = [m for a in expectations.articles.values() for m in a.must]
    subs = {m.sub_event_type for m in must}
    for needed in (
        SubEventType.DISRUPTED_WEAPONS_USE,
        SubEventType.NON_STATE_OVERTAKES_TERRITORY,
        SubEventType.GOVERNMENT_REGAINS_TERRITORY,
        SubEventType.SHELLING,
        SubEventType.REMOTE_EXPLOSIVE,
        SubEventType.ATTACK,
        SubEventType.ARMED_CLASH,
        SubEventType.ARRESTS,
        SubEventType.PEACEFUL_PROTEST,
        SubEventType.AIR_DRONE_STRIKE,
    ):
        assert needed in subs, needed
    notes = {f.note for a in expectations.articles.values() for f in a.must_not}
    assert {"threat", "prediction", "historical", "counterfactual"} <= notes
    assert all(f.not_dated for a in expectations.articles.values() for f in a.must_not if f.note == "historical")
    assert expectations.cross_article


def test_expected_yaml_rejects_bad_entries(tmp_path):
    bad = tmp_path / "expected.yaml"
    bad.write_text(
        "articles:\n  a.txt:\n    published: 2016-04-13\n    must:\n"
        "      - {sub_event_type: Armed clash, admin1: Idlib, event_date: 2016-04-12}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="admin1"):
        load_expectations(bad)
    bad.write_text(
        "articles:\n  a.txt:\n    published: 2016-04-13\n    must:\n"
        "      - {sub_event_type: Armed clash, admin1: Idleb, event_date: 2016-04-14}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="after publication"):
        load_expectations(bad)


# --------------------------------------------------------------------------- the matcher


def _event(**kw) -> Event:
    base = dict(
        event_id="e1",
        event_date=date(2017, 3, 2),
        event_type=EventType.BATTLES,
        sub_event_type=SubEventType.GOVERNMENT_REGAINS_TERRITORY,
        actor1="Military Forces of Syria (2000-2024)",
        actor2="Islamic State (Syria)",
        admin1="Homs",
        location="Tadmur",
        fatalities=0,
        article_ids=["a_1"],
    )
    base.update(kw)
    return Event(**base)


def test_matcher_folds_names_and_checks_every_field():
    exp = ExpectedEvent(
        sub_event_type=SubEventType.GOVERNMENT_REGAINS_TERRITORY,
        admin1="Homs",
        location="Palmyra",
        location_aliases=["Tadmur"],
        event_date=date(2017, 3, 2),
        actor1_contains="forces of syria",
        actor2_contains=["islamic state"],
        fatalities_min=0,
        fatalities_max=5,
    )
    assert mismatches(exp, _event()) == []
    assert mismatches(exp, _event(event_date=date(2017, 3, 3))) == ["date 2017-03-03"]
    assert mismatches(exp, _event(fatalities=6)) == ["fatalities 6"]
    assert mismatches(exp, _event(actor1="Civilians (Syria)")) == ["actor1 Civilians (Syria)"]
    assert mismatches(exp, _event(admin1="Hama"))
    assert contains_words("Hay'at Tahrir al-Sham", "tahrir al sham")
    assert not contains_words("Syrian Democratic Forces", "syria")
    assert place_matches("al-Mayadin", ["Mayadin"]) and place_matches("Tiyas Airbase", ["Tiyas"])
    assert not place_matches("Idlib", ["Ariha"])


def test_forbidden_event_only_on_its_day_and_place():
    history = ForbiddenEvent(
        sub_event_type=SubEventType.GOVERNMENT_REGAINS_TERRITORY, location="Aleppo", note="historical", not_dated=date(2017, 3, 3)
    )
    assert violates(history, _event(location="Aleppo", event_date=date(2017, 3, 3)))
    assert not violates(history, _event(location="Aleppo", event_date=date(2016, 12, 22)))
    assert not violates(history, _event(location="Palmyra", event_date=date(2017, 3, 3)))
    threat = ForbiddenEvent(event_type=EventType.BATTLES, location="al-Mastouma", note="threat")
    assert violates(threat, _event(sub_event_type=SubEventType.ARMED_CLASH, location="Mastouma"))


class _Result:
    def __init__(self, articles, events):
        self.articles, self.events = articles, events


def test_report_assigns_distinct_events_and_lists_misses():
    article = Article(id="a_1", title="t", text="x", published=date(2023, 8, 26), source_path="/x/protests.txt")
    spec = Expectations.model_validate(
        {
            "articles": {
                "protests.txt": {
                    "published": "2023-08-26",
                    "must": [
                        {"sub_event_type": "Peaceful protest", "admin1": "As-Sweida", "location": "Shahba", "event_date": "2023-08-25"},
                        {
                            "sub_event_type": "Peaceful protest",
                            "admin1": "As-Sweida",
                            "location": "Sweida",
                            "location_aliases": ["As-Suwayda"],
                            "event_date": "2023-08-25",
                        },
                    ],
                    "must_not": [{"sub_event_type": "Suicide bomb", "location": "Sweida", "note": "historical", "not_dated": "2023-08-26"}],
                }
            }
        }
    )
    protest = _event(
        event_type=EventType.PROTESTS,
        sub_event_type=SubEventType.PEACEFUL_PROTEST,
        event_date=date(2023, 8, 25),
        admin1="As-Sweida",
        location="As-Suwayda",
        actor1="Protesters (Syria)",
    )
    report = check_expectations(_Result([article], [protest]), spec)
    musts = report.of_kind("must")
    # one event cannot satisfy two protests in two towns; the one at its place gets it
    assert [r.ok for r in musts] == [False, True]
    assert report.counts("published") == (1, 1)
    assert report.counts("must_not") == (1, 1)
    text = report.format()
    assert "protests.txt:" in text and "[MISS] must" in text and "3/4 checks passed" in text
    missing = check_expectations(_Result([], []), spec)
    assert missing.failures("article")


def test_expectations_are_consistent_with_themselves(expectations):
    """Events built exactly as expected pass every check: no must-event trips a must-not."""
    articles, events = [], []
    for n, (key, exp) in enumerate(expectations.articles.items()):
        article = Article(id=f"a_{n:016d}", external_id=key, title=key, text="x", published=exp.published)
        article.published_source = exp.published_source or "metadata"
        articles.append(article)
        for k, m in enumerate(exp.must):
            events.append(
                Event(
                    event_id=f"e_{n}_{k}",
                    event_date=m.event_date,
                    event_type=m.event_type,
                    sub_event_type=m.sub_event_type,
                    admin1=m.admin1,
                    location=m.location,
                    actor1=m.actor1_contains[0].title() if m.actor1_contains else None,
                    actor2=m.actor2_contains[0].title() if m.actor2_contains else None,
                    fatalities=m.fatalities_min or 0,
                    article_ids=[article.id],
                )
            )
    ids = {a.external_id: a.id for a in articles}
    for pair in expectations.cross_article:
        first, second = (ids[k] for k in pair.articles)
        for e in events:
            if first in e.article_ids and e.sub_event_type == pair.sub_event_type and e.event_date == pair.event_date:
                e.article_ids.append(second)
    report = check_expectations(_Result(articles, events), expectations)
    assert not report.failures(), report.format(only_failures=True)


# --------------------------------------------------------------------------- end to end


@pytest.fixture(scope="module")
def result():
    from sitrep.pipeline import Pipeline

    return Pipeline().run(example_paths())


@pytest.fixture(scope="module")
def report(result, expectations) -> ExpectationReport:
    return check_expectations(result, expectations)


def _fail_message(report: ExpectationReport, *kinds) -> str:
    return "\n" + report.format(*kinds)


def test_examples_read_without_problems(result):
    assert [str(p) for p in result.problems] == []


def test_example_folder_reads_without_problems(result):
    """Walking the folder skips manifest.jsonl, expected.yaml, README.md and the Python modules."""
    from sitrep.pipeline import Pipeline

    walked = Pipeline().run([examples_dir()])
    assert [str(p) for p in walked.problems] == []
    assert sorted(a.id for a in walked.articles) == sorted(a.id for a in result.articles)


def test_every_example_article_is_read_with_its_publication_date(report):
    failures = report.failures("article", "published")
    assert not failures, _fail_message(report, "article", "published")


def test_every_example_article_yields_events(result, expectations):
    from sitrep.examples.expectations import article_key_index, events_of

    index = article_key_index(result.articles)
    empty = [k for k in expectations.articles if k in index and not events_of(index[k], result.events)]
    assert not empty, f"articles with no events: {empty}"


def test_must_events_are_extracted(report):
    assert not report.failures("must", "article"), _fail_message(report, "must")


def test_must_not_events_are_absent(report):
    assert not report.failures("must_not"), _fail_message(report, "must_not")


def test_same_event_in_two_articles_fuses(report):
    assert not report.failures("cross"), _fail_message(report, "cross")


def test_non_events_survive_as_mentions(result):
    """Threats, predictions and counterfactuals are kept as mentions, with their modality."""
    modalities = {m.modality for m in result.mentions}
    assert modalities & {Modality.THREATENED, Modality.CONDITIONAL}, sorted(modalities)
    assert Modality.HYPOTHETICAL in modalities, sorted(modalities)
    assert Modality.COUNTERFACTUAL in modalities, sorted(modalities)


def test_expected_path_is_bundled():
    assert expected_path().is_file() and expected_path().parent == examples_dir()
