"""Streaming importers into the on-disk gazetteer (``sitrep gazetteer import`` / ``download``).

Formats:

* ``geonames``: GeoNames dump files (``SY.txt``, ``allCountries.txt``, ``cities500.txt``; 19
  tab-separated columns), optionally with ``alternateNamesV2.txt`` for more spellings;
* ``wof``: the Who's On First flattened table (``wof_sy_places.tsv``: a header row, one
  place per row);
* ``csv``: a simple table with a header: ``name, alternate_names (separated by ; or |), lat,
  lon, admin1, admin2, feature, population`` (only name, lat and lon are required).

Every reader yields one row at a time and the importer writes in batches, so memory stays
constant however large the file (rows outside the configured country are dropped while
reading). Importing is idempotent: a row's id comes from the file (``geonames:<id>``,
``wof:<id>``, ``csv:<name>@<lat>,<lon>``) and re-importing rewrites the same rows. A row
that duplicates a place already in the index (same GeoNames id, or the same name within a
few km) is stored with ``same_as`` pointing at it, and its names are folded into that place
when the index is loaded. Deprecated and superseded records are skipped; old governorate
spellings ("Days Az Zawr", "Homs (Hims)", "Dar`a") map to ACLED's through the governorate
aliases; a row without a usable governorate takes the nearest known settlement's.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sitrep.errors import InputError
from sitrep.resolve.gazetteer import (
    FEATURE_RANK,
    SYRIA_BBOX,
    GovernorateEntry,
    PlaceRecord,
    ascii_name,
    haversine_km,
    load_governorates,
)
from sitrep.resolve.gazetteer_db import connect, ensure_db, get_meta, set_meta, write_record
from sitrep.resolve.normalize import fold, normalize_place

FORMATS = ("geonames", "wof", "csv")

#: Two rows of one settlement from different sources lie this close (GeoNames vs OSM points).
DUPLICATE_KM = 4.0
#: Curated coordinates are approximate: allow more when matching a curated place.
CURATED_DUPLICATE_KM = 10.0
#: Rows written per transaction.
BATCH = 2000

_SETTLEMENT = frozenset({"city", "town", "village", "quarter", "camp"})
_ARABIC = re.compile(r"[\u0600-\u06ff]")
#: alternateNames "languages" that are codes or links, not names.
_NOT_NAMES = frozenset({"link", "post", "iata", "icao", "faac", "abbr", "wkdt", "unlc", "fr_1793", "tcid", "phon"})

Progress = Callable[[int], None]


@dataclass
class ImportRow:
    """One place as read from a file, before it is mapped to the index."""

    source_id: str
    name: str
    lat: float
    lon: float
    names: list[str] = field(default_factory=list)  # other primary spellings (ascii, English)
    alt_names: list[str] = field(default_factory=list)
    geonameid: int | None = None
    admin1_code: str | None = None  # GeoNames admin1 code
    admin1: str | None = None  # a governorate name in any spelling
    admin2: str | None = None
    feature: str = "village"
    population: int = 0


@dataclass
class ImportReport:
    path: str
    format: str
    read: int = 0
    added: int = 0
    merged: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)
    alternate_names: int = 0

    def as_dict(self) -> dict:
        return {
            "path": self.path, "format": self.format, "read": self.read, "added": self.added,
            "merged": self.merged, "unchanged": self.unchanged, "skipped": dict(self.skipped),
            "alternate_names": self.alternate_names,
        }


# --------------------------------------------------------------------------- features


def _by_population(population: int) -> str:
    if population >= 50_000:
        return "city"
    if population >= 5_000:
        return "town"
    return "village"


#: GeoNames feature codes worth a conflict gazetteer, as our features (None: by population).
GEONAMES_FEATURES: dict[str, str | None] = {
    **dict.fromkeys(("PPL", "PPLL", "PPLA3", "PPLA4", "PPLF", "PPLW", "PPLQ", "PPLR", "PPLS", "STLMT", "PPLG"), None),
    "PPLC": "city", "PPLA": "city", "PPLA2": "town", "PPLX": "quarter",
    "ADM1": "admin1", "ADM2": "district", "ADM3": "region",
    "RGN": "region", "AREA": "region", "PLN": "region", "VAL": "region", "OAS": "region",
    "MT": "hill", "HLL": "hill", "HLLS": "hill", "MTS": "region", "PK": "hill", "RDGE": "hill",
    "AIRB": "airbase", "AIRP": "airport", "AIRF": "airport", "AIRH": "airport",
    "DAM": "dam", "CMP": "camp", "CMPRF": "camp", "PSTB": "crossing", "BDGQ": "crossing",
    "MLTU": "base", "INSM": "base", "CSTL": "landmark", "RUIN": "landmark", "ANS": "landmark",
}
_HISTORICAL = frozenset({"PPLH", "ADM1H", "ADM2H", "ADM3H", "PCLH"})


def _feature(code: str, population: int) -> str | None:
    if code in GEONAMES_FEATURES:
        return GEONAMES_FEATURES[code] or _by_population(population)
    return None


def _useful_name(name: str) -> bool:
    """Latin or Arabic script, 3+ letters: what English news (or an Arabic source) can contain."""
    name = name.strip()
    if len(name) < 3 or name.startswith("http"):
        return False
    return fold(name).isascii() or bool(_ARABIC.search(name))


def _split_names(text: str, sep: str = ",") -> list[str]:
    return [n.strip() for n in text.split(sep) if _useful_name(n)]


def _int(text: str) -> int:
    try:
        return int(float(text or 0))
    except ValueError:
        return 0


def _float(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- readers


def read_geonames(path: Path, country: str = "SY") -> Iterator[ImportRow | str]:
    """Rows of a GeoNames dump (19 columns); a str is the reason a row was skipped."""
    prefix_country = f"\t{country}\t"
    with _open_text(path) as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("#"):
                continue
            if prefix_country not in line:  # cheap test before splitting: allCountries is mostly elsewhere
                yield "other country"
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 19:
                raise InputError(str(path), f"line {lineno}: {len(cols)} columns, a GeoNames dump has 19", hint="use --format wof or csv for other tables")
            if cols[8] != country:
                yield "other country"
                continue
            code = cols[7]
            if code in _HISTORICAL:
                yield "historical"
                continue
            population = _int(cols[14])
            feature = _feature(code, population)
            if feature is None:
                yield f"feature {cols[6]}.{code}"
                continue
            lat, lon = _float(cols[4]), _float(cols[5])
            if lat is None or lon is None:
                yield "no coordinates"
                continue
            yield ImportRow(
                source_id=f"geonames:{cols[0]}", geonameid=int(cols[0]), name=cols[1], names=[cols[2]],
                alt_names=_split_names(cols[3]), lat=lat, lon=lon, admin1_code=cols[10] or None,
                feature=feature, population=population,
            )


_WOF_REQUIRED = {"wof_id", "name", "latitude", "longitude", "placetype"}
_WOF_PLACETYPES = {"region": "admin1", "county": "district", "neighbourhood": "quarter", "campus": "landmark", "macrohood": "quarter"}


def read_wof(path: Path) -> Iterator[ImportRow | str]:
    """Rows of the Who's On First flattened table (see ../shared/gazetteer/README.md)."""
    with _open_text(path) as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = _WOF_REQUIRED - set(reader.fieldnames or [])
        if missing:
            raise InputError(str(path), f"not a Who's On First table: no column {', '.join(sorted(missing))}", hint="use --format geonames or csv")
        for r in reader:
            if (r.get("deprecated") or "").strip():
                yield "deprecated"
                continue
            if (r.get("superseded_by") or "").strip():
                yield "superseded"
                continue
            lat, lon = _float(r.get("latitude")), _float(r.get("longitude"))
            if lat is None or lon is None:
                yield "no coordinates"
                continue
            population = _int(r.get("population", ""))
            code = (r.get("feature_code") or "").strip()
            if code in _HISTORICAL:
                yield "historical"
                continue
            placetype = r["placetype"].strip()
            feature = _WOF_PLACETYPES.get(placetype) or _feature(code, population) or _by_population(population)
            gid = _int(r.get("geonameid", "")) or None
            names = [n for n in (r.get("asciiname", ""), r.get("name_en", "")) if n and _useful_name(n)]
            alt = _split_names(r.get("alternatenames", "")) + ([r["name_ar"]] if r.get("name_ar") else [])
            yield ImportRow(
                source_id=f"wof:{r['wof_id']}", geonameid=gid, name=r["name"].strip(), names=names, alt_names=alt,
                lat=lat, lon=lon, admin1_code=(r.get("gn_admin1") or "").strip() or None,
                admin1=(r.get("governorate") or "").strip() or None, admin2=(r.get("district") or "").strip() or None,
                feature=feature, population=population,
            )


