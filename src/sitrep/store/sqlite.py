"""``SQLiteStore``: the event store in one SQLite file (WAL mode, foreign keys on).

The constructor only remembers the path; ``open()`` (or the first use) connects and
applies the migrations the file does not have yet. Transactions are explicit: the
connection runs in autocommit mode and ``transaction()`` issues BEGIN/COMMIT, with
SAVEPOINTs when nested, so a failing inner block rolls back only itself.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sitrep.errors import StoreError
from sitrep.schema import Article, ArticleCopy, Event, Mention
from sitrep.store.base import Change, EventFilter, chunked
from sitrep.store.migrations import Migration, backend_migrations

#: SQLite's default limit on bound parameters is 999 in old builds; stay below it.
_MAX_PARAMS = 500

_MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""

_EVENT_COLUMNS = (
    "event_id, event_date, event_type, sub_event_type, actor1, actor2, actor_search, country, admin1, "
    "admin2, location, latitude, longitude, fatalities, modality, record, created_at, updated_at"
)
_EVENT_UPSERT = f"""
INSERT INTO events ({_EVENT_COLUMNS})
VALUES ({", ".join("?" * 18)})
ON CONFLICT (event_id) DO UPDATE SET
    event_date = excluded.event_date, event_type = excluded.event_type,
    sub_event_type = excluded.sub_event_type, actor1 = excluded.actor1, actor2 = excluded.actor2,
    actor_search = excluded.actor_search, country = excluded.country, admin1 = excluded.admin1,
    admin2 = excluded.admin2, location = excluded.location, latitude = excluded.latitude,
    longitude = excluded.longitude, fatalities = excluded.fatalities, modality = excluded.modality,
    record = excluded.record, updated_at = excluded.updated_at
"""
_CLAIM_INSERT = """
INSERT INTO claims (event_id, position, kind, value, low, high, qualifier, victims, claimant,
                    claimant_type, modality, article_id, span_field, span_start, span_end, text)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_EVIDENCE_INSERT = """
INSERT INTO evidence (event_id, position, article_id, span_field, span_start, span_end, text, url, outlet)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
#: Child tables of ``events``, cleared and refilled when an event changes.
_EVENT_CHILDREN = ("claims", "evidence", "event_mentions", "event_articles")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _like_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, with LIKE's wildcards taken literally."""
    escaped = text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _actor_search(event: Event) -> str:
    names = (event.actor1, event.assoc_actor_1, event.actor2, event.assoc_actor_2)
    # Newline-joined so a substring never spans two actors.
    return "\n".join(n for n in names if n).casefold()


def _event_record(event: Event) -> str:
    # Timestamps live in their own columns so an unchanged event compares equal.
    return event.model_dump_json(exclude={"created_at", "updated_at"})


def _event_article_ids(event: Event) -> set[str]:
    ids = set(event.article_ids)
    ids.update(ev.article_id for ev in event.evidence)
    ids.update(c.article_id for c in event.claims if c.article_id)
    return ids


