"""SQLiteStore: round trips, idempotency, filters, migrations and transactions on a temp file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from sitrep.errors import StoreError
from sitrep.schema import (
    ActorRef,
    Article,
    Claim,
    Event,
    EventType,
    Evidence,
    GeoPrecision,
    Inter,
    Mention,
    Modality,
    OffsetMap,
    OffsetSegment,
    PlaceRef,
    SourceType,
    Span,
    SubEventType,
)
from sitrep.store import EventFilter, SQLiteStore, Store, open_store
from sitrep.store.migrations import Migration, backend_migrations

# --------------------------------------------------------------------------- fixtures (our own text)

SARAQEB_TITLE = "Warplanes hit vegetable market in Saraqeb"
SARAQEB_TEXT = (
    "At least 14 civilians were killed on Tuesday when warplanes struck a vegetable market in Saraqeb, "
    "in the eastern countryside of Idlib, the Syrian Observatory for Human Rights said. "
    "State news agency SANA said the army had hit positions of terrorist groups near the town "
    "and denied that any civilians were harmed."
)
DEIR_HAFER_TITLE = "Army takes Deir Hafer as Islamic State pulls back"
DEIR_HAFER_TEXT = (
    "Syrian army units backed by allied militias took full control of Deir Hafer east of Aleppo on Wednesday "
    "after Islamic State fighters withdrew towards the Euphrates, SANA reported. "
    "The Observatory said nine IS fighters and four soldiers were killed in clashes on the outskirts of the town."
)
SWEIDA_TITLE = "Crowds rally again in Sweida's main square"
SWEIDA_TEXT = (
    "Hundreds of people gathered on Friday in the central square of Sweida city for the sixth day running, "
    "chanting against the fuel price rises and calling for political change, local activists said."
)


def _span(text: str, fragment: str) -> Span:
    start = text.index(fragment)
    return Span(start=start, end=start + len(fragment))


def _article(title: str, text: str, published: date, outlet: str, external_id: str | None) -> Article:
    raw = f"<h1>{title}</h1>\n<p>{text}</p>"
    body_at = raw.index(text)
    return Article(
        id=Article.make_id(title, text),
        external_id=external_id,
        url=f"https://news.example.org/{published.isoformat()}/{(external_id or 'x').lower()}",
        title=title,
        outlet=outlet,
        published=published,
        published_source="metadata",
        source_path=f"/data/in/{external_id or 'x'}.html",
        raw_text=raw,
        text=text,
        offsets=OffsetMap(segments=[OffsetSegment(clean_start=0, raw_start=body_at, length=len(text))]),
        boilerplate_removed=2,
    )


@pytest.fixture
def articles() -> dict[str, Article]:
    return {
        "saraqeb": _article(SARAQEB_TITLE, SARAQEB_TEXT, date(2016, 10, 5), "Levant Ledger", "LL-2016-1005-03"),
        "deir_hafer": _article(DEIR_HAFER_TITLE, DEIR_HAFER_TEXT, date(2017, 2, 23), "Aleppo Dispatch", "AD-88412"),
        "sweida": _article(SWEIDA_TITLE, SWEIDA_TEXT, date(2023, 8, 26), "Jabal Voice", None),
    }


def _mentions(a: dict[str, Article]) -> list[Mention]:
    sar, dh = a["saraqeb"], a["deir_hafer"]
    s1 = _span(sar.text, SARAQEB_TEXT.split(". ")[0] + ".")
    s2 = _span(dh.text, DEIR_HAFER_TEXT.split(", SANA")[0])
    s3 = _span(dh.text, DEIR_HAFER_TEXT[DEIR_HAFER_TEXT.index("The Observatory") :])
    idlib = PlaceRef(
        name="Saraqab", place_id="gn:163345", surface="Saraqeb", admin1="Idleb", admin2="Idleb",
        latitude=35.8623, longitude=36.8006, feature="city",
    )
    aleppo = PlaceRef(
        name="Deir Hafer", place_id="gn:170592", surface="Deir Hafer", admin1="Aleppo", admin2="Al Bab",
        latitude=36.1567, longitude=37.7072, feature="town",
    )
    return [
        Mention(
            id=Mention.make_id(sar.id, s1, s1.start + 40),
            article_id=sar.id,
            sentence=sar.text[s1.start : s1.end],
            span=s1,
            trigger="struck",
            trigger_span=_span(sar.text, "struck"),
            event_type=EventType.EXPLOSIONS,
            sub_event_type=SubEventType.AIR_DRONE_STRIKE,
            actor2=ActorRef(name="Civilians (Syria)", inter=Inter.CIVILIANS, surface="civilians"),
            place=idlib,
            places=[idlib],
            event_date=date(2016, 10, 4),
            date_text="Tuesday",
            fatalities=14,
            claims=[
                Claim(value=14, qualifier="at least", victims="civilians", text="At least 14 civilians",
                      claimant="Syrian Observatory for Human Rights", claimant_type=SourceType.MONITOR,
                      article_id=sar.id, span=_span(sar.text, "At least 14 civilians"))
            ],
            attributed_to="Syrian Observatory for Human Rights",
            attribution_type=SourceType.MONITOR,
            confidence=0.8,
        ),
        Mention(
            id=Mention.make_id(dh.id, s2, s2.start + 52),
            article_id=dh.id,
            sentence=dh.text[s2.start : s2.end],
            span=s2,
            trigger="took full control",
            event_type=EventType.BATTLES,
            sub_event_type=SubEventType.GOVERNMENT_REGAINS_TERRITORY,
            actor1=ActorRef(name="Military Forces of Syria (2000-2024)", actor_id="sy_army", inter=Inter.STATE_FORCES,
                            surface="Syrian army units"),
            actor2=ActorRef(name="Islamic State (Syria)", actor_id="isis", inter=Inter.REBEL_GROUPS,
                            surface="Islamic State fighters"),
            place=aleppo,
            event_date=date(2017, 2, 22),
            date_text="Wednesday",
            modality=Modality.CLAIMED,
            attributed_to="SANA",
            attribution_type=SourceType.STATE_MEDIA,
        ),
        Mention(
            id=Mention.make_id(dh.id, s3, s3.start + 4),
            article_id=dh.id,
            sentence=dh.text[s3.start : s3.end],
            span=s3,
            trigger="clashes",
            event_type=EventType.BATTLES,
            sub_event_type=SubEventType.ARMED_CLASH,
            place=aleppo,
            event_date=date(2017, 2, 22),
            fatalities=13,
        ),
    ]


def _events(a: dict[str, Article]) -> list[Event]:
    sar, dh, sw = a["saraqeb"], a["deir_hafer"], a["sweida"]
    ms = _mentions(a)
    return [
        Event(
            event_id="SYR-a1b2c3d4",
            event_date=date(2016, 10, 4),
            event_type=EventType.EXPLOSIONS,
            sub_event_type=SubEventType.AIR_DRONE_STRIKE,
            actor1="Military Forces of Syria (2000-2024)",
            inter1=1,
            actor2="Civilians (Syria)",
            inter2=7,
            interaction=17,
            admin1="Idleb",
            admin2="Idleb",
            location="Saraqab",
            latitude=35.8623,
            longitude=36.8006,
            geo_precision=GeoPrecision.PLACE,
            source="SOHR; SANA",
            source_scale="Other-National",
            notes="On 4 October 2016, warplanes struck a vegetable market in Saraqab (Idleb). 14 civilians killed (SOHR); SANA denied civilian harm.",
            fatalities=14,
            fatalities_low=0,
            fatalities_best=14,
            fatalities_high=14,
            figures_disputed=True,
            claims=[
                Claim(value=14, qualifier="at least", victims="civilians", text="At least 14 civilians",
                      claimant="Syrian Observatory for Human Rights", claimant_type=SourceType.MONITOR,
                      article_id=sar.id, span=_span(sar.text, "At least 14 civilians")),
                Claim(kind="denial", value=0, victims="civilians", text="denied that any civilians were harmed",
                      claimant="SANA", claimant_type=SourceType.STATE_MEDIA, article_id=sar.id,
                      span=_span(sar.text, "denied that any civilians were harmed"), modality=Modality.DENIED),
            ],
            evidence=[Evidence(article_id=sar.id, span=ms[0].span, text=ms[0].sentence, url=sar.url, outlet=sar.outlet)],
            article_ids=[sar.external_id or sar.id],
            source_urls=[sar.url or ""],
            mention_ids=[ms[0].id],
        ),
        Event(
            event_id="SYR-e5f6a7b8",
            event_date=date(2017, 2, 22),
            event_type=EventType.BATTLES,
            sub_event_type=SubEventType.GOVERNMENT_REGAINS_TERRITORY,
            actor1="Military Forces of Syria (2000-2024)",
            assoc_actor_1="NDF: National Defence Forces",
            inter1=1,
            actor2="Islamic State (Syria)",
            inter2=2,
            interaction=12,
            admin1="Aleppo",
            admin2="Al Bab",
            location="Deir Hafer",
            latitude=36.1567,
            longitude=37.7072,
            geo_precision=GeoPrecision.PLACE,
            source="SANA; SOHR",
            fatalities=13,
            fatalities_low=13,
            fatalities_best=13,
            fatalities_high=13,
            modality=Modality.CLAIMED,
            claims=[
                Claim(kind="control", text="took full control of Deir Hafer", claimant="SANA",
                      claimant_type=SourceType.STATE_MEDIA, article_id=dh.id,
                      span=_span(dh.text, "took full control of Deir Hafer"), modality=Modality.CLAIMED),
                Claim(value=9, victims="fighters", text="nine IS fighters", claimant="Syrian Observatory for Human Rights",
                      claimant_type=SourceType.MONITOR, article_id=dh.id, span=_span(dh.text, "nine IS fighters")),
                Claim(value=4, victims="troops", text="four soldiers", claimant="Syrian Observatory for Human Rights",
                      claimant_type=SourceType.MONITOR, article_id=dh.id, span=_span(dh.text, "four soldiers")),
            ],
            evidence=[
                Evidence(article_id=dh.id, span=ms[1].span, text=ms[1].sentence, url=dh.url, outlet=dh.outlet),
                Evidence(article_id=dh.id, span=ms[2].span, text=ms[2].sentence, url=dh.url, outlet=dh.outlet),
            ],
            article_ids=[dh.external_id or dh.id],
            source_urls=[dh.url or ""],
            mention_ids=[ms[1].id, ms[2].id],
            mentions=2,
        ),
        Event(
            event_id="SYR-0c0ffee0",
            event_date=date(2023, 8, 25),
            event_type=EventType.PROTESTS,
            sub_event_type=SubEventType.PEACEFUL_PROTEST,
            actor1="Protesters (Syria)",
            inter1=6,
            interaction=60,
            admin1="As-Sweida",
            location="As-Sweida",
            fatalities=0,
            evidence=[Evidence(article_id=sw.id, span=_span(sw.text, "Hundreds of people gathered"),
                               text="Hundreds of people gathered")],
            article_ids=[sw.id],
        ),
    ]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "sitrep.db"


@pytest.fixture
def store(db_path: Path):
    with open_store(db_path) as s:
        yield s


def _stored(store: SQLiteStore, articles: dict[str, Article]) -> list[Event]:
    with store.transaction():
        for art in articles.values():
            store.add_article(art)
        store.add_mentions(_mentions(articles))
    events = _events(articles)
    store.upsert_events(events)
    return events


def _strip(e: Event) -> dict:
    return e.model_dump(exclude={"created_at", "updated_at"})


# --------------------------------------------------------------------------- articles & mentions


def test_store_satisfies_protocol(store):
    assert isinstance(store, Store)


def test_article_round_trip_keeps_every_field(store, articles):
    art = articles["saraqeb"]
    assert store.add_article(art) is True
    back = store.get_article(art.id)
    assert back == art
    assert back.offsets.span_to_raw(0, 8) == (art.raw_text.index("At least"), art.raw_text.index("At least") + 8)
    # the caller's id finds it too
    assert store.get_article("LL-2016-1005-03") == art
    assert store.has_article("LL-2016-1005-03") and store.has_article(art.id)
    assert not store.has_article("LL-2016-1005-04")
    assert store.get_article("nope") is None


def test_same_article_twice_changes_nothing(store, articles):
    assert store.add_article(articles["deir_hafer"]) is True
    before = store.counts()
    assert store.add_article(articles["deir_hafer"]) is False
    assert store.counts() == before == {"articles": 1, "mentions": 0, "events": 0, "claims": 0}


def test_mentions_round_trip_in_order_and_idempotent(store, articles):
    for art in articles.values():
        store.add_article(art)
    ms = _mentions(articles)
    assert store.add_mentions(ms) == 3
    assert store.add_mentions(ms) == 0
    assert store.counts()["mentions"] == 3
    assert store.mentions() == ms
    dh = articles["deir_hafer"]
    assert [m.id for m in store.mentions(dh.id)] == [ms[1].id, ms[2].id]
    assert store.mentions("AD-88412") == store.mentions(dh.id)  # external id works too
    assert store.mentions(articles["sweida"].id) == []


def test_mention_of_unknown_article_is_refused(store, articles):
    with pytest.raises(StoreError, match="add the article first"):
        store.add_mentions(_mentions(articles)[:1])
    assert store.counts()["mentions"] == 0


# --------------------------------------------------------------------------- events


def test_events_round_trip_with_claims_and_evidence(store, articles):
    events = _stored(store, articles)
    back = {e.event_id: e for e in store.events()}
    assert set(back) == {e.event_id for e in events}
    for e in events:
        assert _strip(back[e.event_id]) == _strip(e)
        assert back[e.event_id].created_at is not None and back[e.event_id].updated_at is not None
    assert store.get_event("SYR-e5f6a7b8").claims[1].value == 9
    assert store.get_event("SYR-missing") is None
    assert store.counts() == {"articles": 3, "mentions": 3, "events": 3, "claims": 5}


def test_claims_and_evidence_are_normalised_into_tables(store, articles):
    _stored(store, articles)
    rows = store.conn.execute(
        "SELECT kind, value, claimant, claimant_type, span_start, span_end, text FROM claims "
        "WHERE event_id = ? ORDER BY position",
        ("SYR-a1b2c3d4",),
    ).fetchall()
    sar = articles["saraqeb"].text
    assert rows[0][:4] == ("fatalities", 14, "Syrian Observatory for Human Rights", "monitor")
    assert sar[rows[0][4] : rows[0][5]] == rows[0][6] == "At least 14 civilians"
    assert rows[1][:4] == ("denial", 0, "SANA", "state_media")
    by_claimant = dict(
        store.conn.execute("SELECT claimant, COUNT(*) FROM claims GROUP BY claimant").fetchall()
    )
    assert by_claimant == {"SANA": 2, "Syrian Observatory for Human Rights": 3}
    ev = store.conn.execute("SELECT article_id, span_start, span_end, text FROM evidence WHERE event_id = ?", ("SYR-e5f6a7b8",)).fetchall()
    assert len(ev) == 2
    for aid, start, end, text in ev:
        assert aid == articles["deir_hafer"].id and DEIR_HAFER_TEXT[start:end] == text
    links = store.conn.execute("SELECT mention_id FROM event_mentions WHERE event_id = ?", ("SYR-e5f6a7b8",)).fetchall()
    assert {r[0] for r in links} == set(_events(articles)[1].mention_ids)


def test_upserting_the_same_events_twice_changes_nothing(store, articles):
    events = _stored(store, articles)
    first = {e.event_id: (e.created_at, e.updated_at) for e in store.events()}
    counts = store.counts()
    assert store.upsert_events(events) == 0
    assert store.counts() == counts
    assert {e.event_id: (e.created_at, e.updated_at) for e in store.events()} == first


def test_changed_event_keeps_created_at_and_moves_updated_at(store, articles):
    events = _stored(store, articles)
    before = store.get_event("SYR-a1b2c3d4")
    changed = events[0].model_copy(update={"fatalities": 15, "claims": events[0].claims[:1]})
    assert store.upsert_events([changed]) == 1
    after = store.get_event("SYR-a1b2c3d4")
    assert after.fatalities == 15
    assert after.created_at == before.created_at
    assert after.updated_at > before.updated_at
    assert store.counts()["claims"] == 4  # replaced, not added
    assert store.counts()["events"] == 3


def test_created_at_given_by_caller_is_kept_on_first_insert(store, articles):
    when = datetime(2020, 3, 1, 12, 0, tzinfo=UTC)
    ev = _events(articles)[2].model_copy(update={"created_at": when})
    store.add_article(articles["sweida"])
    store.upsert_events([ev])
    assert store.get_event(ev.event_id).created_at == when


def test_delete_events_removes_claims_evidence_and_links(store, articles):
    _stored(store, articles)
    assert store.delete_events(["SYR-e5f6a7b8", "SYR-nothere"]) == 1
    assert store.get_event("SYR-e5f6a7b8") is None
    assert store.counts() == {"articles": 3, "mentions": 3, "events": 2, "claims": 2}
    for table in ("evidence", "event_mentions", "event_articles"):
        n = store.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE event_id = ?", ("SYR-e5f6a7b8",)).fetchone()[0]
        assert n == 0, table


# --------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({}, ["SYR-a1b2c3d4", "SYR-e5f6a7b8", "SYR-0c0ffee0"]),
        ({"since": date(2017, 1, 1)}, ["SYR-e5f6a7b8", "SYR-0c0ffee0"]),
        ({"until": date(2017, 2, 22)}, ["SYR-a1b2c3d4", "SYR-e5f6a7b8"]),
        ({"since": date(2016, 10, 4), "until": date(2016, 10, 4)}, ["SYR-a1b2c3d4"]),
        ({"event_type": "Battles"}, ["SYR-e5f6a7b8"]),
        ({"event_type": "explosions/remote violence"}, ["SYR-a1b2c3d4"]),
        ({"sub_event_type": "Peaceful protest"}, ["SYR-0c0ffee0"]),
        ({"admin1": "idleb"}, ["SYR-a1b2c3d4"]),
        ({"admin1": "Hama"}, []),
        ({"actor": "islamic state"}, ["SYR-e5f6a7b8"]),
        ({"actor": "Military Forces of Syria"}, ["SYR-a1b2c3d4", "SYR-e5f6a7b8"]),
        ({"actor": "civilians"}, ["SYR-a1b2c3d4"]),
        ({"actor": "national defence"}, ["SYR-e5f6a7b8"]),  # associated actor
        ({"actor": "100%"}, []),  # LIKE wildcards are literal
        ({"modality": "claimed"}, ["SYR-e5f6a7b8"]),
        ({"min_fatalities": 14}, ["SYR-a1b2c3d4"]),
        ({"min_fatalities": 1}, ["SYR-a1b2c3d4", "SYR-e5f6a7b8"]),
        ({"article_id": "AD-88412"}, ["SYR-e5f6a7b8"]),
        ({"limit": 2}, ["SYR-a1b2c3d4", "SYR-e5f6a7b8"]),
        ({"event_type": "Battles", "admin1": "Idleb"}, []),
    ],
)
def test_event_filters(store, articles, kw, expected):
    _stored(store, articles)
    assert [e.event_id for e in store.events(EventFilter(**kw))] == expected


def test_article_id_filter_takes_sitrep_id_for_events_citing_external_id(store, articles):
    _stored(store, articles)
    sar = articles["saraqeb"]
    assert [e.event_id for e in store.events(EventFilter(article_id=sar.id))] == ["SYR-a1b2c3d4"]


def test_undated_events_come_last(store, articles):
    _stored(store, articles)
    undated = _events(articles)[2].model_copy(update={"event_id": "SYR-00000000", "event_date": None})
    store.upsert_events([undated])
    assert [e.event_id for e in store.events()][-1] == "SYR-00000000"
    assert "SYR-00000000" not in [e.event_id for e in store.events(EventFilter(since=date(2000, 1, 1)))]


def test_filter_rejects_unknown_fields():
    with pytest.raises(ValueError):
        EventFilter(governorate="Idleb")


# --------------------------------------------------------------------------- transactions


def test_failing_upsert_rolls_back_only_its_own_batch(store, articles):
    events = _stored(store, articles)
    counts = store.counts()
    replacement = events[0].model_copy(update={"fatalities": 99})

    def batch():
        yield replacement
        raise RuntimeError("fusion crashed half-way")

    with pytest.raises(RuntimeError):
        store.upsert_events(batch())
    assert store.counts() == counts
    assert store.get_event("SYR-a1b2c3d4").fatalities == 14


def test_nested_failure_rolls_back_to_savepoint(store, articles):
    with store.transaction():
        store.add_article(articles["sweida"])
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.add_article(articles["saraqeb"])
                raise RuntimeError("boom")
        store.log_change("note", "x", {})
    assert store.has_article(articles["sweida"].id)
    assert not store.has_article(articles["saraqeb"].id)
    assert len(store.changes()) == 1


def test_outer_failure_discards_everything_inside(db_path, articles):
    with open_store(db_path) as s:
        s.add_article(articles["saraqeb"])
        with pytest.raises(KeyError):
            with s.transaction():
                s.add_article(articles["deir_hafer"])
                s.upsert_events(_events(articles)[:1])
                raise KeyError("late failure")
    with open_store(db_path) as s:  # a fresh connection sees only committed data
        assert s.counts() == {"articles": 1, "mentions": 0, "events": 0, "claims": 0}


# --------------------------------------------------------------------------- change log


def test_change_log(store):
    store.log_change("mention_moved", "m_abc_t10_12", {"from": "SYR-1", "to": "SYR-2", "score": 0.71})
    store.log_change("event_deleted", "SYR-1", {"reason": "merged"})
    all_changes = store.changes()
    assert [c.kind for c in all_changes] == ["mention_moved", "event_deleted"]
    assert all_changes[0].detail == {"from": "SYR-1", "to": "SYR-2", "score": 0.71}
    assert [c.subject_id for c in store.changes(kind="event_deleted")] == ["SYR-1"]
    assert store.changes(subject_id="nobody") == []


# --------------------------------------------------------------------------- migrations & opening


def _versions(path: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT version, applied_at FROM schema_migrations ORDER BY version").fetchall()


def test_fresh_store_is_migrated_in_wal_mode_with_foreign_keys(store, db_path):
    assert store.schema_version() == backend_migrations("sqlite")[-1].version
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert [v for v, _ in _versions(db_path)] == [m.version for m in backend_migrations("sqlite")]


def test_reopening_keeps_data_and_applies_only_new_migrations(db_path, articles):
    with open_store(db_path) as s:
        _stored(s, articles)
    first = _versions(db_path)
    with open_store(db_path) as s:
        assert s.counts()["events"] == 3
    assert _versions(db_path) == first  # nothing re-applied
    extra = Migration(9001, "add_reviewed", "ALTER TABLE events ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0;")
    with SQLiteStore(db_path, migrations=[*backend_migrations("sqlite"), extra]) as s:
        assert s.schema_version() == 9001
        assert s.conn.execute("SELECT SUM(reviewed) FROM events").fetchone()[0] == 0
        assert s.counts()["events"] == 3
    assert _versions(db_path)[: len(first)] == first


def test_newer_schema_than_the_code_knows_is_refused(db_path):
    open_store(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (42, 'future', '2031-01-01')")
    with pytest.raises(StoreError, match="newer sitrep.*Upgrade sitrep"):
        open_store(db_path)


def test_failed_migration_leaves_the_file_unchanged(db_path, articles):
    with open_store(db_path) as s:
        s.add_article(articles["sweida"])
    bad = Migration(2, "broken", "ALTER TABLE events ADD COLUMN ok INTEGER;\nALTER TABLE no_such_table ADD COLUMN x INTEGER;")
    with pytest.raises(StoreError, match="0002_broken failed"):
        SQLiteStore(db_path, migrations=[*backend_migrations("sqlite"), bad]).open()
    with open_store(db_path) as s:
        assert s.schema_version() == 1
        assert s.counts()["articles"] == 1
        columns = [r[1] for r in s.conn.execute("PRAGMA table_info(events)")]
        assert "ok" not in columns


def test_constructor_does_no_io(tmp_path):
    path = tmp_path / "lazy.db"
    s = SQLiteStore(path)
    assert not path.exists()
    assert s.counts()["events"] == 0  # first use opens it
    assert path.exists()
    s.close()


@pytest.mark.parametrize("url", ["postgresql://sitrep:secret@db.example.org/sitrep", "postgres://localhost/sitrep"])
def test_postgres_url_says_backend_not_installed(url):
    with pytest.raises(StoreError, match="PostgreSQL backend is not installed") as info:
        open_store(url)
    assert "secret" not in str(info.value)


def test_sqlite_urls(tmp_path, articles, monkeypatch):
    absolute = tmp_path / "abs.db"
    with open_store(f"sqlite:///{absolute}") as s:  # sqlite:/// + /abs/path = four slashes
        s.add_article(articles["sweida"])
    assert absolute.exists()
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///rel.db") as s:
        assert s.counts()["articles"] == 0
    assert (tmp_path / "rel.db").exists()
    with open_store("sqlite://") as s:
        assert s.add_article(articles["sweida"]) is True
    with pytest.raises(StoreError, match="unknown store type"):
        open_store("mongodb://localhost/x")


def test_not_a_database_and_missing_folder_are_clear_errors(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("this is a text file, not a database\n" * 50)
    with pytest.raises(StoreError, match="not a sitrep store"):
        open_store(junk)
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "nowhere" / "sitrep.db")
