"""What only the SQLite backend has: WAL and foreign keys, sqlite:// URLs, a lazy constructor,
clear errors for a file that is not a store or a missing folder."""

from __future__ import annotations

import pytest

from sitrep.errors import StoreError
from sitrep.store import SQLiteStore, open_store, store_exists


def test_fresh_file_is_in_wal_mode_with_foreign_keys(tmp_path):
    with open_store(tmp_path / "sitrep.db") as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_constructor_does_no_io(tmp_path):
    path = tmp_path / "lazy.db"
    s = SQLiteStore(path)
    assert not path.exists()
    assert s.counts()["events"] == 0  # first use opens it
    assert path.exists()
    s.close()


def test_sqlite_urls(tmp_path, articles, monkeypatch):
    absolute = tmp_path / "abs.db"
    assert not store_exists(f"sqlite:///{absolute}")
    with open_store(f"sqlite:///{absolute}") as s:  # sqlite:/// + /abs/path = four slashes
        s.add_article(articles["sweida"])
    assert absolute.exists() and store_exists(f"sqlite:///{absolute}") and store_exists(absolute)
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///rel.db") as s:
        assert s.counts()["articles"] == 0
    assert (tmp_path / "rel.db").exists()
    with open_store("sqlite://") as s:
        assert s.add_article(articles["sweida"]) is True
    with pytest.raises(StoreError, match="unknown store type.*postgresql://"):
        open_store("mongodb://localhost/x")


def test_not_a_database_and_missing_folder_are_clear_errors(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("this is a text file, not a database\n" * 50)
    with pytest.raises(StoreError, match="not a sitrep store"):
        open_store(junk)
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "nowhere" / "sitrep.db")
