"""`sitrep eval --format ucdp`: reading UCDP GED rows, matching the headline to UCDP's place, scoring.

The rows below are invented in UCDP GED's shape (not taken from the evaluation data); the
coordinates are the real places' approximate positions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.evaluate.ucdp import evaluate, gold_sides, name_span, place_names, read_rows

SARAQIB = (35.864, 36.806)
JOBAR = (33.527, 36.333)
ALEPPO = (36.202, 37.134)
AZAZ = (36.586, 37.046)


def _row(i: int, headline: str, where: str, prec: int, adm_1: str | None, latlon, best: int = 0,
         side_a: str = "Government of Syria", side_b: str = "Syrian insurgents") -> dict:
    return {
        "id": 900000 + i, "source_headline": headline, "date_start": "2016-05-0%d 00:00:00.000" % (1 + i % 9),
        "where_coordinates": where, "where_prec": prec, "adm_1": adm_1,
        "latitude": latlon[0] if latlon else None, "longitude": latlon[1] if latlon else None,
        "side_a": side_a, "side_b": side_b, "best": best,
    }


ROWS = [
    # named place, right governorate: a hit at 10 km and on admin1
    _row(1, "Regime warplanes kill 5 civilians in Saraqib", "Saraqib town", 1, "Idlib governorate", SARAQIB, 5,
         side_b="Civilians"),
    # same headline, a second UCDP event without a precise place: not a place row, deaths summed
    _row(2, "Regime warplanes kill 5 civilians in Saraqib", "Idlib governorate", 4, "Idlib governorate", SARAQIB, 0),
    # a city quarter spelt differently from UCDP ("Jawbar"): matched by transliteration key
    _row(3, "Clashes continue in the Jobar neighbourhood of Damascus", "Jawbar neighbourhood", 1,
         "Damascus governorate", JOBAR, 2),
    # the headline does not name UCDP's place: not a place row, but counted for admin1 of all rows
    _row(4, "Fighting continues in northern Syria", "Azaz town", 1, "Aleppo governorate", AZAZ, 1),
    # a deliberately wrong gold point and governorate for a named place: must count as a miss
    _row(5, "Shelling on Hama kills a child", "Hama city", 1, "Aleppo governorate", ALEPPO, 1),
]


@pytest.fixture(scope="module")
def ucdp_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ucdp") / "ucdp_small.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def report(ucdp_file: Path):
    return evaluate(ucdp_file)


def test_place_names_drop_feature_words_and_split_alternatives() -> None:
    assert place_names("Tadmur/Palmyra town") == ["Tadmur", "Palmyra"]
    assert place_names("Kuweires military airport") == ["Kuweires"]
    assert place_names("Jawbar neighbourhood") == ["Jawbar"]


def test_name_span_matches_transliterations_not_neighbours() -> None:
    text = "Clashes continue in the Jobar neighbourhood of Damascus"
    s, e = name_span(text, ["Jawbar"])
    assert text[s:e] == "Jobar"
    assert name_span("Shelling on Homs kills two", ["Hama"]) is None  # short keys match exactly only
    assert name_span("Fighting continues in northern Syria", ["Azaz"]) is None


def test_gold_sides_are_coarse() -> None:
    assert gold_sides("Government of Syria") == {"government"}
    assert gold_sides("IS") == {"islamic_state"}
    assert gold_sides("Civilians") == {"civilians"}


def test_read_rows_rejects_other_formats(tmp_path: Path) -> None:
    bad = tmp_path / "x.jsonl"
    bad.write_text(json.dumps({"title": "not UCDP"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError):
        list(read_rows(bad))
    assert [r.where_prec for r in read_rows(_write(tmp_path, ROWS[:2]))] == [1, 4]


def _write(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    return path


def test_counts_and_place_rows(report) -> None:
    assert report.counts["rows"] == 5
    assert report.counts["headlines"] == 4  # two rows share a headline
    # place rows: where_prec <= 2 and the headline names the place (rows 1, 3, 5)
    assert report.counts["place_rows"] == 3


def test_place_scores(report) -> None:
    within10 = report.score("place_within_10km")
    assert (within10.hits, within10.n) == (2, 3)  # Saraqib and Jobar; Hama is not near Aleppo
    assert report.score("place_within_50km").hits == 2
    admin1 = report.score("place_admin1")
    assert (admin1.hits, admin1.n) == (2, 3)
    # the miss is reported with what we chose and how far it is from UCDP's point
    (miss,) = report.details
    assert miss["ucdp_place"] == "Hama city" and miss["named"] == "Hama"
    assert miss["ours"]["admin1"] == "Hama" and miss["km"] > 50


def test_admin1_of_all_rows(report) -> None:
    admin1_all = report.score("admin1_all")
    assert admin1_all.n == 5
    # rows 1-3 right; row 4 names no place; row 5's gold governorate is wrong on purpose
    assert admin1_all.hits == 3


def test_deaths_are_per_headline(report) -> None:
    assert report.score("deaths_exact").n == 4
