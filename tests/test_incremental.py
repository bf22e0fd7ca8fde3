"""Incremental fusion in the store: new articles attach or create, re-ingest is a no-op, ids stay.

Articles are written for these tests (one air strike on a market, reported by a state agency,
an opposition outlet, the same story under a second URL, a later update with a higher toll,
and a copy whose publication date is a year off).
"""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.ingest import article_from_text
from sitrep.pipeline import Pipeline, ingest_articles, refuse_store
from sitrep.schema import Article, EventType, Mention, PlaceRef, SourceType, Span, SubEventType
from sitrep.store import SQLiteStore

STATE = (
    "Idlib, (SANA) - Air strikes hit the vegetable market in the town of Ariha "
    "in Idlib province on Saturday, killing four civilians.\n\n"
    "Civil defence teams worked through the night to pull survivors from the rubble of two buildings next to the market."
)
OPPOSITION = (
    "Russian warplanes bombed the crowded vegetable market of Ariha in the Idlib countryside on Saturday. "
    "The Syrian Observatory for Human Rights said eleven civilians were killed in the raid.\n\n"
    "Residents said the jets returned twice while rescuers were digging in the rubble."
)
UPDATED = (
    "Russian warplanes bombed the crowded vegetable market of Ariha in the Idlib countryside on Saturday. "
    "The Syrian Observatory for Human Rights said on Sunday that fifteen civilians were killed in the raid, as more died of their wounds.\n\n"
    "Residents said the jets returned twice while rescuers were digging in the rubble."
)


def _art(text: str, outlet: str, url: str, published: date, title: str) -> Article:
    return article_from_text(text, title=title, outlet=outlet, url=url, published=published)


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


@pytest.fixture()
def store(tmp_path):
    with SQLiteStore(tmp_path / "sitrep.db") as s:
        yield s


def _strike(store) -> list:
    return [e for e in store.events() if e.event_type == EventType.EXPLOSIONS and e.location and "Ariha" in e.location]


def test_articles_join_one_event_in_the_store_and_reingest_changes_nothing(pipe, store):
    state = _art(STATE, "SANA", "https://sana.example/en/ariha-market", date(2019, 5, 12), "Air strikes on Ariha market kill four")
    opposition = _art(OPPOSITION, "Enab Baladi", "https://enab.example/ariha-market", date(2019, 5, 12), "Russian jets bomb Ariha market")

    ingest_articles(pipe, store, [state])
    (first,) = _strike(store)
    assert first.event_date == date(2019, 5, 11) and first.source == "SANA"

    ingest_articles(pipe, store, [opposition])
    (joined,) = _strike(store)
    assert joined.event_id == first.event_id  # the later article joined; the id stayed
    assert sorted(joined.source.split("; ")) == ["Enab Baladi", "SANA"]
    assert {c.value for c in joined.claims if c.kind == "fatalities"} >= {4, 11}
    assert joined.fatalities == 4 and joined.fatalities_high >= 11
    assert joined.figures_disputed and (joined.state_media_fatalities, joined.monitor_fatalities) == (4, 11)
    assert any(lk.stage == "cross" for lk in joined.fusion)

    counts, changes = store.counts(), store.changes()
    before = {e.event_id: (e.updated_at, e.model_dump_json(exclude={"created_at", "updated_at"})) for e in store.events()}
    again = ingest_articles(pipe, store, [state, opposition])
    assert again.skipped == 2 and again.events == []
    refuse_store(pipe, store)  # even fusing everything again changes nothing
    assert store.counts() == counts and store.changes() == changes
    assert {e.event_id: (e.updated_at, e.model_dump_json(exclude={"created_at", "updated_at"})) for e in store.events()} == before


