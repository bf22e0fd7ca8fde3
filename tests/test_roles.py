"""Actor roles from syntax, with actor references given by hand (the KB is tested elsewhere)."""

from __future__ import annotations

import pytest

from sitrep.extract.roles import ActorMention, assign_roles
from sitrep.nlp.components import TRIGGERS
from sitrep.schema import ActorRef, Inter

REFS = {
    "government forces": ActorRef(name="Military Forces of Syria (2000-2024)", actor_id="syria-state", inter=Inter.STATE_FORCES),
    "army troops": ActorRef(name="Military Forces of Syria (2000-2024)", actor_id="syria-state", inter=Inter.STATE_FORCES),
    "regime": ActorRef(name="Military Forces of Syria (2000-2024)", actor_id="syria-state", inter=Inter.STATE_FORCES),
    "hezbollah": ActorRef(name="Hezbollah", actor_id="hezbollah", inter=Inter.EXTERNAL_OTHER),
    "nusra front": ActorRef(name="Jabhat al-Nusra", actor_id="nusra", inter=Inter.REBEL_GROUPS),
    "ahrar al-sham": ActorRef(name="Ahrar al-Sham", actor_id="ahrar", inter=Inter.REBEL_GROUPS),
    "islamic state": ActorRef(name="Islamic State (Syria)", actor_id="is", inter=Inter.REBEL_GROUPS),
    "rebels": ActorRef(name="Opposition Rebels (Syria)", actor_id="generic-rebels", inter=Inter.REBEL_GROUPS),
    "russian warplanes": ActorRef(name="Military Forces of Russia (2000-)", actor_id="russia", inter=Inter.EXTERNAL_OTHER),
    "civilians": ActorRef(name="Civilians (Syria)", actor_id="civilians", inter=Inter.CIVILIANS),
    "militants": ActorRef(name="Unidentified Armed Group (Syria)", actor_id="generic-militants", inter=Inter.POLITICAL_MILITIAS),
}


def _setup(nlp, sentence: str, trigger: str):
    doc = nlp(sentence)
    low = sentence.lower()
    actors = []
    for surface, ref in REFS.items():
        i = low.find(surface)
        if i >= 0:
            span = doc.char_span(i, i + len(surface), alignment_mode="expand")
            actors.append(ActorMention(span=span, ref=ref, generic=ref.actor_id.startswith("generic")))
    return _trigger(doc, trigger), sorted(actors, key=lambda a: a.span.start)


def _trigger(doc, text: str):
    return next(s for s in doc.spans[TRIGGERS] if s.text.lower() == text)


def test_active_subject_and_backers(bare_nlp):
    trig, actors = _setup(
        bare_nlp,
        "Army troops backed by Hezbollah fighters seized the hilltop village of Qarqas from the Nusra Front on Monday.",
        "seized",
    )
    roles = assign_roles(trig, actors, territory=True)
    assert roles.actor1.ref.actor_id == "syria-state"
    assert [a.ref.actor_id for a in roles.assoc1] == ["hezbollah"]
    assert roles.actor2.ref.actor_id == "nusra"


def test_passive_voice_swaps_roles(bare_nlp):
    trig, actors = _setup(bare_nlp, "Government forces were driven out of the town by rebels after two days of fighting.", "driven out")
    roles = assign_roles(trig, actors, territory=True)
    assert roles.actor1.ref.actor_id == "generic-rebels"
    assert roles.actor2.ref.actor_id == "syria-state"


def test_noun_trigger_modifier_is_agent(bare_nlp):
    trig, actors = _setup(bare_nlp, "Regime airstrikes hit positions of the Islamic State east of Palmyra.", "airstrikes")
    roles = assign_roles(trig, actors)
    assert roles.actor1.ref.actor_id == "syria-state"
    assert roles.actor2.ref.actor_id == "is"


def test_coalition_members_become_associated(bare_nlp):
    trig, actors = _setup(
        bare_nlp,
        "An alliance of rebels including the Nusra Front and Ahrar al-Sham captured the airbase on Sunday.",
        "captured",
    )
    roles = assign_roles(trig, actors, territory=True)
    assert roles.actor1.ref.actor_id == "nusra"
    assert "ahrar" in [a.ref.actor_id for a in roles.assoc1]


def test_accused_party_is_agent(bare_nlp):
    trig, actors = _setup(bare_nlp, "The Nusra Front accused government forces of executing 12 civilians in the prison.", "executing")
    roles = assign_roles(trig, actors)
    assert roles.actor1.ref.actor_id == "syria-state"


