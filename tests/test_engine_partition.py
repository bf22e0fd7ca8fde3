"""Partitioned fusion (admin1 × week, merged across borders) equals one fusion over everything."""

from __future__ import annotations

import pytest

from scale_corpus import write_jsonl
from sitrep.engine.partition import fuse_partitioned, merge_partitions, partition_key
from sitrep.examples import example_paths
from sitrep.fuse import fuse
from sitrep.pipeline import Pipeline


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
