"""Saved web pages (.html, .htm): trafilatura finds the article, then the usual cleaning.

The raw text of an HTML article is trafilatura's extracted text with one blank line
between blocks (so cleaning never re-joins two blocks); offsets point into that text,
not into the markup.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from sitrep.ingest.text import Meta, build_article, parse_published, read_text_bytes
from sitrep.schema import Article, InputProblem

log = logging.getLogger(__name__)

#: Fewer words than this after cleaning is a listing or error page, not an article.
MIN_WORDS = 12
_NO_TEXT_HINT = "the page holds no article body (an index, paywall or script-built page); save the article page itself or give its text as .txt"


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<html" in head and "<body" in text[:8192].lower())


def extract_html(html: str, *, url: str | None = None) -> tuple[str, Meta] | None:
    """(article text, page metadata) or None when trafilatura finds no article."""
    from trafilatura import bare_extraction  # heavy import; only HTML input needs it

    doc = bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        # Dates from page markup only: the extensive search turns "Copyright 2020" into 2020-01-01.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None:
        return None
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    text = get("text") or ""
    blocks = [line.strip() for line in text.splitlines() if line.strip()]
    if not blocks:
        return None
    published = None
    if get("date"):
        try:
            published = parse_published(get("date"))
        except ValueError:
            log.debug("page date %r is not a date", get("date"))
    meta = Meta(
        title=get("title") or None,
        url=get("url") or None,
        outlet=get("sitename") or get("hostname") or None,
        published=published,
        published_source="metadata" if published else "none",
        language=get("language") or None,
    )
    return "\n\n".join(blocks), meta


def read_html_file(path: Path, meta: Meta, *, published: date | None, max_bytes: int) -> Article | InputProblem:
    html, problem = read_text_bytes(path, max_bytes)
    if problem is not None:
        return problem
    assert html is not None
    try:
        extracted = extract_html(html, url=meta.url)
    except Exception as exc:  # noqa: BLE001 - lxml/trafilatura raise many kinds on broken markup
        return InputProblem(path=str(path), message=f"cannot parse HTML: {type(exc).__name__}: {exc}", hint=_NO_TEXT_HINT)
    if extracted is None:
        return InputProblem(path=str(path), message="no article text found", hint=_NO_TEXT_HINT)
    text, page_meta = extracted
    # The caller's metadata (manifest) wins over what the page says about itself.
    merged = page_meta.merged(meta)
    article = build_article(
        text,
        merged,
        published_default=published,
        source_path=str(path),
        detect_title=merged.title is None,
    )
    if article is None or len(article.text.split()) < MIN_WORDS:
        return InputProblem(path=str(path), message="no article text found", hint=_NO_TEXT_HINT)
    return article
