"""Shared fixtures. Tests run offline: no model or data is fetched from a hub."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# The gazetteer index is built on first use in the user's data folder: tests get a private one.
if "SITREP_HOME" not in os.environ:
    import atexit
    import shutil
    import tempfile

    os.environ["SITREP_HOME"] = tempfile.mkdtemp(prefix="sitrep-test-home-")
    atexit.register(shutil.rmtree, os.environ["SITREP_HOME"], True)

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


@pytest.fixture(scope="session")
def extractor():
    """The event extractor with the packaged knowledge bases."""
    from sitrep.extract.events import EventExtractor

    return EventExtractor()


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/samples/seeds is not present")
    return SEEDS
