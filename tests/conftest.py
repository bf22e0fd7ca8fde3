"""Shared fixtures. Tests run offline: no model or data is fetched from a hub."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "samples" / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from sitrep.nlp.pipeline import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def bare_nlp():
    """The model with the trigger matcher only (no knowledge bases)."""
    from sitrep.nlp.pipeline import load_nlp

    return load_nlp(with_knowledge=False)


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/samples/seeds is not present")
    return SEEDS
