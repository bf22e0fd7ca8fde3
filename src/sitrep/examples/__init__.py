"""The bundled example corpus: realistic Syrian-war reporting that ``sitrep demo`` runs on.

The articles (plain text, saved web pages, one JSON Lines file of wire items) live beside
this module together with ``manifest.jsonl`` (metadata for some of the text files),
``expected.yaml`` (what the pipeline must and must not extract; see
:mod:`sitrep.examples.expectations`) and a README listing them.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: File suffixes that hold articles.
ARTICLE_SUFFIXES: frozenset[str] = frozenset({".txt", ".html", ".htm", ".jsonl"})
#: Files beside the articles that are not articles themselves.
NON_ARTICLE_FILES: frozenset[str] = frozenset({"manifest.jsonl", "expected.yaml", "README.md"})


def examples_dir() -> Path:
    """The folder holding the example articles (the installed package folder)."""
    root = resources.files(__name__)
    # The package is always installed as plain files (never zipped), so the traversable
    # is a real directory; fail loudly rather than hand out a path that does not exist.
    path = Path(str(root))
    if not path.is_dir():  # pragma: no cover - only for zip-imported installs
        raise FileNotFoundError(f"sitrep.examples is not a folder on disk: {root}")
    return path


def example_paths() -> list[Path]:
    """The example article files, sorted by name (manifest, expectations and README excluded)."""
    folder = examples_dir()
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and p.name not in NON_ARTICLE_FILES
    )


def expected_path() -> Path:
    """``expected.yaml``: the end-to-end contract for the example articles."""
    return examples_dir() / "expected.yaml"


__all__ = ["ARTICLE_SUFFIXES", "NON_ARTICLE_FILES", "example_paths", "examples_dir", "expected_path"]
