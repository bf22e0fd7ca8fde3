"""Actor knowledge base and resolver: aliases, names by date, coalitions, descriptors, data checks."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

import pytest

from sitrep.errors import KnowledgeError
from sitrep.kb.models import ActorFile, load_yaml
from sitrep.resolve.actors import ACTORS_DIR, ActorKB, actor_key, default_actor_kb
from sitrep.schema import Inter

D = date


@pytest.fixture(scope="module")
def kb() -> ActorKB:
    return default_actor_kb()


def surface(sentence: str, words: str) -> str:
    """The words as they stand in the sentence (so tests use real-looking text spans)."""
    start = sentence.index(words)
    return sentence[start : start + len(words)]


# --------------------------------------------------------------------------- alias families

CONQUEST = (
    "Islamist rebels led by Jaish al-Fateh stormed Jisr al-Shughour on Saturday, while "
    "activists said the Conquer Army, also called the Army of Conquest or Jaish al-Fatah, "
    "had massed near Ariha; a Jaysh al-Fath commander spoke of the Conquest Army's next aim."
)


@pytest.mark.parametrize(
    "words", ["Jaish al-Fateh", "the Conquer Army", "Army of Conquest", "Jaish al-Fatah", "Jaysh al-Fath", "Conquest Army's"]
)
def test_army_of_conquest_spellings_are_one_actor(kb: ActorKB, words: str) -> None:
    ref = kb.match(surface(CONQUEST, words), on=D(2015, 4, 25))
    assert ref is not None and ref.actor_id == "jaish-al-fatah"
    assert ref.name == "Jaish al-Fatah"
    assert ref.inter == Inter.REBEL_GROUPS


def test_normalised_keys_collapse_spelling_noise() -> None:
    assert actor_key("the Nusra Front's") == actor_key("al-Nusra  Front") == actor_key("Nusra front")
    assert actor_key("Ahrar ash-Sham") == actor_key("Ahrar al Sham")
    assert actor_key("Assad's forces") == actor_key("Assad forces")
    assert actor_key("Jaish al-Fateh") != actor_key("Jaish al-Islam")


@pytest.mark.parametrize(
    "words",
    ["ISIS", "Daesh", "Islamic State of Iraq and Greater Syria", "Islamic State of Iraq and the Levant", "ISIL", "IS", "Islamic State group", "Da'esh"],
)
def test_islamic_state_names(kb: ActorKB, words: str) -> None:
    ref = kb.match(words, on=D(2015, 6, 1))
    assert ref is not None and ref.actor_id == "islamic-state"
    assert ref.name == "Islamic State (Syria)"


def test_islam_army_is_jaish_al_islam_and_liwa_before_the_merger(kb: ActorKB) -> None:
    text = "Mortars fired by the Islam Army hit the Abbasiyyin district, state media said."
    ref = kb.match(surface(text, "Islam Army"), on=D(2014, 11, 12))
    assert ref is not None and (ref.actor_id, ref.name) == ("jaish-al-islam", "Jaish al-Islam")
    assert kb.match("Army of Islam", on=D(2013, 3, 1)).name == "Liwa al-Islam"
    assert kb.match("Jaysh al-Islam", on=D(2013, 9, 29)).name == "Jaish al-Islam"


def test_acronyms_that_are_english_words_need_their_capitals(kb: ActorKB) -> None:
    assert kb.match("IS").actor_id == "islamic-state"
    assert kb.match("is") is None
    assert kb.match("US").actor_id == "us-forces"
    assert kb.match("us") is None
    assert kb.match("IS militants").actor_id == "islamic-state"


def test_descriptive_heads_and_modifiers_around_a_name(kb: ActorKB) -> None:
    text = "HTS fighters and the jihadist group Hayat Tahrir al-Sham's allies shelled Kafranbel."
    assert kb.match(surface(text, "HTS fighters"), on=D(2019, 5, 2)).actor_id == "nusra-hts"
    assert kb.match(surface(text, "the jihadist group Hayat Tahrir al-Sham"), on=D(2019, 5, 2)).actor_id == "nusra-hts"
    assert kb.match("the Kurdish-led Syrian Democratic Forces").actor_id == "sdf"
    assert kb.match("Turkish-backed faction Sultan Murad").actor_id == "sultan-murad"


def test_misspellings_match_by_fuzzy_skeleton_but_neighbours_stay_apart(kb: ActorKB) -> None:
    assert kb.match("Hayat Tahrir al-Shams").actor_id == "nusra-hts"
    assert kb.match("Jabhat Fatah al-Shaam", on=D(2016, 10, 1)).name == "Jabhat Fateh al-Sham"
    assert kb.match("Jaysh al Izza").actor_id == "jaysh-al-izza"
    assert kb.match("Jaish al-Izza").actor_id != kb.match("Jaish al-Islam").actor_id
    unknown = kb.match("Jaish al-Fursan")  # not a listed group: never guessed as Jaish al-Fatah
    assert unknown is None or unknown.actor_id != "jaish-al-fatah"


@pytest.mark.parametrize("words", ["the group", "the Front", "the movement", "", "   "])
def test_ambiguous_short_forms_stay_unresolved(kb: ActorKB, words: str) -> None:
    assert kb.match(words) is None


# --------------------------------------------------------------------------- names by date


@pytest.mark.parametrize(
    ("words", "on", "name"),
    [
        ("Nusra Front", D(2015, 3, 28), "Jabhat al-Nusra"),
        ("al-Nusra Front", D(2016, 7, 27), "Jabhat al-Nusra"),
        ("al-Nusra Front", D(2016, 7, 28), "Jabhat Fateh al-Sham"),
        ("Jabhat Fateh al-Sham", D(2016, 11, 1), "Jabhat Fateh al-Sham"),
        ("JFS", D(2017, 1, 27), "Jabhat Fateh al-Sham"),
        ("JFS", D(2017, 1, 28), "Hayat Tahrir al-Sham"),
        ("Nusra", D(2018, 1, 1), "Hayat Tahrir al-Sham"),
        ("HTS", D(2024, 12, 1), "Hayat Tahrir al-Sham"),
        ("HTS", D(2013, 5, 1), "Jabhat al-Nusra"),
    ],
)
def test_nusra_line_takes_the_name_of_the_event_date(kb: ActorKB, words: str, on: date, name: str) -> None:
    ref = kb.match(words, on=on)
    assert ref is not None and ref.actor_id == "nusra-hts"
    assert ref.name == name


def test_names_over_time_and_acled_name(kb: ActorKB) -> None:
    names = kb.names_over_time("nusra-hts")
    assert [n.name for n in names] == ["Jabhat al-Nusra", "Jabhat Fateh al-Sham", "Hayat Tahrir al-Sham"]
    assert names[0].valid_to == names[1].valid_from == D(2016, 7, 28)
    assert names[1].valid_to == names[2].valid_from == D(2017, 1, 28)
    assert kb.acled_name("us-forces", D(2019, 5, 1)) == "Military Forces of the United States (2017-2021)"
    assert kb.acled_name("us-forces", D(2014, 9, 23)) == "Military Forces of the United States (2009-2017)"
    assert [n.name for n in kb.names_over_time("faylaq-al-rahman")] == ["Faylaq al-Rahman"]
    with pytest.raises(KeyError):
        kb.acled_name("no-such-actor")


STATE = "Assad forces and regime forces pounded the town as Syria's army advanced."


@pytest.mark.parametrize("words", ["Assad forces", "regime forces", "Syria's army"])
def test_state_forces_before_the_fall(kb: ActorKB, words: str) -> None:
    ref = kb.match(surface(STATE, words), on=D(2016, 12, 10))
    assert ref is not None and ref.actor_id == "syria-state-forces"
    assert (ref.name, ref.inter) == ("Military Forces of Syria (2000-2024)", Inter.STATE_FORCES)


def test_state_forces_after_8_december_2024(kb: ActorKB) -> None:
    after = D(2025, 3, 7)
    army = kb.match(surface(STATE, "Syria's army"), on=after)
    assert army is not None and army.actor_id == "syria-transitional-forces"
    assert army.name == "Military Forces of Syria (2024-)"
    assert kb.match("government troops", on=D(2024, 12, 7)).actor_id == "syria-state-forces"
    assert kb.match("government troops", on=D(2024, 12, 8)).actor_id == "syria-transitional-forces"
    # 'Assad forces' after the fall still means the old regime's forces (its remnants)
    assert kb.match(surface(STATE, "Assad forces"), on=after).name == "Military Forces of Syria (2000-2024)"


@pytest.mark.parametrize(
    ("words", "actor_id"),
    [
        ("the regime", "syria-state-forces"),
        ("the army", "syria-state-forces"),
        ("government troops", "syria-state-forces"),
        ("the air force", "syria-state-forces"),
        ("Syrian government jets", "syria-state-forces"),
        ("regime airstrikes", "syria-state-forces"),
        ("Turkish troops", "turkey-forces"),
        ("Israeli airstrikes", "israel-forces"),
        ("US-led coalition", "anti-is-coalition"),
        ("Hezbollah", "hezbollah"),
        ("the Revolutionary Guards", "irgc"),
        ("Fatemiyoun Brigade", "fatemiyoun"),
        ("National Defence Forces", "ndf"),
        ("Faylaq al-Rahman", "faylaq-al-rahman"),
        ("Sham Legion", "faylaq-al-sham"),
        ("Nour al-Din al-Zenki", "zenki"),
        ("Firqat al-Hamza", "hamza-division"),
        ("YPG", "ypg"),
        ("Women's Protection Units", "ypj"),
        ("Asayish", "asayish"),
        ("Guardians of Religion", "hurras-al-din"),
        ("Men of Dignity", "men-of-dignity"),
        ("Arab tribal fighters", "tribal-militia"),
        ("Southern Operations Room", "southern-operations-room"),
        ("Military Operations Command", "military-operations-command"),
    ],
)
def test_descriptive_and_named_references(kb: ActorKB, words: str, actor_id: str) -> None:
    ref = kb.match(words, on=D(2018, 3, 1) if actor_id not in ("southern-operations-room", "military-operations-command") else D(2024, 12, 7))
    assert ref is not None and ref.actor_id == actor_id


def test_foreign_forces_are_external_forces(kb: ActorKB) -> None:
    text = "Russian warplanes struck Khan Sheikhoun overnight, a monitor said."
    ref = kb.match(surface(text, "Russian warplanes"), on=D(2017, 4, 4))
    assert ref is not None and ref.actor_id == "russia-forces"
    assert (ref.name, ref.inter, ref.country) == ("Military Forces of Russia (2000-)", Inter.EXTERNAL_OTHER, "Russia")
    assert kb.match("Turkish drones").inter == Inter.EXTERNAL_OTHER


# --------------------------------------------------------------------------- coalitions


def test_jaish_al_fatah_members_in_2015(kb: ActorKB) -> None:
    members = {m.actor_id: m.name for m in kb.coalition_members("jaish-al-fatah", D(2015, 4, 25))}
    assert members["nusra-hts"] == "Jabhat al-Nusra"
    assert {"ahrar-al-sham", "jund-al-aqsa", "faylaq-al-sham"} <= members.keys()
    later = {m.actor_id: m.name for m in kb.coalition_members("jaish-al-fatah", D(2016, 8, 6))}
    assert later["nusra-hts"] == "Jabhat Fateh al-Sham"
    assert "jund-al-aqsa" not in later  # left in October 2015


def test_other_coalitions_and_membership_lookups(kb: ActorKB) -> None:
    front = {m.actor_id for m in kb.coalition_members("islamic-front", D(2014, 2, 1))}
    assert {"ahrar-al-sham", "jaish-al-islam"} <= front
    assert {m.actor_id for m in kb.coalition_members("sdf", D(2016, 6, 1))} >= {"ypg", "ypj"}
    assert "jaish-al-islam" in {m.actor_id for m in kb.coalition_members("sna", D(2019, 1, 20))}
    assert "islamic-front" in {c.actor_id for c in kb.coalitions_of("ahrar-al-sham", D(2014, 2, 1))}
    assert "islamic-front" not in {c.actor_id for c in kb.coalitions_of("ahrar-al-sham", D(2016, 2, 1))}
    assert kb.match("Turkish-backed Free Syrian Army", on=D(2016, 9, 1)).name == "Free Syrian Army"
    assert kb.match("Turkish-backed Free Syrian Army", on=D(2019, 10, 9)).name == "Syrian National Army"


# --------------------------------------------------------------------------- generic references


@pytest.mark.parametrize(
    ("words", "name", "inter"),
    [
        ("rebels", "Opposition Rebels (Syria)", Inter.REBEL_GROUPS),
        ("opposition fighters", "Opposition Rebels (Syria)", Inter.REBEL_GROUPS),
        # words that do not say which side: an unidentified armed group unless the article identifies one
        ("insurgents", "Unidentified Armed Group (Syria)", Inter.POLITICAL_MILITIAS),
        ("militants", "Unidentified Armed Group (Syria)", Inter.POLITICAL_MILITIAS),
        ("terrorists", "Unidentified Armed Group (Syria)", Inter.POLITICAL_MILITIAS),
        ("jihadists", "Unidentified Armed Group (Syria)", Inter.POLITICAL_MILITIAS),
        ("unidentified gunmen", "Unidentified Armed Group (Syria)", Inter.POLITICAL_MILITIAS),
    ],
)
def test_generic_references(kb: ActorKB, words: str, name: str, inter: Inter) -> None:
    ref = kb.generic(words)
    assert ref is not None and ref.actor_id and ref.actor_id.startswith("generic-")
    assert (ref.name, ref.inter) == (name, inter)
    assert kb.is_generic(ref.actor_id)


def test_named_actors_are_not_generic_and_unknown_actor_fallback(kb: ActorKB) -> None:
    assert kb.generic("Hayat Tahrir al-Sham") is None
    assert kb.unidentified().name == "Unidentified Armed Group (Syria)"
    assert kb.unidentified("Sudan").name == "Unidentified Armed Group (Sudan)"


def test_civilian_sub_groups(kb: ActorKB) -> None:
    text = "The strike killed two journalists and a group of children near the hospital."
    ref = kb.match(surface(text, "journalists"))
    assert ref is not None and (ref.name, ref.inter) == ("Civilians (Syria)", Inter.CIVILIANS)
    assert kb.associated_group(surface(text, "journalists")) == "Journalists (Syria)"
    assert kb.associated_group("children") == "Children (Syria)"
    assert kb.associated_group("detainees") == "Prisoners (Syria)"
    assert kb.associated_group("civilians") is None


# --------------------------------------------------------------------------- second theatre


def test_sudan_file_loads_and_descriptors_follow_the_theatre(kb: ActorKB) -> None:
    saf = kb.match("the army", on=D(2023, 5, 1), country="Sudan")
    assert saf is not None and (saf.actor_id, saf.inter) == ("sudan-saf", Inter.STATE_FORCES)
    assert kb.match("the army", on=D(2023, 5, 1)).actor_id == "syria-state-forces"
    rsf = kb.match("paramilitary Rapid Support Forces", on=D(2023, 6, 1), country="Sudan")
    assert rsf is not None and (rsf.name, rsf.inter) == ("RSF: Rapid Support Forces", Inter.REBEL_GROUPS)
    before = kb.match("RSF", on=D(2020, 6, 1), country="Sudan")
    assert before.inter == Inter.STATE_FORCES and "Rapid Support Forces" in before.name
    # a name is a name in any theatre; a Sudanese descriptor is not a Syrian actor
    assert kb.match("RSF", on=D(2023, 6, 1)).actor_id == "sudan-rsf"
    assert kb.match("paramilitaries") is None
    members = {m.actor_id for m in kb.coalition_members("sudan-joint-forces", D(2024, 1, 1))}
    assert members == {"sudan-slm-minnawi", "sudan-jem"}


# --------------------------------------------------------------------------- matcher forms


def test_surface_forms_feed_a_phrase_matcher(kb: ActorKB) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    forms = list(kb.surface_forms())
    texts = {f for f, _ in forms}
    assert {"Army of Conquest", "Jaish al-Fateh", "Jaish al Fateh", "Assad forces"} <= texts
    assert "IS" not in texts and "US" not in texts
    assert ("IS", "islamic-state") in set(kb.case_sensitive_forms())
    for form, actor_id in forms:
        matcher.add(actor_id, [nlp.make_doc(form)])
    doc = nlp("Jaish al Fateh fighters and the Conquer Army seized Idlib from Assad forces, this is it.")
    found = {doc[s:e].text for _, s, e in matcher(doc)}
    assert {"Jaish al Fateh", "Conquer Army", "Assad forces"} <= found
    resolved = {kb.match(t, on=D(2015, 3, 28)).actor_id for t in found if kb.match(t, on=D(2015, 3, 28))}
    assert {"jaish-al-fatah", "syria-state-forces"} <= resolved
    assert "is" not in {t.lower() for t in found}


def test_search_for_the_cli(kb: ActorKB) -> None:
    hits = kb.search("nusra")
    assert hits and hits[0][0].id == "nusra-hts"
    assert kb.search("hts")[0][0].id == "nusra-hts"


# --------------------------------------------------------------------------- data checks


def test_every_actor_is_sourced_and_shared_forms_are_separated_by_date(kb: ActorKB) -> None:
    assert len(kb) >= 80
    for actor in kb:
        assert actor.source.strip(), actor.id
    # a form listed for two actors of one theatre must be told apart by alias dates, by one
    # being a former official name, or by both being generic fallbacks
    for key, entries in kb._by_key.items():  # noqa: SLF001 - a data-quality check on the index
        for a, b in itertools.combinations(entries, 2):
            if a.actor_id == b.actor_id or a.theatre != b.theatre:
                continue
            if a.historical or b.historical or (kb.is_generic(a.actor_id) and kb.is_generic(b.actor_id)):
                continue
            ra, rb = a.alias, b.alias
            disjoint = (ra.valid_to is not None and rb.valid_from is not None and ra.valid_to <= rb.valid_from) or (
                rb.valid_to is not None and ra.valid_from is not None and rb.valid_to <= ra.valid_from
            )
            assert disjoint, f"{key!r} is ambiguous between {a.actor_id} and {b.actor_id}"


def test_every_packaged_file_validates() -> None:
    files = sorted(ACTORS_DIR.glob("*.yaml"))
    assert {p.stem for p in files} >= {"syria", "sudan"}
    for path in files:
        assert load_yaml(path, ActorFile).actors


# --------------------------------------------------------------------------- invalid data

GOOD = """\
conflict: testland
country: Testland
actors:
  - id: alpha-front
    name: Alpha Front
    inter: 2
    type: rebel group
    country: Testland
    side: opposition
    source: test
