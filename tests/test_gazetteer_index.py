"""The on-disk gazetteer: lazy build, imports (GeoNames, WOF, CSV), download, CLI, missing names."""

from __future__ import annotations

import functools
import http.server
import sqlite3
import threading
import zipfile
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.resolve.gazetteer import Gazetteer
from sitrep.resolve.gazetteer_db import GazetteerSettings, default_db_path, ensure_db, load_index, open_gazetteer, stats
from sitrep.resolve.gazetteer_import import detect_format, import_file
from sitrep.resolve.places import PlaceResolver
from sitrep.schema import GeoPrecision

SHARED = Path(__file__).resolve().parents[2] / "shared"
WOF = SHARED / "gazetteer" / "wof_sy_places.tsv"


def _gn(gid: int, name: str, ascii: str, alt: str, lat: float, lon: float, fclass: str, code: str, cc: str, adm1: str, pop: int) -> str:
    cols = [str(gid), name, ascii, alt, f"{lat}", f"{lon}", fclass, code, cc, "", adm1, "", "", "", str(pop), "", "300", "Asia/Damascus", "2020-01-01"]
    assert len(cols) == 19
    return "\t".join(cols)


# Villages of Idlib the packaged gazetteer lacks (coordinates approximate, written for this test),
# a row of another country, a historical record, a stream (not a place for us) and Aleppo again.
GEONAMES_ROWS = [
    _gn(9100001, "Kafr Rūmā", "Kafr Ruma", "Kafruma,Kfar Rouma,كفر روما", 35.602, 36.624, "P", "PPL", "SY", "12", 9000),
    _gn(9100002, "Tall Mardīkh", "Tall Mardikh", "Tell Mardikh,Ebla", 35.798, 36.797, "P", "PPL", "SY", "12", 1200),
    _gn(9100003, "Kafr Karmīn", "Kafr Karmin", "", 36.98, 35.95, "P", "PPL", "TR", "31", 800),
    _gn(9100004, "Old Qinnasrin", "Old Qinnasrin", "", 35.99, 37.05, "P", "PPLH", "SY", "09", 0),
    _gn(9100005, "Nahr Abu Qubays", "Nahr Abu Qubays", "", 35.3, 36.3, "H", "STM", "SY", "12", 0),
    _gn(170063, "Aleppo", "Aleppo", "Halab,Alep,Haleb", 36.20124, 37.16117, "P", "PPLA", "SY", "09", 1602264),
]

ALT_NAMES = "\n".join([
    "1\t9100001\ten\tKafr Roma\t\t\t\t\t\t",
    "2\t9100001\tlink\thttps://en.wikipedia.org/wiki/Kafr_Ruma\t\t\t\t\t\t",
    "3\t9100002\ten\tTel Mardikh\t\t\t\t\t\t",
    "4\t555\ten\tSomewhere Else\t\t\t\t\t\t",
])

WOF_HEADER = ("wof_id\tgeonameid\tname\tasciiname\tname_ar\tname_en\talternatenames\tlatitude\tlongitude\tplacetype\t"
              "feature_code\tgn_admin1\tgovernorate\tdistrict\tpopulation\tis_current\tdeprecated\tsuperseded_by\twikidata\tsrc_geom")


def _wof(wid, gid, name, alt, lat, lon, gov, district="", pop=0, deprecated="", superseded="", code="PPL", ptype="locality"):
    return "\t".join([str(wid), str(gid or ""), name, name, "", name, alt, str(lat), str(lon), ptype, code, "", gov, district,
                      str(pop), "1" if not deprecated else "0", deprecated, superseded, "", "geonames"])


WOF_ROWS = [
    # old governorate spelling, a district in ACLED spelling with hyphens
    _wof(901, 9200001, "Al Busayrah Village", "Busayra Village", 35.160, 40.430, "Days Az Zawr", "Al Mayadin"),
    # the same village twice, from two sources 1 km apart: merged
    _wof(902, 9200002, "Kansafrah", "Kansafra,Kansafreh", 35.632, 36.503, "Idlib", "Ariha", pop=3500),
    _wof(903, None, "Kansafra", "", 35.640, 36.500, "Idlib"),
    # a wrong alias naming a big city 150 km away: dropped
    _wof(904, 9200004, "Dayr Sunbul", "Deir Sunbul,Aleppo", 35.633, 36.470, "Idlib", "Ariha"),
    # deprecated and superseded records
    _wof(905, 9200005, "Ghost Village", "", 35.5, 36.5, "Idlib", deprecated="2017-01-27"),
    _wof(906, 9200006, "Old Manbij Record", "", 36.52, 37.95, "Aleppo", superseded="1141906291"),
    # no governorate at all: takes the nearest known settlement's
    _wof(907, 9200007, "Tall Khanzir", "", 36.20, 37.20, ""),
]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SITREP_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SITREP_GAZETTEER__PATH", raising=False)
    return tmp_path / "home"