_CSV_COLUMNS = {
    "name": ("name", "place", "placename"),
    "alternate_names": ("alternate_names", "alternatenames", "aliases", "alt_names", "alternates"),
    "lat": ("lat", "latitude", "y"),
    "lon": ("lon", "lng", "long", "longitude", "x"),
    "admin1": ("admin1", "governorate", "province"),
    "admin2": ("admin2", "district"),
    "feature": ("feature", "feature_type", "type", "placetype"),
    "population": ("population", "pop"),
}


def read_csv(path: Path) -> Iterator[ImportRow | str]:
    """Rows of a simple CSV (comma, semicolon or tab separated; header names in ``_CSV_COLUMNS``)."""
    with _open_text(path) as fh:
        sample = fh.read(4096)
        fh.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(fh, dialect=dialect)
        header = {h.strip().lower(): h for h in reader.fieldnames or []}
        cols = {k: next((header[a] for a in aliases if a in header), None) for k, aliases in _CSV_COLUMNS.items()}
        missing = [k for k in ("name", "lat", "lon") if cols[k] is None]
        if missing:
            raise InputError(str(path), f"CSV header lacks {', '.join(missing)} (found: {', '.join(header) or 'none'})",
                             hint="columns: name, alternate_names, lat, lon, admin1, admin2, feature, population")
        for r in reader:
            def get(key: str) -> str:
                col = cols[key]
                return (r.get(col) or "").strip() if col else ""

            lat, lon = _float(get("lat")), _float(get("lon"))
            if not get("name") or lat is None or lon is None:
                yield "no name or coordinates"
                continue
            population = _int(get("population"))
            feature = get("feature").lower() or _by_population(population)
            if feature not in FEATURE_RANK:
                feature = _feature(feature.upper(), population) or _by_population(population)
            alt = [n.strip() for n in re.split(r"[;|]", get("alternate_names")) if _useful_name(n)]
            yield ImportRow(
                source_id=f"csv:{fold(get('name'))}@{lat:.4f},{lon:.4f}", name=get("name"), alt_names=alt, lat=lat, lon=lon,
                admin1=get("admin1") or None, admin2=get("admin2") or None, feature=feature, population=population,
            )


