"""The Ray engine on a local Ray instance stores the events the local engine stores."""

from __future__ import annotations

import pytest

pytest.importorskip("ray")

import pyarrow.dataset as pads  # noqa: E402
import ray  # noqa: E402

from scale_corpus import ARTICLES, write_jsonl  # noqa: E402
from sitrep.engine.local import ParallelPipeline  # noqa: E402
from sitrep.engine.ray_engine import run_ray  # noqa: E402
from sitrep.ingest import read_paths  # noqa: E402
from sitrep.pipeline import ingest_articles, split_input  # noqa: E402
from sitrep.store import open_store  # noqa: E402
from test_warc import write_news_warc  # noqa: E402


@pytest.fixture(scope="module")
def local_ray():
    # small and quiet: two CPUs, no dashboard, a 100 MB object store
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=100 * 1024**2, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def shards(tmp_path_factory):
    d = tmp_path_factory.mktemp("shards")
    return [
        write_jsonl(d / "part-0.jsonl", ARTICLES[:4]),
        write_jsonl(d / "part-1.jsonl", ARTICLES[4:]),
        write_news_warc(d / "CC-NEWS-00001.warc.gz", LATER_REPORTS),
        # the first shard's opening story again, syndicated by another outlet (same title and text)
        write_jsonl(d / "part-2.jsonl", [{**ARTICLES[0], "id": "md-1", "outlet": "Mirror Daily", "url": "https://mirrordaily.example/market"}]),
    ]


#: Two more outlets on events of the JSONL shards, and one new event.
LATER_REPORTS = [
    {**ARTICLES[0], "id": "hb-1", "outlet": "Hama Bulletin", "url": "https://hamabulletin.example/market",
     "title": "Russian jets blamed for Maarat al-Numan market strike",
     "text": "Russian warplanes struck a busy market in Maarat al-Numan in Idlib province on Sunday, killing 14 "
     "civilians, local rescuers said. Shops and cars were set on fire by the raid."},
    {**ARTICLES[3], "id": "hb-2", "outlet": "Hama Bulletin", "url": "https://hamabulletin.example/tabqa",
     "title": "Checkpoint bombing in Tabqa",
     "text": "A car bomb killed five SDF fighters at a checkpoint in the town of Tabqa in Raqqa province on "
     "Wednesday, the Syrian Democratic Forces said in a statement."},
    {**ARTICLES[5], "id": "hb-3", "outlet": "Hama Bulletin", "url": "https://hamabulletin.example/hama-shelling",
     "published": "2017-10-02", "title": "Shelling hits Kafr Zita",
     "text": "Government artillery shelled the town of Kafr Zita in northern Hama countryside on Monday, killing two "
     "civilians and wounding six others, the Syrian Observatory for Human Rights said."},
]


def _local(db, paths) -> list[dict]:
    with open_store(db) as store, ParallelPipeline(workers=1) as pipe:
        articles, _ = split_input(read_paths(paths))
        ingest_articles(pipe, store, articles)
        return _events(store)


def _events(store) -> list[dict]:
    return [e.model_dump(mode="json", exclude={"created_at", "updated_at"}) for e in store.events()]


def test_ray_engine_matches_local_engine(tmp_path, local_ray, shards):
    work = tmp_path / "work"
    with open_store(tmp_path / "ray.db") as store:
        first = run_ray(shards[:2], store, workers=2, work_dir=work)
        assert first.articles == len(ARTICLES) and first.skipped == 0 and not first.problems
        assert first.partition_groups < first.partitions  # the week-border merge happened
        ray_events = _events(store)
    assert len(ray_events) >= 6
    assert ray_events == _local(tmp_path / "local.db", shards[:2])
    mentions = pads.dataset(str(work / "mentions"), format="parquet").to_table()
    assert mentions.num_rows == first.mentions
    assert "Idleb|2017-W09" in set(mentions.column("partition").to_pylist())

    # a WARC shard on top of the stored events: new articles join them (whole-store fusion)
    with open_store(tmp_path / "ray.db") as store:
        second = run_ray(shards[:3], store, workers=2, work_dir=tmp_path / "work2")
        assert second.skipped == len(ARTICLES) and second.articles == 3
        assert second.warc.articles == 3 and second.warc.not_response == 4
        ray_events = _events(store)
        # everything again: nothing new, nothing changed
        third = run_ray(shards[:3], store, workers=2, work_dir=tmp_path / "work3")
        assert third.articles == 0 and third.skipped == len(ARTICLES) + 3
        assert _events(store) == ray_events
    assert ray_events == _local(tmp_path / "local2.db", shards[:3])

    # a syndicated copy of a stored text: no new article or event, one more source on the event
    with open_store(tmp_path / "ray.db") as store:
        fourth = run_ray(shards[3:], store, workers=2, work_dir=tmp_path / "work4")
        assert fourth.articles == 0 and fourth.skipped == 1
        ray_events = _events(store)
    assert len(ray_events) == len(_local(tmp_path / "local2.db", shards[:3]))
    assert any("Mirror Daily" in (e["source"] or "") and "https://mirrordaily.example/market" in e["source_urls"] for e in ray_events)
    assert ray_events == _local(tmp_path / "local3.db", shards)
