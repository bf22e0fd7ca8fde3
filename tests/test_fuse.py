"""Fusion of hand-built mentions: one event per occurrence, every claim kept."""

from __future__ import annotations

from datetime import date

from sitrep.fuse import FuseSettings, fuse, score
from sitrep.schema import (
    ActorRef,
    Article,
    Claim,
    EventType,
    Inter,
    Mention,
    Modality,
    PlaceRef,
    SourceType,
    Span,
    SubEventType,
    TimePrecision,
)

SYRIA = ActorRef(name="Military Forces of Syria (2000-2024)", actor_id="syria-state", inter=Inter.STATE_FORCES)
RUSSIA = ActorRef(name="Military Forces of Russia (2000-)", actor_id="russia", inter=Inter.EXTERNAL_OTHER)
CIVS = ActorRef(name="Civilians (Syria)", actor_id="civilians", inter=Inter.CIVILIANS)
ARIHA = PlaceRef(name="Ariha", place_id="gn:1", admin1="Idleb", latitude=35.81, longitude=36.61)
ARIHA_SPELLED = PlaceRef(name="Areeha", place_id="extra:ariha", admin1="Idleb", latitude=35.815, longitude=36.605)
SARAQIB = PlaceRef(name="Saraqib", place_id="gn:2", admin1="Idleb", latitude=35.86, longitude=36.80)


def _article(aid: str, outlet: str, url: str) -> Article:
    return Article(id=aid, title="t", text="x" * 400, outlet=outlet, url=url, published=date(2019, 5, 12))


def _mention(aid: str, start: int, place: PlaceRef | None, *, day: int = 11, claims=(), actor1=SYRIA,
             sub=SubEventType.AIR_DRONE_STRIKE, modality=Modality.ASSERTED) -> Mention:
    span = Span(start=start, end=start + 50)
    return Mention(
        id=Mention.make_id(aid, span, start + 3), article_id=aid, sentence="s" * 50, span=span,
        event_type=EventType.EXPLOSIONS if sub == SubEventType.AIR_DRONE_STRIKE else EventType.BATTLES,
        sub_event_type=sub, actor1=actor1, actor2=CIVS, place=place, event_date=date(2019, 5, day),
        time_precision=TimePrecision.DAY, claims=list(claims), modality=modality,
    )


def _claim(aid, value, who, kind: SourceType, start) -> Claim:
    return Claim(value=value, claimant=who, claimant_type=kind, article_id=aid, victims="civilians",
                 span=Span(start=start, end=start + 10), text=f"{value} civilians")


def test_same_strike_in_two_outlets_is_one_event_with_every_claim():
    arts = {"a_1": _article("a_1", "SANA", "https://example.org/sana/1"), "a_2": _article("a_2", "Enab Baladi", "https://example.org/enab/2")}
    m1 = _mention("a_1", 0, ARIHA, claims=[_claim("a_1", 4, "SANA", SourceType.STATE_MEDIA, 5)])
    m2 = _mention("a_2", 0, ARIHA_SPELLED, claims=[_claim("a_2", 11, "SOHR", SourceType.MONITOR, 5)])
    events = fuse([m1, m2], arts)
    assert len(events) == 1
    ev = events[0]
    assert ev.mentions == 2 and set(ev.article_ids) == {"a_1", "a_2"}
    assert ev.source == "SANA; Enab Baladi"
    assert ev.fatalities == 4 and ev.fatalities_high == 11
    assert ev.figures_disputed is True
    assert {c.claimant for c in ev.claims} == {"SANA", "SOHR"}
    assert len(ev.evidence) >= 2
    assert "2019" in ev.notes and "Ariha" in ev.notes


def test_different_towns_or_days_stay_apart():
    arts = {"a_1": _article("a_1", "SANA", "u1"), "a_2": _article("a_2", "AFP", "u2")}
    far = fuse([_mention("a_1", 0, ARIHA), _mention("a_2", 0, SARAQIB)], arts)
    assert len(far) == 2
    later = fuse([_mention("a_1", 0, ARIHA), _mention("a_2", 0, ARIHA, day=14)], arts)
    assert len(later) == 2


def test_conflicting_actors_block_fusion_but_score_explains():
    a, b = _mention("a_1", 0, ARIHA), _mention("a_2", 0, ARIHA, actor1=RUSSIA)
    s, feats = score(a, b, FuseSettings())
    assert feats["actors"] > 0  # civilians are shared as actor2
    c = _mention("a_2", 0, ARIHA, actor1=RUSSIA)
    c.actor2 = None
    a.actor2 = None
    s2, feats2 = score(a, c, FuseSettings())
    assert feats2["actors"] < 0 and s2 < s


def test_event_id_is_stable_when_a_later_article_joins():
    arts = {"a_1": _article("a_1", "SANA", "u1"), "a_2": _article("a_2", "AFP", "u2")}
    first = fuse([_mention("a_1", 0, ARIHA)], arts)
    arts["a_2"].published = date(2019, 5, 13)
    both = fuse([_mention("a_2", 0, ARIHA), _mention("a_1", 0, ARIHA)], arts)
    assert len(both) == 1 and both[0].event_id == first[0].event_id


def test_non_event_modalities_are_not_events():
    arts = {"a_1": _article("a_1", "SANA", "u1")}
    threat = _mention("a_1", 0, ARIHA, modality=Modality.THREATENED)
    assert fuse([threat], arts) == []