class SQLiteStore:
    """An event store in one SQLite file; ``":memory:"`` gives a private in-memory store."""

    backend = "sqlite"

    def __init__(self, path: str | Path, *, migrations: Sequence[Migration] | None = None):
        self.path = path if str(path) == ":memory:" else Path(path)
        self._migrations = list(migrations) if migrations is not None else None
        self._conn: sqlite3.Connection | None = None
        self._depth = 0  # transaction nesting: 0 = none open

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

    # ------------------------------------------------------------------ connection

    def open(self) -> SQLiteStore:
        """Connect and bring the schema up to date. Safe to call twice."""
        if self._conn is not None:
            return self
        if isinstance(self.path, Path) and not self.path.parent.exists():
            raise StoreError(f"{self.path}: folder {self.path.parent} does not exist (create it first)")
        try:
            # check_same_thread=False: a server may hand the store between worker threads;
            # callers still use one store from one thread at a time.
            conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30.0, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            self._enable_wal(conn)
            self._conn = conn
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._conn = None
            conn.close()
            raise StoreError(f"{self.path}: not a sitrep store ({exc}); give another --db file") from exc
        except BaseException:
            self._conn = None
            conn.close()
            raise
        return self

    @staticmethod
    def _enable_wal(conn: sqlite3.Connection) -> None:
        # Switching a new file to WAL needs an exclusive lock and SQLite does not wait for it
        # (no busy handler), so processes creating one store at once retry here.
        for attempt in range(300):
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 299:
                    raise
                time.sleep(0.1)

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self.open()
        assert self._conn is not None
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            self._depth = 0

    def __enter__(self) -> SQLiteStore:
        return self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ migrations

    def migrations(self) -> list[Migration]:
        if self._migrations is None:
            self._migrations = backend_migrations(self.backend)
        return self._migrations

    def schema_version(self) -> int:
        """The highest migration applied to this file (0 for a new file)."""
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def _migrate(self) -> None:
        conn = self._conn
        assert conn is not None
        conn.execute(_MIGRATIONS_TABLE)
        applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        known = self.migrations()
        newest_known = known[-1].version if known else 0
        if applied and max(applied) > newest_known:
            raise StoreError(
                f"{self.path}: schema version {max(applied)} was written by a newer sitrep; this one knows up to "
                f"{newest_known}. Upgrade sitrep (or export the events with the newer version)."
            )
        for migration in known:
            if migration.version not in applied:
                self._apply(migration)

    def _apply(self, migration: Migration) -> None:
        conn = self._conn
        assert conn is not None
        # executescript would commit an open transaction first, so the script opens its own. It
        # records the version first: when another process applied it meanwhile, the primary key
        # stops this one before any of the migration's statements run.
        name = migration.name.replace("'", "''")
        record = f"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({int(migration.version)}, '{name}', '{_now()}');\n"
        try:
            conn.executescript("BEGIN IMMEDIATE;\n" + record + migration.sql)
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.IntegrityError) and conn.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (migration.version,)
            ).fetchone():
                return  # applied by a concurrent process
            raise StoreError(
                f"{self.path}: migration {migration.version:04d}_{migration.name} failed: {exc} "
                "(the file is unchanged; report this as a bug)"
            ) from exc

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def transaction(self) -> Iterator[SQLiteStore]:
        conn = self.conn
        savepoint = f"sitrep_{self._depth}" if self._depth else None
        conn.execute(f"SAVEPOINT {savepoint}" if savepoint else "BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield self
        except BaseException:
            self._depth -= 1
            if savepoint:
                conn.execute(f"ROLLBACK TO {savepoint}")
                conn.execute(f"RELEASE {savepoint}")
            else:
                conn.execute("ROLLBACK")
            raise
        self._depth -= 1
        conn.execute(f"RELEASE {savepoint}" if savepoint else "COMMIT")

    # ------------------------------------------------------------------ articles

    def _article_keys(self, article_id: str) -> list[str]:
        """Every id the article is known by (sitrep id and external id); the given id when unknown."""
        row = self.conn.execute(
            "SELECT id, external_id FROM articles WHERE id = ? OR external_id = ? ORDER BY id = ? DESC LIMIT 1",
            (article_id, article_id, article_id),
        ).fetchone()
        if row is None:
            return [article_id]
        return [k for k in row if k]

    def add_article(self, article: Article) -> bool:
        with self.transaction():
            cur = self.conn.execute(
                """INSERT INTO articles (id, external_id, url, title, outlet, published, language, source_path,
                                         record, added_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO NOTHING""",
                (
                    article.id,
                    article.external_id,
                    article.url,
                    article.title,
                    article.outlet,
                    _iso(article.published),
                    article.language,
                    article.source_path,
                    article.model_dump_json(),
                    _now(),
                ),
            )
        return cur.rowcount == 1

    def add_article_copy(self, article_id: str, copy: ArticleCopy) -> bool:
        with self.transaction():
            row = self.conn.execute("SELECT record FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                return False
            article = Article.model_validate_json(row[0])
            if not article.with_copy(copy):
                return False
            self.conn.execute("UPDATE articles SET record = ? WHERE id = ?", (article.model_dump_json(), article_id))
        return True

    def has_article(self, article_id: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM articles WHERE id = ? OR external_id = ? LIMIT 1", (article_id, article_id)
        ).fetchone()
        return row is not None

    def get_article(self, article_id: str) -> Article | None:
        row = self.conn.execute(
            "SELECT record FROM articles WHERE id = ? OR external_id = ? ORDER BY id = ? DESC LIMIT 1",
            (article_id, article_id, article_id),
        ).fetchone()
        return Article.model_validate_json(row[0]) if row else None

    # ------------------------------------------------------------------ mentions

    def add_mentions(self, mentions: Iterable[Mention]) -> int:
        added = 0
        with self.transaction():
            conn = self.conn
            seq = int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM mentions").fetchone()[0])
            for m in mentions:
                seq += 1
                try:
                    cur = conn.execute(
                        """INSERT INTO mentions (id, article_id, seq, event_type, sub_event_type, event_date,
                                                 modality, admin1, record)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                           ON CONFLICT (id) DO NOTHING""",
                        (
                            m.id,
                            m.article_id,
                            seq,
                            m.event_type.value,
                            m.sub_event_type.value,
                            _iso(m.event_date),
                            m.modality.value,
                            m.place.admin1 if m.place else None,
                            m.model_dump_json(),
                        ),
                    )
                except sqlite3.IntegrityError as exc:
                    raise StoreError(
                        f"mention {m.id}: its article {m.article_id} is not stored ({exc}); add the article first"
                    ) from exc
                added += cur.rowcount
        return added

    def mentions(self, article_id: str | None = None) -> list[Mention]:
        if article_id is None:
            rows = self.conn.execute("SELECT record FROM mentions ORDER BY seq, id")
        else:
            keys = self._article_keys(article_id)
            marks = ", ".join("?" * len(keys))
            rows = self.conn.execute(f"SELECT record FROM mentions WHERE article_id IN ({marks}) ORDER BY seq, id", keys)
        return [Mention.model_validate_json(r[0]) for r in rows]

    # ------------------------------------------------------------------ events

    def upsert_events(self, events: Iterable[Event]) -> int:
        written = 0
        with self.transaction():
            for event in events:
                written += self._upsert_event(event)
        return written

    def _upsert_event(self, event: Event) -> int:
        conn = self.conn
        record = _event_record(event)
        row = conn.execute("SELECT record, created_at FROM events WHERE event_id = ?", (event.event_id,)).fetchone()
        if row is not None and row[0] == record:
            return 0  # unchanged: keep updated_at, so re-ingesting changes nothing
        now = _now()
        if row is not None:
            created = row[1]
        else:
            created = event.created_at.isoformat() if event.created_at else now
        conn.execute(
            _EVENT_UPSERT,
            (
                event.event_id,
                _iso(event.event_date),
                event.event_type.value,
                event.sub_event_type.value,
                event.actor1,
                event.actor2,
                _actor_search(event),
                event.country,
                event.admin1,
                event.admin2,
                event.location,
                event.latitude,
                event.longitude,
                event.fatalities,
                event.modality.value,
                record,
                created,
                now,
            ),
        )
        for table in _EVENT_CHILDREN:
            conn.execute(f"DELETE FROM {table} WHERE event_id = ?", (event.event_id,))
        self._insert_children(event)
        return 1

    def _insert_children(self, event: Event) -> None:
        conn, eid = self.conn, event.event_id
        conn.executemany(
            _CLAIM_INSERT,
            [
                (
                    eid,
                    i,
                    c.kind,
                    c.value,
                    c.low,
                    c.high,
                    c.qualifier,
                    c.victims,
                    c.claimant,
                    c.claimant_type.value,
                    c.modality.value,
                    c.article_id,
                    c.span.field if c.span else None,
                    c.span.start if c.span else None,
                    c.span.end if c.span else None,
                    c.text,
                )
                for i, c in enumerate(event.claims)
            ],
        )
        conn.executemany(
            _EVIDENCE_INSERT,
            [
                (eid, i, e.article_id, e.span.field, e.span.start, e.span.end, e.text, e.url, e.outlet)
                for i, e in enumerate(event.evidence)
            ],
        )
        conn.executemany(
            "INSERT INTO event_mentions (event_id, mention_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(eid, m) for m in dict.fromkeys(event.mention_ids)],
        )
        conn.executemany(
            "INSERT INTO event_articles (event_id, article_id) VALUES (?, ?)",
            [(eid, a) for a in sorted(_event_article_ids(event))],
        )

    def _event_from_row(self, record: str, created_at: str, updated_at: str) -> Event:
        event = Event.model_validate_json(record)
        event.created_at = datetime.fromisoformat(created_at)
        event.updated_at = datetime.fromisoformat(updated_at)
        return event

    # PostgresStore reuses this method: keep it portable SQL with ? placeholders (and no literal ? or %).
    def _where(self, f: EventFilter) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if f.since is not None:
            clauses.append("event_date >= ?")
            params.append(f.since.isoformat())
        if f.until is not None:
            clauses.append("event_date <= ?")
            params.append(f.until.isoformat())
        for column in ("event_type", "sub_event_type", "modality"):
            value = getattr(f, column)
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if f.admin1 is not None:
            clauses.append("LOWER(admin1) = LOWER(?)")
            params.append(f.admin1)
        if f.actor is not None:
            clauses.append("actor_search LIKE ? ESCAPE '\\'")
            params.append(_like_pattern(f.actor))
        if f.min_fatalities is not None:
            clauses.append("fatalities >= ?")
            params.append(f.min_fatalities)
        if f.article_id is not None:
            keys = self._article_keys(f.article_id)
            marks = ", ".join("?" * len(keys))
            clauses.append(f"event_id IN (SELECT event_id FROM event_articles WHERE article_id IN ({marks}))")
            params.extend(keys)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def events(self, filter: EventFilter | None = None) -> list[Event]:
        f = filter or EventFilter()
        where, params = self._where(f)
        # (event_date IS NULL) puts undated events last in every SQL dialect.
        sql = f"SELECT record, created_at, updated_at FROM events{where} ORDER BY event_date IS NULL, event_date, event_id"
        if f.limit is not None:
            sql += " LIMIT ?"
            params.append(f.limit)
        return [self._event_from_row(*row) for row in self.conn.execute(sql, params)]

    def get_event(self, event_id: str) -> Event | None:
        row = self.conn.execute(
            "SELECT record, created_at, updated_at FROM events WHERE event_id = ?", (event_id,)
        ).fetchone()
        return self._event_from_row(*row) if row else None

    def delete_events(self, event_ids: Iterable[str]) -> int:
        deleted = 0
        with self.transaction():
            for chunk in chunked(dict.fromkeys(event_ids), _MAX_PARAMS):
                marks = ", ".join("?" * len(chunk))
                for table in _EVENT_CHILDREN:  # explicit, not only ON DELETE CASCADE: survives foreign_keys=OFF
                    self.conn.execute(f"DELETE FROM {table} WHERE event_id IN ({marks})", chunk)
                deleted += self.conn.execute(f"DELETE FROM events WHERE event_id IN ({marks})", chunk).rowcount
        return deleted

    # ------------------------------------------------------------------ change log

    def log_change(self, kind: str, subject_id: str, detail: dict[str, Any]) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO changes (at, kind, subject_id, detail) VALUES (?, ?, ?, ?)",
                (_now(), kind, subject_id, json.dumps(detail, sort_keys=True, default=str)),
            )

    def changes(self, kind: str | None = None, subject_id: str | None = None) -> list[Change]:
        clauses, params = [], []
        if kind is not None:
            clauses.append("kind = ?")
            params.append(kind)
        if subject_id is not None:
            clauses.append("subject_id = ?")
            params.append(subject_id)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self.conn.execute(f"SELECT id, at, kind, subject_id, detail FROM changes{where} ORDER BY id", params)
        return [
            Change(id=r[0], at=datetime.fromisoformat(r[1]), kind=r[2], subject_id=r[3], detail=json.loads(r[4]))
            for r in rows
        ]

    # ------------------------------------------------------------------ state

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self.transaction():
            if value is None:
                self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
            else:
                self.conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    # ------------------------------------------------------------------ housekeeping

    def counts(self) -> dict[str, int]:
        conn = self.conn
        return {
            table: int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in ("articles", "mentions", "events", "claims")
        }