def test_by_phrase_of_a_gerund_trigger_is_the_agent(bare_nlp):
    trig, actors = _setup(bare_nlp, "Shelling by the regime on the besieged town killed ten civilians on Friday.", "shelling")
    roles = assign_roles(trig, actors)
    assert roles.actor1.ref.actor_id == "syria-state"
    assert roles.actor1 is not roles.actor2 and (roles.actor2 is None or roles.actor2.ref.actor_id == "civilians")


def test_a_target_inside_the_subject_is_not_the_agent(bare_nlp):
    trig, actors = _setup(bare_nlp, "Air strikes against the Nusra Front near the border killed 11 civilians on Tuesday.", "air strikes")
    roles = assign_roles(trig, actors)
    assert roles.actor1 is None or roles.actor1.ref.actor_id != "nusra"
    assert roles.actor2.ref.actor_id == "nusra"


def test_who_condemns_an_attack_did_not_carry_it_out(bare_nlp):
    trig, actors = _setup(bare_nlp, "Hezbollah condemned the bombing that killed five civilians in the town on Monday.", "bombing")
    roles = assign_roles(trig, actors)
    assert roles.actor1 is None or roles.actor1.ref.actor_id != "hezbollah"


def test_the_dead_of_a_headline_never_act(bare_nlp):
    trig, actors = _setup(bare_nlp, "Thirty Rebels Dead in Fighting for Key Aleppo Road", "fighting")
    roles = assign_roles(trig, actors)
    assert roles.actor1 is None


def test_claim_of_responsibility_names_the_doer(bare_nlp):
    doc = bare_nlp("The Islamic State group claimed responsibility for the bombing in a statement on Tuesday.")
    trig = _trigger(doc, "bombing")
    claimant = ActorMention(span=doc[1:3], ref=REFS["islamic state"])
    roles = assign_roles(trig, [], antecedents=[claimant])
    assert roles.actor1 is claimant
    # a claimant who only reports the bombing is not its doer
    doc = bare_nlp("The Islamic State group reported the bombing in a statement on Tuesday.")
    trig = _trigger(doc, "bombing")
    assert assign_roles(trig, [], antecedents=[ActorMention(span=doc[1:3], ref=REFS["islamic state"])]).actor1 is None


def test_a_weapon_only_one_side_uses_names_its_user(bare_nlp):
    doc = bare_nlp("Barrel bombs fell on the town of Daraya on Monday killing six people.")
    trig = _trigger(doc, "barrel bombs")
    weapon = ActorMention(span=doc[0:2], ref=REFS["regime"])
    roles = assign_roles(trig, [weapon])
    assert roles.actor1 is weapon


def test_unattributed_air_raids_are_the_generic_air_force_but_a_named_one_wins(bare_nlp):
    generic = ActorRef(name="Military Forces of Syria (2000-2024)", actor_id="generic-air-force", inter=Inter.STATE_FORCES)
    doc = bare_nlp("Air raids killed ten people near a hospital in Idlib on Saturday.")
    trig = _trigger(doc, "air raids")
    raids = ActorMention(span=doc[0:2], ref=generic, generic=True)
    assert assign_roles(trig, [raids]).actor1 is raids
    doc = bare_nlp("Russian warplanes carried out air raids on the town on Saturday.")
    trig = _trigger(doc, "air raids")
    russian = ActorMention(span=doc[0:2], ref=REFS["russian warplanes"])
    raids = ActorMention(span=doc[4:6], ref=generic, generic=True)
    assert assign_roles(trig, [russian, raids]).actor1 is russian


ANY = object()  # an actor2 the case does not check


