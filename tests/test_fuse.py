"""Fusion of hand-built mentions: one event per occurrence, every claim kept, and why."""

from __future__ import annotations

import random
from datetime import date

from sitrep.fuse import Cluster, FuseSettings, assign_event_ids, cluster_mentions, fuse, score
from sitrep.schema import (
    SUB_EVENT_PARENT,
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

SYRIA = ActorRef(name="Military Forces of Syria (2000-2024)", actor_id="syria-state-forces", inter=Inter.STATE_FORCES)
RUSSIA = ActorRef(name="Military Forces of Russia (2000-)", actor_id="russia-forces", inter=Inter.EXTERNAL_OTHER)
IS = ActorRef(name="Islamic State (Syria)", actor_id="islamic-state", inter=Inter.REBEL_GROUPS)
HTS = ActorRef(name="Hayat Tahrir al-Sham", actor_id="nusra-hts", inter=Inter.REBEL_GROUPS)
CIVS = ActorRef(name="Civilians (Syria)", actor_id="civilians", inter=Inter.CIVILIANS)
ARIHA = PlaceRef(name="Ariha", place_id="gn:1", admin1="Idleb", admin2="Ariha", latitude=35.81, longitude=36.61)
ARIHA_SPELLED = PlaceRef(name="Areeha", place_id="extra:ariha", admin1="Idleb", admin2="Ariha", latitude=35.815, longitude=36.605)
SARAQIB = PlaceRef(name="Saraqib", place_id="gn:2", admin1="Idleb", admin2="Idleb", latitude=35.86, longitude=36.80)
IDLEB_PROVINCE = PlaceRef(name="Idleb", place_id="adm1:idleb", admin1="Idleb", latitude=35.9, longitude=36.6, geo_precision=3)

STRIKE_SANA = "Warplanes struck a residential block in Ariha on Saturday, killing four civilians, the state news agency said."
STRIKE_ENAB = "Syrian government aircraft bombed a crowded street in Areeha on Saturday and the Observatory counted eleven dead."


def _article(aid: str, outlet: str, url: str, published: date = date(2019, 5, 12)) -> Article:
    return Article(id=aid, title="t", text="x" * 4000, outlet=outlet, url=url, published=published)


def _mention(aid: str, start: int, place: PlaceRef | None, *, day: int | None = 11, claims=(), actor1=SYRIA, actor2=CIVS,
             sub=SubEventType.AIR_DRONE_STRIKE, modality=Modality.ASSERTED, sentence: str = STRIKE_SANA,
             field: str = "text", year: int = 2019) -> Mention:
    span = Span(start=start, end=start + len(sentence), field=field)
    family = SUB_EVENT_PARENT[sub]
    return Mention(
        id=Mention.make_id(aid, span, start + 3), article_id=aid, sentence=sentence, span=span,
        event_type=family, sub_event_type=sub, actor1=actor1, actor2=actor2, place=place,
        event_date=date(year, 5, day) if day else None, time_precision=TimePrecision.DAY, claims=list(claims), modality=modality,
    )


def _claim(aid, value, who, kind: SourceType, start) -> Claim:
    return Claim(value=value, claimant=who, claimant_type=kind, article_id=aid, victims="civilians",
                 span=Span(start=start, end=start + 10), text=f"{value} civilians")


def test_same_strike_in_two_outlets_is_one_event_with_every_claim_and_the_dispute():
    arts = {"a_1": _article("a_1", "SANA", "https://example.org/sana/1"), "a_2": _article("a_2", "Enab Baladi", "https://example.org/enab/2")}
    m1 = _mention("a_1", 0, ARIHA, claims=[_claim("a_1", 4, "SANA", SourceType.STATE_MEDIA, 5)])
    m2 = _mention("a_2", 0, ARIHA_SPELLED, claims=[_claim("a_2", 11, "SOHR", SourceType.MONITOR, 5)], sentence=STRIKE_ENAB)
    events = fuse([m1, m2], arts)
    assert len(events) == 1
    ev = events[0]
    assert ev.mentions == 2 and set(ev.article_ids) == {"a_1", "a_2"}
    assert ev.source == "SANA; Enab Baladi"
    assert ev.fatalities == 4 and ev.fatalities_high == 11
    assert ev.figures_disputed is True
    assert (ev.state_media_fatalities, ev.monitor_fatalities) == (4, 11)
    assert {(c.claimant, c.claimant_type) for c in ev.claims} == {("SANA", SourceType.STATE_MEDIA), ("SOHR", SourceType.MONITOR)}
    assert {e.article_id for e in ev.evidence} == {"a_1", "a_2"}
    assert ev.notes.startswith("On 11 May 2019, Military Forces of Syria (2000-2024) carried out air strikes in Ariha")
    assert "SOHR: 11" in ev.notes and "State media report 4 killed, monitors 11." in ev.notes
    # the event says why: one cross-article link, with the features that scored it
    (link,) = ev.fusion
    assert link.stage == "cross" and {link.mention_a, link.mention_b} == {m1.id, m2.id}
    assert link.features["place"] > 0 and link.features["type"] > 0 and link.score >= FuseSettings().min_score


def test_different_towns_or_days_stay_apart():
    arts = {"a_1": _article("a_1", "SANA", "u1"), "a_2": _article("a_2", "AFP", "u2")}
    far = fuse([_mention("a_1", 0, ARIHA), _mention("a_2", 0, SARAQIB)], arts)
    assert len(far) == 2
    later = fuse([_mention("a_1", 0, ARIHA), _mention("a_2", 0, ARIHA, day=14)], arts)
    assert len(later) == 2


def test_conflicting_perpetrators_lower_the_score_and_the_features_say_so():
    agree = score(_mention("a_1", 0, ARIHA), _mention("a_2", 0, ARIHA, actor1=RUSSIA))
    assert agree is not None and agree[1]["actors"] > 0  # Russia and Damascus are one camp
    clash = score(_mention("a_1", 0, ARIHA), _mention("a_2", 0, ARIHA, actor1=IS))
    assert clash is not None and clash[1]["actors"] < 0 and clash[0] < agree[0]


def test_headline_lead_and_toll_paragraph_of_one_article_are_one_event():
    art = _article("a_1", "Levant Wire", "u1")
    headline = _mention("a_1", 0, None, field="title", sentence="Air strike on Ariha market kills civilians")
    lead = _mention("a_1", 0, ARIHA, sentence=STRIKE_SANA)
    toll = _mention("a_1", 620, None, actor1=None, sentence="The toll rose to nine by evening, medics at the local hospital said.",
                    claims=[_claim("a_1", 9, "medics", SourceType.UNKNOWN, 640)])
    elsewhere = _mention("a_1", 900, SARAQIB, sub=SubEventType.SHELLING, sentence="Separately, artillery hit the outskirts of Saraqib.")
    events = fuse([elsewhere, toll, lead, headline], {"a_1": art})
    assert len(events) == 2
    strike = next(e for e in events if e.location == "Ariha")
    assert strike.mentions == 3 and strike.fatalities == 9
    assert {(e.span.field, e.span.start) for e in strike.evidence} >= {("title", 0), ("text", 0), ("text", 620)}
    assert all(lk.stage == "article" for lk in strike.fusion) and len(strike.fusion) == 2
    assert next(e for e in events if e.location == "Saraqib").mentions == 1


def test_result_does_not_depend_on_input_order():
    arts = {f"a_{i}": _article(f"a_{i}", f"outlet{i}", f"u{i}") for i in range(4)}
    ms = [_mention("a_0", 0, ARIHA), _mention("a_1", 0, ARIHA_SPELLED, sentence=STRIKE_ENAB), _mention("a_2", 0, SARAQIB),
          _mention("a_3", 0, IDLEB_PROVINCE, sentence="Jets pounded towns in Idlib province on Saturday.")]
    first = sorted(sorted(e.mention_ids) for e in fuse(ms, arts))
    for seed in range(5):
        shuffled = ms[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(sorted(e.mention_ids) for e in fuse(shuffled, arts)) == first


def test_an_article_dated_a_year_off_is_not_fused_across_the_year():
    arts = {"a_1": _article("a_1", "SANA", "u1"), "a_2": _article("a_2", "AFP", "u2", published=date(2020, 5, 12))}
    events = fuse([_mention("a_1", 0, ARIHA), _mention("a_2", 0, ARIHA, year=2020, sentence=STRIKE_SANA)], arts)
    assert len(events) == 2  # identical sentence, same town: still a year apart


def test_identical_text_scores_text_similarity_in_full():
    s = score(_mention("a_1", 0, ARIHA), _mention("a_2", 0, ARIHA))
    assert s is not None and s[1]["text"] == FuseSettings().text_weight
    different = score(_mention("a_1", 0, ARIHA), _mention("a_2", 0, ARIHA, sentence=STRIKE_ENAB))
    assert different is not None and different[1]["text"] < s[1]["text"]


def test_territory_capture_and_its_battle_the_same_day_fuse():
    arts = {"a_1": _article("a_1", "SANA", "u1"), "a_2": _article("a_2", "AFP", "u2")}
    capture = _mention("a_1", 0, SARAQIB, sub=SubEventType.GOVERNMENT_REGAINS_TERRITORY, actor2=HTS,
                       sentence="Government troops retook Saraqib from the militants on Saturday.")
    clash = _mention("a_2", 0, SARAQIB, sub=SubEventType.ARMED_CLASH, actor2=HTS,
                     sentence="Fierce fighting raged in Saraqib on Saturday between the army and HTS.")
    (ev,) = fuse([capture, clash], arts)
    assert ev.sub_event_type == SubEventType.GOVERNMENT_REGAINS_TERRITORY and ev.actor2 == HTS.name


def test_non_event_modalities_are_not_events():
    arts = {"a_1": _article("a_1", "SANA", "u1")}
    threat = _mention("a_1", 0, ARIHA, modality=Modality.THREATENED)
    assert fuse([threat], arts) == []


def test_event_id_is_stable_when_a_later_article_joins():
    arts = {"a_1": _article("a_1", "SANA", "u1"), "a_2": _article("a_2", "AFP", "u2", published=date(2019, 5, 13))}
    first = fuse([_mention("a_1", 0, ARIHA)], arts)
    both = fuse([_mention("a_2", 0, ARIHA), _mention("a_1", 0, ARIHA)], arts)
    assert len(both) == 1 and both[0].event_id == first[0].event_id


def test_stored_ids_follow_their_mentions_and_moves_are_reported():
    arts = {"a_1": _article("a_1", "SANA", "u1"), "a_2": _article("a_2", "AFP", "u2"), "a_3": _article("a_3", "AP", "u3")}
    strike = _mention("a_1", 0, ARIHA)
    vague = _mention("a_2", 0, IDLEB_PROVINCE, sentence="Jets pounded a bakery in Idlib province on Saturday, residents said.")
    before = cluster_mentions([strike, vague], arts)
    assert len(before) == 1
    ids, changes = assign_event_ids(before, {})
    assert changes == []
    stored = {ids[0]: [m.id for m in before[0].mentions]}
    # a third report matches the vague one almost word for word, but in another town
    saraqib = _mention("a_3", 0, SARAQIB, sentence="Jets pounded a bakery in Saraqib on Saturday, residents said.")
    after = cluster_mentions([strike, vague, saraqib], arts)
    assert sorted(len(c.mentions) for c in after) == [1, 2]
    new_ids, changes = assign_event_ids(after, stored)
    kept = next(i for i, c in zip(new_ids, after, strict=True) if strike in c.mentions)
    assert kept == ids[0]  # the event keeps its id with its anchor
    (moved,) = changes
    assert moved.kind == "mention_moved" and moved.subject_id == vague.id
    assert moved.detail["from"] == ids[0] and moved.detail["to"] != ids[0] and moved.detail["features"]["text"] > 0


def test_assigning_ids_to_the_same_clusters_changes_nothing():
    arts = {"a_1": _article("a_1", "SANA", "u1")}
    clusters = [Cluster([_mention("a_1", 0, ARIHA)])]
    ids, _ = assign_event_ids(clusters, {})
    again, changes = assign_event_ids(clusters, {ids[0]: [clusters[0].mentions[0].id]})
    assert again == ids and changes == []
    assert fuse(clusters[0].mentions, arts)[0].event_id == ids[0]


def test_attack_types_worded_differently_join_in_the_opening_but_not_further_down():
    art = _article("a_1", "Levant Wire", "u1")
    drone = _mention("a_1", 1100, SARAQIB, sentence="A drone strike on Sunday hit an army convoy east of Saraqib.")
    shells = _mention("a_1", 900, SARAQIB, sub=SubEventType.SHELLING, sentence="Artillery pounded army positions in Saraqib on Sunday.")
    assert len(fuse([drone, shells], {"a_1": art})) == 2  # two kinds of attack, each with its place
    headline = _mention("a_1", 0, SARAQIB, field="title", sub=SubEventType.SHELLING, sentence="Saraqib convoy hit, soldiers killed")
    lead = _mention("a_1", 40, SARAQIB, sentence="A drone strike on Sunday hit an army convoy east of Saraqib, killing soldiers.")
    (event,) = fuse([headline, lead], {"a_1": art})
    assert event.mentions == 2


def test_two_groups_of_one_article_join_only_when_another_report_ties_them():
    # the author's second paragraph names the town; the opening named only the market and the day before
    # (a misread date), so within the article the two stay apart
    arts = {"a_1": _article("a_1", "Levant Wire", "u1"), "a_2": _article("a_2", "SANA", "u2")}
    lead = _mention("a_1", 0, ARIHA, day=11, sentence="Jets bombed the vegetable market of Ariha on Saturday, killing nine.")
    later = _mention("a_1", 900, ARIHA, day=10, sentence="Rescuers in Ariha were still digging in the market rubble.")
    alone = fuse([lead, later], {"a_1": arts["a_1"]})
    assert len(alone) == 2  # nothing but the article itself: its author's split stands
    other = _mention("a_2", 0, ARIHA, day=11, sentence=STRIKE_SANA)
    events = fuse([lead, later, other], arts)
    (joined,) = [e for e in events if e.mentions == 3]
    assert set(joined.article_ids) == {"a_1", "a_2"}
    cross = [lk for lk in joined.fusion if lk.stage == "cross"]
    assert cross and all("same_article" not in lk.features for lk in cross)  # the links shown are between outlets
    apart = fuse([lead, later, other], arts, FuseSettings(same_article_penalty=None))
    assert len(apart) == 2


def test_state_air_strike_and_militant_rocket_fire_on_one_city_stay_apart():
    militants = ActorRef(name="Unidentified Armed Group (Syria)", actor_id="generic-militants", inter=Inter.POLITICAL_MILITIAS)
    aleppo = PlaceRef(name="Aleppo", place_id="gn:aleppo", admin1="Aleppo", admin2="Jebel Saman", latitude=36.2, longitude=37.16)
    strike = _mention("a_1", 0, aleppo, sentence="Government warplanes pounded rebel-held eastern Aleppo on Saturday, killing twelve.")
    rockets = _mention("a_2", 0, aleppo, sub=SubEventType.SHELLING, actor1=militants,
                       sentence="Terrorists fired rocket shells on residential neighbourhoods of Aleppo on Saturday, killing two.")
    s = score(strike, rockets)
    assert s is not None and s[1]["actors"] < 0
    arts = {"a_1": _article("a_1", "Levant Wire", "u1"), "a_2": _article("a_2", "SANA", "u2")}
    assert len(fuse([strike, rockets], arts)) == 2
    # the same shelling reported by two outlets, one naming militants, one the rebels: one camp, one event
    rebels = ActorRef(name="Rebels (Syria)", actor_id="generic-rebels", inter=Inter.REBEL_GROUPS)
    other = _mention("a_1", 0, aleppo, sub=SubEventType.SHELLING, actor1=rebels,
                     sentence="Rebel rockets slammed into western Aleppo on Saturday, killing two, a monitor said.")
    s2 = score(other, rockets)
    assert s2 is not None and s2[1].get("actors", 0) >= 0
    assert len(fuse([other, rockets], arts)) == 1


def test_an_undated_report_joins_only_the_same_strike_with_the_same_toll():
    arts = {"a_1": _article("a_1", "SANA", "u1"), "a_2": _article("a_2", "AFP", "u2", published=None)}  # type: ignore[arg-type]
    dated = _mention("a_1", 0, ARIHA, claims=[_claim("a_1", 11, "SOHR", SourceType.MONITOR, 5)])
    undated = _mention("a_2", 0, ARIHA, day=None, claims=[_claim("a_2", 11, "SOHR", SourceType.MONITOR, 5)],
                       sentence="An air raid on a market in Ariha killed eleven civilians, the Observatory said.")
    (ev,) = fuse([dated, undated], arts)
    assert ev.mentions == 2 and ev.event_date == date(2019, 5, 11)
    other_toll = undated.model_copy(update={"claims": [_claim("a_2", 40, "SOHR", SourceType.MONITOR, 5)]})
    assert len(fuse([dated, other_toll], arts)) == 2  # no date and a different toll: could be any raid on Ariha
    assert len(fuse([dated, undated], arts, FuseSettings(undated_penalty=None))) == 2


def test_an_attack_on_civilians_and_the_air_strike_that_did_it_are_one_event():
    arts = {"a_1": _article("a_1", "SANA", "u1"), "a_2": _article("a_2", "Enab Baladi", "u2")}
    strike = _mention("a_1", 0, ARIHA, claims=[_claim("a_1", 11, "SOHR", SourceType.MONITOR, 5)])
    massacre = _mention("a_2", 0, ARIHA, sub=SubEventType.ATTACK, claims=[_claim("a_2", 11, "SOHR", SourceType.MONITOR, 5)],
                        sentence="The opposition coalition condemned the massacre of eleven civilians in Ariha on Saturday.")
    (ev,) = fuse([strike, massacre], arts)
    assert ev.sub_event_type == SubEventType.AIR_DRONE_STRIKE
    protest = _mention("a_2", 0, ARIHA, sub=SubEventType.PEACEFUL_PROTEST, sentence="Residents of Ariha marched on Saturday.")
    assert len(fuse([strike, protest], arts)) == 2


def test_headline_naming_the_province_and_body_naming_the_town_are_one_event():
    art = _article("a_1", "Levant Wire", "u1")
    idlib_city_named = PlaceRef(name="Idleb", place_id="gn:idlib-city", admin1="Idleb", admin2="Idleb", latitude=35.93, longitude=36.63)
    headline = _mention("a_1", 0, idlib_city_named, field="title", sentence="Air strikes kill eleven in Syria's Idlib")
    body = _mention("a_1", 700, ARIHA, sentence="Warplanes hit the main square of Ariha on Saturday morning, medics said.")
    (event,) = fuse([headline, body], {"a_1": art})
    assert event.location == "Ariha"
    # further down, a city named like its province is the city: two strikes, two places
    deep = _mention("a_1", 1500, idlib_city_named, sentence="Later on Saturday another raid hit a bakery in Idlib city.")
    assert len(fuse([body, deep], {"a_1": art})) == 2


def test_another_weapon_at_the_same_place_and_day_needs_something_else_to_agree():
    arts = {"a_1": _article("a_1", "Levant Wire", "u1"), "a_2": _article("a_2", "Deir Post", "u2")}
    strike = _mention("a_1", 0, ARIHA, actor1=None, sentence="Warplanes hit a bakery in Ariha on Saturday, residents said.")
    shells = _mention("a_2", 0, ARIHA, actor1=None, sub=SubEventType.SHELLING,
                      sentence="Several shells landed near the hospital in Ariha on Saturday.")
    assert len(fuse([strike, shells], arts)) == 2  # only the place and the day agree
    toll = [_claim("a_1", 7, "medics", SourceType.UNKNOWN, 5)]
    strike7 = strike.model_copy(update={"claims": toll})
    shells7 = shells.model_copy(update={"claims": [_claim("a_2", 7, "medics", SourceType.UNKNOWN, 5)]})
    assert len(fuse([strike7, shells7], arts)) == 1  # the same toll: one attack worded by two weapons


def test_coalition_air_strike_and_terrorist_rockets_are_two_sides():
    coalition = ActorRef(name="Global Coalition Against Daesh", actor_id="anti-is-coalition", inter=Inter.EXTERNAL_OTHER)
    terrorists = ActorRef(name="Unidentified Armed Group (Syria)", actor_id="generic-terrorists", inter=Inter.POLITICAL_MILITIAS)
    a = _mention("a_1", 0, SARAQIB, actor1=coalition, sentence="Coalition jets struck a depot outside Saraqib on Saturday.")
    b = _mention("a_2", 0, SARAQIB, actor1=terrorists, sub=SubEventType.SHELLING,
                 sentence="Terrorist groups fired rockets at homes in Saraqib on Saturday, the agency said.")
    s = score(a, b)
    assert s is not None and s[1]["actors"] < 0


def test_background_history_in_an_article_stays_apart_from_its_news():
    # "...the rebels used the same gas in Ariha last year": a year-wide historical mention fits
    # any date of that window, but the author has told it apart from the news
    art = _article("a_1", "Levant Wire", "u1")
    news = _mention("a_1", 0, None, sub=SubEventType.CHEMICAL_WEAPON, sentence="A suspected gas attack killed twelve people on Saturday.")
    past = _mention("a_1", 400, ARIHA, sub=SubEventType.CHEMICAL_WEAPON, modality=Modality.HISTORICAL, actor1=None,
                    sentence="The ministry said rebels had used the same gas in Ariha last year.")
    past = past.model_copy(update={"time_precision": TimePrecision.YEAR, "event_date": date(2018, 7, 1), "date_text": "last year"})
    events = fuse([news, past], {"a_1": art})
    assert len(events) == 2
    assert next(e for e in events if e.event_date == date(2019, 5, 11)).location is None


def test_an_undated_report_joins_the_cluster_of_its_best_match_not_every_member():
    # two dated outlets give 11 and 14 dead; an undated one repeats the 11: it matches the first
    # closely and cannot be checked against the second's date or toll, so it joins their event
    arts = {"a_1": _article("a_1", "SANA", "u1"), "a_2": _article("a_2", "Enab Baladi", "u2"),
            "a_3": _article("a_3", "AFP", "u3", published=None)}  # type: ignore[arg-type]
    first = _mention("a_1", 0, ARIHA, claims=[_claim("a_1", 11, "SOHR", SourceType.MONITOR, 5)])
    second = _mention("a_2", 0, ARIHA_SPELLED, sentence=STRIKE_ENAB, claims=[_claim("a_2", 14, "SOHR", SourceType.MONITOR, 5)])
    undated = _mention("a_3", 0, ARIHA, day=None, claims=[_claim("a_3", 11, "SOHR", SourceType.MONITOR, 5)],
                       sentence="An air raid on a market in Ariha killed eleven civilians, the Observatory said.")
    (ev,) = fuse([first, second, undated], arts)
    assert ev.mentions == 3 and ev.event_date == date(2019, 5, 11)
    cross = [lk for lk in ev.fusion if lk.stage == "cross"]
    assert len(cross) == 2 and all(lk.score >= FuseSettings().min_score for lk in cross)


def test_damascus_named_as_a_province_does_not_block_a_ghouta_suburb():
    # "the capital Damascus" coded to its governorate and "Eastern Ghouta" in Rural Damascus:
    # reports treat the two as one area, so the pair is scored, not blocked
    damascus = PlaceRef(name="Damascus", place_id="gov:damascus", admin1="Damascus", latitude=33.51, longitude=36.29, geo_precision=3)
    ghouta = PlaceRef(name="Eastern Ghouta", place_id="extra:eastern-ghouta", admin1="Rural Damascus", latitude=33.55, longitude=36.42, geo_precision=2)
    idleb = _mention("a_1", 0, IDLEB_PROVINCE, sub=SubEventType.CHEMICAL_WEAPON)
    a = _mention("a_1", 0, damascus, sub=SubEventType.CHEMICAL_WEAPON)
    b = _mention("a_2", 0, ghouta, sub=SubEventType.CHEMICAL_WEAPON)
    assert score(a, b) is not None
    assert score(idleb, b) is None  # a province elsewhere still blocks
