"""Store suite fixtures: every test taking ``store`` or ``target`` runs on SQLite and on PostgreSQL.

PostgreSQL is a throwaway server (initdb in a temp folder, 127.0.0.1, a free port) started
once per session; each test gets a fresh schema in it. Without the server binaries the
PostgreSQL cases skip locally, and fail when CI=true (CI installs postgresql).
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitrep.store import PostgresStore, SQLiteStore, open_store
from sitrep.store.throwaway import ThrowawayPostgres, find_postgres_bin
from ingest_corpus import write_corpus
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


# --------------------------------------------------------------------------- real ingests (subprocesses)

#: Articles in the generated corpus the concurrency and kill tests ingest.
CORPUS_SIZE = 60


def sitrep_command(*args: str) -> list[str]:
    """The installed ``sitrep`` console script (or the same app through this interpreter)."""
    script = Path(sys.executable).with_name("sitrep")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-c", "import sys; from sitrep.cli import app; sys.argv[0] = 'sitrep'; app()", *args]


def subprocess_env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "NO_COLOR": "1", "COLUMNS": "200"}


def snapshot(store) -> dict:
    """Everything stored, in a form that compares equal for equal content (timestamps left out).

    Events are keyed by the mentions they fuse, so two stores that fused the same mentions the
    same way compare equal even when they handed out event ids in a different order.
    """
    articles = dict(sql(store, "SELECT id, record FROM articles"))
    mentions = {m.id: m.model_dump_json() for m in store.mentions()}
    events = {}
    for e in store.events():
        key = frozenset(e.mention_ids)
        assert key not in events, f"two events fuse the same mentions: {sorted(key)}"
        events[key] = e.model_dump(exclude={"created_at", "updated_at", "event_id"})
    return {"articles": articles, "mentions": mentions, "events": events, "counts": store.counts()}


@pytest.fixture(scope="session")
def corpus_file(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "wire.jsonl", CORPUS_SIZE)


@pytest.fixture(scope="session")
def clean_reference(corpus_file, tmp_path_factory) -> dict:
    """The store after one uninterrupted ingest of the whole corpus (in this process, SQLite)."""
    from sitrep.pipeline import Pipeline, ingest_articles

    pipe = Pipeline()
    articles, problems = pipe.read([corpus_file])
    assert not problems and len(articles) == CORPUS_SIZE
    with open_store(tmp_path_factory.mktemp("clean") / "clean.db") as s:
        ingest_articles(pipe, s, articles)
        return snapshot(s)
