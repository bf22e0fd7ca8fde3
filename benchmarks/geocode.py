"""Share of pipeline time spent geocoding (place candidates + resolution), and the raw resolver speed.

    .venv/bin/python benchmarks/geocode.py [--n 200] [--batch-size 32]

Runs ``Pipeline.extract`` on the same texts as benchmarks/throughput.py (FA-KES article
bodies from ../shared/eval when present, else the bundled examples) with the place
resolver's public methods wrapped in a timer (nested calls counted once), and prints the
geocoding seconds over the whole extraction's seconds. The issue's budget is 10 %.
The gazetteer used is the user's index (``$SITREP_HOME``); point ``SITREP_HOME`` at a folder
with an imported gazetteer to measure that case.
"""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import load_texts  # noqa: E402  (same texts as the throughput benchmark)


class Timer:
    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._depth = 0

    def wrap(self, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            if self._depth:
                return fn(*args, **kwargs)
            self._depth += 1
            self.calls += 1
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t0
                self._depth -= 1

        return timed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()

    from datetime import date

    from sitrep.pipeline import Pipeline
    from sitrep.resolve.places import PlaceResolver
    from sitrep.schema import Article
    from sitrep.settings import Settings

    texts, source = load_texts(args.n)
    articles = [Article(id=Article.make_id("", t), text=t, published=date(2017, 1, 1), published_source="metadata") for t in texts]
    t0 = time.perf_counter()
    pipe = Pipeline(Settings(batch_size=args.batch_size))
    _ = pipe.nlp
    t_nlp = time.perf_counter() - t0
    t0 = time.perf_counter()
    resolver = pipe.extractor.places
    t_load = time.perf_counter() - t0
    timer = Timer()
    for name in ("resolve", "resolve_text", "candidates_from_text"):
        setattr(resolver, name, timer.wrap(getattr(resolver, name)))
    # spaCy alone on the same texts, for scale
    t0 = time.perf_counter()
    for _ in pipe.nlp.pipe(texts, batch_size=args.batch_size):
        pass
    spacy_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    mentions = sum(len(m) for _, m in pipe.extract(articles))
    total = time.perf_counter() - t0

    gaz = resolver.gazetteer
    print(f"texts: {len(texts)} from {source}; gazetteer: {len(gaz)} places")
    print(f"model load {t_nlp:.2f}s; extractor + gazetteer load {t_load:.2f}s")
    print(f"spaCy alone: {spacy_s:.2f}s; pipeline extract: {total:.2f}s; mentions: {mentions}")
    print(f"geocoding: {timer.seconds:.2f}s in {timer.calls} calls")
    print(f"geocoding share of pipeline time: {timer.seconds / total:.3f} (budget 0.10)")


if __name__ == "__main__":
    main()