"""


def write(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_inter_names_file_and_entry(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("    inter: 2\n", ""))
    with pytest.raises(KnowledgeError) as err:
        ActorKB.load([path])
    msg = str(err.value)
    assert str(path) in msg and "alpha-front" in msg and "inter" in msg


def test_bad_date_names_file_and_entry(tmp_path: Path) -> None:
    bad = GOOD + "    names:\n      - {name: Alpha Front, valid_from: 2016-13-01}\n"
    path = write(tmp_path, bad)
    with pytest.raises(KnowledgeError) as err:
        ActorKB.load([path])
    msg = str(err.value)
    assert "alpha-front" in msg and "valid_from" in msg and str(path) in msg


def test_inverted_range_and_unknown_inter_are_rejected(tmp_path: Path) -> None:
    bad = GOOD.replace("    inter: 2\n", "    inter: 9\n")
    with pytest.raises(KnowledgeError, match="alpha-front"):
        ActorKB.load([write(tmp_path, bad)])
    bad = GOOD + "    valid_from: 2017-01-01\n    valid_to: 2016-01-01\n"
    with pytest.raises(KnowledgeError, match="valid_to"):
        ActorKB.load([write(tmp_path, bad, "b.yaml")])


def test_duplicate_ids_in_one_file_and_across_files(tmp_path: Path) -> None:
    entry = GOOD.split("actors:\n", 1)[1]
    path = write(tmp_path, GOOD + entry)
    with pytest.raises(KnowledgeError) as err:
        ActorKB.load([path])
    assert "duplicate" in str(err.value) and "alpha-front" in str(err.value) and str(path) in str(err.value)
    first, second = write(tmp_path, GOOD, "a.yaml"), write(tmp_path, GOOD.replace("testland", "otherland"), "b.yaml")
    with pytest.raises(KnowledgeError) as err:
        ActorKB.load([first, second])
    assert str(second) in str(err.value) and str(first) in str(err.value) and "alpha-front" in str(err.value)


def test_unknown_member_and_malformed_yaml(tmp_path: Path) -> None:
    bad = GOOD + "    members:\n      - {actor: beta-brigade, valid_from: 2015-01-01}\n"
    with pytest.raises(KnowledgeError, match="beta-brigade"):
        ActorKB.load([write(tmp_path, bad)])
    with pytest.raises(KnowledgeError, match="invalid YAML"):
        ActorKB.load([write(tmp_path, "actors: [\n  - id: x", "broken.yaml")])


def test_generic_ids_follow_the_convention(tmp_path: Path) -> None:
    bad = GOOD.replace("    source: test\n", "    source: test\n    generic: true\n")
    with pytest.raises(KnowledgeError, match="generic"):
        ActorKB.load([write(tmp_path, bad)])


def test_a_name_holds_until_the_next_one_even_across_a_gap(tmp_path: Path) -> None:
    text = GOOD.replace(
        "    name: Alpha Front\n",
        "    name: Beta Front\n    names:\n"
        "      - {name: Alpha Front, valid_from: 2010-01-01, valid_to: 2012-01-01}\n"
        "      - {name: Beta Front, valid_from: 2014-01-01}\n",
    )
    kb = ActorKB.load([write(tmp_path, text, "gap.yaml")])
    assert kb.match("Beta Front", on=D(2013, 6, 1), country="Testland").name == "Alpha Front"
    assert kb.match("Alpha Front", on=D(2009, 1, 1), country="Testland").name == "Alpha Front"
    assert kb.match("Alpha Front", on=D(2015, 1, 1), country="Testland").name == "Beta Front"
    assert kb.acled_name("alpha-front") == "Beta Front"


@pytest.mark.parametrize("words", ["Syrias government", "Assads air force", "Assad’s warplanes", "Bashar al-Assads forces", "the Syrian government"])
def test_possessives_without_apostrophe_and_the_government_as_doer(kb: ActorKB, words: str) -> None:
    ref = kb.match(words, on=date(2016, 8, 1))
    assert ref is not None and ref.actor_id == "syria-state-forces"


def test_al_qaeda_in_syria_is_nusra_only_before_the_split(kb: ActorKB) -> None:
    assert kb.match("al-Qaeda", on=date(2014, 6, 1)).name == "Jabhat al-Nusra"
    assert kb.match("al-Qaeda", on=date(2018, 6, 1)) is None  # after July 2016 it is not one group's name
    assert kb.match("al-Qaedas former Syrian branch", on=date(2017, 3, 1)).name == "Hayat Tahrir al-Sham"


def test_matcher_forms_include_possessives_as_written_without_apostrophes(kb: ActorKB) -> None:
    forms = {f for f, _ in kb.surface_forms()}
    assert {"Assad's forces", "Assads forces", "Assad’s forces"} <= forms


def test_acronyms_that_are_words_are_found_with_a_head_noun_and_need_capitals(kb: ActorKB) -> None:
    forms = {f for f, _ in kb.surface_forms()}
    assert "IS suicide bombers" not in forms  # only listed heads
    assert {"IS warplanes", "IS commander", "US special forces"} <= forms
    assert "IS" not in forms and "is" not in forms
    assert kb.match("IS commander", on=date(2016, 5, 1)).actor_id == "islamic-state"
    assert kb.match("is commander", on=date(2016, 5, 1)) is None  # "the target is commander ..."
    assert kb.match("us forces", on=date(2016, 5, 1)) is None  # "told us forces would ..."
    assert kb.match("US forces", on=date(2016, 5, 1)).actor_id == "us-forces"


def test_barrel_bombs_are_the_states_weapon_until_its_fall(kb: ActorKB) -> None:
    for words in ("barrel bombs", "explosive barrels"):
        assert kb.match(words, on=date(2014, 6, 1)).actor_id == "syria-state-forces"
        ref = kb.match(words, on=date(2025, 2, 1))
        assert ref is None or ref.actor_id != "syria-state-forces"


def test_factions_are_unnamed_rebels(kb: ActorKB) -> None:
    assert kb.generic("the factions", on=date(2016, 1, 1)).actor_id == "generic-rebels"
    assert kb.generic("rebel and Islamic factions", on=date(2016, 1, 1)).actor_id == "generic-rebels"


def test_forces_loyal_to_assad_and_the_us_as_a_state_not_an_armed_actor(kb: ActorKB) -> None:
    assert kb.match("forces loyal to President Bashar al-Assad", on=date(2013, 8, 21)).actor_id == "syria-state-forces"
    # 'the United States said ...' is diplomacy; its forces are named as forces ('US warplanes')
    assert kb.match("the United States", on=date(2017, 4, 5)) is None


@pytest.mark.parametrize(
    ("words", "actor_id"),
    [
        ("Syrian aircraft", "syria-state-forces"),
        ("regime planes", "syria-state-forces"),
        ("forces loyal to Syrian President Bashar al-Assad", "syria-state-forces"),
        ("Kurdish militants", "ypg"),
        ("Kurdish troops", "ypg"),
    ],
)
def test_descriptive_references_of_the_air_war_and_the_kurdish_front(kb: ActorKB, words: str, actor_id: str) -> None:
    ref = kb.match(words, on=D(2016, 9, 1))
    assert ref is not None and ref.actor_id == actor_id


def test_anti_regime_fighters_are_unnamed_insurgents(kb: ActorKB) -> None:
    ref = kb.match("anti-regime fighters", on=D(2016, 5, 17))
    assert ref is not None and ref.actor_id == "generic-militants"
