"""``PostgresStore``: the event store in a PostgreSQL database (psycopg 3), for a team.

Same protocol, tables and idempotency as ``SQLiteStore``; migrations come from
``migrations/postgresql``. The connection runs in autocommit mode and ``transaction()``
opens BEGIN/COMMIT (SAVEPOINTs when nested).

Concurrent writers: every outermost write transaction first takes one transaction-scoped
advisory lock (per schema), so writers queue as they do on SQLite's BEGIN IMMEDIATE while
readers never wait. That keeps read-then-write steps (an unchanged-event check, the
re-fusion of all stored mentions) correct when several ingests run at once, and rules out
deadlocks between them. Inserts are ``ON CONFLICT DO NOTHING`` on deterministic ids, so two
processes ingesting the same article store it once.

Point a store at its own schema with the URL's ``options``:
``postgresql://user:pw@host/db?options=-csearch_path%3Dsitrep`` (the schema must exist).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sitrep.errors import StoreError
from sitrep.schema import Article, ArticleCopy, Event, Mention
from sitrep.store.base import Change, EventFilter
from sitrep.store.migrations import Migration, backend_migrations
from sitrep.store.sqlite import _EVENT_CHILDREN, SQLiteStore, _actor_search, _event_article_ids, _event_record

if TYPE_CHECKING:
    import psycopg

#: First half of the advisory lock key (the second is a hash of the schema name): "sitrep" in hex-ish.
_LOCK_CLASS = 0x517E9
_BATCH = 500

_MIGRATIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL
)
"""
_EVENT_COLUMNS = (
    "event_id, event_date, event_type, sub_event_type, actor1, actor2, actor_search, country, admin1, "
    "admin2, location, latitude, longitude, fatalities, modality, record, created_at, updated_at"
)
_EVENT_UPSERT = f"""
INSERT INTO events ({_EVENT_COLUMNS})
VALUES ({", ".join(["%s"] * 18)})
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
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
"""
_EVIDENCE_INSERT = """
INSERT INTO evidence (event_id, position, article_id, span_field, span_start, span_end, text, url, outlet)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
"""
_MENTION_INSERT = """
INSERT INTO mentions (id, article_id, event_type, sub_event_type, event_date, modality, admin1, record)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (id) DO NOTHING
"""
_EXAMPLE_URL = "postgresql://USER:PASSWORD@HOST:5432/DBNAME"