def test_same_text_under_another_url_is_no_new_event(pipe, store):
    original = _art(STATE, "SANA", "https://sana.example/en/ariha-market", date(2019, 5, 12), "Air strikes on Ariha market kill four")
    mirror = _art(STATE, "SANA", "https://mirror.example/sana/ariha", date(2019, 5, 12), "Air strikes on Ariha market kill four")
    result = ingest_articles(pipe, store, [original, mirror])
    assert len(result.articles) == 1 and store.counts()["articles"] == 1
    (strike,) = _strike(store)
    assert strike.source_urls == ["https://sana.example/en/ariha-market", "https://mirror.example/sana/ariha"]
    assert strike.source == "SANA" and len(strike.article_ids) == 1

    # Later, a syndicated copy under another outlet: the same event gains a source, not a twin.
    syndicated = _art(STATE, "Gulf Echo", "https://gulfecho.example/syria/ariha", date(2019, 5, 13), "Air strikes on Ariha market kill four")
    again = ingest_articles(pipe, store, [syndicated])
    assert again.articles == [] and again.skipped == 1 and store.counts()["articles"] == 1
    (joined,) = _strike(store)
    assert joined.event_id == strike.event_id and joined.source == "SANA; Gulf Echo"
    assert joined.source_urls[-1] == "https://gulfecho.example/syria/ariha"
    stored = store.get_article(strike.article_ids[0])
    assert [c.outlet for c in stored.copies] == ["SANA", "Gulf Echo"]

    # Re-running any of it changes nothing.
    changes, counts = store.changes(), store.counts()
    ingest_articles(pipe, store, [original, mirror, syndicated])
    assert store.changes() == changes and store.counts() == counts
    assert store.get_article(strike.article_ids[0]).copies == stored.copies


def test_an_update_with_a_new_toll_is_a_new_claim_on_the_same_event(pipe, store):
    first = _art(OPPOSITION, "Enab Baladi", "https://enab.example/ariha-market", date(2019, 5, 12), "Russian jets bomb Ariha market")
    update = _art(UPDATED, "Enab Baladi", "https://enab.example/ariha-market", date(2019, 5, 13), "Russian jets bomb Ariha market")
    ingest_articles(pipe, store, [first])
    (before,) = _strike(store)
    ingest_articles(pipe, store, [update])
    (after,) = _strike(store)
    assert after.event_id == before.event_id and len(after.article_ids) == 2
    sohr = sorted(c.value for c in after.claims if c.kind == "fatalities" and c.claimant_type == SourceType.MONITOR)
    assert sohr == [11, 15]  # the old figure is kept beside the update
    assert after.source == "Enab Baladi" and after.source_urls == ["https://enab.example/ariha-market"]


def test_an_article_dated_a_year_off_is_not_fused_across_the_year(pipe, store):
    right = _art(OPPOSITION, "Enab Baladi", "https://enab.example/ariha-market", date(2019, 5, 12), "Russian jets bomb Ariha market")
    wrong = _art(OPPOSITION + "\n\nShare this article.", "Mirror", "https://mirror.example/ariha", date(2020, 5, 12), "Russian jets bomb Ariha market")
    ingest_articles(pipe, store, [right, wrong])
    strikes = _strike(store)
    assert sorted(e.event_date.year for e in strikes) == [2019, 2020]
    assert all(len(e.article_ids) == 1 for e in strikes)


# --------------------------------------------------------------------------- moves in the change log

ARIHA = PlaceRef(name="Ariha", place_id="gn:ariha", admin1="Idleb", admin2="Ariha", latitude=35.81, longitude=36.61)
SARAQIB = PlaceRef(name="Saraqib", place_id="gn:saraqib", admin1="Idleb", admin2="Idleb", latitude=35.86, longitude=36.80)
PROVINCE = PlaceRef(name="Idleb", place_id="adm1:idleb", admin1="Idleb", latitude=35.9, longitude=36.6, geo_precision=3)


def _stored(store, aid: str, sentence: str, place: PlaceRef, published: date) -> Mention:
    article = Article(id=aid, title="", text=sentence, outlet=aid, published=published)
    span = Span(start=0, end=len(sentence))
    mention = Mention(id=Mention.make_id(aid, span, 0), article_id=aid, sentence=sentence, span=span,
                      event_type=EventType.EXPLOSIONS, sub_event_type=SubEventType.AIR_DRONE_STRIKE, place=place,
                      event_date=date(2019, 5, 11))
    store.add_article(article)
    store.add_mentions([mention])
    return mention


