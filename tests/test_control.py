"""Control of territory: per-place timelines from territory events, `sitrep control`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.control import build_timelines, control_at, control_geojson, control_timelines, find_places
from sitrep.schema import Event, EventType, Evidence, GeoPrecision, Modality, Span, SubEventType
from sitrep.store import SQLiteStore

S = SubEventType
SYRIA = "Military Forces of Syria (2000-2024)"
IS = "Islamic State (Syria)"
HTS = "Hayat Tahrir al-Sham"
EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "examples"


def _event(eid: str, day: date, sub: SubEventType, actor1: str | None, actor2: str | None, *, place: str = "Palmyra",
           place_id: str | None = "gn:palmyra", admin1: str = "Homs", lat: float = 34.56, lon: float = 38.28,
           precision: GeoPrecision = GeoPrecision.PLACE, modality: Modality = Modality.ASSERTED) -> Event:
    etype = EventType.STRATEGIC if sub == S.NON_VIOLENT_TRANSFER else EventType.BATTLES
    sentence = f"{actor1} took {place} from {actor2}." if actor2 else f"{actor1} took {place}."
    return Event(event_id=eid, event_date=day, event_type=etype, sub_event_type=sub, actor1=actor1, actor2=actor2,
                 location=place, place_id=place_id, admin1=admin1, latitude=lat, longitude=lon, geo_precision=precision,
                 modality=modality, source="Levant Wire",
                 evidence=[Evidence(article_id="a_1", span=Span(start=0, end=len(sentence)), text=sentence)])


PALMYRA = [
    _event("ev_p1", date(2015, 5, 21), S.NON_STATE_OVERTAKES_TERRITORY, IS, SYRIA),
    _event("ev_p2", date(2016, 3, 27), S.GOVERNMENT_REGAINS_TERRITORY, SYRIA, IS),
    _event("ev_p3", date(2016, 12, 11), S.NON_STATE_OVERTAKES_TERRITORY, IS, SYRIA),
    _event("ev_p4", date(2017, 3, 2), S.GOVERNMENT_REGAINS_TERRITORY, SYRIA, IS),
]


def test_timeline_says_who_held_the_place_and_since_when():
    (palmyra,) = build_timelines(reversed(PALMYRA))
    assert [(p.holder, p.since, p.until) for p in palmyra.periods] == [
        (SYRIA, None, date(2015, 5, 21)),  # known only from its loss
        (IS, date(2015, 5, 21), date(2016, 3, 27)),
        (SYRIA, date(2016, 3, 27), date(2016, 12, 11)),
        (IS, date(2016, 12, 11), date(2017, 3, 2)),
        (SYRIA, date(2017, 3, 2), None),
    ]
    assert palmyra.periods[0].inferred and not palmyra.periods[1].inferred
    assert palmyra.holder_at(date(2016, 1, 1)).holder == IS
    assert palmyra.holder_at(date(2016, 3, 27)).event_ids == ["ev_p2"]  # the change counts from its day
    assert palmyra.holder_at(date(2014, 1, 1)).holder == SYRIA
    assert palmyra.changes[1].evidence[0].text.startswith(SYRIA)


def test_repeated_reports_extend_a_period_and_same_day_disagreement_is_contested():
    repeat = _event("ev_p2b", date(2016, 3, 28), S.GOVERNMENT_REGAINS_TERRITORY, SYRIA, IS)
    (palmyra,) = build_timelines([*PALMYRA[:2], repeat])
    assert [p.event_ids for p in palmyra.periods[1:]] == [["ev_p1"], ["ev_p2", "ev_p2b"]]
    rival = _event("ev_x", date(2016, 3, 27), S.NON_STATE_OVERTAKES_TERRITORY, IS, SYRIA, modality=Modality.CLAIMED)
    (contested,) = build_timelines([*PALMYRA[:2], rival])
    assert all(p.contested for p in contested.periods if p.since == date(2016, 3, 27))


def test_region_level_and_actorless_changes_are_left_out():
    province = _event("ev_r", date(2015, 6, 1), S.NON_STATE_OVERTAKES_TERRITORY, IS, SYRIA, place="Homs", place_id="adm1:homs",
                      precision=GeoPrecision.REGION)
    nobody = _event("ev_n", date(2015, 6, 2), S.NON_VIOLENT_TRANSFER, None, SYRIA, place="Tiyas", place_id="gn:tiyas")
    clash = _event("ev_c", date(2015, 6, 3), S.ARMED_CLASH, IS, SYRIA, place="Tiyas", place_id="gn:tiyas")
    assert build_timelines([province, nobody, clash]) == []


def test_map_of_control_on_a_day_is_geojson_lon_lat():
    saraqib = _event("ev_s1", date(2020, 2, 6), S.GOVERNMENT_REGAINS_TERRITORY, SYRIA, HTS, place="Saraqib",
                     place_id="gn:saraqib", admin1="Idleb", lat=35.86, lon=36.80)
    timelines = build_timelines([*PALMYRA, saraqib])
    early = {t.place: p for t, p in control_at(timelines, date(2016, 6, 1))}
    assert early["Palmyra"].holder == SYRIA and not early["Palmyra"].inferred
    assert early["Saraqib"].holder == HTS and early["Saraqib"].inferred  # known only from the 2020 loss, and flagged so
    geo = control_geojson(timelines, date(2020, 3, 1))
    feats = {f["properties"]["place"]: f for f in geo["features"]}
    assert set(feats) == {"Palmyra", "Saraqib"}
    assert feats["Saraqib"]["geometry"]["coordinates"] == [36.80, 35.86]
    assert feats["Saraqib"]["properties"]["holder"] == SYRIA and feats["Saraqib"]["properties"]["since"] == "2020-02-06"
    assert find_places(timelines, "SARAQIB")[0].place == "Saraqib"


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "sitrep.db"
    with SQLiteStore(path) as store:
        store.upsert_events(PALMYRA)
    return path


def test_cli_answers_who_held_a_place_on_a_day(db):
    runner = CliRunner()
    on = runner.invoke(app, ["control", "palmyra", "--at", "2016-06-01", "--db", str(db)])
    assert on.exit_code == 0, on.output
    assert f"held by {SYRIA} since 2016-03-27" in " ".join(on.output.split())
    table = runner.invoke(app, ["control", "Palmyra", "--db", str(db)])
    assert table.exit_code == 0 and "2015-05-21" in table.output and "2017-03-02" in table.output
    geo = runner.invoke(app, ["control", "--at", "2016-01-01", "--format", "geojson", "--db", str(db)])
    assert geo.exit_code == 0
    (feature,) = json.loads(geo.stdout)["features"]
    assert feature["properties"]["holder"] == IS


def test_cli_errors_name_the_problem(db):
    runner = CliRunner()
    missing = runner.invoke(app, ["control", "Raqqa", "--db", str(db)])
    assert missing.exit_code == 1 and "Raqqa" in missing.output and "Palmyra" in missing.output
    nothing = runner.invoke(app, ["control", "--db", str(db)])
    assert nothing.exit_code == 2
    bad_date = runner.invoke(app, ["control", "Palmyra", "--at", "March 2016", "--db", str(db)])
    assert bad_date.exit_code == 2


def test_control_from_ingested_example_articles(tmp_path):
    from sitrep.pipeline import Pipeline, ingest_articles

    pipe = Pipeline()
    articles, _ = pipe.read([EXAMPLES / "army_of_conquest_jisr_al_shughour_2015.txt", EXAMPLES / "meridian_post_palmyra_retaken_2017.html"])
    with SQLiteStore(tmp_path / "sitrep.db") as store:
        ingest_articles(pipe, store, articles)
        timelines = control_timelines(store)
    (jisr,) = find_places(timelines, "Jisr al-Shughour")
    taken = jisr.holder_at(date(2015, 5, 1))
    assert taken is not None and taken.since == date(2015, 4, 25) and "Fat" in taken.holder
    assert jisr.holder_at(date(2015, 4, 1)).holder == SYRIA  # held before, as the capture says
    (palmyra,) = find_places(timelines, "Palmyra")
    assert palmyra.holder_at(date(2017, 3, 10)).holder == SYRIA and palmyra.changes[-1].evidence
