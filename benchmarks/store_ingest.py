"""PostgreSQL against SQLite ingest rate: the same articles, in the same run, into each store.

    .venv/bin/python benchmarks/store_ingest.py [--articles 300] [--batches 5] [--rounds 3] [--pg-url URL]

Extraction (spaCy) runs once up front and is replayed for every store, so the timings are
what differs between backends: storing each article with its mentions (one transaction per
article, as ``sitrep ingest`` does) and re-fusing the store after each batch (read every
mention, fuse, write changed events). Without --pg-url a throwaway PostgreSQL server with
default durability (fsync on) is started on 127.0.0.1; SQLite runs with its defaults (WAL).
Prints articles/s and events/s per backend (median of the rounds) and the PostgreSQL/SQLite ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "store"))

from ingest_corpus import write_corpus  # noqa: E402  (the generated wire corpus of the store tests)

from sitrep.pipeline import Pipeline, ingest_articles  # noqa: E402
from sitrep.schema import Article, Mention  # noqa: E402
from sitrep.store import open_store  # noqa: E402
from sitrep.store.throwaway import ThrowawayPostgres  # noqa: E402


class ReplayPipeline(Pipeline):
    """A pipeline whose extraction replays mentions computed once, so every store gets the same input."""

    def __init__(self, mentions: dict[str, list[Mention]]):
        super().__init__()
        self._cached = mentions

    def extract(self, articles, progress=None):
        for article in articles:
            yield article, self._cached[article.id]


def _fresh_pg_target(url: str) -> str:
    import psycopg

    schema = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


def _drop_pg_schema(url: str, target: str) -> None:
    import psycopg

    schema = target.rsplit("%3D", 1)[1]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def ingest_once(pipe: ReplayPipeline, target, articles: list[Article], batches: int) -> tuple[float, int]:
    """Seconds to ingest ``articles`` in ``batches`` into a new store; returns (seconds, events stored)."""
    size = -(-len(articles) // batches)
    start = time.perf_counter()
    with open_store(target) as store:
        for i in range(0, len(articles), size):
            ingest_articles(pipe, store, articles[i : i + size])
        elapsed = time.perf_counter() - start
        events = store.counts()["events"]
    return elapsed, events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--batches", type=int, default=5, help="ingest calls (each re-fuses the store)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pg-url", help="an existing PostgreSQL database (a schema is created and dropped)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as tmp:
        corpus = write_corpus(Path(tmp) / "wire.jsonl", args.articles)
        base = Pipeline()
        articles, problems = base.read([corpus])
        t0 = time.perf_counter()
        cached = {a.id: ms for a, ms in base.extract(articles)}
        nlp_s = time.perf_counter() - t0
        pipe = ReplayPipeline(cached)
        n_mentions = sum(len(ms) for ms in cached.values())
        print(f"{len(articles)} articles, {n_mentions} mentions (extraction, not timed below: {nlp_s:.1f} s)")

        server = None if args.pg_url else ThrowawayPostgres(durable=True).start()
        pg_url = args.pg_url or server.url
        times: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
        events: dict[str, int] = {}
        try:
            for r in range(args.rounds):
                for backend in ("sqlite", "postgresql") if r % 2 == 0 else ("postgresql", "sqlite"):
                    if backend == "sqlite":
                        target = Path(tmp) / f"round{r}.db"
                    else:
                        target = _fresh_pg_target(pg_url)
                    seconds, events[backend] = ingest_once(pipe, target, articles, args.batches)
                    times[backend].append(seconds)
                    if backend == "postgresql":
                        _drop_pg_schema(pg_url, target)
        finally:
            if server is not None:
                server.stop()

    assert events["sqlite"] == events["postgresql"], events
    print(f"{args.batches} ingest batches, median of {args.rounds} rounds\n")
    print(f"{'backend':<12}{'seconds':>9}{'articles/s':>12}{'events/s':>10}")
    rate = {}
    for backend in ("sqlite", "postgresql"):
        med = statistics.median(times[backend])
        rate[backend] = len(articles) / med
        print(f"{backend:<12}{med:>9.2f}{len(articles) / med:>12.1f}{events[backend] / med:>10.1f}")
    print(f"\nPostgreSQL / SQLite ingest rate: {rate['postgresql'] / rate['sqlite']:.2f}")


if __name__ == "__main__":
    main()
