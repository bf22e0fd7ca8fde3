"""Offline basemap outlines (sitrep.basemap): TopoJSON decoding and the vendored Natural Earth files."""

from __future__ import annotations

import os

import pytest

from sitrep import basemap


def _inside(lon: float, lat: float, geometry: dict) -> bool:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    hit = False
    for polygon in polygons:
        for ring in polygon:  # even-odd over all rings handles holes
            for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    hit = not hit
    return hit


def test_topojson_decoding_follows_quantized_shared_arcs():
    # Two unit squares sharing the arc x=1; the right one walks it reversed (~0 = -1).
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [30.0, 30.0]},
        "arcs": [
            [[2, 0], [0, 2]],  # (31,30) -> (31,31) after scaling
            [[2, 2], [-2, 0], [0, -2], [2, 0]],  # (31,31) -> (30,31) -> (30,30) -> (31,30)
            [[2, 0], [2, 0], [0, 2], [-2, 0]],  # (31,30) -> (32,30) -> (32,31) -> (31,31)
        ],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "001", "properties": {"name": "West"}},
                    {"type": "Polygon", "arcs": [[2, -1]], "id": "002", "properties": {"name": "East"}},
                    {"type": None, "id": "003", "properties": {"name": "Nowhere"}},
                ],
            }
        },
    }
    west, east = basemap.topojson_features(topology, "countries")
    assert west["properties"]["name"] == "West"
    assert west["geometry"]["coordinates"][0] == [[31.0, 30.0], [31.0, 31.0], [30.0, 31.0], [30.0, 30.0], [31.0, 30.0]]
    assert east["geometry"]["coordinates"][0] == [[31.0, 30.0], [32.0, 30.0], [32.0, 31.0], [31.0, 31.0], [31.0, 30.0]]
    assert _inside(31.5, 30.5, east["geometry"]) and not _inside(30.5, 30.5, east["geometry"])


@pytest.fixture(scope="module")
def built():
    if not (basemap.BASEMAP_DIR / basemap.ADMIN1_FILE).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("basemap outlines not built in CI: run `python tools/vendor_web.py` before the tests")
        pytest.skip("basemap outlines not built: run `python tools/vendor_web.py` (needs npm)")
    return basemap.country_outlines(), basemap.admin1_outlines()


def test_countries_place_damascus_in_syria_and_ankara_in_turkey(built):
    countries, _ = built
    by_name = {f["properties"]["name"]: f for f in countries["features"]}
    assert len(by_name) > 200
    assert _inside(36.29, 33.51, by_name["Syria"]["geometry"])
    assert not _inside(32.85, 39.93, by_name["Syria"]["geometry"])
    assert _inside(32.85, 39.93, by_name["Turkey"]["geometry"])


def test_governorates_carry_acled_names_and_contain_their_capitals(built):
    _, admin1 = built
    governorates = {f["properties"]["admin1"]: f for f in admin1["features"] if f["properties"]["admin1"]}
    assert len(governorates) == 14
    capitals = {"Aleppo": (37.16, 36.20), "Idleb": (36.63, 35.93), "Deir ez Zor": (40.14, 35.33), "Dar'a": (36.10, 32.62)}
    for name, (lon, lat) in capitals.items():
        assert _inside(lon, lat, governorates[name]["geometry"]), name
    assert not _inside(37.16, 36.20, governorates["Idleb"]["geometry"])
    assert basemap.admin1_outlines() is admin1  # cached
