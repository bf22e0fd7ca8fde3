"""Modality on sentences of the kind conflict reports are made of."""

from __future__ import annotations

import pytest

from sitrep.extract.modality import classify_modality
from sitrep.nlp.components import TRIGGERS
from sitrep.nlp.lexicon import load_modality
from sitrep.schema import Modality


def _modality(nlp, sentence: str, trigger_text: str, **kw) -> Modality:
    doc = nlp(sentence)
    spans = [s for s in doc.spans[TRIGGERS] if s.text.lower() == trigger_text.lower()]
    assert spans, f"no trigger {trigger_text!r} in {[s.text for s in doc.spans[TRIGGERS]]}"
    return classify_modality(spans[0], load_modality(), **kw)


@pytest.mark.parametrize(
    ("sentence", "trigger", "expected"),
    [
        ("Rebel fighters captured the village of Tal Hamra on Tuesday after heavy fighting.", "captured", Modality.ASSERTED),
        ("The commander vowed to storm the town if the siege of Madaya was not lifted.", "storm", Modality.THREATENED),
        ("The army will launch an offensive on the hill in the coming days, a source said.", "launch an offensive", Modality.PLANNED),
        ("The ministry said troops could have recaptured the district within hours.", "recaptured", Modality.COUNTERFACTUAL),
        ("Both sides have massed thousands of fighters for a battle which could decide the war.", "battle", Modality.PLANNED),
        ("Hundreds of gunmen crossed the border last week to attack the town.", "attack", Modality.PLANNED),
        ("The group denied that its fighters had executed the prisoners.", "executed", Modality.DENIED),
        ("Opposition fighters claimed the capture of the checkpoint near Morek.", "capture", Modality.CLAIMED),
        ("The monitor accused government forces of shelling the market in Douma.", "shelling", Modality.CLAIMED),
        # negated: the act did not happen
        ("Police broke up the sit-in outside the governorate building. No arrests were made.", "arrests", Modality.DENIED),
        ("There were no clashes in the old quarter on Thursday, residents said.", "clashes", Modality.DENIED),
        ("No one was arrested during the march through the city centre on Friday.", "arrested", Modality.DENIED),
        ("The convoy reached the town without any fighting along the road.", "fighting", Modality.DENIED),
        ("The eastern suburbs have been spared the heavy shelling that hit the old city.", "shelling", Modality.DENIED),
        ("Local mediation averted a battle for the border crossing last month.", "battle", Modality.DENIED),
        # a negated subject of another verb leaves the trigger's act real
        ("Nobody was killed in the air strike on the bakery on Friday, the civil defence said.", "air strike", Modality.ASSERTED),
        ("No one was hurt after the protest in the main square on Friday.", "protest", Modality.ASSERTED),
        # habitual, the adverb on a noun trigger's verb
        ("Government jets and artillery routinely pound the rebel-held villages to the south.", "artillery", Modality.GENERIC),
        ("Shortness of breath and vomiting are signs commonly linked to chlorine exposure, doctors said.", "chlorine", Modality.GENERIC),
        # a present-tense general statement about the war, the trigger inside the subject
        ("Reports of gas attacks, especially with chlorine, are not uncommon in the besieged enclave.", "gas attacks", Modality.GENERIC),
        ("Barrel bombs are a common sight over the southern countryside of Idlib.", "Barrel bombs", Modality.GENERIC),
        # a cause named inside a plan or vow happened; the plan is about what follows it
        ("The president is seeking support for the strikes in response to the gas attack on Douma on Saturday.", "gas attack", Modality.ASSERTED),
        ("The ministers are preparing sanctions in retaliation for the shelling of the border post.", "shelling", Modality.ASSERTED),
        ("The request for authorization for military strikes against the government will dominate the session.", "strikes", Modality.HYPOTHETICAL),
        # deep inside an "if" clause
        ("If the rebels succeed in capturing the hill, a vote on the truce could follow on Friday.", "capturing", Modality.CONDITIONAL),
        # a bare kind as the subject of a present copula: a definition, not a report
        ("Sarin is an odourless nerve agent that kills within minutes.", "Sarin", Modality.GENERIC),
        ("Barrel bombs are crude weapons that fall without guidance, the report said on Monday.", "Barrel bombs", Modality.GENERIC),
        ("Heavy clashes are under way in the eastern suburbs, the monitor said.", "clashes", Modality.ASSERTED),
        ("Air strikes that killed 20 villagers on Monday are a war crime, the envoy said.", "Air strikes", Modality.ASSERTED),
        # the same copula in the past about one occurrence is news
        ("The gas attack on the clinic was the deadliest in the province this year, the monitor said.", "gas attack", Modality.ASSERTED),
    ],
)
def test_modality_from_syntax(bare_nlp, sentence, trigger, expected):
    assert _modality(bare_nlp, sentence, trigger) == expected


def test_background_time_makes_history(bare_nlp):
    got = _modality(bare_nlp, "The loss of the airbase in 2013 still haunts the army.", "loss of", background_time=True)
    assert got == Modality.HISTORICAL


def test_party_attribution_makes_claim(bare_nlp):
    got = _modality(bare_nlp, "Militants detonated a car bomb at the checkpoint, the group said.", "car bomb", attributed_is_claim=True)
    assert got == Modality.CLAIMED


def test_threatened_city_does_not_make_offensive_a_threat(bare_nlp):
    got = _modality(bare_nlp, "Jets struck the suburbs of Hama, the city threatened by the surprise offensive.", "offensive")
    assert got == Modality.ASSERTED


def test_an_ongoing_present_statement_without_a_time_is_generic(bare_nlp):
    sentence = "Armed groups continue to target civilians in the northern towns, the minister told reporters."
    assert _modality(bare_nlp, sentence, "target", has_time=False) == Modality.GENERIC
    # with a time it is news: "continued to shell the town on Monday"
    dated = "Armed groups continued to shell the northern towns on Monday, the minister told reporters."
    assert _modality(bare_nlp, dated, "shell", has_time=True) == Modality.ASSERTED
