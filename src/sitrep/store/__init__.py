"""Event stores: ``open_store(target)`` picks the backend from the target.

    open_store("sitrep.db")                   # a SQLite file (created when missing)
    open_store("sqlite:///data/sitrep.db")    # the same, as a URL (four slashes for an absolute path)
    open_store("postgresql://user:pw@host:5432/db")  # PostgreSQL (also postgres://, postgresql+psycopg://)

The returned store is open and migrated; use it as a context manager to close it.
"""

from __future__ import annotations

from pathlib import Path

from sitrep.errors import StoreError
from sitrep.store.base import Change, EventFilter, Store
from sitrep.store.postgres import PostgresStore
from sitrep.store.sqlite import SQLiteStore

__all__ = ["Change", "EventFilter", "PostgresStore", "SQLiteStore", "Store", "is_url", "open_store", "store_exists"]

_SQLITE_PREFIX = "sqlite://"
_POSTGRES_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def _sqlite_path(url: str) -> str:
    """``sqlite:///rel.db`` → ``rel.db``; ``sqlite:////abs.db`` → ``/abs.db``; ``sqlite://`` → memory."""
    rest = url[len(_SQLITE_PREFIX) :]
    if rest in ("", "/", "/:memory:"):
        return ":memory:"
    if not rest.startswith("/"):
        raise StoreError(f"{url}: a SQLite URL has three slashes before the path, e.g. sqlite:///sitrep.db")
    return rest[1:]


def _as_text(target: str | Path) -> str:
    """``target`` as text; a PostgreSQL URL that went through ``Path`` gets back its ``//``.

    A ``--db`` option typed as a Path turns ``postgresql://host/db`` into ``postgresql:/host/db``.
    """
    text = str(target)
    if isinstance(target, Path):
        for scheme in _POSTGRES_SCHEMES:
            collapsed = scheme[:-1]  # "postgresql:/"
            if text.startswith(collapsed) and not text.startswith(scheme):
                return scheme + text[len(collapsed) :]
    return text


def is_url(target: str | Path) -> bool:
    """True for a store URL (``sqlite://``, ``postgresql://``...), False for a plain file path."""
    return "://" in _as_text(target)


def store_exists(target: str | Path) -> bool:
    """False only for a SQLite file that is not there; a server URL is checked when opened."""
    text = _as_text(target)
    if text.startswith(_SQLITE_PREFIX):
        path = _sqlite_path(text)
        return path == ":memory:" or Path(path).exists()
    return is_url(text) or Path(text).exists()


def open_store(target: str | Path) -> Store:
    """Open (creating and migrating when needed) the store at ``target``."""
    text = _as_text(target)
    if text.startswith(_POSTGRES_SCHEMES):
        return PostgresStore(text).open()
    if text.startswith(_SQLITE_PREFIX):
        text = _sqlite_path(text)
    elif "://" in text:
        scheme = text.split("://", 1)[0]
        raise StoreError(f"{scheme}://: unknown store type; give a SQLite file path, a sqlite:/// URL or a postgresql:// URL")
    return SQLiteStore(text).open()
