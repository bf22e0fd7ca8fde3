"""Store suite fixtures: every test taking ``store`` or ``target`` runs on SQLite and on PostgreSQL.

PostgreSQL is a throwaway server (initdb in a temp folder, 127.0.0.1, a free port) started
once per session; each test gets a fresh schema in it. Without the server binaries the
PostgreSQL cases skip locally, and fail when CI=true (CI installs postgresql).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitrep.store import PostgresStore, SQLiteStore, open_store
from sitrep.store.throwaway import ThrowawayPostgres, find_postgres_bin
from store_samples import make_articles

BACKENDS = ("sqlite", "postgresql")


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[ThrowawayPostgres]:
    if find_postgres_bin() is None:
        reason = (
            "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin or PATH): "
            "install postgresql (Debian: apt-get install postgresql) or set SITREP_PG_BIN"
        )
        if _in_ci():
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    # fsync off: the server itself is never crashed in these tests, only its clients.
    with ThrowawayPostgres(durable=False) as server:
        yield server


def new_schema_url(server: ThrowawayPostgres) -> str:
    """A URL whose tables live in a new, empty schema of the throwaway server."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return f"{server.url}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def target(backend: str, tmp_path: Path, request) -> str | Path:
    """Where a fresh store lives: a SQLite file path or a PostgreSQL URL (own schema)."""
    if backend == "sqlite":
        return tmp_path / "sitrep.db"
    return new_schema_url(request.getfixturevalue("pg_server"))


@pytest.fixture
def store(target):
    with open_store(target) as s:
        yield s


@pytest.fixture
def articles():
    return make_articles()


def store_class(backend: str) -> type[SQLiteStore] | type[PostgresStore]:
    return SQLiteStore if backend == "sqlite" else PostgresStore


def sql(store, query: str, params: tuple = ()) -> list[tuple]:
    """Run raw SQL written with ``?`` placeholders on either backend; returns the rows."""
    if isinstance(store, PostgresStore):
        query = query.replace("?", "%s")
    cur = store.conn.execute(query, params)
    return [tuple(r) for r in cur.fetchall()] if cur.description else []


def columns(store, table: str) -> list[str]:
    if isinstance(store, PostgresStore):
        rows = sql(store, "SELECT column_name FROM information_schema.columns "
                          "WHERE table_schema = current_schema() AND table_name = ?", (table,))
        return [r[0] for r in rows]
    return [r[1] for r in store.conn.execute(f"PRAGMA table_info({table})")]
