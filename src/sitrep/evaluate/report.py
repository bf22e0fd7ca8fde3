"""The report every evaluation returns: printed as a table, written as JSON."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Score(BaseModel):
    """One scored field: ``hits`` of ``n`` items (``value`` = hits / n), or a mean/median."""

    name: str
    value: float | None
    hits: int | None = None
    n: int
    target: float | None = None
    description: str = ""


class EvalReport(BaseModel):
    format: str
    data: str
    n_items: int
    scores: list[Score]
    counts: dict[str, int] = Field(default_factory=dict)
    #: Per-item rows for reading disagreements (gold vs predicted); JSON only.
    details: list[dict[str, Any]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def score(self, name: str) -> Score:
        for s in self.scores:
            if s.name == name:
                return s
        raise KeyError(name)
