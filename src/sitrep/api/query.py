"""Read-side SQL for the API: filters, sorting, keyset pagination, clustering and timelines.

The store's ``events(EventFilter)`` returns whole ``Event`` records, which is right for export
but too slow to page, cluster or count 100,000 events per request. These queries read the
store's indexed columns directly, over a read-only SQLite connection per thread, and parse a
full record only for single-event views. Every value reaches SQL as a bound parameter; the
only text spliced into SQL comes from fixed whitelists in this module (sort columns).
"""

from __future__ import annotations

import base64
import json
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from sitrep.errors import StoreError
from sitrep.store.migrations import backend_migrations

Sort = Literal["event_date", "-event_date", "fatalities", "-fatalities"]
Interval = Literal["day", "week"]

#: Sort key expressions; undated events sort last in both directions.
_SORT_KEYS: dict[str, tuple[str, bool]] = {
    "event_date": ("COALESCE(event_date, '9999-12-31')", False),
    "-event_date": ("COALESCE(event_date, '')", True),
    "fatalities": ("fatalities", False),
    "-fatalities": ("fatalities", True),
}

SUMMARY_COLUMNS = (
    "event_id, event_date, event_type, sub_event_type, actor1, actor2, admin1, admin2, location, "
    "latitude, longitude, fatalities, modality, json_extract(record, '$.notes'), json_extract(record, '$.source')"
)
SUMMARY_FIELDS = (
    "event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "admin1", "admin2",
    "location", "latitude", "longitude", "fatalities", "modality", "notes", "source",
)


class BadQuery(ValueError):
    """A request parameter that cannot be honoured (answered with 400 and this message)."""


def fts_phrase(text: str) -> str:
    """An FTS5 query matching ``text`` as one phrase: with trigram tokens, as a substring."""
    return '"' + text.replace('"', '""') + '"'