def redact(url: str) -> str:
    """``url`` with its password (in the user part or a ``password=`` parameter) replaced by ``***``."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        user_part, host_part = netloc.rsplit("@", 1)
        netloc = f"{user_part.split(':', 1)[0]}:***@{host_part}"
    query = parts.query
    if "password=" in query:
        query = urlencode([(k, "***" if k == "password" else v) for k, v in parse_qsl(query, keep_blank_values=True)], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _libpq_url(url: str) -> str:
    # SQLAlchemy-style "postgresql+psycopg://" and the short "postgres://" mean the same server.
    scheme, rest = url.split("://", 1)
    return f"postgresql://{rest}" if scheme in ("postgresql+psycopg", "postgres") else url


def _now() -> datetime:
    return datetime.now(UTC)


class PostgresStore:
    """An event store in the PostgreSQL database at ``url`` (tables in the connection's current schema)."""

    backend = "postgresql"

    def __init__(self, url: str, *, migrations: Sequence[Migration] | None = None, connect_timeout: int = 10):
        self.url = url
        self.connect_timeout = connect_timeout
        self._migrations = list(migrations) if migrations is not None else None
        self._conn: psycopg.Connection[Any] | None = None
        self._depth = 0

    def __repr__(self) -> str:
        return f"PostgresStore({redact(self.url)!r})"

    # ------------------------------------------------------------------ connection

    def open(self) -> PostgresStore:
        """Connect and bring the schema up to date. Safe to call twice."""
        if self._conn is not None:
            return self
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise StoreError(f"{redact(self.url)}: the PostgreSQL backend needs psycopg (pip install 'psycopg[binary]')") from exc
        try:
            conn = psycopg.connect(_libpq_url(self.url), autocommit=True, connect_timeout=self.connect_timeout)
        except psycopg.Error as exc:
            reason = " ".join(str(exc).split())
            raise StoreError(
                f"{redact(self.url)}: cannot connect to PostgreSQL ({reason}). Check that the server is running and "
                f"reachable, and the URL's host, port, user, password and database (e.g. --db {_EXAMPLE_URL}); "
                "or use a SQLite file (--db sitrep.db)"
            ) from exc
        try:
            conn.execute("SET TIME ZONE 'UTC'")
            if conn.execute("SELECT current_schema()").fetchone()[0] is None:
                raise StoreError(
                    f"{redact(self.url)}: the search_path names no existing schema; create it "
                    "(CREATE SCHEMA ...) or drop the search_path option"
                )
            self._conn = conn
            self._migrate()
        except BaseException:
            self._conn = None
            conn.close()
            raise
        return self

    @property
    def conn(self) -> psycopg.Connection[Any]:
        if self._conn is None:
            self.open()
        assert self._conn is not None
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
            self._depth = 0

    def __enter__(self) -> PostgresStore:
        return self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _lock(self) -> None:
        """Queue behind other writers of this schema until the current transaction ends."""
        self.conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))", (_LOCK_CLASS,))

    # ------------------------------------------------------------------ migrations

    def migrations(self) -> list[Migration]:
        if self._migrations is None:
            self._migrations = backend_migrations(self.backend)
        return self._migrations

    def schema_version(self) -> int:
        """The highest migration applied to this database (0 for a new one)."""
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def _migrate(self) -> None:
        import psycopg

        conn = self._conn
        assert conn is not None
        known = self.migrations()
        newest_known = known[-1].version if known else 0
        if self._applied_without_lock() == {m.version for m in known}:
            return  # up to date: opening never waits for a writer
        # One transaction per migration, each under the writers' lock: two processes opening a
        # new database at once apply every migration exactly once.
        while True:
            with conn.transaction():
                self._lock()
                conn.execute(_MIGRATIONS_TABLE)
                applied = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
                if applied and max(applied) > newest_known:
                    raise StoreError(
                        f"{redact(self.url)}: schema version {max(applied)} was written by a newer sitrep; this one "
                        f"knows up to {newest_known}. Upgrade sitrep (or export the events with the newer version)."
                    )
                pending = [m for m in known if m.version not in applied]
                if not pending:
                    return
                migration = pending[0]
                try:
                    with conn.transaction():
                        conn.execute(migration.sql)  # no parameters: runs as a script, % taken literally
                        conn.execute(
                            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                            (migration.version, migration.name, _now()),
                        )
                except psycopg.errors.DuplicateTable as exc:
                    raise StoreError(
                        f"{redact(self.url)}: holds tables sitrep did not create ({exc}); point --db at an empty "
                        "database, or at its own schema with ?options=-csearch_path%3DSCHEMA"
                    ) from exc
                except psycopg.Error as exc:
                    raise StoreError(
                        f"{redact(self.url)}: migration {migration.version:04d}_{migration.name} failed: {exc} "
                        "(the database is unchanged; report this as a bug)"
                    ) from exc

    def _applied_without_lock(self) -> set[int]:
        conn = self._conn
        assert conn is not None
        if conn.execute("SELECT to_regclass('schema_migrations')").fetchone()[0] is None:
            return set()
        return {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def transaction(self) -> Iterator[PostgresStore]:
        conn = self.conn
        with conn.transaction():  # psycopg nests with SAVEPOINTs and rolls back on any exception
            if self._depth == 0:
                self._lock()
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1

    # ------------------------------------------------------------------ articles

    def _article_keys(self, article_id: str) -> list[str]:
        """Every id the article is known by (sitrep id and external id); the given id when unknown."""
        row = self.conn.execute(
            "SELECT id, external_id FROM articles WHERE id = %s OR external_id = %s ORDER BY id = %s DESC LIMIT 1",
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
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
                   ON CONFLICT (id) DO NOTHING""",
                (
                    article.id,
                    article.external_id,
                    article.url,
                    article.title,
                    article.outlet,
                    article.published,
                    article.language,
                    article.source_path,
                    article.model_dump_json(),
                    _now(),
                ),
            )
        return cur.rowcount == 1

    def add_article_copy(self, article_id: str, copy: ArticleCopy) -> bool:
        with self.transaction():
            row = self.conn.execute("SELECT record FROM articles WHERE id = %s FOR UPDATE", (article_id,)).fetchone()
            if row is None:
                return False
            article = Article.model_validate_json(row[0])
            if not article.with_copy(copy):
                return False
            self.conn.execute("UPDATE articles SET record = %s WHERE id = %s", (article.model_dump_json(), article_id))
        return True

    def has_article(self, article_id: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM articles WHERE id = %s OR external_id = %s LIMIT 1", (article_id, article_id)
        ).fetchone()
        return row is not None

    def get_article(self, article_id: str) -> Article | None:
        row = self.conn.execute(
            "SELECT record FROM articles WHERE id = %s OR external_id = %s ORDER BY id = %s DESC LIMIT 1",
            (article_id, article_id, article_id),
        ).fetchone()
        return Article.model_validate_json(row[0]) if row else None

    # ------------------------------------------------------------------ mentions

    def add_mentions(self, mentions: Iterable[Mention]) -> int:
        import psycopg

        rows = [
            (
                m.id,
                m.article_id,
                m.event_type.value,
                m.sub_event_type.value,
                m.event_date,
                m.modality.value,
                m.place.admin1 if m.place else None,
                m.model_dump_json(),
            )
            for m in mentions
        ]
        if not rows:
            return 0
        try:
            with self.transaction():
                cur = self.conn.cursor()
                cur.executemany(_MENTION_INSERT, rows)  # pipelined; rowcount sums the new rows
                return cur.rowcount
        except psycopg.errors.ForeignKeyViolation as exc:
            detail = exc.diag.message_detail or str(exc)
            raise StoreError(f"mentions of an article that is not stored ({detail}); add the article first") from exc

    def mentions(self, article_id: str | None = None) -> list[Mention]:
        if article_id is None:
            rows = self.conn.execute("SELECT record FROM mentions ORDER BY seq, id")
        else:
            keys = self._article_keys(article_id)
            rows = self.conn.execute("SELECT record FROM mentions WHERE article_id = ANY(%s) ORDER BY seq, id", (keys,))
        return [Mention.model_validate_json(r[0]) for r in rows]

    # ------------------------------------------------------------------ events

    def upsert_events(self, events: Iterable[Event]) -> int:
        written = 0
        with self.transaction():
            batch: dict[str, Event] = {}
            for event in events:
                batch.pop(event.event_id, None)  # the last version of an event in one call wins
                batch[event.event_id] = event
                if len(batch) >= _BATCH:
                    written += self._upsert_batch(list(batch.values()))
                    batch.clear()
            if batch:
                written += self._upsert_batch(list(batch.values()))
        return written

    def _upsert_batch(self, events: list[Event]) -> int:
        conn = self.conn
        stored = {
            row[0]: (row[1], row[2])
            for row in conn.execute(
                "SELECT event_id, record, created_at FROM events WHERE event_id = ANY(%s)", ([e.event_id for e in events],)
            )
        }
        now = _now()
        changed: list[Event] = []
        upserts = []
        for event in events:
            record = _event_record(event)
            old = stored.get(event.event_id)
            if old is not None and old[0] == record:
                continue  # unchanged: keep updated_at, so re-ingesting changes nothing
            created = old[1] if old is not None else (event.created_at or now)
            changed.append(event)
            upserts.append(
                (
                    event.event_id,
                    event.event_date,
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
                )
            )
        if not changed:
            return 0
        ids = [e.event_id for e in changed]
        cur = conn.cursor()
        cur.executemany(_EVENT_UPSERT, upserts)
        for table in _EVENT_CHILDREN:
            conn.execute(f"DELETE FROM {table} WHERE event_id = ANY(%s)", (ids,))
        cur.executemany(
            _CLAIM_INSERT,
            [
                (
                    e.event_id,
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
                for e in changed
                for i, c in enumerate(e.claims)
            ],
        )
        cur.executemany(
            _EVIDENCE_INSERT,
            [
                (e.event_id, i, v.article_id, v.span.field, v.span.start, v.span.end, v.text, v.url, v.outlet)
                for e in changed
                for i, v in enumerate(e.evidence)
            ],
        )
        cur.executemany(
            "INSERT INTO event_mentions (event_id, mention_id) VALUES (%s, %s)",
            [(e.event_id, m) for e in changed for m in dict.fromkeys(e.mention_ids)],
        )
        cur.executemany(
            "INSERT INTO event_articles (event_id, article_id) VALUES (%s, %s)",
            [(e.event_id, a) for e in changed for a in sorted(_event_article_ids(e))],
        )
        return len(changed)

    @staticmethod
    def _event_from_row(record: str, created_at: datetime, updated_at: datetime) -> Event:
        event = Event.model_validate_json(record)
        event.created_at = created_at
        event.updated_at = updated_at
        return event

    # The filter SQL is SQLiteStore's (portable SQL with ? placeholders), so a filter added there
    # works here too; only the placeholder style differs.
    _where = SQLiteStore._where

    def events(self, filter: EventFilter | None = None) -> list[Event]:
        f = filter or EventFilter()
        where, params = self._where(f)
        sql = f"SELECT record, created_at, updated_at FROM events{where} ORDER BY event_date IS NULL, event_date, event_id"
        if f.limit is not None:
            sql += " LIMIT ?"
            params.append(f.limit)
        return [self._event_from_row(*row) for row in self.conn.execute(sql.replace("?", "%s"), params)]

    def get_event(self, event_id: str) -> Event | None:
        row = self.conn.execute(
            "SELECT record, created_at, updated_at FROM events WHERE event_id = %s", (event_id,)
        ).fetchone()
        return self._event_from_row(*row) if row else None

    def delete_events(self, event_ids: Iterable[str]) -> int:
        ids = list(dict.fromkeys(event_ids))
        if not ids:
            return 0
        with self.transaction():
            for table in _EVENT_CHILDREN:
                self.conn.execute(f"DELETE FROM {table} WHERE event_id = ANY(%s)", (ids,))
            return self.conn.execute("DELETE FROM events WHERE event_id = ANY(%s)", (ids,)).rowcount

    # ------------------------------------------------------------------ change log

    def log_change(self, kind: str, subject_id: str, detail: dict[str, Any]) -> None:
        from psycopg.types.json import Jsonb

        with self.transaction():
            self.conn.execute(
                "INSERT INTO changes (at, kind, subject_id, detail) VALUES (%s, %s, %s, %s)",
                (_now(), kind, subject_id, Jsonb(detail, dumps=partial(json.dumps, sort_keys=True, default=str))),
            )

    def changes(self, kind: str | None = None, subject_id: str | None = None) -> list[Change]:
        clauses, params = [], []
        if kind is not None:
            clauses.append("kind = %s")
            params.append(kind)
        if subject_id is not None:
            clauses.append("subject_id = %s")
            params.append(subject_id)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self.conn.execute(f"SELECT id, at, kind, subject_id, detail FROM changes{where} ORDER BY id", params)
        return [Change(id=r[0], at=r[1], kind=r[2], subject_id=r[3], detail=r[4]) for r in rows]

    # ------------------------------------------------------------------ state

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str | None) -> None:
        with self.transaction():
            if value is None:
                self.conn.execute("DELETE FROM meta WHERE key = %s", (key,))
            else:
                self.conn.execute(
                    "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    # ------------------------------------------------------------------ housekeeping

    def counts(self) -> dict[str, int]:
        conn = self.conn
        return {
            table: int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in ("articles", "mentions", "events", "claims")
        }