@pytest.fixture
def db(home: Path) -> Path:
    return ensure_db(default_db_path())


def _write(tmp_path: Path, name: str, lines: list[str] | str) -> Path:
    path = tmp_path / name
    path.write_text(lines if isinstance(lines, str) else "\n".join(lines) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------- the index


def test_index_is_built_on_first_use_in_the_users_data_folder(home: Path) -> None:
    path = default_db_path()
    assert path == home / "gazetteer.db" and not path.exists()
    gaz = open_gazetteer()
    assert path.exists()
    assert len(gaz) == len(Gazetteer.load())
    assert gaz.lookup("Joubar")[0].place_id == "extra:jobar"
    assert gaz.governorate("Days Az Zawr").name == "Deir ez Zor"
    mtime = path.stat().st_mtime_ns
    again = open_gazetteer()  # loaded, not rebuilt
    assert len(again) == len(gaz) and path.stat().st_mtime_ns == mtime


def test_index_location_can_be_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_db_path(GazetteerSettings(path=tmp_path / "g.db")) == tmp_path / "g.db"
    assert default_db_path(environ={"SITREP_GAZETTEER__PATH": str(tmp_path / "e.db")}) == tmp_path / "e.db"
    assert default_db_path(environ={"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "sitrep" / "gazetteer.db"
    assert default_db_path(environ={"HOME": "/nonexistent"}).name == "gazetteer.db"


def test_resolver_over_the_index_matches_the_in_memory_build(db: Path) -> None:
    ours, packaged = PlaceResolver(load_index(db)), PlaceResolver(Gazetteer.load())
    for phrase in ("Idlib countryside", "the town of Kasab", "Deraa's Tal al-Hara", "Kafranbel", "eastern Aleppo"):
        a, b = ours.resolve(phrase), packaged.resolve(phrase)
        assert a is not None and b is not None
        assert (a.place_id, a.geo_precision, a.admin1) == (b.place_id, b.geo_precision, b.admin1), phrase


# --------------------------------------------------------------------------- GeoNames


def test_geonames_import_streams_maps_and_merges(tmp_path: Path, db: Path) -> None:
    dump = _write(tmp_path, "SY.txt", GEONAMES_ROWS)
    alt = _write(tmp_path, "alternateNamesV2.txt", ALT_NAMES)
    assert detect_format(dump) == "geonames"
    report = import_file(db, dump, "geonames", alternate_names=alt)
    assert report.read == 3 and report.added == 2 and report.merged == 1
    assert report.skipped == {"other country": 1, "historical": 1, "feature H.STM": 1}
    assert report.alternate_names == 2  # the link is not a name; id 555 is not ours

    gaz = load_index(db)
    kafr_ruma = gaz.lookup("Kfar Rouma")[0]
    assert kafr_ruma.name == "Kafr Rūmā" and kafr_ruma.admin1 == "Idleb" and kafr_ruma.admin2 is not None
    assert gaz.lookup("Kafr Roma")[0].place_id == kafr_ruma.place_id  # from alternateNamesV2
    assert gaz.lookup("Tel Mardikh")[0].population == 1200
    # Aleppo's row merged into the packaged Aleppo: one Aleppo, the curated name kept
    alep = [r for r in gaz.lookup("Aleppo") if r.feature == "city"]
    assert len(alep) == 1 and alep[0].place_id == "gn:170063" and alep[0].name == "Aleppo"
    assert not gaz.lookup("Kafr Karmin")  # Turkey

    resolver = PlaceResolver(gaz)
    ref = resolver.resolve("the village of Kafr Ruma")
    assert ref is not None and ref.admin1 == "Idleb" and ref.geo_precision == GeoPrecision.PLACE


def test_importing_twice_changes_nothing(tmp_path: Path, db: Path) -> None:
    dump = _write(tmp_path, "SY.txt", GEONAMES_ROWS)
    import_file(db, dump, "geonames")
    before = stats(db)
    again = import_file(db, dump, "geonames")
    assert again.unchanged == again.read == 3 and again.added == again.merged == 0
    after = stats(db)
    assert (before["places"], before["name_keys"]) == (after["places"], after["name_keys"])


def test_a_file_that_is_not_geonames_is_refused_naming_it(tmp_path: Path, db: Path) -> None:
    from sitrep.errors import InputError

    bad = _write(tmp_path, "bad.txt", ["1\tKafr Ruma\tSY\t35.6\t36.6"])
    with pytest.raises(InputError, match="bad.txt.*19"):
        import_file(db, bad, "geonames")


# --------------------------------------------------------------------------- WOF and CSV


def test_wof_import_skips_deprecated_maps_old_spellings_and_merges_duplicates(tmp_path: Path, db: Path) -> None:
    table = _write(tmp_path, "wof.tsv", [WOF_HEADER, *WOF_ROWS])
    assert detect_format(table) == "wof"
    report = import_file(db, table)
    assert report.skipped == {"deprecated": 1, "superseded": 1}
    assert report.read == 5 and report.merged == 1
    gaz = load_index(db)
    busayra = gaz.lookup("Busayra Village")[0]
    assert busayra.admin1 == "Deir ez Zor" and busayra.admin2 == "Al Mayadin"
    kansafra = gaz.lookup("Kansafra")
    assert len(kansafra) == 1 and kansafra[0].admin1 == "Idleb" and kansafra[0].population == 3500
    sunbul = gaz.lookup("Deir Sunbul")[0]
    assert "Aleppo" not in sunbul.all_names
    assert [r.feature for r in gaz.lookup("Aleppo")][0] == "city"
    assert gaz.lookup("Tall Khanzir")[0].admin1 == "Aleppo"
    assert not gaz.lookup("Ghost Village") and not gaz.lookup("Old Manbij Record")


def test_csv_import_with_alternate_names_and_old_governorate_spelling(tmp_path: Path, db: Path) -> None:
    table = _write(tmp_path, "places.csv", [
        "name;alternate_names;lat;lon;admin1;admin2;feature;population",
        "Tal Shihab;Tell Shehab|Tal Shehab;32.690;35.970;Dar`a;;village;4000",
        "Kafr Shams;Kfar Shams;33.116;36.110;Deraa;As-Sanamayn;town;",
        "No Coordinates;;;;Hama;;village;",
    ])
    report = import_file(db, table, "csv")
    # Kafr Shams is already known (GeoNames cities500): the row only adds its spelling
    assert report.added == 1 and report.merged == 1 and report.skipped == {"no name or coordinates": 1}
    gaz = load_index(db)
    shihab = gaz.lookup("Tell Shehab")[0]
    assert shihab.admin1 == "Dar'a" and shihab.population == 4000 and shihab.admin2
    kafr = gaz.lookup("Kfar Shams")
    assert len(kafr) == 1 and kafr[0].place_id == "gn:168634" and kafr[0].admin2 == "As-Sanamayn"


def test_csv_without_coordinates_columns_is_refused(tmp_path: Path, db: Path) -> None:
    from sitrep.errors import InputError

    table = _write(tmp_path, "places.csv", ["name,governorate", "Tal Shihab,Daraa"])
    with pytest.raises(InputError, match="lacks lat, lon"):
        import_file(db, table, "csv")


def test_imports_survive_a_rebuild_of_the_packaged_layer(tmp_path: Path, db: Path) -> None:
    import_file(db, _write(tmp_path, "SY.txt", GEONAMES_ROWS), "geonames")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = 'stale' WHERE key = 'builtin_fingerprint'")
    ensure_db(db)
    gaz = load_index(db)
    assert gaz.lookup("Kafr Ruma") and gaz.lookup("Joubar")


@pytest.mark.skipif(not WOF.is_file(), reason="needs ../shared/gazetteer")
def test_the_real_wof_table(tmp_path: Path) -> None:
    db = ensure_db(tmp_path / "g.db")
    report = import_file(db, WOF, "wof")
    assert report.read > 10_000 and report.skipped["deprecated"] > 0
    gaz = load_index(db)
    assert len(gaz) > 10_000
    assert {r.admin1 for r in gaz} <= {g.admin1 for g in gaz.governorates()} | {None}
    assert sum(r.admin1 is None for r in gaz) == 0
    # a village only WOF knows resolves in running text after a place cue
    refs = PlaceResolver(gaz).resolve_text("Regime helicopters dropped barrel bombs on Kafr Ruma and Kansafra.")
    assert len(refs) == 2 and all(r.admin1 == "Idleb" and r.geo_precision == GeoPrecision.PLACE for r in refs), refs
    again = import_file(db, WOF, "wof")
    assert again.unchanged == again.read


# --------------------------------------------------------------------------- CLI


def _cli(*args: str):
    from sitrep.cli import app

    return CliRunner().invoke(app, list(args))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_download_from_a_local_server_then_stats_and_lookup(tmp_path: Path, home: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    with zipfile.ZipFile(served / "SY.zip", "w") as zf:
        zf.writestr("SY.txt", "\n".join(GEONAMES_ROWS) + "\n")
        zf.writestr("readme.txt", "GeoNames country extract (test)")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{{country}}.zip"
        result = _cli("gazetteer", "download", "SY", "--url", url)
        assert result.exit_code == 0, result.output
        assert "2 added" in result.output and "1 merged" in result.output
        missing = _cli("gazetteer", "download", "XX", "--url", url)
        assert missing.exit_code == 2 and "HTTP 404" in missing.output
    finally:
        server.shutdown()
        server.server_close()
    result = _cli("gazetteer", "stats")
    assert result.exit_code == 0 and "geonames" in result.output and str(home / "gazetteer.db") in result.output.replace("\n", "")
    result = _cli("gazetteer", "lookup", "Kfar Rouma")
    assert result.exit_code == 0 and "Idleb" in result.output and "geo_precision 1" in result.output
    result = _cli("gazetteer", "lookup", "Atlantis")
    assert result.exit_code == 1 and "not a known place" in result.output


def test_import_command_reports_and_refuses_missing_files(tmp_path: Path, home: Path) -> None:
    table = _write(tmp_path, "wof.tsv", [WOF_HEADER, *WOF_ROWS])
    result = _cli("gazetteer", "import", str(table), "--format", "wof")
    assert result.exit_code == 0, result.output
    assert "5 places read" in result.output and "1 deprecated" in result.output
    result = _cli("gazetteer", "import", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2 and "nope.txt" in result.output


# --------------------------------------------------------------------------- unknown places


def test_an_unknown_place_is_kept_at_the_governorate_and_listed_by_missing(tmp_path: Path, home: Path) -> None:
    from sitrep.schema import Article, EventType, Mention, Span, SubEventType
    from sitrep.store import open_store

    resolver = PlaceResolver(open_gazetteer())
    ref = resolver.resolve("the village of Tal Qarqar al-Gharbi", context_admin1="Dar'a")
    assert ref is not None and ref.unresolved == "Tal Qarqar al-Gharbi"
    assert ref.admin1 == "Dar'a" and ref.geo_precision == GeoPrecision.REGION
    assert resolver.resolve("the village of Tal Qarqar al-Gharbi") is None  # no area in focus: nowhere to keep it

    text = "Government shelling hit the village of Tal Qarqar al-Gharbi in the Daraa countryside."
    article = Article(id=Article.make_id("", text), text=text, published=date(2018, 6, 20), published_source="metadata")
    place = resolver.resolve("village of Tal Qarqar al-Gharbi", context_admin1="Dar'a", hint="descriptor")
    mention = Mention(
        id="m1", article_id=article.id, sentence=text, span=Span(start=0, end=len(text)), trigger="shelling",
        event_type=EventType("Explosions/Remote violence"), sub_event_type=SubEventType("Shelling/artillery/missile attack"),
        place=place, places=[place],
    )
    store_path = tmp_path / "events.db"
    with open_store(store_path) as store:
        store.add_article(article)
        store.add_mentions([mention])
    result = _cli("gazetteer", "missing", "--db", str(store_path))
    assert result.exit_code == 0, result.output
    assert "Tal Qarqar al-Gharbi" in result.output and "Dar'a" in result.output
    result = _cli("gazetteer", "missing", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 2 and "none.db" in result.output


def test_extraction_keeps_an_event_at_an_unknown_village(nlp, home: Path) -> None:
    from sitrep.extract.events import EventExtractor

    text = (
        "Syrian government forces shelled the village of Umm al-Zaytunat al-Qibliya in the northern Hama "
        "countryside on Tuesday, killing three civilians, a monitoring group said."
    )
    from sitrep.schema import Article

    article = Article(id=Article.make_id("", text), text=text, published=date(2019, 5, 7), published_source="metadata")
    mentions = EventExtractor().extract(article, nlp(text))
    placed = [m.place for m in mentions if m.place is not None]
    assert placed, [m.trigger for m in mentions]
    assert all(p.admin1 == "Hama" for p in placed)
    unknown = [p for m in mentions for p in (m.place, *m.places) if p is not None and p.unresolved]
    assert unknown and unknown[0].unresolved == "Umm al-Zaytunat al-Qibliya"
    assert unknown[0].geo_precision == GeoPrecision.REGION
