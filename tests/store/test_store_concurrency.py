"""Several processes writing one store at once, on every backend: migrations applied once, and
two overlapping `sitrep ingest` runs end as one clean run of their union."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from conftest import sitrep_command, snapshot, sql, subprocess_env
from ingest_corpus import write_corpus
from sitrep.store import open_store

_OPEN_AT = """
import sys, time
from sitrep.store import open_store
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # all start together
with open_store(sys.argv[1]) as s:
    print(s.schema_version())
"""


def test_processes_opening_a_new_store_at_once_apply_each_migration_once(target):
    start_at = f"{time.time() + 3.0:.3f}"  # after every interpreter has started
    procs = [
        subprocess.Popen([sys.executable, "-c", _OPEN_AT, str(target), start_at], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=subprocess_env())
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, outputs
    with open_store(target) as s:
        versions = [v for (v,) in sql(s, "SELECT version FROM schema_migrations ORDER BY version")]
        assert versions == sorted(set(versions)) and versions[-1] == s.schema_version()
        assert {out.strip() for out, _ in outputs} == {str(s.schema_version())}


def _without_source_path(snap: dict) -> dict:
    # Each run reads its own file, so the path an article was read from differs; nothing else may.
    articles = {}
    for aid, record in snap["articles"].items():
        data = json.loads(record)
        data.pop("source_path")
        articles[aid] = data
    return {**snap, "articles": articles}


@pytest.mark.slow
def test_two_overlapping_ingests_at_once_equal_one_clean_run(target, clean_reference, tmp_path):
    first = write_corpus(tmp_path / "first.jsonl", 40, start=0)  # articles 0-39
    second = write_corpus(tmp_path / "second.jsonl", 40, start=20)  # articles 20-59: 20 shared
    runs = [
        subprocess.Popen(sitrep_command("ingest", str(path), "--db", str(target)), stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True, env=subprocess_env())
        for path in (first, second)
    ]
    logs = [r.communicate(timeout=400)[0] for r in runs]
    assert [r.returncode for r in runs] == [0, 0], logs

    with open_store(target) as s:
        if s.backend == "sqlite":
            assert sql(s, "PRAGMA integrity_check") == [("ok",)]
        together = snapshot(s)
        assert s.get_meta("fusion_pending") is None
    got, want = _without_source_path(together), _without_source_path(clean_reference)
    for part in ("counts", "articles", "mentions", "events"):
        assert got[part] == want[part], part

    # Running both again changes nothing.
    for path in (first, second):
        again = subprocess.run(sitrep_command("ingest", str(path), "--db", str(target)), capture_output=True,
                               text=True, env=subprocess_env(), timeout=300)
        assert again.returncode == 0 and "0 new articles" in again.stderr, again.stderr
    with open_store(target) as s:
        assert snapshot(s) == together
