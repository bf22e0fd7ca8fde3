"""The feed list (one URL a line) and RSS/Atom parsing with feedparser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from sitrep.errors import InputError


@dataclass(frozen=True)
class FeedItem:
    key: str  # the entry's id (guid), else its link: what "seen" is remembered by
    url: str
    title: str | None = None
    published: date | None = None
    outlet: str | None = None


class FeedError(Exception):
    """A feed that could not be read this time (the others go on)."""


def read_feed_list(path: Path) -> list[str]:
    """Feed URLs from a text file: one per line; blank lines and ``#`` comments ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read the feed list: {exc}", hint="give a text file with one feed URL per line") from exc
    urls: list[str] = []
    for n, line in enumerate(lines, 1):
        url = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not url:
            continue
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise InputError(str(path), f"{url!r} is not an http(s) URL", line=n, hint="one feed URL per line, e.g. https://example.org/rss.xml")
        if url not in urls:
            urls.append(url)
    if not urls:
        raise InputError(str(path), "no feed URLs", hint="add one RSS or Atom feed URL per line")
    return urls


def parse_feed(content: bytes, feed_url: str) -> list[FeedItem]:
    """Items of an RSS or Atom document, in feed order. Raises :class:`FeedError` when none can be read."""
    import feedparser

    parsed = feedparser.parse(content)
    if not parsed.entries:
        if parsed.bozo:
            raise FeedError(f"malformed feed: {type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}")
        if not parsed.get("version"):
            raise FeedError("not an RSS or Atom feed")
        return []
    outlet = parsed.feed.get("title") or urlsplit(feed_url).netloc
    items: list[FeedItem] = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link or urlsplit(link).scheme not in ("http", "https"):
            continue  # an item without a page to fetch
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        items.append(
            FeedItem(
                key=entry.get("id") or link,
                url=link,
                title=entry.get("title") or None,
                published=date(*when[:3]) if when else None,
                outlet=outlet,
            )
        )
    return items
