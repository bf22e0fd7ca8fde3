"""The HTTP API against a real SQLite store built from the bundled example articles."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
import schemathesis
from schemathesis.checks import positive_data_acceptance
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from sitrep.api import create_app
from sitrep.schema import Event

TOKEN = "t0ken-for-tests-0123456789abcdef"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    from sitrep.examples import example_paths
    from sitrep.pipeline import Pipeline, ingest_articles
    from sitrep.store import open_store

    db = tmp_path_factory.mktemp("api") / "sitrep.db"
    pipe = Pipeline()
    articles, problems = pipe.read(example_paths())
    assert not problems
    with open_store(db) as store:
        ingest_articles(pipe, store, articles)
    return db


@pytest.fixture(scope="module")
def events(store_path) -> list[Event]:
    from sitrep.store import open_store

    with open_store(store_path) as store:
        return store.events()


@pytest.fixture(scope="module")
def client(store_path):
    return TestClient(create_app(store_path))


def _all(client, **params) -> list[dict]:
    items, cursor = [], None
    while True:
        page = client.get("/events", params={**params, "limit": 7, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            assert len(items) == body["total"]
            return items


# ------------------------------------------------------------------ listing, filters, paging


def test_paging_walks_every_event_once_in_date_order(client, events):
    items = _all(client)
    ids = [i["event_id"] for i in items]
    assert len(ids) == len(set(ids)) == len(events) > 20
    assert ids == [e.event_id for e in events]  # the store's own order: date, undated last, then id


def test_descending_fatalities_sort_pages_stably(client, events):
    items = _all(client, sort="-fatalities")
    assert [i["fatalities"] for i in items] == sorted((e.fatalities for e in events), reverse=True)
    assert items[0]["fatalities"] == max(e.fatalities for e in events) > 0


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        ({"event_type": "Protests"}, lambda e: e.event_type.value == "Protests"),
        ({"event_type": ["Protests", "Riots"]}, lambda e: e.event_type.value in ("Protests", "Riots")),
        ({"admin1": "idleb"}, lambda e: (e.admin1 or "").lower() == "idleb"),
        ({"min_fatalities": 10}, lambda e: e.fatalities >= 10),
        ({"since": "2017-01-01", "until": "2018-12-31"}, lambda e: e.event_date and date(2017, 1, 1) <= e.event_date <= date(2018, 12, 31)),
        ({"bbox": "36.0,35.5,37.0,36.5"}, lambda e: e.latitude is not None and 35.5 <= e.latitude <= 36.5 and 36.0 <= e.longitude <= 37.0),
        ({"actor": "islamic state"}, lambda e: "islamic state" in " ".join(filter(None, (e.actor1, e.actor2, e.assoc_actor_1, e.assoc_actor_2))).lower()),
        ({"modality": "historical"}, lambda e: e.modality.value == "historical"),
        ({"q": "car bomb"}, lambda e: "car bomb" in e.notes.lower() or any("car bomb" in ev.text.lower() for ev in e.evidence)),
        ({"q": "Car Bomb"}, lambda e: "car bomb" in e.notes.lower() or any("car bomb" in ev.text.lower() for ev in e.evidence)),
        ({"q": "ar b"}, lambda e: "ar b" in e.notes.lower() or any("ar b" in ev.text.lower() for ev in e.evidence)),
        ({"q": "Id"}, lambda e: "id" in e.notes.lower() or any("id" in ev.text.lower() for ev in e.evidence)),  # too short to index: scanned
        ({"source": "levant"}, lambda e: "levant" in (e.source or "").lower() or any("levant" in (ev.outlet or "").lower() for ev in e.evidence)),
    ],
)
def test_filters_match_the_stored_events(client, events, params, keep):
    expected = [e.event_id for e in events if keep(e)]
    got = [i["event_id"] for i in _all(client, **params)]
    assert got == expected
    assert 0 < len(got) < len(events), "the example set should make this filter discriminate"


def test_source_type_filter_finds_state_media_and_monitor_reports(client, events):
    state = {i["event_id"] for i in _all(client, source_type="state_media")}
    monitors = {i["event_id"] for i in _all(client, source_type="monitor")}
    assert state and monitors and state != monitors
    for e in events:
        if e.event_id in monitors:
            assert any(c.claimant_type.value == "monitor" for c in e.claims) or e.evidence


def test_bad_requests_get_clear_4xx(client):
    cases = {
        ("bbox", "1,2,3"): "bbox must be four numbers",
        ("bbox", "10,50,20,40"): "south <= north",
        ("cursor", "not-a-cursor"): "cursor is not one this server issued",
    }
    for (key, value), message in cases.items():
        r = client.get("/events", params={key: value})
        assert r.status_code == 400 and message in r.json()["detail"], r.text
    first = client.get("/events", params={"limit": 2}).json()["next_cursor"]
    r = client.get("/events", params={"cursor": first, "sort": "-fatalities"})
    assert r.status_code == 400 and "keep the sort" in r.json()["detail"]
    assert client.get("/events", params={"event_type": "Picnic"}).status_code == 422
    assert client.get("/events", params={"limit": 0}).status_code == 422
    r = client.get("/events/ev_doesnotexist")
    assert r.status_code == 404 and "ev_doesnotexist" in r.json()["detail"]


# ------------------------------------------------------------------ single records


def test_event_detail_has_claims_evidence_mentions_and_why(client, events):
    fused = max(events, key=lambda e: (len(e.mention_ids), len(e.claims)))
    body = client.get(f"/events/{fused.event_id}").json()
    assert body["event"]["event_id"] == fused.event_id
    assert [m["id"] for m in body["mentions"]] and {m["id"] for m in body["mentions"]} <= set(fused.mention_ids)
    assert len(body["event"]["claims"]) == len(fused.claims)
    assert body["why"] == [link.model_dump(mode="json") for link in fused.fusion]
    if len(fused.mention_ids) > 1:
        assert body["why"], "a fused event says why its mentions were joined"
    cited = {ev.article_id for ev in fused.evidence}
    assert cited <= {a["id"] for a in body["articles"]} | {a["external_id"] for a in body["articles"]}


def test_article_marks_every_evidence_span_of_its_events(client, events):
    event = next(e for e in events if e.claims and e.evidence)
    evidence = event.evidence[0]
    article = client.get(f"/articles/{evidence.article_id}").json()
    assert "".join(s["text"] for s in article["segments"]) == article["text"]
    marked = "".join(
        s["text"] for s in article["segments"] if any(m["event_id"] == event.event_id and m["kind"] == "evidence" for m in s["marks"])
    )
    assert evidence.text in marked
    assert event.event_id in article["event_ids"]
    assert client.get("/articles/a_0000000000000000").status_code == 404


def test_geojson_points_and_clusters_agree(client, events):
    located = [e for e in events if e.latitude is not None]
    points = client.get("/events.geojson").json()
    assert not points["clustered"] and points["total"] == len(located) == len(points["features"])
    f = next(f for f in points["features"] if f["id"] == located[0].event_id)
    assert f["geometry"]["coordinates"] == [located[0].longitude, located[0].latitude]
    cells = client.get("/events.geojson", params={"cluster": "always", "zoom": 5}).json()
    assert cells["clustered"] and sum(c["properties"]["count"] for c in cells["features"]) == len(located)
    assert len(cells["features"]) < len(located)
    protests = client.get("/events.geojson", params={"event_type": "Protests"}).json()
    assert {f["properties"]["event_type"] for f in protests["features"]} == {"Protests"}


def test_timeline_counts_every_dated_event(client, events):
    dated = [e for e in events if e.event_date]
    for interval in ("day", "week"):
        body = client.get("/stats/timeline", params={"interval": interval}).json()
        assert sum(b["events"] for b in body["buckets"]) == len(dated)
        assert sum(b["fatalities"] for b in body["buckets"]) == sum(e.fatalities for e in dated)
    weeks = client.get("/stats/timeline", params={"interval": "week"}).json()["buckets"]
    assert all(date.fromisoformat(b["period"]).weekday() == 0 for b in weeks)
    idleb = client.get("/stats/timeline", params={"admin1": "Idleb"}).json()["buckets"]
    assert sum(b["events"] for b in idleb) == sum(1 for e in dated if e.admin1 == "Idleb")


def test_actors_list_counts_and_names_over_time(client, events):
    listed = client.get("/actors", params={"with_events": True}).json()
    counts = {a["actor_id"]: a["events"] for a in listed}
    state_forces = next(e.actor1_id for e in events if e.actor1_id == "syria-state-forces")
    expected = sum(1 for e in events for a in (e.actor1_id, e.actor2_id) if a == state_forces)
    assert counts[state_forces] == expected > 0
    hts = client.get("/actors/nusra-hts").json()
    assert len(hts["names"]) >= 2, "HTS renamed itself (Jabhat al-Nusra, Jabhat Fateh al-Sham, HTS)"
    starts = [n["valid_from"] for n in hts["names"] if n["valid_from"]]
    assert starts == sorted(starts)
    assert client.get("/actors/no-such-actor").status_code == 404


def test_place_lists_events_located_there(client, events):
    event = next(e for e in events if e.place_id)
    body = client.get(f"/places/{event.place_id}").json()
    assert body["events_total"] == sum(1 for e in events if e.place_id == event.place_id)
    assert event.event_id in {e["event_id"] for e in body["events"]}
    assert client.get("/places/gn:0").status_code == 404


def test_control_answers_geojson_or_a_clear_404(client):
    r = client.get("/control", params={"at": "2017-06-30"})
    if r.status_code == 200:
        assert r.json()["type"] == "FeatureCollection"
    else:
        assert r.status_code == 404 and "control" in r.json()["detail"]
    assert client.get("/control", params={"at": "yesterday"}).status_code == 422


# ------------------------------------------------------------------ security


def test_reads_use_a_connection_that_cannot_write(client):
    reader = client.app.state.reader
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.conn.execute("DELETE FROM events")


def test_writes_are_off_without_a_token(client):
    r = client.post("/articles", json={"text": "Clashes were reported in Daraa."})
    assert r.status_code == 403 and "writes are disabled" in r.json()["detail"]


def test_cors_closed_by_default_and_security_headers(client, store_path):
    r = client.get("/events", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    opened = TestClient(create_app(store_path, cors_origins=["https://analyst.example"]))
    r = opened.get("/events", headers={"Origin": "https://analyst.example"})
    assert r.headers["access-control-allow-origin"] == "https://analyst.example"


def test_serve_binds_loopback_by_default():
    import inspect

    from sitrep.commands.serve import serve

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"


def test_post_article_checks_token_size_and_type_then_ingests(tmp_path, store_path):
    import shutil

    db = tmp_path / "w.db"
    shutil.copy(store_path, db)
    writer = TestClient(create_app(db, token=TOKEN, max_body_bytes=5000))
    body = {
        "text": "Regime helicopters dropped barrel bombs on the town of Kafr Nabl in Idlib province on Tuesday, "
        "killing five civilians, the Syrian Observatory for Human Rights said.",
        "title": "Barrel bombs hit Kafr Nabl",
        "published": "2016-05-04",
        "id": "post-test-1",
        "url": "https://example.org/kafr-nabl",
    }
    assert writer.post("/articles", json=body).status_code == 401
    assert writer.post("/articles", json=body, headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    r = writer.post("/articles", content=b"x" * 6000, headers={**auth, "Content-Type": "text/plain"})
    assert r.status_code == 413 and "5000 bytes" in r.json()["detail"]
    r = writer.post("/articles", content=b"<xml/>", headers={**auth, "Content-Type": "application/xml"})
    assert r.status_code == 415
    r = writer.post("/articles", json={"body": "no text field"}, headers=auth)
    assert r.status_code == 400 and "text" in r.json()["detail"]
    r = writer.post("/articles", json=body, headers=auth)
    assert r.status_code == 201, r.text
    result = r.json()
    assert result["stored"] and result["mentions"] >= 1 and result["event_ids"]
    event = writer.get(f"/events/{result['event_ids'][0]}").json()["event"]
    assert event["location"] and "Kafr" in event["location"] and event["fatalities"] == 5
    again = writer.post("/articles", json=body, headers=auth).json()
    assert again["stored"] is False


# ------------------------------------------------------------------ schemathesis


def test_openapi_contract(store_path):
    """No 5xx and every response matches the published schema, for generated requests to every operation."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(store_path))
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def check(case):
            # positive_data_acceptance is left out: a schema-valid but meaningless value (bbox with
            # south > north, a cursor this server never issued) rightly gets 400 with a message.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()
        checked.append(operation.label)
    assert "GET /events" in checked and "POST /articles" in checked