def like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, case-insensitively, wildcards taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass
class Filters:
    """The filter set shared by /events, /events.geojson and /stats/timeline."""

    since: date | None = None
    until: date | None = None
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    admin1: str | None = None
    event_type: list[str] = field(default_factory=list)
    sub_event_type: list[str] = field(default_factory=list)
    actor: str | None = None
    source: str | None = None
    source_outlets: list[str] | None = None  # outlets of the requested source type (resolved by the caller)
    source_type: str | None = None
    modality: list[str] = field(default_factory=list)
    min_fatalities: int | None = None
    q: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.since is not None:
            clauses.append("event_date >= ?")
            params.append(self.since.isoformat())
        if self.until is not None:
            clauses.append("event_date <= ?")
            params.append(self.until.isoformat())
        if self.bbox is not None:
            west, south, east, north = self.bbox
            clauses.append("latitude BETWEEN ? AND ?")
            params += [south, north]
            if west <= east:
                clauses.append("longitude BETWEEN ? AND ?")
                params += [west, east]
            else:  # a box across the antimeridian
                clauses.append("(longitude >= ? OR longitude <= ?)")
                params += [west, east]
        if self.admin1:
            clauses.append("LOWER(admin1) = LOWER(?)")
            params.append(self.admin1)
        for column, values in (("event_type", self.event_type), ("sub_event_type", self.sub_event_type), ("modality", self.modality)):
            if values:
                clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
                params += values
        if self.actor:
            clauses.append("actor_search LIKE ? ESCAPE '\\'")
            params.append(like(self.actor))
        if self.source:
            clauses.append(
                "(LOWER(json_extract(record, '$.source')) LIKE ? ESCAPE '\\' OR event_id IN "
                "(SELECT event_id FROM evidence WHERE LOWER(outlet) LIKE ? ESCAPE '\\'))"
            )
            params += [like(self.source)] * 2
        if self.source_type:
            outlets = self.source_outlets or []
            marks = ", ".join("?" * len(outlets)) or "NULL"
            clauses.append(
                f"(event_id IN (SELECT event_id FROM evidence WHERE outlet IN ({marks})) "
                "OR event_id IN (SELECT event_id FROM claims WHERE claimant_type = ?))"
            )
            params += [*outlets, self.source_type]
        if self.min_fatalities is not None:
            clauses.append("fatalities >= ?")
            params.append(self.min_fatalities)
        if self.q and len(self.q.strip()) >= 3:
            # the trigram index (migration 0003) finds any substring of three or more characters
            clauses.append(
                "(events.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?) OR event_id IN "
                "(SELECT event_id FROM evidence WHERE rowid IN (SELECT rowid FROM evidence_fts WHERE evidence_fts MATCH ?)))"
            )
            params += [fts_phrase(self.q.strip())] * 2
        elif self.q:
            clauses.append(
                "(LOWER(json_extract(record, '$.notes')) LIKE ? ESCAPE '\\' OR event_id IN "
                "(SELECT event_id FROM evidence WHERE LOWER(text) LIKE ? ESCAPE '\\'))"
            )
            params += [like(self.q)] * 2
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def encode_cursor(sort: str, key: Any, event_id: str) -> str:
    raw = json.dumps([sort, key, event_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        got_sort, key, event_id = json.loads(raw)
    except (ValueError, TypeError) as exc:
        raise BadQuery("cursor is not one this server issued; start again without it") from exc
    if got_sort != sort:
        raise BadQuery(f"cursor was issued for sort={got_sort}, not sort={sort}; keep the sort while paging")
    if not isinstance(event_id, str) or not isinstance(key, (str, int)):
        raise BadQuery("cursor is not one this server issued; start again without it")
    return key, event_id


class Reader:
    """Read-only connections to one SQLite store file, one per thread."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        with self._connect() as conn:  # fail at start-up, not on the first request
            try:
                conn.execute("SELECT 1 FROM events LIMIT 1").fetchall()
                version = conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] or 0
            except sqlite3.DatabaseError as exc:
                raise StoreError(f"{path}: not a sitrep store ({exc}); build one with `sitrep ingest` or `sitrep demo`") from exc
        if version < backend_migrations("sqlite")[-1].version:
            # a store written by an older sitrep: bring its schema (e.g. the text index) up to
            # date once, with the store's own migrations, before serving it read-only
            from sitrep.store import open_store

            with open_store(path):
                pass

    def _connect(self) -> sqlite3.Connection:
        if not self.path.is_file():
            raise StoreError(f"{self.path}: no such store file; build one with `sitrep demo --out DIR` or `sitrep ingest`")
        try:
            # mode=ro: this connection cannot write, whatever SQL it is given.
            return sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False, timeout=30.0)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store read-only: {exc}") from exc

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple]:
        return self.conn.execute(sql, params).fetchall()

    def version(self) -> tuple:
        """Changes when the store file is written (cache key for per-store aggregates); a stat, no query."""
        stamps = []
        for suffix in ("", "-wal"):
            try:
                st = (self.path.parent / (self.path.name + suffix)).stat()
                stamps += [st.st_mtime_ns, st.st_size]
            except FileNotFoundError:
                stamps += [0, 0]
        return tuple(stamps)

    # ------------------------------------------------------------------ events

    def count(self, filters: Filters) -> int:
        where, params = filters.where()
        return int(self.rows(f"SELECT COUNT(*) FROM events{where}", params)[0][0])

    def page(self, filters: Filters, sort: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        key_sql, desc = _SORT_KEYS[sort]
        where, params = filters.where()
        if cursor:
            key, event_id = decode_cursor(cursor, sort)
            op = "<" if desc else ">"
            where += (" AND " if where else " WHERE ") + f"({key_sql} {op} ? OR ({key_sql} = ? AND event_id {op} ?))"
            params += [key, key, event_id]
        order = "DESC" if desc else "ASC"
        sql = f"SELECT {SUMMARY_COLUMNS}, {key_sql} FROM events{where} ORDER BY {key_sql} {order}, event_id {order} LIMIT ?"
        rows = self.rows(sql, [*params, limit + 1])
        items = [dict(zip(SUMMARY_FIELDS, r[:-1], strict=True)) for r in rows[:limit]]
        next_cursor = encode_cursor(sort, rows[limit - 1][-1], rows[limit - 1][0]) if len(rows) > limit else None
        return items, next_cursor

    def points(self, filters: Filters, limit: int) -> list[tuple]:
        where, params = filters.where()
        where += (" AND " if where else " WHERE ") + "latitude IS NOT NULL AND longitude IS NOT NULL"
        sql = (
            "SELECT event_id, longitude, latitude, event_date, event_type, sub_event_type, fatalities, location, "
            f"actor1, actor2, modality FROM events{where} ORDER BY event_date IS NULL, event_date, event_id LIMIT ?"
        )
        return self.rows(sql, [*params, limit])

    def clusters(self, filters: Filters, cell: float) -> list[tuple]:
        """Grid cells of ``cell`` degrees: (gx, gy, count, fatalities, mean lon, mean lat, one id, commonest type)."""
        where, params = filters.where()
        where += (" AND " if where else " WHERE ") + "latitude IS NOT NULL AND longitude IS NOT NULL"
        # One pass grouped by cell and type (+180/+90 keeps values positive, so CAST truncation is floor);
        # the few resulting rows are merged per cell here.
        sql = f"""
            SELECT CAST((longitude + 180) / ? AS INTEGER) AS gx, CAST((latitude + 90) / ? AS INTEGER) AS gy, event_type,
                   COUNT(*), SUM(fatalities), SUM(longitude), SUM(latitude), MIN(event_id)
            FROM events{where} GROUP BY gx, gy, event_type
        """
        cells: dict[tuple[int, int], list] = {}
        for gx, gy, etype, n, fat, slon, slat, eid in self.rows(sql, [cell, cell, *params]):
            c = cells.setdefault((gx, gy), [0, 0, 0.0, 0.0, eid, etype, 0])
            c[0] += n
            c[1] += fat or 0
            c[2] += slon
            c[3] += slat
            c[4] = min(c[4], eid)
            if n > c[6]:
                c[5], c[6] = etype, n
        return [(gx, gy, n, fat, slon / n, slat / n, eid, etype) for (gx, gy), (n, fat, slon, slat, eid, etype, _) in cells.items()]

    def timeline(self, filters: Filters, interval: str) -> list[tuple]:
        where, params = filters.where()
        where += (" AND " if where else " WHERE ") + "event_date IS NOT NULL"
        # Weeks start on Monday: step back six days, then forward to the next Monday.
        period = "event_date" if interval == "day" else "date(event_date, '-6 days', 'weekday 1')"
        sql = (
            f"SELECT {period} AS period, event_type, COUNT(*), SUM(fatalities) FROM events{where} "
            "GROUP BY period, event_type ORDER BY period, event_type"
        )
        return self.rows(sql, params)

    def record(self, event_id: str) -> tuple[str, str, str] | None:
        rows = self.rows("SELECT record, created_at, updated_at FROM events WHERE event_id = ?", (event_id,))
        return rows[0] if rows else None

    def mention_records(self, mention_ids: list[str]) -> list[str]:
        if not mention_ids:
            return []
        out: list[str] = []
        for start in range(0, len(mention_ids), 500):
            chunk = mention_ids[start : start + 500]
            out += [r[0] for r in self.rows(f"SELECT record FROM mentions WHERE id IN ({', '.join('?' * len(chunk))}) ORDER BY seq", chunk)]
        return out

    def article_record(self, article_id: str) -> str | None:
        rows = self.rows(
            "SELECT record FROM articles WHERE id = ? OR external_id = ? ORDER BY id = ? DESC LIMIT 1",
            (article_id, article_id, article_id),
        )
        return rows[0][0] if rows else None

    def article_heads(self, article_ids: list[str]) -> list[tuple]:
        if not article_ids:
            return []
        marks = ", ".join("?" * len(article_ids))
        return self.rows(
            f"SELECT id, external_id, title, url, outlet, published FROM articles WHERE id IN ({marks}) OR external_id IN ({marks})",
            [*article_ids, *article_ids],
        )

    def article_spans(self, keys: list[str]) -> list[tuple]:
        """(event_id, kind, field, start, end, claimant) of evidence and claims citing the article."""
        marks = ", ".join("?" * len(keys))
        return self.rows(
            f"""SELECT event_id, 'evidence', span_field, span_start, span_end, NULL FROM evidence WHERE article_id IN ({marks})
                UNION ALL
                SELECT event_id, 'claim', span_field, span_start, span_end, claimant FROM claims
                WHERE article_id IN ({marks}) AND span_start IS NOT NULL
                ORDER BY 3, 4, 5""",
            [*keys, *keys],
        )

    def outlets(self) -> list[str]:
        return [r[0] for r in self.rows("SELECT DISTINCT outlet FROM evidence WHERE outlet IS NOT NULL")]

    def actor_counts(self) -> dict[str, int]:
        rows = self.rows(
            """SELECT actor_id, COUNT(*) FROM (
                   SELECT json_extract(record, '$.actor1_id') AS actor_id FROM events
                   UNION ALL SELECT json_extract(record, '$.actor2_id') FROM events
               ) WHERE actor_id IS NOT NULL GROUP BY actor_id"""
        )
        return {r[0]: int(r[1]) for r in rows}

    def events_of_actor(self, actor_id: str, limit: int) -> list[dict[str, Any]]:
        rows = self.rows(
            f"""SELECT {SUMMARY_COLUMNS} FROM events
                WHERE json_extract(record, '$.actor1_id') = ? OR json_extract(record, '$.actor2_id') = ?
                ORDER BY event_date IS NULL, event_date, event_id LIMIT ?""",
            (actor_id, actor_id, limit),
        )
        return [dict(zip(SUMMARY_FIELDS, r, strict=True)) for r in rows]

    def events_at_place(self, place_id: str, limit: int) -> tuple[int, list[dict[str, Any]]]:
        total = int(self.rows("SELECT COUNT(*) FROM events WHERE json_extract(record, '$.place_id') = ?", (place_id,))[0][0])
        rows = self.rows(
            f"""SELECT {SUMMARY_COLUMNS} FROM events WHERE json_extract(record, '$.place_id') = ?
                ORDER BY event_date IS NULL, event_date, event_id LIMIT ?""",
            (place_id, limit),
        )
        return total, [dict(zip(SUMMARY_FIELDS, r, strict=True)) for r in rows]
