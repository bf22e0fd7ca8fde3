"""Reading articles: files and folders in, :class:`~sitrep.schema.Article` out.

``read_paths`` walks folders in sorted order and dispatches by extension (and content for
unknown extensions): text (.txt, .md, none), HTML (.html, .htm), JSON Lines (.jsonl,
.ndjson) and WARC crawls (.warc, .warc.gz). Bad input never raises: each bad file or line becomes one
:class:`~sitrep.schema.InputProblem` and the batch goes on.

Metadata for text and HTML files comes from a ``manifest.jsonl`` beside them (one JSON
object per line with ``file`` and any of url, title, outlet, published, language, id) and
from front matter at the top of a text file; front matter wins over the manifest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from sitrep.ingest.html import looks_like_html, read_html_file
from sitrep.ingest.jsonl import read_jsonl_file
from sitrep.ingest.warc import WarcStats, is_warc, read_warc_file
from sitrep.ingest.text import (
    MANIFEST_NAME,
    SUPPORTED_HINT,
    Meta,
    article_from_text,
    load_manifest,
    read_text_file,
)
from sitrep.schema import Article, InputProblem

__all__ = ["read_paths", "article_from_text", "TEXT_SUFFIXES", "HTML_SUFFIXES", "JSONL_SUFFIXES"]

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
#: Files that sit beside articles in a folder but are not articles.
NON_ARTICLE_NAMES = frozenset({MANIFEST_NAME, "readme", "readme.md", "readme.txt", "license", "expected.yaml"})


def read_paths(
    paths: Iterable[str | Path],
    *,
    published: date | None = None,
    max_bytes: int = 10_000_000,
    warc_stats: WarcStats | None = None,
) -> Iterator[Article | InputProblem]:
    """Articles and problems from files and folders, in a deterministic order.

    ``published`` is the publication date for articles whose metadata gives none (before
    a dateline found in the text). ``max_bytes`` limits one file (one line for JSON Lines).
    ``warc_stats`` collects what WARC files held and skipped.
    """
    manifests: dict[Path, dict[str, Meta]] = {}  # per call: folders read so far
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for file in _walk(path):
                yield from _read_file(file, manifests, published=published, max_bytes=max_bytes, warc_stats=warc_stats)
        elif path.is_file():
            yield from _read_file(path, manifests, published=published, max_bytes=max_bytes, warc_stats=warc_stats)
        elif path.exists():
            yield InputProblem(path=str(path), message="not a regular file", hint=SUPPORTED_HINT)
        else:
            yield InputProblem(path=str(path), message="no such file or folder", hint="check the path (relative paths are taken from the current folder)")


def _walk(folder: Path) -> Iterator[Path]:
    """Article files under ``folder``, recursively, sorted by relative path; hidden ones skipped."""
    found = []
    for file in folder.rglob("*"):
        rel = file.relative_to(folder)
        if any(part.startswith((".", "__")) for part in rel.parts):
            continue
        if not file.is_file() or file.name.lower() in NON_ARTICLE_NAMES:
            continue
        if file.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES or is_warc(file):
            found.append(rel)
    for rel in sorted(found, key=lambda p: p.as_posix()):
        yield folder / rel


def _read_file(
    path: Path,
    manifests: dict[Path, dict[str, Meta]],
    *,
    published: date | None,
    max_bytes: int,
    warc_stats: WarcStats | None = None,
) -> Iterator[Article | InputProblem]:
    suffix = path.suffix.lower()
    try:
        if is_warc(path):  # .warc.gz: checked before the suffix, which is only .gz
            yield from read_warc_file(path, published=published, max_bytes=max_bytes, stats=warc_stats)
            return
        if suffix in JSONL_SUFFIXES:
            yield from read_jsonl_file(path, published=published, max_bytes=max_bytes)
            return
        meta, problems = _manifest_meta(path, manifests)
        yield from problems
        if suffix in HTML_SUFFIXES or _sniff_html(path):
            yield read_html_file(path, meta, published=published, max_bytes=max_bytes)
        else:
            yield read_text_file(path, meta, published=published, max_bytes=max_bytes)
    except Exception as exc:  # noqa: BLE001 - one unreadable file must not stop the batch
        yield InputProblem(
            path=str(path),
            message=f"could not read: {type(exc).__name__}: {exc}",
            hint="this may be a bug in sitrep; please report it with the file",
        )


def _manifest_meta(path: Path, manifests: dict[Path, dict[str, Meta]]) -> tuple[Meta, list[InputProblem]]:
    folder = path.parent.resolve()
    problems: list[InputProblem] = []
    if folder not in manifests:
        manifests[folder], problems = load_manifest(folder)
    return manifests[folder].get(path.name, Meta()), problems


def _sniff_html(path: Path) -> bool:
    """A text-named file that is really a saved web page."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError:
        return False
    return looks_like_html(head.decode("utf-8", errors="ignore"))
