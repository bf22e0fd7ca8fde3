"""Measurement of extraction against labelled data (``sitrep eval``).

One module per data format (``fakes``, ``ucdp``, ``gold``), each with
``evaluate(path, *, limit=None, pipeline=None, progress=None) -> EvalReport``.
Labelled data is read here only to score: nothing in the knowledge bases comes from it.
"""

from sitrep.evaluate.report import EvalReport, Score

__all__ = ["EvalReport", "Score"]