def test_the_text_index_follows_every_change_to_the_events(tmp_path, events):
    """Writing, re-fusing and deleting events keeps the FTS5 index (migration 0003) equal to a scan."""
    from sitrep.store import open_store

    db = tmp_path / "copy.db"
    with open_store(db) as store:
        store.upsert_events(events)
        kept = events[: len(events) // 2]
        store.delete_events(e.event_id for e in events[len(events) // 2 :])  # re-fusion: half the events are gone
        changed = kept[0].model_copy(update={"notes": "A unique phrase about a quarry blast near Tadmur."})
        store.upsert_events([changed, *kept[1:]])  # and the rest rewritten, one with new notes
    conn = sqlite3.connect(db)
    try:
        for needle in ("quarry blast", "car bomb", "air strike", "civilians", "Tadmur"):
            indexed = {r[0] for r in conn.execute(
                "SELECT event_id FROM events WHERE rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?) "
                "OR event_id IN (SELECT event_id FROM evidence WHERE rowid IN (SELECT rowid FROM evidence_fts WHERE evidence_fts MATCH ?))",
                (f'"{needle}"', f'"{needle}"'))}
            scanned = {r[0] for r in conn.execute(
                "SELECT event_id FROM events WHERE LOWER(json_extract(record, '$.notes')) LIKE ? "
                "OR event_id IN (SELECT event_id FROM evidence WHERE LOWER(text) LIKE ?)",
                (f"%{needle.lower()}%", f"%{needle.lower()}%"))}
            assert indexed == scanned, needle
        assert {r[0] for r in conn.execute("""SELECT event_id FROM events WHERE rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH '"quarry blast"')""")} == {changed.event_id}
    finally:
        conn.close()


def test_a_store_from_before_the_text_index_is_brought_up_to_date_when_served(tmp_path, store_path):
    import shutil

    old = tmp_path / "old.db"
    shutil.copy(store_path, old)
    conn = sqlite3.connect(old)
    triggers = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_fts_%'")]
    conn.executescript(
        "".join(f"DROP TRIGGER {t};" for t in triggers)
        + "DROP TABLE events_fts; DROP TABLE evidence_fts; DELETE FROM schema_migrations WHERE version >= 3;"
    )  # the file now looks as an older sitrep left it
    conn.close()
    client = TestClient(create_app(old))
    body = client.get("/events", params={"q": "car bomb"}).json()
    assert body["total"] > 0
    conn = sqlite3.connect(old)
    assert conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] >= 3
    conn.close()
