"""Which place an event took: the extractor's choice among the places of its sentence (whole extractor, real KBs)."""

from __future__ import annotations

import pytest

from extraction import reported_mentions as _mentions


@pytest.mark.parametrize(
    ("text", "admin1"),
    [
        # commas lost in copying: the cited source's words run back over the place
        ("Five people were killed on Sunday when a mortar shell hit a school in the northern town of Tal Rifaat a monitor said.", "Aleppo"),
        ("Twelve civilians were killed in barrel bomb attacks on the town of Kafr Zita in northern Hama the Observatory said.", "Hama"),
        # a source placed in the province it reports on
        ("Activists in Deir ez-Zor province said on Monday that 14 civilians were killed in air strikes over the weekend.", "Deir ez Zor"),
    ],
)
def test_a_place_inside_the_cited_sources_words_still_places_the_event(nlp, extractor, text, admin1):
    mentions = _mentions(nlp, extractor, text)
    assert mentions and all(m.place is not None and m.place.admin1 == admin1 for m in mentions), [
        (m.trigger, m.place and m.place.name) for m in mentions
    ]


def test_where_people_came_from_is_not_where_they_were_hit(nlp, extractor):
    text = "A roadside bomb struck a bus carrying displaced families from Madaya and Zabadani as it stopped in Homs city on Monday killing four."
    mentions = _mentions(nlp, extractor, text)
    assert mentions and {m.place.admin1 for m in mentions if m.place} == {"Homs"}, [(m.trigger, m.place and m.place.name) for m in mentions]


def test_a_route_is_coded_at_its_start_not_its_destination(nlp, extractor):
    text = "Russian jets struck a convoy of militants fleeing from Tabqa towards Palmyra on Friday killing 30 of them."
    mentions = _mentions(nlp, extractor, text)
    assert mentions and mentions[0].place is not None and mentions[0].place.admin1 == "Ar Raqqa"


def test_a_killing_named_at_another_place_is_another_event(nlp, extractor):
    text = "At least 12 people were killed near Hama on Friday hours after an air strike on the town of Saraqib."
    mentions = _mentions(nlp, extractor, text)
    by_place = {m.place.admin1: m for m in mentions if m.place is not None}
    assert set(by_place) == {"Hama", "Idleb"}, [(m.trigger, m.place and m.place.name) for m in mentions]
    assert by_place["Hama"].fatalities == 12


def test_a_killing_in_a_strike_at_its_place_stays_one_event(nlp, extractor):
    mentions = _mentions(nlp, extractor, "Nine civilians were killed in Saraqib on Monday in air strikes on the town.")
    assert len(mentions) == 1 and mentions[0].place.name == "Saraqib"


def test_a_capital_standing_for_its_government_is_no_place(nlp, extractor):
    text = "Tehran pledged more help to their Damascus ally on Tuesday after jets struck the town of Saraqib killing nine civilians."
    mentions = _mentions(nlp, extractor, text)
    assert mentions and all(p.name != "Damascus" for m in mentions for p in [m.place, *m.places] if p)
    assert mentions[0].place.name == "Saraqib"


def test_a_name_inside_a_mosques_name_is_not_the_place(nlp, extractor):
    text = "A motorcycle bomb exploded outside the al-Hassan al-Midan Mosque on Friday killing three worshippers in Hama."
    mentions = _mentions(nlp, extractor, text)
    assert mentions and mentions[0].place is not None and mentions[0].place.admin1 == "Hama", [(m.trigger, m.place) for m in mentions]


def test_a_side_named_on_the_vehicle_that_acts_is_the_attacker(nlp, extractor):
    mentions = _mentions(nlp, extractor, "Syrian tanks shelled the town of Rastan on Tuesday killing three civilians.")
    assert mentions and mentions[0].actor1 is not None and mentions[0].actor1.actor_id == "syria-state-forces"
