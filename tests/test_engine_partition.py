"""Partitioned fusion (admin1 × week, merged across borders) equals one fusion over everything."""

from __future__ import annotations

from datetime import date

import pytest

from scale_corpus import write_jsonl
from sitrep.engine.partition import fuse_partitioned, merge_partitions, partition_key
from sitrep.examples import example_paths
from sitrep.fuse import fuse
from sitrep.pipeline import Pipeline
from sitrep.schema import SUB_EVENT_PARENT, Article, Mention, PlaceRef, Span, SubEventType


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    pipe = Pipeline()
    articles, _ = pipe.read([*example_paths(), write_jsonl(tmp_path_factory.mktemp("c") / "wires.jsonl")])
    mentions = [m for _, ms in pipe.extract(articles) for m in ms]
    return {a.id: a for a in articles}, mentions


def test_partitioned_fusion_equals_global_fusion(extracted):
    articles, mentions = extracted
    _, events = fuse_partitioned(mentions, articles)
    expected = fuse(mentions, articles)
    assert len(expected) >= 8
    assert [e.model_dump(mode="json") for e in events] == [e.model_dump(mode="json") for e in expected]


def test_week_border_is_merged(extracted):
    articles, mentions = extracted
    keys = {partition_key(m) for m in mentions if m.is_event}
    groups = merge_partitions(mentions)
    assert len(groups) < len(keys)  # some partitions had to be fused together
    # the Sunday market strike (ISO week 9) and the Monday report dating its risen toll (week 10)
    market = [g for g in groups if "Idleb|2017-W09" in g]
    assert market and "Idleb|2017-W10" in market[0]
    # nothing of the same family nearby in time and place: fused on its own
    assert ["Deir ez Zor|2017-W38"] in groups
    assert len(groups) >= 4
    _, events = fuse_partitioned(mentions, articles)
    [strike] = [e for e in events if e.location and "Numan" in e.location and str(e.event_date).startswith("2017-03")]
    assert strike.mentions >= 2 and len(set(strike.article_ids)) == 2


# --------------------------------------------------------------------------- borders fusion can cross


def _mention(aid: str, sub: SubEventType, place: PlaceRef, day: date | None, text: str) -> tuple[Article, Mention]:
    article = Article(id=aid, title="", text=text, outlet=aid, published=day)
    span = Span(start=0, end=len(text))
    mention = Mention(id=Mention.make_id(aid, span, 0), article_id=aid, sentence=text, span=span,
                      event_type=SUB_EVENT_PARENT[sub], sub_event_type=sub, place=place, event_date=day)
    return article, mention


TALBISEH = PlaceRef(name="Talbiseh", place_id="t:talbiseh", admin1="Homs", latitude=34.84, longitude=36.73)
KAFR_NABUDA = PlaceRef(name="Kafr Nabuda", place_id="t:kafr-nabuda", admin1="Hama", latitude=35.41, longitude=36.50)
KAFR_ZITA = PlaceRef(name="Kafr Zita", place_id="t:kafr-zita", admin1="Hama", latitude=35.37, longitude=36.60)
HARBNAFSA = PlaceRef(name="Harbnafsa", place_id="t:harbnafsa", admin1="Hama", latitude=34.98, longitude=36.59)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # an undated report joins its governorate's reports of any week
        ((SubEventType.SHELLING, KAFR_ZITA, date(2018, 5, 2), "Shells hit Kafr Zita, killing three civilians."),
         (SubEventType.SHELLING, KAFR_ZITA, None, "Government shells hit Kafr Zita, killing three civilians.")),
        # a massacre of civilians is compared with explosions: one outlet names the victims, another the weapon
        ((SubEventType.ATTACK, KAFR_NABUDA, date(2018, 5, 6), "Gunmen killed five farmers in Kafr Nabuda on Sunday."),
         (SubEventType.SHELLING, KAFR_NABUDA, date(2018, 5, 7), "Shelling killed five farmers in Kafr Nabuda.")),
        # two towns 20 km apart on either side of the Homs-Hama line, in one grid neighbourhood
        ((SubEventType.AIR_DRONE_STRIKE, TALBISEH, date(2018, 5, 6), "Air strikes hit Talbiseh on Sunday, killing four."),
         (SubEventType.AIR_DRONE_STRIKE, HARBNAFSA, date(2018, 5, 6), "Air strikes on Harbnafsa killed four.")),
    ],
)
def test_partitions_join_whatever_fusion_could_compare(first, second):
    a1, m1 = _mention("a_first", *first)
    a2, m2 = _mention("a_second", *second)
    keys = {partition_key(m1), partition_key(m2)}
    assert len(keys) == 2  # different partitions to begin with
    groups = merge_partitions([m1, m2])
    assert [sorted(keys)] == groups
    articles = {a1.id: a1, a2.id: a2}
    _, events = fuse_partitioned([m1, m2], articles)
    assert [e.model_dump(mode="json") for e in events] == [e.model_dump(mode="json") for e in fuse([m1, m2], articles)]


def test_far_apart_reports_stay_in_their_own_partitions():
    _, m1 = _mention("a_first", SubEventType.SHELLING, KAFR_ZITA, date(2018, 5, 6), "Shells hit Kafr Zita on Sunday.")
    _, m2 = _mention("a_second", SubEventType.SHELLING, TALBISEH, date(2018, 5, 30), "Shells hit Talbiseh.")
    # the next day, across the week border, but a protest: another family, never compared
    _, m3 = _mention("a_third", SubEventType.PEACEFUL_PROTEST, KAFR_ZITA, date(2018, 5, 7), "Residents of Kafr Zita protested.")
    assert merge_partitions([m1, m2, m3]) == [["Hama|2018-W18"], ["Hama|2018-W19"], ["Homs|2018-W22"]]
