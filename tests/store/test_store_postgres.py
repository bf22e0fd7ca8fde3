"""What only the PostgreSQL backend has: URL forms, password-free errors naming the fix, the
CLI's --db URL, schema isolation, and writers queueing instead of interleaving."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from pathlib import Path

import psycopg
import pytest

from conftest import new_schema_url, sitrep_command, sql, subprocess_env
from sitrep.errors import StoreError
from sitrep.store import PostgresStore, is_url, open_store, store_exists
from sitrep.store.postgres import redact
from store_samples import make_events, put_samples


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on exit: nothing listens there


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://sitrep:s3cret@db.example.org:5433/events", "postgresql://sitrep:***@db.example.org:5433/events"),
        ("postgres://ana@localhost/sitrep", "postgres://ana@localhost/sitrep"),
        ("postgresql://h/db?user=x&password=s3cret&sslmode=require", "postgresql://h/db?user=x&password=***&sslmode=require"),
    ],
)
def test_redact_hides_passwords_only(url, shown):
    assert redact(url) == shown


def test_unreachable_server_is_a_clear_error_without_the_password():
    url = f"postgresql://sitrep:s3cret@127.0.0.1:{_closed_port()}/sitrep"
    with pytest.raises(StoreError) as info:
        open_store(url)
    message = str(info.value)
    assert "s3cret" not in message
    assert message.startswith("postgresql://sitrep:***@127.0.0.1:")
    assert "cannot connect to PostgreSQL" in message and "server is running" in message
    assert "postgresql://USER:PASSWORD@HOST:5432/DBNAME" in message


def test_cli_takes_a_url_and_reports_an_unreachable_server_in_one_line(tmp_path):
    url = f"postgresql://sitrep:s3cret@127.0.0.1:{_closed_port()}/sitrep"
    run = subprocess.run(sitrep_command("events", "--db", url), capture_output=True, text=True,
                         env=subprocess_env(), timeout=120)
    assert run.returncode == 2
    assert "cannot connect to PostgreSQL" in run.stderr and "s3cret" not in run.stderr + run.stdout
    assert "no such store" not in run.stderr  # a URL is not checked as a file


def test_url_helpers():
    assert is_url("postgresql://h/db") and not is_url("data/sitrep.db")
    assert store_exists("postgresql://h/db")  # checked when opened, not as a file
    # a --db option typed as Path collapses the "//"; it is still taken as the URL
    assert is_url(Path("postgresql://sitrep@h:5432/db")) and store_exists(Path("postgres://h/db"))


def test_a_url_passed_as_path_opens_the_server(pg_server):
    with open_store(Path(new_schema_url(pg_server))) as s:
        assert isinstance(s, PostgresStore) and s.counts()["articles"] == 0


def test_constructor_does_not_connect():
    store = PostgresStore(f"postgresql://nobody@127.0.0.1:{_closed_port()}/x")
    assert "nobody@127.0.0.1" in repr(store)


def test_url_schemes_reach_the_same_database(pg_server, articles):
    url = new_schema_url(pg_server)
    with open_store(url) as s:
        s.add_article(articles["sweida"])
    for scheme in ("postgres://", "postgresql+psycopg://"):
        with open_store(scheme + url.split("://", 1)[1]) as s:
            assert s.has_article(articles["sweida"].id)


def test_schemas_keep_stores_apart(pg_server, articles):
    first, second = new_schema_url(pg_server), new_schema_url(pg_server)
    with open_store(first) as a, open_store(second) as b:
        put_samples(a, articles)
        assert b.counts() == {"articles": 0, "mentions": 0, "events": 0, "claims": 0}
        assert a.counts()["events"] == 3


def test_missing_schema_and_foreign_tables_are_clear_errors(pg_server):
    with pytest.raises(StoreError, match="search_path names no existing schema"):
        open_store(f"{pg_server.url}?options=-csearch_path%3Dnot_created_yet")
    url = new_schema_url(pg_server)
    schema = url.rsplit("%3D", 1)[1]
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {schema}.articles (id INTEGER)")
    with pytest.raises(StoreError, match="tables sitrep did not create.*empty database"):
        open_store(url)


def test_native_types(store_pg):
    types = dict(sql(store_pg, "SELECT column_name, data_type FROM information_schema.columns "
                               "WHERE table_schema = current_schema() AND table_name = 'events'"))
    assert types["event_date"] == "date"
    assert types["created_at"] == "timestamp with time zone"
    assert types["latitude"] == "double precision"


@pytest.fixture
def store_pg(pg_server):
    with open_store(new_schema_url(pg_server)) as s:
        yield s


def test_a_writer_waits_for_another_writers_transaction(pg_server, articles):
    # The second writer's upsert must not run between the first's read and write.
    url = new_schema_url(pg_server)
    with open_store(url) as s:
        put_samples(s, articles)
    order: list[str] = []
    first_holds = threading.Event()

    def first_writer():
        with open_store(url) as s, s.transaction():
            order.append("first: begin")
            first_holds.set()
            time.sleep(0.5)
            s.upsert_events([make_events(articles)[0].model_copy(update={"fatalities": 20})])
            order.append("first: commit")

    def second_writer():
        first_holds.wait()
        with open_store(url) as s:
            s.upsert_events([make_events(articles)[0].model_copy(update={"fatalities": 30})])
            order.append("second: done")

    threads = [threading.Thread(target=first_writer), threading.Thread(target=second_writer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert order == ["first: begin", "first: commit", "second: done"]
    with open_store(url) as s:
        assert s.get_event("SYR-a1b2c3d4").fatalities == 30
        assert s.counts()["claims"] == 5  # children replaced once per upsert, never doubled
    # readers never wait: a read inside another writer's transaction returns at once
    with open_store(url) as w, w.transaction(), open_store(url) as r:
        w.delete_events(["SYR-a1b2c3d4"])
        assert r.get_event("SYR-a1b2c3d4") is not None  # not committed yet


def test_report_and_control_commands_read_a_postgresql_store(pg_server, articles, tmp_path):
    url = new_schema_url(pg_server)
    with open_store(url) as s:
        events = put_samples(s, articles)
    days = sorted(e.event_date for e in events if e.event_date)
    brief = tmp_path / "brief.md"
    run = subprocess.run(
        sitrep_command("report", "--db", url, "--since", str(days[0]), "--until", str(days[-1]), "-o", str(brief)),
        capture_output=True, text=True, env=subprocess_env(), timeout=180,
    )
    assert run.returncode == 0, run.stderr
    assert f"{len(events)} events" in run.stderr and brief.read_text(encoding="utf-8").startswith("#")
    control = subprocess.run(sitrep_command("control", "--db", url, "--at", str(days[-1])),
                             capture_output=True, text=True, env=subprocess_env(), timeout=180)
    assert control.returncode == 0, control.stderr
    assert "places with a known holder" in control.stderr
    served = subprocess.run(sitrep_command("serve", "--db", url), capture_output=True, text=True,
                            env=subprocess_env(), timeout=60)
    assert served.returncode == 2 and "reads a SQLite store" in served.stderr
