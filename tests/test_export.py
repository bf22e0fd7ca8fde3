"""Export: every format written and parsed back; ACLED columns and conventions."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from rich.console import Console

from sitrep.export import ExportError, event_row, events_table, write_events
from sitrep.schema import (
    ACLED_COLUMNS,
    EXTRA_COLUMNS,
    Claim,
    Event,
    EventType,
    Evidence,
    GeoPrecision,
    Modality,
    SourceType,
    Span,
    SubEventType,
    TimePrecision,
)

COLUMNS = list(ACLED_COLUMNS + EXTRA_COLUMNS)

DOUMA_TEXT = (
    "Rocket fire on a residential block in Douma killed seven people on Sunday, the White Helmets said, "
    "while state television said the rockets had been fired by militants at Damascus."
)


def _span(fragment: str) -> Span:
    start = DOUMA_TEXT.index(fragment)
    return Span(start=start, end=start + len(fragment))


@pytest.fixture
def events() -> list[Event]:
    douma = Event(
        event_id="SYR-d0u4a001",
        event_date=date(2018, 2, 4),
        event_type=EventType.EXPLOSIONS,
        sub_event_type=SubEventType.SHELLING,
        actor1="Military Forces of Syria (2000-2024)",
        inter1=1,
        actor2="Civilians (Syria)",
        inter2=7,
        interaction=17,
        admin1="Rural Damascus",
        admin2="Duma",
        location="Duma",
        latitude=33.5722,
        longitude=36.4028,
        geo_precision=GeoPrecision.PLACE,
        source="White Helmets; SANA",
        source_scale="National",
        notes="On 4 February 2018, rockets hit a residential block in Duma; 7 killed (White Helmets).",
        fatalities=7,
        fatalities_low=7,
        fatalities_best=7,
        fatalities_high=7,
        claims=[
            Claim(value=7, text="killed seven people", claimant="White Helmets", claimant_type=SourceType.MONITOR,
                  article_id="a_00000000000d0u4a", span=_span("killed seven people")),
            Claim(kind="event", text="fired by militants", claimant="Syrian state television",
                  claimant_type=SourceType.STATE_MEDIA, article_id="a_00000000000d0u4a",
                  span=_span("fired by militants"), modality=Modality.CLAIMED),
        ],
        evidence=[Evidence(article_id="a_00000000000d0u4a", span=_span(DOUMA_TEXT.split(",")[0]),
                           text=DOUMA_TEXT.split(",")[0], url="https://news.example.org/douma", outlet="Ghouta Today")],
        article_ids=["GT-2018-0204", "a_00000000000e2222"],
        source_urls=["https://news.example.org/douma", "https://wire.example.com/x/19"],
        mention_ids=["m_00000000000d0u4a_t0_22"],
        mentions=2,
    )
    manbij = Event(
        event_id="SYR-m4nb1j02",
        event_date=date(2016, 8, 12),
        time_precision=TimePrecision.WEEK,
        event_type=EventType.BATTLES,
        sub_event_type=SubEventType.NON_STATE_OVERTAKES_TERRITORY,
        actor1="SDF: Syrian Democratic Forces",
        assoc_actor_1="Manbij Military Council; Military Forces of the United States (2009-2017)",
        inter1=2,
        actor2="Islamic State (Syria)",
        inter2=2,
        interaction=22,
        admin1="Aleppo",
        admin2="Menbij",
        location="Menbij",
        latitude=36.5281,
        longitude=37.9549,
        fatalities=45,
        fatalities_low=45,
        fatalities_best=60,
        fatalities_high=120,
        figures_disputed=True,
        modality=Modality.CLAIMED,
        article_ids=["a_0000000000000b1j"],
    )
    # no coordinates, no date: still a CSV/JSONL row, left out of GeoJSON
    vague = Event(
        event_id="SYR-v4gue003",
        event_type=EventType.STRATEGIC,
        sub_event_type=SubEventType.ARRESTS,
        actor1="Police Forces of Syria (2000-2024)",
        admin1="Hama",
        fatalities=0,
        article_ids=["a_00000000000000aa"],
    )
    return [douma, manbij, vague]


def test_event_row_columns_and_acled_conventions(events):
    row = event_row(events[0])
    assert list(row) == COLUMNS
    assert row["event_date"] == "2018-02-04"
    assert row["event_type"] == "Explosions/Remote violence"
    assert row["sub_event_type"] == "Shelling/artillery/missile attack"
    assert row["geo_precision"] == 1 and row["time_precision"] == 1
    assert row["modality"] == "asserted"
    assert row["article_ids"] == "GT-2018-0204; a_00000000000e2222"
    assert row["source_urls"] == "https://news.example.org/douma; https://wire.example.com/x/19"
    assert row["assoc_actor_1"] == ""  # None → ""
    empty = event_row(events[2])
    assert empty["event_date"] == "" and empty["latitude"] == "" and empty["geo_precision"] == ""
    assert empty["fatalities_best"] == ""


def test_csv_header_and_rows_parse_back(events, tmp_path):
    path = tmp_path / "events.csv"
    assert write_events(events, path, "csv") == 3
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        rows = list(reader)
    assert [r["event_id"] for r in rows] == ["SYR-d0u4a001", "SYR-m4nb1j02", "SYR-v4gue003"]
    assert rows[0]["fatalities"] == "7" and rows[0]["latitude"] == "33.5722"
    assert rows[1]["assoc_actor_1"] == "Manbij Military Council; Military Forces of the United States (2009-2017)"
    assert rows[1]["time_precision"] == "2"
    assert rows[2]["event_date"] == "" and rows[2]["longitude"] == ""


def test_csv_to_a_stream_and_to_stdout(events, capsys):
    buf = io.StringIO()
    assert write_events(events[:1], None, "csv", stream=buf) == 1
    assert buf.getvalue().splitlines()[0] == ",".join(COLUMNS)
    assert write_events(events[:2], "-", "csv") == 2
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("event_id,event_date,time_precision,event_type")
    assert len(printed) == 3


def test_jsonl_revalidates_into_events(events, tmp_path):
    path = tmp_path / "events.jsonl"
    assert write_events(iter(events), path, "jsonl") == 3  # a generator is fine
    lines = path.read_text(encoding="utf-8").splitlines()
    back = [Event.model_validate_json(line) for line in lines]
    assert back == events
    first = json.loads(lines[0])
    assert first["claims"][0]["claimant"] == "White Helmets"
    assert DOUMA_TEXT[first["evidence"][0]["span"]["start"] : first["evidence"][0]["span"]["end"]] == first["evidence"][0]["text"]


def test_geojson_points_are_lon_lat_and_unlocated_events_left_out(events, tmp_path):
    path = tmp_path / "events.geojson"
    assert write_events(events, path, "geojson") == 2
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert [f["id"] for f in data["features"]] == ["SYR-d0u4a001", "SYR-m4nb1j02"]
    douma = data["features"][0]
    assert douma["geometry"] == {"type": "Point", "coordinates": [36.4028, 33.5722]}
    assert list(douma["properties"]) == COLUMNS
    assert douma["properties"]["fatalities"] == 7
    assert data["features"][1]["properties"]["figures_disputed"] is True


def test_geojson_with_no_located_events_is_still_valid(events):
    buf = io.StringIO()
    assert write_events(events[2:], None, "geojson", stream=buf) == 0
    assert json.loads(buf.getvalue()) == {"type": "FeatureCollection", "features": []}


def test_parquet_types_and_rows(events, tmp_path):
    path = tmp_path / "events.parquet"
    assert write_events(events, path, "parquet") == 3
    table = pq.read_table(path)
    assert table.num_rows == 3
    assert table.column_names == COLUMNS
    schema = table.schema
    assert schema.field("event_date").type == pa.date32()
    assert schema.field("fatalities").type == pa.int64()
    assert pa.types.is_integer(schema.field("inter1").type)
    assert schema.field("latitude").type == pa.float64()
    assert schema.field("figures_disputed").type == pa.bool_()
    assert schema.field("event_type").type == pa.string()
    rows = table.to_pylist()
    assert rows[0]["event_date"] == date(2018, 2, 4)
    assert rows[0]["article_ids"] == ["GT-2018-0204", "a_00000000000e2222"]
    assert rows[1]["fatalities_high"] == 120 and rows[1]["modality"] == "claimed"
    assert rows[2]["latitude"] is None and rows[2]["event_date"] is None  # nulls, not ""


def test_parquet_of_nothing_keeps_the_columns(tmp_path):
    path = tmp_path / "empty.parquet"
    assert write_events([], path, "parquet") == 0
    table = pq.read_table(path)
    assert table.num_rows == 0 and table.column_names == COLUMNS


def test_parquet_needs_a_file_and_unknown_format_is_refused(events, tmp_path):
    with pytest.raises(ExportError, match="give an output file"):
        write_events(events, None, "parquet")
    with pytest.raises(ExportError, match="give an output file"):
        write_events(events, "-", "parquet")
    with pytest.raises(ExportError, match="unknown export format 'xlsx'"):
        write_events(events, tmp_path / "x.xlsx", "xlsx")
    with pytest.raises(ExportError, match="cannot write"):
        write_events(events, tmp_path / "missing" / "x.csv", "csv")


def test_events_table_renders_the_key_columns(events):
    console = Console(record=True, width=250)
    console.print(events_table(events))
    text = console.export_text()
    for expected in ("2018-02-04", "Shelling/artillery/missile attack", "SDF: Syrian Democratic Forces",
                     "Duma", "Rural Damascus", "claimed", "White Helmets; SANA", "1 article"):
        assert expected in text, expected
    assert "45 (≤120)" in text  # disputed figures show the highest claim


def test_events_table_does_not_read_markup_in_names(events):
    odd = events[2].model_copy(update={"actor1": "Unidentified Armed Group [bold]Syria[/bold]"})
    console = Console(record=True, width=250)
    console.print(events_table([odd]))
    assert "[bold]Syria[/bold]" in console.export_text()