def test_a_mention_that_fits_a_new_event_better_moves_and_the_move_is_logged(pipe, store):
    strike = _stored(store, "a_0001", "Jets struck the market of Ariha on Saturday, killing four people.", ARIHA, date(2019, 5, 12))
    vague = _stored(store, "a_0002", "Jets pounded a bakery in Idlib province on Saturday, residents said.", PROVINCE, date(2019, 5, 12))
    (event,) = refuse_store(pipe, store)
    assert set(event.mention_ids) == {strike.id, vague.id}
    # a later report names the bakery's town: the vague mention belongs there, not in Ariha
    _stored(store, "a_0003", "Jets pounded a bakery in Saraqib on Saturday, residents said.", SARAQIB, date(2019, 5, 13))
    events = refuse_store(pipe, store)
    assert len(events) == 2
    ariha = store.get_event(event.event_id)
    assert ariha is not None and ariha.mention_ids == [strike.id]
    (moved,) = store.changes(kind="mention_moved")
    assert moved.subject_id == vague.id and moved.detail["from"] == event.event_id
    assert store.get_event(moved.detail["to"]).location == "Saraqib"
    assert "text" in moved.detail["features"] and moved.detail["score"] >= pipe.settings.fuse.min_score


def test_two_events_of_one_article_merge_when_a_later_report_ties_them_and_the_merge_is_logged(pipe, store):
    # one article reports the market strike in its opening and, further down with a day misread,
    # the rescue at the same market: within the article they stay two events
    text = ("Jets struck the vegetable market of Ariha on Saturday, killing four people. "
            + "x" * 900 + " Rescuers were still pulling people from the market rubble in Ariha on Friday.")
    article = Article(id="a_0010", title="", text=text, outlet="Levant Wire", published=date(2019, 5, 12))
    first_end = text.index("people.") + len("people.")
    later_start = text.index("Rescuers")
    spans = [Span(start=0, end=first_end), Span(start=later_start, end=len(text))]
    mentions = [
        Mention(id=Mention.make_id("a_0010", sp, sp.start), article_id="a_0010", sentence=text[sp.start:sp.end], span=sp,
                event_type=EventType.EXPLOSIONS, sub_event_type=SubEventType.AIR_DRONE_STRIKE, place=ARIHA,
                event_date=date(2019, 5, day))
        for sp, day in zip(spans, (11, 10), strict=True)
    ]
    store.add_article(article)
    store.add_mentions(mentions)
    before = refuse_store(pipe, store)
    assert len(before) == 2
    kept = next(e.event_id for e in before if mentions[0].id in e.mention_ids)
    # a second outlet reports the same strike: both of the article's events are this strike
    _stored(store, "a_0011", "Warplanes hit the vegetable market in Ariha on Saturday, killing four.", ARIHA, date(2019, 5, 12))
    after = refuse_store(pipe, store)
    (event,) = after
    assert event.event_id == kept and set(event.mention_ids) >= {m.id for m in mentions}
    (merged,) = store.changes(kind="event_merged")
    assert merged.detail["into"] == {kept: 1}


# --------------------------------------------------------------------------- fusing only what new articles reach


def test_ingest_fuses_only_what_new_articles_reach_and_equals_fusing_everything(pipe, store, tmp_path):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from scale_corpus import write_jsonl
    from sitrep.examples import example_paths

    articles, _ = pipe.read([*example_paths(), write_jsonl(tmp_path / "wires.jsonl")])
    batches = [articles[0::3], articles[1::3], articles[2::3]]
    fused_sizes = []
    for batch in batches:
        result = ingest_articles(pipe, store, batch)
        stored = store.events()
        fused_sizes.append((len(result.events), len(stored)))
        # fusing the whole store again finds nothing to change: the restricted fusion was exact
        snapshot = ({e.event_id: e.model_dump_json(exclude={"created_at", "updated_at"}) for e in stored}, store.changes())
        refuse_store(pipe, store)
        assert ({e.event_id: e.model_dump_json(exclude={"created_at", "updated_at"}) for e in store.events()}, store.changes()) == snapshot
    # later batches re-fused only part of the store
    assert any(fused < total for fused, total in fused_sizes[1:])

    # one more article, far from everything stored: only its own partition is fused
    far = _art("Jets struck the town of Abu Kamal in Deir ez-Zor province on Friday, killing three people, activists said.",
               "Euphrates Post", "https://euphrates.example/abu-kamal", date(2021, 2, 6), "Strikes on Abu Kamal")
    result = ingest_articles(pipe, store, [far])
    assert result.events and all(e.event_date and e.event_date.year == 2021 for e in result.events)
    assert len(store.events()) == len(stored) + len(result.events)
