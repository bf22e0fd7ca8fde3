"""The local parallel engine gives exactly what the serial pipeline gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scale_corpus import write_jsonl
from sitrep.engine.local import ParallelPipeline
from sitrep.examples import example_paths
from sitrep.pipeline import Pipeline, ingest_articles
from sitrep.settings import Settings
from sitrep.store import open_store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("corpus")
    return [*example_paths(), write_jsonl(folder / "wires.jsonl")]


@pytest.fixture(scope="module")
def serial(corpus):
    return Pipeline().run(corpus)


@pytest.fixture(scope="module")
def parallel():
    # small batches so the articles spread over several chunks and both workers
    with ParallelPipeline(Settings(batch_size=3), workers=2, parallel_from=1) as pipe:
        yield pipe


def _dump(items) -> list[dict]:
    return [i.model_dump(mode="json") for i in items]


def test_parallel_extract_matches_serial_in_order(corpus, serial, parallel):
    articles, _ = parallel.read(corpus)
    assert len(articles) >= 15
    got = list(parallel.extract(articles))
    assert [a.id for a, _ in got] == [a.id for a in serial.articles]
    assert _dump(m for _, ms in got for m in ms) == _dump(serial.mentions)
    assert parallel._pool is not None, "the pool was not used"


def test_parallel_run_gives_the_same_events(corpus, serial, parallel):
    result = parallel.run(corpus)
    assert len(result.events) >= 8
    assert _dump(result.events) == _dump(serial.events)


def test_parallel_ingest_stores_what_serial_ingest_stores(tmp_path, corpus, parallel):
    articles, _ = parallel.read(corpus)
    stored = {}
    for name, pipe in (("serial", Pipeline()), ("parallel", parallel)):
        with open_store(tmp_path / f"{name}.db") as store:
            ingest_articles(pipe, store, articles)
            stored[name] = [e.model_dump(mode="json", exclude={"created_at", "updated_at"}) for e in store.events()]
            again = ingest_articles(pipe, store, articles)
            assert again.skipped == len(articles) and not again.articles
    assert len(stored["parallel"]) >= 8
    assert stored["parallel"] == stored["serial"]


def test_small_inputs_stay_in_process():
    pipe = ParallelPipeline(workers=4)  # default threshold: far more than one article
    from sitrep.ingest import article_from_text

    article = article_from_text("Air strikes hit the town of Saraqeb in Idlib province on Monday, killing four civilians.", published=date(2019, 5, 6))
    [(_, mentions)] = list(pipe.extract([article]))
    assert mentions and pipe._pool is None


def test_cli_run_reports_warc_skips_and_is_idempotent(tmp_path):
    from typer.testing import CliRunner

    from sitrep.cli import app
    from test_warc import write_news_warc

    warc = write_news_warc(tmp_path / "CC-NEWS.warc.gz")
    db = tmp_path / "run.db"
    runner = CliRunner()
    first = runner.invoke(app, ["run", str(warc), "--db", str(db), "--workers", "2"])
    assert first.exit_code == 0, first.output
    text = " ".join(first.output.split())  # rich wraps at the terminal width
    assert "2 not english" in text and "8 new articles" in text
    again = runner.invoke(app, ["run", str(warc), "--db", str(db)])
    assert again.exit_code == 0 and "0 new articles (8 already stored)" in " ".join(again.output.split())
    bad = runner.invoke(app, ["run", str(warc), "--db", str(db), "--address", "ray://head:10001"])
    assert bad.exit_code != 0 and "--engine ray" in " ".join(bad.output.replace("│", " ").split())
