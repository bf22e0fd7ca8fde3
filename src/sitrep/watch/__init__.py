"""Live feeds: poll RSS/Atom feeds, fetch new article pages politely, ingest them once.

- :mod:`~sitrep.watch.feeds`: the feed list file and feed parsing (feedparser);
- :mod:`~sitrep.watch.fetcher`: HTTP with timeouts, retries with backoff, a per-host rate
  limit, robots.txt and a real User-Agent (httpx, urllib.robotparser);
- :mod:`~sitrep.watch.state`: what has been seen, in a small SQLite file beside the store;
- :mod:`~sitrep.watch.watcher`: one poll cycle and the loop around it.
"""

from sitrep.watch.feeds import FeedItem, read_feed_list
from sitrep.watch.fetcher import USER_AGENT, Fetcher, FetchResult
from sitrep.watch.state import SeenState
from sitrep.watch.watcher import CycleReport, Watcher

__all__ = ["USER_AGENT", "CycleReport", "FeedItem", "FetchResult", "Fetcher", "SeenState", "Watcher", "read_feed_list"]
