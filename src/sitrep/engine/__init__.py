"""Engines: where the pipeline's stage functions run.

- serial: :class:`sitrep.pipeline.Pipeline` itself, one process.
- local: :class:`~sitrep.engine.local.ParallelPipeline`, a pool of worker processes on
  this machine (spaCy and the knowledge bases loaded once per worker), output in input order.
- ray: :mod:`sitrep.engine.ray_engine`, Ray Data over a local or remote Ray cluster.

Every engine calls the same ``Pipeline.extract`` and ``fuse`` functions; only the
placement of the work differs.
"""

from __future__ import annotations

from sitrep.engine.local import PARALLEL_FROM, ParallelPipeline, default_workers

__all__ = ["PARALLEL_FROM", "ParallelPipeline", "default_workers"]
