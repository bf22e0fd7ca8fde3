"""Actors in context: every rename boundary and alias family of the KB, generic references and
short forms resolved from the article, coalitions listing their members as associated actors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sitrep.kb.models import ReferenceFile, load_yaml
from sitrep.resolve.actors import REFERENCES_PATH, ActorKB, ArticleActors, default_actor_kb
from sitrep.schema import Inter

D = date
KB = default_actor_kb()


# --------------------------------------------------------------------------- every rename boundary

BOUNDARIES = [
    (actor.id, earlier.name, later.name, later.valid_from)
    for actor in KB
    for earlier, later in zip(actor.names, actor.names[1:], strict=False)
]


def test_the_kb_has_the_renames_the_war_is_known_for() -> None:
    ids = {b[0] for b in BOUNDARIES}
    assert {"nusra-hts", "us-forces"} <= ids
    assert len(BOUNDARIES) >= 8


@pytest.mark.parametrize(("actor_id", "before", "after", "day"), BOUNDARIES, ids=[f"{b[0]}-{b[3]}" for b in BOUNDARIES])
def test_each_rename_boundary(actor_id: str, before: str, after: str, day: date) -> None:
    """The day before a rename takes the old name, the rename day the new one, whichever name the text uses."""
    eve = day - timedelta(days=1)
    assert (KB.acled_name(actor_id, eve), KB.acled_name(actor_id, day)) == (before, after)
    for surface in (before, after):
        old = KB.match(surface, on=eve, country=KB.theatre(actor_id))
        if surface == before and (old is None or old.actor_id != actor_id):
            # a former name now worn by another actor ('Free Syrian Army' before the SNA): that one wins
            assert old is not None and KB.get(old.actor_id).name_on(eve).name == before
            continue
        new = KB.match(surface, on=day, country=KB.theatre(actor_id))
        assert old is not None and old.actor_id == actor_id, (surface, day)
        assert (old.name, new.name) == (before, after)


STATE_END = D(2024, 12, 8)


@pytest.mark.parametrize("words", ["the Syrian army", "government forces", "regime forces", "the air force", "Syrian government jets"])
def test_state_forces_end_on_8_december_2024(words: str) -> None:
    before = KB.match(words, on=STATE_END - timedelta(days=1))
    assert before is not None and before.name == "Military Forces of Syria (2000-2024)"
    after = KB.match(words, on=STATE_END)
    # descriptors of the old regime ('regime forces') stop applying; the state's army is the new one
    assert after is None or after.actor_id in ("syria-transitional-forces", "syria-state-forces")
    if words in ("the Syrian army", "government forces"):
        assert after is not None and after.name == "Military Forces of Syria (2024-)"


# --------------------------------------------------------------------------- every alias family

FAMILIES = {
    "syria-state-forces": ["Assad forces", "regime forces", "the army", "government troops", "the air force", "Syrian government jets", "regime airstrikes", "Syrian Arab Army", "SAA"],
    "russia-forces": ["Russian warplanes", "Russian forces", "Russian jets", "Russian military"],
    "iran-forces": ["Iranian forces"],
    "irgc": ["IRGC", "the Revolutionary Guards", "Islamic Revolutionary Guard Corps", "Quds Force"],
    "turkey-forces": ["Turkish troops", "Turkish army", "Turkish drones"],
    "israel-forces": ["Israeli warplanes", "Israeli airstrikes", "IDF"],
    "anti-is-coalition": ["US-led coalition", "international coalition", "coalition warplanes"],
    "hezbollah": ["Hezbollah", "Hizbollah", "Lebanon's Hezbollah"],
    "ndf": ["National Defence Forces", "NDF", "National Defense Forces"],
    "liwa-al-quds": ["Liwa al-Quds", "Quds Brigade"],
    "fatemiyoun": ["Fatemiyoun", "Fatemiyoun Brigade", "Liwa Fatemiyoun"],
    "nusra-hts": ["Nusra Front", "Jabhat al-Nusra", "Jabhat Fateh al-Sham", "JFS", "HTS", "Hayat Tahrir al-Sham", "Hay'at Tahrir al-Sham"],
    "ahrar-al-sham": ["Ahrar al-Sham", "Ahrar ash-Sham", "Harakat Ahrar al-Sham al-Islamiyya"],
    "jaish-al-islam": ["Jaish al-Islam", "Jaysh al-Islam", "Army of Islam", "Islam Army"],
    "jund-al-aqsa": ["Jund al-Aqsa", "Jund al-Aqsa fighters"],
    "faylaq-al-rahman": ["Faylaq al-Rahman", "Rahman Legion", "al-Rahman Legion"],
    "fsa": ["Free Syrian Army", "FSA"],
    "sna": ["Syrian National Army", "SNA"],
    "sdf": ["SDF", "Syrian Democratic Forces", "the Kurdish-led SDF"],
    "ypg": ["YPG", "People's Protection Units", "Kurdish YPG"],
    "ypj": ["YPJ", "Women's Protection Units"],
    "asayish": ["Asayish", "Asayesh", "Kurdish security forces"],
    "islamic-state": ["ISIS", "ISIL", "IS", "Daesh", "Islamic State", "Islamic State of Iraq and Greater Syria", "Islamic State of Iraq and the Levant", "Islamic State group"],
    "druze-militia": ["Druze fighters", "Druze militiamen"],
    "tribal-militia": ["Arab tribal fighters", "tribal fighters"],
    "jaish-al-fatah": ["Jaish al-Fatah", "Jaish al-Fateh", "Army of Conquest", "Conquer Army"],
    "islamic-front": ["Islamic Front"],
}


@pytest.mark.parametrize(("actor_id", "surface"), [(a, s) for a, forms in FAMILIES.items() for s in forms])
def test_each_alias_family(actor_id: str, surface: str) -> None:
    actor = KB.get(actor_id)
    assert actor is not None
    # a day the actor (and, for dated aliases, the alias) existed
    on = max(actor.valid_from or D(2016, 6, 1), D(2013, 6, 1)) + timedelta(days=30)
    if actor_id == "islamic-front":
        on = D(2014, 3, 1)
    ref = KB.match(surface, on=on)
    assert ref is not None and ref.actor_id == actor_id, (surface, ref)


@pytest.mark.parametrize(("words", "group"), [("children", "Children (Syria)"), ("journalists", "Journalists (Syria)"), ("aid workers", None), ("detainees", "Prisoners (Syria)")])
def test_civilian_sub_groups_are_civilians_with_an_associated_group(words: str, group: str | None) -> None:
    ref = KB.match(words, on=D(2017, 1, 1))
    assert ref is not None and ref.inter == Inter.CIVILIANS
    got = KB.associated_group(words)
    assert got is not None and (group is None or got == group)


# --------------------------------------------------------------------------- generic references in context


def article(*named: str, on: date = D(2016, 5, 1)) -> ArticleActors:
    ctx = KB.article()
    for surface in named:
        ctx.observe(surface, on=on)
    return ctx


def test_rebels_become_the_group_the_article_identifies() -> None:
    # "Jaish al-Islam fighters shelled Damascus ... the rebels ... Jaish al-Islam said ..."
    ctx = article("Jaish al-Islam fighters", "Jaish al-Islam", "Syrian army")
    ref = ctx.resolve("the rebels", on=D(2016, 5, 1))
    assert ref is not None and (ref.actor_id, ref.name, ref.surface) == ("jaish-al-islam", "Jaish al-Islam", "the rebels")


def test_jihadists_take_the_named_jihadist_group_on_the_event_date() -> None:
    ctx = article("Nusra Front", "al-Nusra", "Ahrar al-Sham", on=D(2015, 4, 1))
    ref = ctx.resolve("jihadists", on=D(2015, 4, 1))
    assert ref is not None and ref.name == "Jabhat al-Nusra"
    # the rebels of the same article are not Nusra: Ahrar al-Sham is the only named opposition group
    assert ctx.resolve("rebels", on=D(2015, 4, 1)).actor_id == "ahrar-al-sham"


def test_islamic_state_is_never_the_rebels_but_may_be_the_militants() -> None:
    ctx = article("Islamic State", "ISIS", "IS militants", "Syrian Democratic Forces")
    rebels = ctx.resolve("rebels", on=D(2016, 5, 1))
    assert rebels is not None and rebels.name == "Opposition Rebels (Syria)"
    militants = ctx.resolve("militants", on=D(2016, 5, 1))
    assert militants is not None and militants.actor_id == "islamic-state"


def test_state_media_terrorists_name_no_group_even_beside_a_named_one() -> None:
    # "Terrorist rocket attacks on Aleppo killed 6 ... the army struck Jabhat al-Nusra positions ..."
    ctx = article("Jabhat al-Nusra", "Nusra", "al-Nusra Front", "Syrian army", on=D(2016, 3, 1))
    for words in ("terrorists", "terrorist groups", "armed terrorist groups"):
        ref = ctx.resolve(words, on=D(2016, 3, 1))
        assert ref is not None and ref.name == "Unidentified Armed Group (Syria)", words
    # 'militants' in the same article is the named group
    assert ctx.resolve("militants", on=D(2016, 3, 1)).actor_id == "nusra-hts"
    # a group named with the word is that group
    assert KB.match("Nusra terrorists", on=D(2016, 3, 1)).actor_id == "nusra-hts"


def test_unattributed_warplanes_are_the_air_force_the_article_names() -> None:
    assert article("Russian warplanes", "Russia's air force", "Nusra Front").resolve("warplanes", on=D(2016, 5, 1)).actor_id == "russia-forces"
    assert article("US-led coalition", "coalition warplanes", "Islamic State").resolve("jets", on=D(2016, 5, 1)).actor_id == "anti-is-coalition"
    # rebels fly no aircraft: with no air force named, the state's
    ref = article("rebels", "Nusra Front", "Nusra").resolve("warplanes", on=D(2016, 5, 1))
    assert (ref.actor_id, ref.name) == ("generic-air-force", "Military Forces of Syria (2000-2024)")
    # two air forces of comparable weight: not guessed between them
    ref = article("Russian warplanes", "Turkish warplanes").resolve("warplanes", on=D(2016, 5, 1))
    assert ref.actor_id == "generic-air-force"
    # after the fall of the Assad government the word no longer means its air force
    assert KB.match("warplanes", on=D(2025, 3, 1)) is None


def test_a_coalition_and_its_member_are_one_air_force() -> None:
    # "The US said ... US-led coalition warplanes ... the US ...": not two rival air forces
    ctx = article("US", "US", "US-led coalition", "coalition warplanes", "Islamic State")
    ref = ctx.resolve("airstrikes", on=D(2016, 5, 1))
    assert ref is not None and ref.actor_id in ("us-forces", "anti-is-coalition")


def test_two_comparable_groups_leave_the_generic_reference_unidentified() -> None:
    ctx = article("HTS", "Hayat Tahrir al-Sham", "Islamic State", "ISIS")
    ref = ctx.resolve("jihadists", on=D(2018, 1, 10))
    assert ref is not None and (ref.name, ref.inter) == ("Unidentified Armed Group (Syria)", Inter.POLITICAL_MILITIAS)


def test_unknown_actor_is_kept_as_unidentified_armed_group() -> None:
    ctx = article("Russian warplanes")
    for words in ("unidentified gunmen", "militants", "insurgents"):
        ref = ctx.resolve(words, on=D(2019, 2, 1))
        assert ref is not None and ref.name == "Unidentified Armed Group (Syria)", words
    assert KB.unidentified().name == "Unidentified Armed Group (Syria)"


def test_descriptive_references_in_context_are_theatre_actors() -> None:
    ctx = article("Jaish al-Fatah", "Army of Conquest", on=D(2015, 5, 1))
    ref = ctx.resolve("Russian warplanes", on=D(2015, 10, 5))
    assert ref is not None and ref.actor_id == "russia-forces" and ref.inter == Inter.EXTERNAL_OTHER
    ref = ctx.resolve("regime airstrikes", on=D(2015, 10, 5))
    assert ref is not None and ref.name == "Military Forces of Syria (2000-2024)"
    ref = ctx.resolve("pro-government militias", on=D(2015, 10, 5))
    assert ref is not None and ref.name == "Pro-Government Militia (Syria)"  # none named: the fallback


# --------------------------------------------------------------------------- short forms


def test_the_front_is_its_single_antecedent() -> None:
    ctx = article("Jabhat Fateh al-Sham", "Syrian army", on=D(2016, 9, 1))
    ref = ctx.resolve("the Front", on=D(2016, 9, 1))
    assert ref is not None and ref.name == "Jabhat Fateh al-Sham"
    assert ctx.resolve("the front", on=D(2016, 9, 1)) is None  # 'the front line', not a name


def test_the_front_with_two_fronts_is_not_guessed() -> None:
    ctx = article("Levant Front", "Nusra Front", on=D(2015, 9, 1))
    assert ctx.resolve("the Front", on=D(2015, 9, 1)) is None


def test_the_army_is_the_named_jaish_or_else_the_state() -> None:
    ctx = article("Jaish al-Islam", "Jaish al-Islam fighters", on=D(2016, 2, 1))
    ref = ctx.resolve("the Army", on=D(2016, 2, 1))
    assert ref is not None and ref.actor_id == "jaish-al-islam"
    # the lowercase word is the state's army, a descriptor of the theatre
    assert ctx.resolve("the army", on=D(2016, 2, 1)).actor_id == "syria-state-forces"
    both = article("Jaish al-Islam", "Syrian army", on=D(2016, 2, 1))
    assert both.resolve("the Army", on=D(2016, 2, 1)) is None
    neither = article("Hezbollah", on=D(2016, 2, 1))
    assert neither.resolve("the Army", on=D(2016, 2, 1)).actor_id == "syria-state-forces"


def test_the_group_needs_exactly_one_named_armed_group() -> None:
    assert article().resolve("the group") is None
    one = article("Islamic State", "Russian warplanes", "civilians", on=D(2017, 5, 1))
    ref = one.resolve("the group", on=D(2017, 5, 1))
    assert ref is not None and ref.actor_id == "islamic-state"
    two = article("Islamic State", "SDF", on=D(2017, 5, 1))
    assert two.resolve("the group", on=D(2017, 5, 1)) is None


def test_the_legion_and_the_movement_use_the_arabic_words() -> None:
    ctx = article("Faylaq al-Rahman", "Jaish al-Islam", on=D(2017, 3, 20))
    assert ctx.resolve("the Legion", on=D(2017, 3, 20)).actor_id == "faylaq-al-rahman"
    ctx = article("Harakat Nour al-Din al-Zenki", "Syrian army", on=D(2016, 7, 20))
    assert ctx.resolve("the movement", on=D(2016, 7, 20)).actor_id == "zenki"


def test_short_forms_file_validates_and_every_form_is_unresolved_alone() -> None:
    data = load_yaml(REFERENCES_PATH, ReferenceFile)
    assert len(data.short_forms) >= 10
    for form in data.short_forms:
        # alone, a short form is nothing, or at most a generic reference of the theatre
        for ref in (KB.match(form.text), article().resolve(form.text)):
            assert ref is None or KB.is_generic(ref.actor_id) or form.text.lower() == "the army", form.text


# --------------------------------------------------------------------------- coalitions as actors


def test_a_coalition_lists_its_members_active_then_as_associated_actors() -> None:
    coalition = KB.match("Army of Conquest", on=D(2015, 4, 25))
    members = {m.actor_id: m.name for m in KB.associated_members(coalition, D(2015, 4, 25))}
    assert members["nusra-hts"] == "Jabhat al-Nusra"
    assert {"ahrar-al-sham", "jund-al-aqsa"} <= members.keys()
    later = {m.name for m in KB.associated_members(coalition, D(2016, 8, 6))}
    assert "Jabhat Fateh al-Sham" in later and "Jund al-Aqsa" not in later
    assert KB.associated_members(KB.match("HTS", on=D(2018, 1, 1)), D(2018, 1, 1)) == []
    sdf = {m.actor_id for m in KB.associated_members(KB.match("SDF"), D(2017, 6, 1))}
    assert {"ypg", "ypj"} <= sdf


def test_second_theatre_uses_the_same_machinery() -> None:
    ctx = KB.article(country="Sudan")
    ctx.observe("Rapid Support Forces", on=D(2023, 6, 1))
    ctx.observe("RSF", on=D(2023, 6, 1))
    ref = ctx.resolve("the paramilitaries", on=D(2023, 6, 1))
    assert ref is not None and ref.actor_id == "sudan-rsf"
    assert ctx.resolve("the army", on=D(2023, 6, 1)).actor_id == "sudan-saf"


def test_kb_without_references_still_matches_names() -> None:
    kb = ActorKB([])
    assert kb.short_form("the Front") is None and len(kb) == 0


def test_aircraft_are_the_air_force_named_not_the_army_on_the_ground() -> None:
    ctx = article("Syrian army", "Syrian forces", "government forces", "US-led coalition air strikes", "coalition warplanes", on=D(2016, 7, 1))
    assert ctx.resolve("airstrikes", on=D(2016, 7, 1)).actor_id == "anti-is-coalition"
    ctx = article("Syrian army", "Syrian forces", "Russian jets", on=D(2016, 7, 1))
    assert ctx.resolve("warplanes", on=D(2016, 7, 1)).actor_id == "russia-forces"


def test_a_suicide_bomber_is_the_jihadist_group_the_article_names_else_unidentified() -> None:
    ctx = article("Islamic State", "IS militants", "Asayish", "Kurdish police", on=D(2016, 7, 5))
    assert ctx.resolve("a motorcycle bomber", on=D(2016, 7, 5)).actor_id == "islamic-state"
    ref = article("Asayish", "Syrian army", on=D(2016, 7, 5)).resolve("suicide bomber", on=D(2016, 7, 5))
    assert ref.name == "Unidentified Armed Group (Syria)"
    # aircraft 'bombers' are not suicide bombers, and bare 'bombers' says neither
    assert KB.match("bombers", on=D(2016, 7, 5)) is None