@pytest.mark.parametrize(
    ("sentence", "trigger", "actor1", "actor2"),
    [
        pytest.param("Rescuers condemned the massacre committed by the regime in the village where 30 people died.", "massacre", "syria-state", None, id="participle_on_an_attack_noun_names_the_doer"),
        pytest.param("Air strikes blamed on Russian warplanes hit a market in the town on Monday.", "air strikes", "russia", ANY, id="strikes_blamed_on_a_side_are_its_strikes"),
        pytest.param("Twelve civilians killed by Russian warplanes near the border were buried on Sunday.", "killed", "russia", "civilians", id="reduced_passive_killed_by"),
        pytest.param("Forty Islamic State Militants Killed in Government Forces Operations near Palmyra", "killed", "syria-state", "is", id="headline_passive_victims_are_the_target_and_the_act_names_the_doer"),
        pytest.param("The monitor counted 30 Nusra Front fighters killed in clashes with Hezbollah in the hills.", "killed", "hezbollah", "nusra", id="reduced_relative_killed_in_clashes_with"),
        pytest.param("Islamic State militants killed 12 civilians in the village on Monday.", "killed", "is", "civilians", id="active_killing_with_a_counted_object_stays_active"),
        pytest.param("Hezbollah carried out an attack on Nusra Front positions in the hills on Monday.", "attack", "hezbollah", "nusra", id="who_carries_out_an_attack_noun_is_its_agent"),
        pytest.param("Hezbollah Kills 10 Rebels in Missile Attack Northwest of Hama", "missile attack", "hezbollah", ANY, id="the_killed_object_of_a_title_case_headline_is_not_the_attacker"),
        pytest.param("Over 12 civilians were killed and dozens injured including civilians when Russian warplanes raided the village on Monday.", "raided", "russia", ANY, id="of_two_parsed_subjects_the_nearest_acts"),
        pytest.param("Three civilians were killed in mortar shelling by the Islamic State on the town on Wednesday.", "mortar", "is", ANY, id="a_trigger_modifying_another_takes_its_by_phrase"),
        pytest.param("A car bomb near the offices of Ahrar al-Sham killed 12 people in the town on Sunday.", "car bomb", None, "ahrar", id="the_target_near_a_blast_that_is_its_own_subject_is_not_its_doer"),
        pytest.param("The explosion which wiped out a meeting of Nusra Front commanders killed 20 on Tuesday.", "explosion", None, "nusra", id="the_relative_clause_of_a_blast_names_whom_it_hit"),
        pytest.param("Fourteen members of the Nusra Front died in an explosion at a checkpoint near Idlib on Friday.", "explosion", None, "nusra", id="who_dies_in_an_explosion_is_hit"),
        pytest.param("Eight rebels died in heavy shelling by government forces on the village on Monday.", "shelling", "syria-state", ANY, id="died_in_shelling_by_a_named_side"),
        pytest.param("Hezbollah has called the use of barrel bombs by government forces on the town a crime.", "barrel bombs", "syria-state", ANY, id="the_use_of_a_weapon_by_a_side_is_its_attack"),
        pytest.param("Fierce clashes between Hezbollah and the Nusra Front continued in the hills on Monday.", "clashes", "hezbollah", ANY, id="clashes_between_two_sides_as_subject_keep_both"),
    ],
)
def test_agent_and_target(bare_nlp, sentence, trigger, actor1, actor2):
    roles = assign_roles(*_setup(bare_nlp, sentence, trigger))
    assert (roles.actor1.ref.actor_id if roles.actor1 else None) == actor1
    if actor2 is None:
        assert roles.actor2 is None
    elif actor2 is not ANY:
        assert roles.actor2.ref.actor_id == actor2


def test_a_barrage_of_rockets_takes_the_subject_of_its_verb(bare_nlp):
    # 'waves of rockets' is the object of 'fired': the subject fires, not the nearest name
    trig, actors = _setup(
        bare_nlp,
        "Rebels including the hardline Ahrar al-Sham faction and former al-Qaeda affiliate Nusra Front fired "
        "waves of rockets into the Hamdaniya district on Sunday.",
        "rockets",
    )
    roles = assign_roles(trig, actors)
    assert roles.actor1.ref.actor_id == "ahrar"


def test_a_subject_split_by_the_parser_after_an_including_list_is_the_list_head():
    # 'Rebel groups including X faction and Y Front fired': a parser that makes both 'groups'
    # and 'Front' subjects of 'fired' split one subject; the list's head is the subject
    import spacy
    from spacy.tokens import Doc

    from sitrep.extract.roles import _subject

    words = "Rebel groups including the Tawhid faction and the Ansar Front fired rockets".split()
    heads = [1, 10, 1, 5, 5, 2, 5, 9, 9, 10, 10, 10]
    deps = ["compound", "nsubj", "prep", "det", "compound", "pobj", "cc", "det", "compound", "nsubj", "ROOT", "dobj"]
    pos = ["NOUN", "NOUN", "VERB", "DET", "PROPN", "NOUN", "CCONJ", "DET", "PROPN", "PROPN", "VERB", "NOUN"]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos)
    subj, passive = _subject(doc[10])
    assert (subj.text, passive) == ("groups", False)
    # without the list the nearer subject still wins (two clauses run together)
    words = "Dozens injured in the town when jets raided".split()
    heads = [7, 0, 1, 4, 2, 7, 7, 7]
    deps = ["nsubj", "acl", "prep", "det", "pobj", "advmod", "nsubj", "ROOT"]
    pos = ["NOUN", "VERB", "ADP", "DET", "NOUN", "ADV", "NOUN", "VERB"]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos)
    assert _subject(doc[7])[0].text == "jets"


def test_what_is_eliminated_does_not_act_by_position(bare_nlp):
    trig, actors = _setup(
        bare_nlp,
        "The ministry reported the elimination of a Nusra Front command post near the town with 30 fighters killed.",
        "killed",
    )
    roles = assign_roles(trig, actors)
    assert roles.actor1 is None or roles.actor1.ref.actor_id != "nusra"