def _open_text(path: Path):
    try:
        return path.open(encoding="utf-8", errors="replace", newline="")
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc


def detect_format(path: Path) -> str:
    """``wof`` for a table with a wof_id header, ``geonames`` for 19-column rows, else ``csv``."""
    with _open_text(path) as fh:
        first = fh.readline()
    if first.startswith("wof_id\t"):
        return "wof"
    if len(first.rstrip("\n").split("\t")) == 19 and first.split("\t", 1)[0].isdigit():
        return "geonames"
    return "csv"


# --------------------------------------------------------------------------- importer


class Importer:
    """Maps rows to records and writes them, merging duplicates of places already indexed."""

    def __init__(self, conn: sqlite3.Connection, country: str = "SY"):
        self.conn = conn
        self.country = country
        self.govs = load_governorates()
        self._by_code = {g.geonames_admin1: g for g in self.govs}
        # Governorate names in every spelling (old ones included) -> ACLED name.
        self._gov_keys: dict[str, str] = {}
        for g in self.govs:
            for n in (g.name, *g.aliases, g.capital.name):
                self._gov_keys.setdefault(normalize_place(n), g.name)
        self._district_keys: dict[tuple[str, str], str] = {}
        for g in self.govs:
            for d in g.districts:
                for n in (d.name, d.seat, *d.aliases):
                    self._district_keys.setdefault((g.name, normalize_place(n)), d.name)
        # Builtin settlements: nearest one gives a governorate to rows without one.
        self._anchors = [
            (r[0], r[1], r[2]) for r in conn.execute(
                "SELECT lat, lon, admin1 FROM places WHERE layer = 'builtin' AND admin1 IS NOT NULL "
                "AND feature IN ('city', 'town', 'village') AND same_as IS NULL")
        ]
        # Main name keys of important builtin places: a village's alternate name equal to one of
        # them far away is a wrong alias (WOF lists a few) and would shadow the city.
        self._major: dict[str, list[tuple[float, float]]] = {}
        for key, lat, lon in conn.execute(
            "SELECT n.key, p.lat, p.lon FROM names n JOIN places p ON p.place_id = n.place_id "
            "WHERE n.main = 1 AND p.layer = 'builtin' AND p.feature IN ('city', 'admin1')"
        ):
            self._major.setdefault(key, []).append((lat, lon))

    # ---------------------------------------------------------------- mapping

    def admin1_of(self, row: ImportRow) -> str | None:
        if row.admin1_code and row.admin1_code in self._by_code:
            return self._by_code[row.admin1_code].name
        if row.admin1:
            acled = self._gov_keys.get(normalize_place(row.admin1))
            if acled:
                return acled
        if not self._anchors:
            return None
        lat, lon, admin1 = min(self._anchors, key=lambda a: (a[0] - row.lat) ** 2 + (a[1] - row.lon) ** 2)
        return admin1

    def admin2_of(self, row: ImportRow, admin1: str | None) -> str | None:
        if admin1 is None:
            return None
        if row.admin2:
            d = self._district_keys.get((admin1, normalize_place(row.admin2)))
            if d:
                return d
        gov = next((g for g in self.govs if g.name == admin1), None)
        return _nearest_district(gov, row.lat, row.lon) if gov else None

    def record(self, row: ImportRow, source: str) -> PlaceRecord:
        admin1 = self.admin1_of(row)
        name = row.name.strip()
        names = [n for n in dict.fromkeys(row.names) if n and n != name]
        main_keys = {normalize_place(n) for n in (name, *names)}
        alt = []
        for n in dict.fromkeys(row.alt_names):
            if n == name or n in names:
                continue
            key = normalize_place(n)
            if key in main_keys:
                alt.append(n)
                continue
            far = self._major.get(key)
            if far and all(haversine_km(row.lat, row.lon, la, lo) > 25 for la, lo in far):
                continue  # "Aleppo" as an alias of a village 100 km away
            alt.append(n)
        return PlaceRecord(
            place_id=row.source_id, name=name, ascii=ascii_name(name), aliases=tuple(names), alt_names=tuple(alt),
            lat=row.lat, lon=row.lon, admin1=admin1,
            admin2=self.admin2_of(row, admin1) if row.feature not in ("admin1",) else None,
            feature=row.feature, population=row.population, source=source,
            coord_source={"geonames": "GeoNames", "wof": "Who's On First", "csv": "imported CSV"}[source],
        )

    def duplicate_of(self, record: PlaceRecord, geonameid: int | None) -> str | None:
        """The place this record duplicates: same GeoNames id, else same name nearby and a compatible feature."""
        if geonameid is not None:
            row = self.conn.execute(
                "SELECT place_id FROM places WHERE geonameid = ? AND place_id != ? AND same_as IS NULL "
                "ORDER BY layer = 'builtin' DESC, place_id LIMIT 1",
                (geonameid, record.place_id),
            ).fetchone()
            if row:
                return row[0]
        keys = {normalize_place(n) for n in record.curated_names} - {""}
        if not keys:
            return None
        marks = ", ".join("?" * len(keys))
        best: tuple[float, str] | None = None
        for pid, lat, lon, feature, source in self.conn.execute(
            f"SELECT DISTINCT p.place_id, p.lat, p.lon, p.feature, p.source FROM names n JOIN places p ON p.place_id = n.place_id "
            f"WHERE n.key IN ({marks}) AND n.main = 1 AND p.same_as IS NULL AND p.place_id != ?",
            (*keys, record.place_id),
        ):
            if not _compatible(record.feature, feature):
                continue
            limit = CURATED_DUPLICATE_KM if source in ("extra", "geonames+extra", "governorates") else DUPLICATE_KM
            if record.feature in ("admin1", "district", "region"):
                limit = 60.0  # areas: centroids of one area differ by tens of km between sources
            d = haversine_km(record.lat, record.lon, lat, lon)
            if d <= limit and (best is None or d < best[0]):
                best = (d, pid)
        return best[1] if best else None

    # ---------------------------------------------------------------- writing

    def add(self, row: ImportRow, source: str) -> str:
        """Write one row; returns 'added', 'merged', 'unchanged' or a skip reason."""
        s, w, n, e = SYRIA_BBOX
        if not (s <= row.lat <= n and w <= row.lon <= e):
            return "outside Syria"
        if not row.name.strip():
            return "no name"
        record = self.record(row, source)
        existing = self.conn.execute(
            "SELECT name, ascii, aliases, alt_names, lat, lon, admin1, admin2, feature, population, same_as "
            "FROM places WHERE place_id = ?", (record.place_id,),
        ).fetchone()
        same_as = existing[10] if existing else None
        if same_as is None:
            same_as = self.duplicate_of(record, row.geonameid)
        values = (record.name, record.ascii, json.dumps(list(record.aliases), ensure_ascii=False),
                  json.dumps(list(record.alt_names), ensure_ascii=False), record.lat, record.lon, record.admin1,
                  record.admin2, record.feature, record.population, same_as)
        if existing is not None and tuple(existing) == values:
            return "unchanged"
        write_record(self.conn, record, layer="import", geonameid=row.geonameid, same_as=same_as)
        return "merged" if same_as else "added"


