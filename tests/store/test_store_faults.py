"""SIGKILL in the middle of `sitrep ingest`, then run it again: nothing stored is lost or
corrupted, nothing is duplicated, and the store ends exactly as after one clean run."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest

from conftest import CORPUS_SIZE, sitrep_command, snapshot, sql, subprocess_env
from sitrep.store import open_store

pytestmark = pytest.mark.slow


def _stored_articles(target) -> int:
    try:
        with open_store(target) as s:
            return s.counts()["articles"]
    except Exception:  # the store may not be created yet
        return 0


def _kill_mid_ingest(target, corpus_file, tmp_path) -> int:
    """Start an ingest, SIGKILL it once some articles are stored; returns how many were."""
    log = (tmp_path / "killed.log").open("w")
    proc = subprocess.Popen(
        sitrep_command("ingest", str(corpus_file), "--db", str(target)),
        stdout=log, stderr=subprocess.STDOUT, env=subprocess_env(),
    )
    try:
        deadline = time.monotonic() + 240
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            stored = _stored_articles(target)
            if stored >= 5:
                break
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        log.close()
    assert proc.returncode == -signal.SIGKILL, (tmp_path / "killed.log").read_text()
    assert 5 <= stored < CORPUS_SIZE, f"not killed mid-ingest: {stored} of {CORPUS_SIZE} articles stored"
    return stored


def test_sigkill_mid_ingest_then_rerun_equals_a_clean_run(target, backend, corpus_file, clean_reference, tmp_path):
    _kill_mid_ingest(target, corpus_file, tmp_path)

    with open_store(target) as s:
        if backend == "sqlite":
            assert sql(s, "PRAGMA integrity_check") == [("ok",)]
            assert sql(s, "PRAGMA foreign_key_check") == []
        before = snapshot(s)
        assert s.get_meta("fusion_pending") == "1"  # killed before re-fusion finished
    # What the killed run committed is whole: each stored article has exactly its clean-run mentions.
    assert before["counts"]["articles"] < CORPUS_SIZE
    for aid, record in before["articles"].items():
        assert clean_reference["articles"][aid] == record
    of_stored = {
        mid for mid, rec in clean_reference["mentions"].items() if json.loads(rec)["article_id"] in before["articles"]
    }
    assert set(before["mentions"]) == of_stored
    for mid, record in before["mentions"].items():
        assert clean_reference["mentions"][mid] == record

    rerun = subprocess.run(
        sitrep_command("ingest", str(corpus_file), "--db", str(target)),
        capture_output=True, text=True, env=subprocess_env(), timeout=300,
    )
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"({before['counts']['articles']} already stored)" in " ".join(rerun.stderr.split())

    with open_store(target) as s:
        if backend == "sqlite":
            assert sql(s, "PRAGMA integrity_check") == [("ok",)]
        after = snapshot(s)
        assert s.get_meta("fusion_pending") is None
    assert after == clean_reference
    for aid, record in before["articles"].items():  # nothing stored before the kill was lost or changed
        assert after["articles"][aid] == record



def test_crash_during_refusion_rolls_it_back_and_the_next_run_refuses(target, corpus_file, tmp_path, monkeypatch):
    # The window a SIGKILL rarely hits: every article stored, re-fusion not committed yet.
    import sitrep.pipeline as pipeline_module
    from sitrep.pipeline import Pipeline, ingest_articles

    pipe = Pipeline()
    articles = pipe.read([corpus_file])[0][:8]
    real_refuse = pipeline_module.refuse_store

    def refuse_then_die(pipeline, store, touched=None):
        real_refuse(pipeline, store, touched)  # events written, but inside the transaction that dies
        raise SystemExit("killed during re-fusion")

    monkeypatch.setattr(pipeline_module, "refuse_store", refuse_then_die)
    with open_store(target) as s:
        with pytest.raises(SystemExit):
            ingest_articles(pipe, s, articles)
        assert s.counts()["articles"] == 8 and s.counts()["events"] == 0
        assert s.get_meta("fusion_pending") == "1"
    monkeypatch.setattr(pipeline_module, "refuse_store", real_refuse)

    with open_store(target) as s:
        result = ingest_articles(pipe, s, articles)
        assert result.skipped == 8 and not result.articles
        repaired = snapshot(s)
        assert s.get_meta("fusion_pending") is None
    with open_store(tmp_path / "clean8.db") as s:
        ingest_articles(pipe, s, articles)
        assert snapshot(s) == repaired
    assert repaired["counts"]["events"] > 0
