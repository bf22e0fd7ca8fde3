"""The Store contract, run on every backend (SQLite file and PostgreSQL schema): round trips,
idempotency, filters, transactions, the change log, state and migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from conftest import columns, sql, store_class
from sitrep.errors import StoreError
from sitrep.schema import ArticleCopy
from sitrep.store import EventFilter, Store, open_store
from sitrep.store.migrations import Migration, backend_migrations
from store_samples import DEIR_HAFER_TEXT, make_events, make_mentions, put_samples, strip

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


def test_article_copies_are_recorded_once(store, articles):
    art = articles["deir_hafer"]
    store.add_article(art)
    mirror = ArticleCopy(url="https://mirror.example/deir-hafer", outlet="Mirror Wire", published=date(2016, 3, 2))
    assert store.add_article_copy(art.id, mirror) is True
    assert store.add_article_copy(art.id, mirror) is False  # known already
    assert store.add_article_copy(art.id, art.as_copy()) is False  # its own address
    assert store.add_article_copy("a_0000000000000000", mirror) is False  # not stored
    back = store.get_article(art.id)
    assert back.copies == [mirror] and back.outlets[-1] == "Mirror Wire" and back.urls[-1] == mirror.url
    assert store.counts()["articles"] == 1


def test_mentions_round_trip_in_order_and_idempotent(store, articles):
    for art in articles.values():
        store.add_article(art)
    ms = make_mentions(articles)
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
        store.add_mentions(make_mentions(articles)[:1])
    assert store.counts()["mentions"] == 0


# --------------------------------------------------------------------------- events


def test_events_round_trip_with_claims_and_evidence(store, articles):
    events = put_samples(store, articles)
    back = {e.event_id: e for e in store.events()}
    assert set(back) == {e.event_id for e in events}
    for e in events:
        assert strip(back[e.event_id]) == strip(e)
        assert back[e.event_id].created_at is not None and back[e.event_id].updated_at is not None
    assert store.get_event("SYR-e5f6a7b8").claims[1].value == 9
    assert store.get_event("SYR-missing") is None
    assert store.counts() == {"articles": 3, "mentions": 3, "events": 3, "claims": 5}


def test_claims_and_evidence_are_normalised_into_tables(store, articles):
    put_samples(store, articles)
    rows = sql(
        store,
        "SELECT kind, value, claimant, claimant_type, span_start, span_end, text FROM claims "
        "WHERE event_id = ? ORDER BY position",
        ("SYR-a1b2c3d4",),
    )
    sar = articles["saraqeb"].text
    assert rows[0][:4] == ("fatalities", 14, "Syrian Observatory for Human Rights", "monitor")
    assert sar[rows[0][4] : rows[0][5]] == rows[0][6] == "At least 14 civilians"
    assert rows[1][:4] == ("denial", 0, "SANA", "state_media")
    by_claimant = dict(sql(store, "SELECT claimant, COUNT(*) FROM claims GROUP BY claimant"))
    assert by_claimant == {"SANA": 2, "Syrian Observatory for Human Rights": 3}
    ev = sql(store, "SELECT article_id, span_start, span_end, text FROM evidence WHERE event_id = ?", ("SYR-e5f6a7b8",))
    assert len(ev) == 2
    for aid, start, end, text in ev:
        assert aid == articles["deir_hafer"].id and DEIR_HAFER_TEXT[start:end] == text
    links = sql(store, "SELECT mention_id FROM event_mentions WHERE event_id = ?", ("SYR-e5f6a7b8",))
    assert {r[0] for r in links} == set(make_events(articles)[1].mention_ids)


def test_upserting_the_same_events_twice_changes_nothing(store, articles):
    events = put_samples(store, articles)
    first = {e.event_id: (e.created_at, e.updated_at) for e in store.events()}
    counts = store.counts()
    assert store.upsert_events(events) == 0
    assert store.counts() == counts
    assert {e.event_id: (e.created_at, e.updated_at) for e in store.events()} == first


def test_changed_event_keeps_created_at_and_moves_updated_at(store, articles):
    events = put_samples(store, articles)
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
    ev = make_events(articles)[2].model_copy(update={"created_at": when})
    store.add_article(articles["sweida"])
    store.upsert_events([ev])
    assert store.get_event(ev.event_id).created_at == when


def test_delete_events_removes_claims_evidence_and_links(store, articles):
    put_samples(store, articles)
    assert store.delete_events(["SYR-e5f6a7b8", "SYR-nothere"]) == 1
    assert store.get_event("SYR-e5f6a7b8") is None
    assert store.counts() == {"articles": 3, "mentions": 3, "events": 2, "claims": 2}
    for table in ("evidence", "event_mentions", "event_articles"):
        n = sql(store, f"SELECT COUNT(*) FROM {table} WHERE event_id = ?", ("SYR-e5f6a7b8",))[0][0]
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
    put_samples(store, articles)
    assert [e.event_id for e in store.events(EventFilter(**kw))] == expected


def test_article_id_filter_takes_sitrep_id_for_events_citing_external_id(store, articles):
    put_samples(store, articles)
    sar = articles["saraqeb"]
    assert [e.event_id for e in store.events(EventFilter(article_id=sar.id))] == ["SYR-a1b2c3d4"]


def test_undated_events_come_last(store, articles):
    put_samples(store, articles)
    undated = make_events(articles)[2].model_copy(update={"event_id": "SYR-00000000", "event_date": None})
    store.upsert_events([undated])
    assert [e.event_id for e in store.events()][-1] == "SYR-00000000"
    assert "SYR-00000000" not in [e.event_id for e in store.events(EventFilter(since=date(2000, 1, 1)))]


def test_filter_rejects_unknown_fields():
    with pytest.raises(ValueError):
        EventFilter(governorate="Idleb")


# --------------------------------------------------------------------------- transactions


def test_failing_upsert_rolls_back_only_its_own_batch(store, articles):
    events = put_samples(store, articles)
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


def test_outer_failure_discards_everything_inside(target, articles):
    with open_store(target) as s:
        s.add_article(articles["saraqeb"])
        with pytest.raises(KeyError):
            with s.transaction():
                s.add_article(articles["deir_hafer"])
                s.upsert_events(make_events(articles)[:1])
                raise KeyError("late failure")
    with open_store(target) as s:  # a fresh connection sees only committed data
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


# --------------------------------------------------------------------------- state


def test_meta_values_set_replace_and_remove(store):
    assert store.get_meta("fusion_pending") is None
    store.set_meta("fusion_pending", "1")
    store.set_meta("fusion_pending", "2")
    assert store.get_meta("fusion_pending") == "2"
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.set_meta("fusion_pending", None)
            raise RuntimeError("rolled back")
    assert store.get_meta("fusion_pending") == "2"
    store.set_meta("fusion_pending", None)
    assert store.get_meta("fusion_pending") is None


# --------------------------------------------------------------------------- migrations & opening


def _versions(store) -> list[tuple]:
    return sql(store, "SELECT version, applied_at FROM schema_migrations ORDER BY version")


def test_fresh_store_has_every_migration(store, backend):
    shipped = backend_migrations(backend)
    assert [m.version for m in shipped][:2] == [1, 2]
    assert store.schema_version() == shipped[-1].version
    assert [v for v, _ in _versions(store)] == [m.version for m in shipped]


def test_both_backends_ship_the_same_migrations():
    sqlite, postgres = backend_migrations("sqlite"), backend_migrations("postgresql")
    assert [(m.version, m.name) for m in sqlite] == [(m.version, m.name) for m in postgres]


def test_same_tables_and_columns_on_every_backend(store):
    # The PostgreSQL schema mirrors the SQLite one column for column (types differ).
    expected = {
        "articles": ["id", "external_id", "url", "title", "outlet", "published", "language", "source_path", "record", "added_at"],
        "mentions": ["id", "article_id", "seq", "event_type", "sub_event_type", "event_date", "modality", "admin1", "record"],
        "evidence": ["event_id", "position", "article_id", "span_field", "span_start", "span_end", "text", "url", "outlet"],
        "meta": ["key", "value"],
    }
    for table, cols in expected.items():
        assert sorted(columns(store, table)) == sorted(cols), table
    assert len(columns(store, "events")) == 18 and len(columns(store, "claims")) == 16


def test_reopening_keeps_data_and_applies_only_new_migrations(target, backend, articles):
    with open_store(target) as s:
        put_samples(s, articles)
        first = _versions(s)
    with open_store(target) as s:
        assert s.counts()["events"] == 3
        assert _versions(s) == first  # nothing re-applied
    extra = Migration(9001, "add_reviewed", "ALTER TABLE events ADD COLUMN reviewed INTEGER NOT NULL DEFAULT 0;")
    with store_class(backend)(target, migrations=[*backend_migrations(backend), extra]) as s:
        assert s.schema_version() == 9001
        assert sql(s, "SELECT SUM(reviewed) FROM events")[0][0] == 0
        assert s.counts()["events"] == 3
        assert _versions(s)[: len(first)] == first


def test_newer_schema_than_the_code_knows_is_refused(target):
    with open_store(target) as s:
        sql(s, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (42, 'future', '2031-01-01')")
    with pytest.raises(StoreError, match="newer sitrep.*Upgrade sitrep"):
        open_store(target)


def test_failed_migration_leaves_the_store_unchanged(target, backend, articles):
    with open_store(target) as s:
        s.add_article(articles["sweida"])
        version = s.schema_version()
    bad = Migration(
        version + 1, "broken", "ALTER TABLE events ADD COLUMN ok INTEGER;\nALTER TABLE no_such_table ADD COLUMN x INTEGER;"
    )
    with pytest.raises(StoreError, match=f"{version + 1:04d}_broken failed"):
        store_class(backend)(target, migrations=[*backend_migrations(backend), bad]).open()
    with open_store(target) as s:
        assert s.schema_version() == version
        assert s.counts()["articles"] == 1
        assert "ok" not in columns(s, "events")