def _compatible(a: str, b: str) -> bool:
    if a in _SETTLEMENT and b in _SETTLEMENT:
        return True
    return a == b or {a, b} <= {"airbase", "airport"} or {a, b} <= {"region", "district"}


def _nearest_district(gov: GovernorateEntry, lat: float, lon: float) -> str:
    return min(gov.districts, key=lambda d: haversine_km(lat, lon, d.lat, d.lon)).name


def import_file(
    db: Path,
    path: Path,
    fmt: str | None = None,
    *,
    alternate_names: Path | None = None,
    country: str = "SY",
    progress: Progress | None = None,
) -> ImportReport:
    """Stream ``path`` into the index at ``db`` (created when missing)."""
    if not path.is_file():
        raise InputError(str(path), "no such file", hint="give a GeoNames dump, the WOF table or a CSV")
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise InputError(str(path), f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
    ensure_db(db)
    reader = {"geonames": lambda: read_geonames(path, country), "wof": lambda: read_wof(path), "csv": lambda: read_csv(path)}[fmt]
    report = ImportReport(path=str(path), format=fmt)
    conn = connect(db)
    try:
        importer = Importer(conn, country)
        conn.execute("BEGIN IMMEDIATE")
        pending = 0
        for item in reader():
            if isinstance(item, str):
                report.skipped[item] += 1
                continue
            report.read += 1
            outcome = importer.add(item, fmt)
            if outcome in ("added", "merged", "unchanged"):
                setattr(report, outcome, getattr(report, outcome) + 1)
            else:
                report.skipped[outcome] += 1
            pending += 1
            if pending >= BATCH:
                conn.execute("COMMIT")
                conn.execute("BEGIN IMMEDIATE")
                if progress:
                    progress(pending)
                pending = 0
        conn.execute("COMMIT")
        if progress and pending:
            progress(pending)
        if alternate_names is not None:
            report.alternate_names = import_alternate_names(conn, alternate_names)
        history = json.loads(get_meta(conn, "imports") or "[]")
        history.append({**report.as_dict(), "at": datetime.now(UTC).isoformat(timespec="seconds")})
        set_meta(conn, "imports", json.dumps(history[-50:]))
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    _reset_default_gazetteer()
    return report


def import_alternate_names(conn: sqlite3.Connection, path: Path) -> int:
    """Add GeoNames ``alternateNamesV2.txt`` spellings to imported rows with those GeoNames ids.

    Streams the file; only names of ids already in the index are kept (a country's worth)."""
    if not path.is_file():
        raise InputError(str(path), "no such file", hint="give GeoNames' alternateNamesV2.txt (or alternateNames.txt)")
    ids = {gid: pid for gid, pid in conn.execute("SELECT geonameid, place_id FROM places WHERE layer = 'import' AND geonameid IS NOT NULL")}
    found: dict[str, list[str]] = {}
    with _open_text(path) as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4 or not cols[1].isdigit():
                continue
            pid = ids.get(int(cols[1]))
            if pid is None or cols[2] in _NOT_NAMES or not _useful_name(cols[3]):
                continue
            if len(cols) > 7 and cols[7] == "1":  # isHistoric
                continue
            found.setdefault(pid, []).append(cols[3].strip())
    added = 0
    from sitrep.resolve.gazetteer_db import iter_rows, row_record

    conn.execute("BEGIN IMMEDIATE")
    try:
        for pid, names in found.items():
            row = next(iter_rows(conn, "WHERE place_id = ?", (pid,)), None)
            if row is None:
                continue
            record = row_record(row)
            new = [n for n in dict.fromkeys(names) if n not in record.all_names]
            if not new:
                continue
            added += len(new)
            write_record(conn, record.model_copy(update={"alt_names": record.alt_names + tuple(new)}),
                         layer="import", geonameid=row[3], same_as=row[16])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return added


def _reset_default_gazetteer() -> None:
    """The process-wide gazetteer was loaded before the import: load it again next time."""
    from sitrep.resolve.gazetteer import default_gazetteer
    from sitrep.resolve.places import default_resolver

    default_gazetteer.cache_clear()
    default_resolver.cache_clear()


# --------------------------------------------------------------------------- download


def download(country: str, url_template: str, dest: Path, *, timeout: float = 60.0) -> Path:
    """Fetch GeoNames' ``<country>.zip`` (or a plain ``.txt``) into ``dest``; returns the dump file."""
    import httpx

    url = url_template.format(country=country.upper())
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / url.rsplit("/", 1)[-1].split("?", 1)[0]
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as resp:
            if resp.status_code != 200:
                raise InputError(url, f"download failed: HTTP {resp.status_code}", hint="check gazetteer.download_url in sitrep.toml or SITREP_GAZETTEER__DOWNLOAD_URL")
            with target.open("wb") as fh:
                for chunk in resp.iter_bytes(1 << 16):
                    fh.write(chunk)
    except httpx.HTTPError as exc:
        raise InputError(url, f"download failed: {exc}", hint="are you online? set gazetteer.download_url for a mirror, or import a local file") from exc
    if not zipfile.is_zipfile(target):
        return target
    with zipfile.ZipFile(target) as zf:
        member = next((m for m in zf.namelist() if m.upper() == f"{country.upper()}.TXT"), None)
        member = member or next((m for m in zf.namelist() if m.endswith(".txt") and "readme" not in m.lower()), None)
        if member is None:
            raise InputError(str(target), "the archive holds no GeoNames .txt dump")
        out = dest / Path(member).name
        with zf.open(member) as src, out.open("wb") as fh:
            while chunk := src.read(1 << 16):
                fh.write(chunk)
    return out


__all__ = [
    "FORMATS", "ImportReport", "ImportRow", "Importer", "detect_format", "download", "import_alternate_names",
    "import_file", "read_csv", "read_geonames", "read_wof",
]
