"""The local parallel engine: worker processes on this machine, output in input order.

Workers are started with the ``spawn`` method (safe with threads, macOS and Windows; no
forked copy of a half-initialised spaCy), each builds one :class:`~sitrep.pipeline.Pipeline`
and loads the model and knowledge bases once, in its initializer. Articles travel to the
workers in chunks; mentions come back per article and are yielded in the order the
articles were given, so everything downstream (storing, fusion) sees exactly what the
serial path sees.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from sitrep.pipeline import Pipeline, Progress
from sitrep.schema import Article, Mention
from sitrep.settings import Settings

#: Fewer articles than this run in-process: starting workers (each loads spaCy, ~2 s)
#: costs more than it saves.
PARALLEL_FROM = 64
#: Chunks in flight per worker. Results are read in input order, so a long article at the
#: head of the queue must not leave the other workers idle: keep plenty queued behind it.
_IN_FLIGHT_PER_WORKER = 8

_worker_pipeline: Pipeline | None = None  # one per worker process, set by _init_worker


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def _init_worker(settings_json: str) -> None:
    global _worker_pipeline
    _worker_pipeline = Pipeline(Settings.model_validate_json(settings_json))
    _ = _worker_pipeline.nlp, _worker_pipeline.extractor  # load now, not on the first chunk


def _extract_chunk(articles: list[Article]) -> list[list[Mention]]:
    assert _worker_pipeline is not None, "worker not initialised"
    return [mentions for _, mentions in _worker_pipeline.extract(articles)]


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class ParallelPipeline(Pipeline):
    """A :class:`Pipeline` whose ``extract`` runs in worker processes for large inputs.

    ``workers=None`` means all cores. With one worker, or fewer than ``parallel_from``
    articles, it is the serial pipeline. The pool starts on first use and is reused until
    :meth:`close` (or the end of a ``with`` block).
    """

    def __init__(self, settings: Settings | None = None, *, workers: int | None = None, parallel_from: int = PARALLEL_FROM):
        super().__init__(settings)
        self.workers = workers or default_workers()
        self.parallel_from = parallel_from
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> ParallelPipeline:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(self.settings.model_dump_json(),),
            )
        return self._pool

    def extract(self, articles: Iterable[Article], progress: Progress | None = None) -> Iterator[tuple[Article, list[Mention]]]:
        articles = articles if isinstance(articles, list) else list(articles)
        if self.workers <= 1 or len(articles) < self.parallel_from:
            yield from super().extract(articles, progress)
            return
        yield from self._extract_parallel(articles, progress)

    def _extract_parallel(self, articles: list[Article], progress: Progress | None) -> Iterator[tuple[Article, list[Mention]]]:
        pool = self._executor()
        # Chunks small enough that every worker gets several (load balance, steady progress),
        # large enough for nlp.pipe batching to pay off.
        size = max(1, min(self.settings.batch_size, -(-len(articles) // (self.workers * 8))))
        pending: deque[tuple[list[Article], Future]] = deque()
        chunks = _chunks(articles, size)
        limit = self.workers * _IN_FLIGHT_PER_WORKER
        try:
            for chunk in chunks:
                pending.append((chunk, pool.submit(_extract_chunk, chunk)))
                if len(pending) >= limit:
                    yield from self._drain_one(pending, progress)
            while pending:
                yield from self._drain_one(pending, progress)
        finally:
            for _, future in pending:
                future.cancel()

    @staticmethod
    def _drain_one(pending: deque, progress: Progress | None) -> Iterator[tuple[Article, list[Mention]]]:
        chunk, future = pending.popleft()
        for article, mentions in zip(chunk, future.result(), strict=True):
            if progress:
                progress(1)
            yield article, mentions
