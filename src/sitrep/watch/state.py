"""What the watcher has seen: a small SQLite file beside the store.

A separate file (not tables in the store) keeps the store's schema the pipeline's own and
works the same beside a PostgreSQL store. Items reach a final status (stored, duplicate,
gone, no text, disallowed) and are never fetched again; transient failures are retried on
later polls up to ``max_tries``. An article stored just before a crash but not yet marked
here is recognised by the store itself (content-hash ids), so it is never stored twice.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

FINAL = frozenset({"stored", "duplicate", "gone", "no_text", "disallowed", "not_html"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    key TEXT PRIMARY KEY,
    feed TEXT NOT NULL,
    url TEXT NOT NULL,
    status TEXT NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    article_id TEXT,
    detail TEXT,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,
    modified TEXT,
    last_ok TEXT,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0
);
"""


def default_state_path(db: str) -> Path:
    """``sitrep.db`` → ``sitrep.db.watch.sqlite``; a URL store → ``sitrep-watch.sqlite`` here."""
    if "://" in db and not db.startswith("sqlite://"):
        return Path("sitrep-watch.sqlite")
    return Path(db.removeprefix("sqlite:///") + ".watch.sqlite")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SeenState:
    def __init__(self, path: Path, *, max_tries: int = 3):
        self.path = path
        self.max_tries = max_tries
        self.conn = sqlite3.connect(path, isolation_level=None)  # autocommit: each mark is durable at once
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.executescript(_SCHEMA)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SeenState:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def should_fetch(self, key: str) -> bool:
        row = self.conn.execute("SELECT status, tries FROM items WHERE key = ?", (key,)).fetchone()
        return row is None or (row[0] not in FINAL and row[1] < self.max_tries)

    def mark(self, key: str, feed: str, url: str, status: str, *, article_id: str | None = None, detail: str | None = None) -> None:
        self.conn.execute(
            """INSERT INTO items (key, feed, url, status, tries, article_id, detail, updated) VALUES (?, ?, ?, ?, 1, ?, ?, ?)
               ON CONFLICT(key) DO UPDATE SET status = excluded.status, tries = items.tries + 1,
               article_id = COALESCE(excluded.article_id, items.article_id), detail = excluded.detail, updated = excluded.updated""",
            (key, feed, url, status, article_id, detail, _now()),
        )

    def status(self, key: str) -> str | None:
        row = self.conn.execute("SELECT status FROM items WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def counts(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT status, COUNT(*) FROM items GROUP BY status").fetchall())

    def feed_validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.conn.execute("SELECT etag, modified FROM feeds WHERE url = ?", (url,)).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def feed_ok(self, url: str, etag: str | None, modified: str | None) -> None:
        self.conn.execute(
            """INSERT INTO feeds (url, etag, modified, last_ok, failures) VALUES (?, ?, ?, ?, 0)
               ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, modified = excluded.modified,
               last_ok = excluded.last_ok, failures = 0""",
            (url, etag, modified, _now()),
        )

    def feed_failed(self, url: str, error: str) -> None:
        self.conn.execute(
            """INSERT INTO feeds (url, last_error, failures) VALUES (?, ?, 1)
               ON CONFLICT(url) DO UPDATE SET last_error = excluded.last_error, failures = feeds.failures + 1""",
            (url, error),
        )
