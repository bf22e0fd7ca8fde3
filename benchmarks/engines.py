"""The Ray engine against the local engine on the same corpus, end to end into a fresh store.

    .venv/bin/python benchmarks/engines.py [--n 200] [--shards 4] [--workers all]

Corpus: the article bodies of ../shared/eval/fakes_dev.csv (as benchmarks/throughput.py),
written as JSON Lines shards. Each engine runs in its own process; Ray's time includes
starting a local Ray instance (reported separately) and the Parquet round trip. Also
checks that both engines stored the same events.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import load_texts  # noqa: E402


def write_shards(folder: Path, n: int, shards: int) -> list[Path]:
    texts, _ = load_texts(n)
    paths = [folder / f"part-{i:03d}.jsonl" for i in range(shards)]
    handles = [p.open("w", encoding="utf-8") for p in paths]
    for i, text in enumerate(texts):
        handles[i % shards].write(json.dumps({"id": f"d{i}", "published": "2017-01-01", "text": text}) + "\n")
    for h in handles:
        h.close()
    return paths


def run_engine(engine: str, paths: list[str], db: str, workers: int) -> dict:
    from sitrep.store import open_store

    t0 = time.perf_counter()
    startup = 0.0
    with open_store(db) as store:
        if engine == "local":
            from sitrep.engine.local import ParallelPipeline
            from sitrep.ingest import read_paths
            from sitrep.pipeline import ingest_articles, split_input

            articles, _ = split_input(read_paths(paths))
            with ParallelPipeline(workers=workers) as pipe:
                ingest_articles(pipe, store, articles)
        else:
            import ray

            from sitrep.engine.ray_engine import LOCAL_OBJECT_STORE_BYTES, run_ray

            s0 = time.perf_counter()
            ray.init(num_cpus=workers, include_dashboard=False, object_store_memory=LOCAL_OBJECT_STORE_BYTES, log_to_driver=False, configure_logging=False)
            startup = time.perf_counter() - s0
            run_ray(paths, store, workers=workers)
            ray.shutdown()
        elapsed = time.perf_counter() - t0
        counts = store.counts()
        events = sorted((e.event_id, e.event_date.isoformat() if e.event_date else "", e.location or "", e.fatalities) for e in store.events())
    return {"engine": engine, "seconds": round(elapsed, 1), "startup_s": round(startup, 1), "articles": counts["articles"],
            "articles_per_s": round(counts["articles"] / elapsed, 2), "events": len(events), "events_digest": hash(tuple(events))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--workers", default="all")
    ap.add_argument("--engine", choices=["local", "ray"], help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    ap.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    from sitrep.engine.local import default_workers

    workers = default_workers() if args.workers == "all" else int(args.workers)
    if args.engine:
        print(json.dumps(run_engine(args.engine, args.paths, args.db, workers)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        paths = [str(p) for p in write_shards(Path(tmp), args.n, args.shards)]
        results = []
        for engine in ("local", "ray"):
            proc = subprocess.run(
                [sys.executable, __file__, "--engine", engine, "--db", f"{tmp}/{engine}.db", "--workers", str(workers), *paths],
                capture_output=True, text=True, check=True, env=dict(os.environ, HF_HUB_OFFLINE="1", PYTHONHASHSEED="0"),
            )
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(f"{args.n} articles in {args.shards} JSONL shards, {workers} workers")
    print(f"{'engine':<7}{'seconds':>9}{'startup s':>11}{'articles/s':>12}{'events':>8}")
    for r in results:
        print(f"{r['engine']:<7}{r['seconds']:>9}{r['startup_s']:>11}{r['articles_per_s']:>12}{r['events']:>8}")
    local, ray_ = results
    print(f"ray/local throughput ratio: {ray_['articles_per_s'] / local['articles_per_s']:.2f}; "
          f"same events: {local['events_digest'] == ray_['events_digest']}")


if __name__ == "__main__":
    main()
