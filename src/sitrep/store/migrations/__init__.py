"""Ordered schema migrations, one folder per backend: ``<backend>/NNNN_name.sql``.

A migration is applied once, inside a transaction, and recorded in ``schema_migrations``.
Never edit a released migration; add the next number instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from sitrep.errors import StoreError

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations(folder: Traversable | Path) -> list[Migration]:
    """The migrations in ``folder``, by version. Files not named ``NNNN_name.sql`` are ignored."""
    found: dict[int, Migration] = {}
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if not match:
            continue
        version = int(match.group(1))
        if version in found:
            raise StoreError(f"{folder}: two migrations numbered {version:04d} (renumber one of them)")
        found[version] = Migration(version, match.group(2), entry.read_text(encoding="utf-8"))
    return [found[v] for v in sorted(found)]


def backend_migrations(backend: str) -> list[Migration]:
    """The migrations shipped with sitrep for ``backend`` (e.g. ``"sqlite"``)."""
    return load_migrations(resources.files(__package__) / backend)
