"""One poll cycle over the feeds, and the loop around it.

For each feed: fetch it (conditional GET with the last ETag / Last-Modified), parse it,
and for each item not yet seen fetch the page, extract the article (trafilatura, the
usual cleaning), store it with its mentions in one transaction, and mark it seen. After
the cycle the store's events are re-fused once. A stop request (Ctrl-C) is looked at
between articles: the article being fetched or stored is finished first.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from sitrep.ingest.html import MIN_WORDS, extract_html, looks_like_html
from sitrep.ingest.text import Meta, build_article, decode_bytes
from sitrep.pipeline import FUSION_PENDING, Pipeline, record_copy, refuse_store
from sitrep.schema import Article
from sitrep.watch.feeds import FeedError, FeedItem, parse_feed
from sitrep.watch.fetcher import Fetcher, FetchResult
from sitrep.watch.state import SeenState

log = logging.getLogger(__name__)


@dataclass
class CycleReport:
    feeds_ok: int = 0
    feeds_failed: dict[str, str] = field(default_factory=dict)
    stored: int = 0
    duplicates: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # status → count (gone, no_text, disallowed, failed ...)
    events: int | None = None  # events in the store after re-fusion; None when nothing changed
    stopped: bool = False

    def skip(self, status: str) -> None:
        self.skipped[status] = self.skipped.get(status, 0) + 1

    def summary(self) -> str:
        parts = [f"{self.feeds_ok} feeds read", f"{self.stored} articles stored"]
        if self.duplicates:
            parts.append(f"{self.duplicates} already stored")
        parts += [f"{n} {status.replace('_', ' ')}" for status, n in sorted(self.skipped.items())]
        if self.feeds_failed:
            parts.append(f"{len(self.feeds_failed)} feeds failed")
        return ", ".join(parts)


class Watcher:
    def __init__(self, feeds: list[str], store, pipeline: Pipeline, state: SeenState, fetcher: Fetcher, *, stop: threading.Event | None = None, on_article: Callable[[Article], None] | None = None):
        self.feeds = feeds
        self.store = store
        self.pipeline = pipeline
        self.state = state
        self.fetcher = fetcher
        self.stop = stop or threading.Event()
        self.on_article = on_article
        self._touched: set[str] = set()  # articles stored or given a copy this cycle: their events are fused

    def poll(self) -> CycleReport:
        report = CycleReport()
        # A marker left by a run killed before its re-fusion: what it touched is unknown.
        interrupted = self.store.get_meta(FUSION_PENDING) is not None
        self._touched = set()
        for feed in self.feeds:
            if self.stop.is_set():
                break
            items = self._read_feed(feed, report)
            for item in items:
                if self.stop.is_set():
                    break
                if self.state.should_fetch(item.key):
                    self._take(feed, item, report)
        report.stopped = self.stop.is_set()
        if self._touched or interrupted:
            # fuse once per cycle: the part of the store the new articles reach (all after a crash)
            with self.store.transaction():
                refuse_store(self.pipeline, self.store, None if interrupted else self._touched)
                self.store.set_meta(FUSION_PENDING, None)
            report.events = self.store.counts().get("events", 0)
        return report

    def run(self, every: float, on_cycle: Callable[[CycleReport], None] | None = None) -> None:
        """Poll every ``every`` seconds until :attr:`stop` is set."""
        while not self.stop.is_set():
            report = self.poll()
            if on_cycle:
                on_cycle(report)
            self.stop.wait(every)

    def _read_feed(self, feed: str, report: CycleReport) -> list[FeedItem]:
        etag, modified = self.state.feed_validators(feed)
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
        got = self.fetcher.fetch(feed, headers=headers)
        if got.status == 304:
            report.feeds_ok += 1
            return []
        try:
            if not got.ok:
                raise FeedError(got.error or f"HTTP {got.status}")
            items = parse_feed(got.content, feed)
        except FeedError as exc:
            log.warning("%s: %s", feed, exc)
            report.feeds_failed[feed] = str(exc)
            self.state.feed_failed(feed, str(exc))
            return []
        report.feeds_ok += 1
        self.state.feed_ok(feed, got.headers.get("etag"), got.headers.get("last-modified"))
        return items

    def _take(self, feed: str, item: FeedItem, report: CycleReport) -> None:
        got = self.fetcher.fetch(item.url)
        status, article, detail = self._article(item, got)
        if article is not None:
            if self.store.has_article(article.id):
                status = "duplicate"  # another feed, a re-posted item, or stored just before a crash
                report.duplicates += 1
                if record_copy(self.store, article.id, article.as_copy()):  # a re-post elsewhere: one more source
                    self._touched.add(article.id)
            else:
                for stored, mentions in self.pipeline.extract([article]):
                    with self.store.transaction():
                        self.store.add_article(stored)
                        self.store.add_mentions(mentions)
                        self.store.set_meta(FUSION_PENDING, "1")
                    self._touched.add(stored.id)
                report.stored += 1
                if self.on_article:
                    self.on_article(article)
        if status not in ("stored", "duplicate"):
            report.skip(status)
            log.info("%s: %s%s", item.url, status, f" ({detail})" if detail else "")
        self.state.mark(item.key, feed, item.url, status, article_id=article.id if article else None, detail=detail)

    def _article(self, item: FeedItem, got: FetchResult) -> tuple[str, Article | None, str | None]:
        if got.disallowed:
            return "disallowed", None, got.error
        if got.transient:
            return "failed", None, got.error
        if not got.ok:
            return "gone", None, got.error
        content_type = got.headers.get("content-type", "")
        text, why = decode_bytes(got.content)
        if text is None or not ("html" in content_type or looks_like_html(text)):
            return "not_html", None, why or content_type
        try:
            extracted = extract_html(text, url=got.url)
        except Exception as exc:  # noqa: BLE001 - lxml/trafilatura raise many kinds on broken markup
            return "no_text", None, f"{type(exc).__name__}: {exc}"
        if extracted is None:
            return "no_text", None, None
        body, page = extracted
        # The feed says what the item is; the page fills what the feed does not.
        feed_meta = Meta(title=item.title, url=item.url, outlet=item.outlet, published=item.published,
                         published_source="metadata" if item.published else "none")
        meta = page.merged(feed_meta)
        article = build_article(body, meta, detect_title=meta.title is None, source_path=item.url)
        if article is None or len(article.text.split()) < MIN_WORDS:
            return "no_text", None, None
        return "stored", article, None
