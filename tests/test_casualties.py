"""Casualty figures on sentences of the kind Syrian war reports are made of."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sitrep.errors import KnowledgeError
from sitrep.extract.casualties import (
    PATTERNS_PATH,
    conservative_fatalities,
    extract_casualties,
    fatality_range,
    is_cumulative,
    is_subset,
    is_upper_bound,
    load_patterns,
    victims_are_civilian,
)
from sitrep.schema import Claim


def _deaths(sentence: str) -> list[Claim]:
    return [c for c in extract_casualties(sentence) if c.kind == "fatalities"]


def _one(sentence: str, kind: str = "fatalities") -> Claim:
    claims = [c for c in extract_casualties(sentence) if c.kind == kind]
    assert len(claims) == 1, claims
    return claims[0]


@pytest.mark.parametrize(
    ("sentence", "value", "victims", "qualifier"),
    [
        ("Barrel bombs hit the market in Maarat al-Numan, killing at least 31 civilians.", 31, "civilians", "at least"),
        ("Opposition sources said 10 rebels were killed in the assault on the checkpoint.", 10, "rebels", None),
        ("Three people died when a mortar round landed on their home in Jaramana.", 3, "people", None),
        ("Twelve soldiers were killed near the Kuweires airbase on Monday.", 12, "troops", None),
        ("Forty-two civilians were killed in the Russian raids on Ariha.", 42, "civilians", None),
        ("The jihadists said they executed 15 prisoners in the desert near Palmyra.", 15, "prisoners", None),
        ("Fourteen detainees were executed inside the prison, the monitor said.", 14, "prisoners", None),
        ("The monitor said the week-long siege of the camp had killed 1,200 in all.", 1200, None, None),
        ("The group claimed it killed 35 regime troops in the ambush near Morek.", 35, "troops", None),
        ("The air raid killed a dozen people at the bakery queue in Halfaya.", 12, "people", None),
        ("Regime shelling killed dozens of people in Douma on Tuesday.", 12, "people", "dozens"),
        ("Scores of fighters were killed in the battle for the hill.", 20, "fighters", "scores"),
        ("Tens of civilians died in the chlorine attack, medics said.", 10, "civilians", "tens"),
        ("The monitor put the death toll at 64 on Wednesday evening.", 64, None, None),
        ("The death toll from the car bomb in Azaz rose to 17.", 17, None, None),
        ("The monitor reported a higher figure of 48 fatalities from the strikes.", 48, None, None),
        ("More than 20 pro-government fighters were killed in the rebel counterattack.", 20, "troops", "more than"),
        ("Up to 30 people may have been killed in the blast at the depot.", 30, "people", "up to"),
        ("A Hezbollah commander was killed by a sniper near Zabadani.", 1, None, None),
        ("A regime soldier was killed by a landmine outside Deir ez-Zor.", 1, "troops", None),
        ("The army lost 9 soldiers when rebels stormed the hilltop.", 9, "troops", None),
    ],
)
def test_death_figures(sentence, value, victims, qualifier):
    c = _deaths(sentence)[0]
    assert c.value == value
    if victims is not None:
        assert c.victims == victims
    assert c.qualifier == qualifier
    assert c.claimant is None
    assert str(value) in c.text.replace(",", "") or c.text.split()[0].lower() in sentence.lower()


def test_span_points_into_the_article():
    article = "ALEPPO (Reuters) - Air strikes hit the city. Shelling killed 23 people in Bustan al-Qasr on Friday."
    start = article.index("Shelling")
    sentence = article[start:]
    c = _one(sentence)
    assert c.span is not None
    assert sentence[c.span.start : c.span.end] == c.text == "killed 23 people"
    moved = extract_casualties(sentence, offset=start)[0]
    assert article[moved.span.start : moved.span.end] == "killed 23 people"


def test_dozens_with_a_subset_of_children():
    s = "Warplanes pounded the town of Saraqeb, killing dozens of civilians as well as militants, including at least eight children."
    claims = _deaths(s)
    head = [c for c in claims if not is_subset(c)]
    part = [c for c in claims if is_subset(c)]
    assert [(c.value, c.victims, c.qualifier) for c in head] == [(12, "civilians", "dozens")]
    assert [(c.value, c.victims) for c in part] == [(8, "children")]
    assert part[0].qualifier == "including at least"
    assert conservative_fatalities(claims) == 12  # the eight children are among the twelve, not added


def test_total_with_subset_is_the_total():
    s = "Medics said at least 19 civilian fatalities were recorded in Khan Sheikhoun, including seven children."
    claims = _deaths(s)
    assert [(c.value, c.victims, is_subset(c)) for c in claims] == [(19, "civilians", False), (7, "children", True)]
    assert conservative_fatalities(claims) == 19


def test_family_members_are_civilians():
    claims = _deaths("Six members of one family, including three children, died when the barrel bomb hit their house.")
    assert [(c.value, c.victims, is_subset(c)) for c in claims] == [(6, "civilians", False), (3, "children", True)]


def test_parenthetical_subset_inside_the_total():
    s = "Nine people, among them two women, were killed when the shell hit the clinic."
    claims = _deaths(s)
    assert [(c.value, is_subset(c)) for c in claims] == [(9, False), (2, True)]
    assert claims[1].victims == "women"


def test_part_of_the_dead_is_a_subset():
    c = _one("Three of the dead were members of the same family, residents said.")
    assert c.value == 3 and is_subset(c)
    assert conservative_fatalities([c]) is None


def test_casualties_without_death_words_are_only_an_upper_bound():
    s = "Rescuers said total civilian casualties in Idlib and Hama had reached 44, including 15 children."
    claims = extract_casualties(s)
    total = [c for c in claims if not is_subset(c)][0]
    assert total.kind == "fatalities" and total.value is None and total.high == 44 and total.low == 0
    assert total.qualifier == "casualties"
    assert "Idlib and Hama" in total.text  # the scope travels with the figure
    assert total.victims == "civilians"
    assert is_upper_bound(total)
    assert conservative_fatalities(claims) is None
    assert fatality_range(claims) == (0, None, 44)


def test_casualties_that_the_sentence_calls_deaths():
    c = _one("The casualties of the massacre reached 30 dead, the monitor said.")
    assert c.value == 30 and c.qualifier is None
    t = _one("The civilian death toll from the shelling of Jisr al-Shughur rose to 14.")
    assert (t.value, t.victims) == (14, "civilians")


def test_killed_and_wounded_in_one_sentence():
    s = "The strike on the field hospital killed eleven people and wounded 26 more."
    dead, hurt = _one(s), _one(s, "injuries")
    assert (dead.value, dead.victims) == (11, "people")
    assert hurt.value == 26
    s2 = "Four soldiers were killed and nine wounded when the convoy hit a mine."
    assert _one(s2).value == 4 and _one(s2).victims == "troops"
    assert _one(s2, "injuries").value == 9


def test_killed_or_captured_is_not_a_death_toll():
    s = "Rebels overran the post and killed or captured dozens of regime soldiers on Friday."
    c = _one(s)
    assert c.value is None and c.low == 0 and c.high == 12
    assert c.qualifier == "killed or captured dozens"
    assert conservative_fatalities([c]) is None


def test_killed_or_wounded_is_not_a_death_toll():
    c = _one("State television said scores of terrorists were either killed or wounded in the raids.")
    assert c.value is None and c.high == 20 and c.qualifier.startswith("killed or wounded")
    assert c.victims == "militants"


def test_no_reported_casualties_is_zero():
    c = _one("Jets bombed the Islamic State headquarters in Raqqa but there were no reported casualties.")
    assert c.value == 0
    assert conservative_fatalities([c]) == 0


def test_ranges():
    c = _one("Between 15 and 20 people were killed in the clashes near Tal Rifaat.")
    assert (c.value, c.low, c.high, c.qualifier) == (15, 15, 20, "between")
    c2 = _one("Activists said 30-40 fighters died in the tunnel explosion.")
    assert (c2.low, c2.high) == (30, 40)
    assert fatality_range([c2]) == (30, 30, 40)


def test_cumulative_war_toll_is_flagged():
    s = "The conflict between the rebels and the jihadists has killed more than 5,000 people since it erupted in January."
    c = _one(s)
    assert c.value == 5000 and is_cumulative(c)
    assert conservative_fatalities([c]) is None
    s2 = "The siege has killed 800 civilians since the start of the year, the group said."
    assert is_cumulative(_one(s2))
    assert is_cumulative(_one("The UN says more than 250,000 people have been killed in the war."))
    assert is_cumulative(_one("The monitor says 12,000 people have been killed."))  # no one event is that large


@pytest.mark.parametrize(
    "sentence",
    [
        "Security forces detained 1,000 women at checkpoints around Homs.",
        "Some 40,000 Syrians have fled to the Turkish border since the offensive began.",
        "The group imposed a 12-hour curfew on the city on Sunday night.",
        "Both sides have massed thousands of fighters around the town.",
        "The convoy of 25 trucks reached the besieged town of Madaya.",
        "Rebels fired 40 rockets at the airbase on 12 March 2016.",
        "The bodies were taken to 3 hospitals in the city.",
        "The Observatory said the battle was one of the deadliest of 2014.",
        "The offensive began on 2015-04-22 after a week of shelling.",
        "He was killed in 2013 at the age of 40.",
    ],
)
def test_numbers_that_are_not_deaths(sentence):
    assert extract_casualties(sentence) == []


def test_two_groups_of_victims_in_one_report_add_up():
    s = "The ambush killed 6 soldiers and 4 rebels, a local source said."
    claims = _deaths(s)
    assert [(c.value, c.victims) for c in claims] == [(6, "troops"), (4, "rebels")]
    assert conservative_fatalities(claims) == 10


def test_different_claimants_are_alternatives_not_sums():
    a = _one("Rescuers reported at least 25 civilian deaths in the weekend strikes.").model_copy(update={"claimant": "White Helmets"})
    b = _one("The monitor counted 71 fatalities from the weekend strikes.").model_copy(update={"claimant": "SOHR"})
    c = _one("State media said 3 people were killed in the strikes.").model_copy(update={"claimant": "SANA"})
    assert conservative_fatalities([a, b, c]) == 3
    assert fatality_range([a, b, c]) == (3, 25, 71)


def test_zero_does_not_undercut_a_positive_figure():
    zero = _one("The army said there were no casualties among its troops.").model_copy(update={"claimant": "army"})
    seven = _one("Activists said seven soldiers were killed.").model_copy(update={"claimant": "activists"})
    assert conservative_fatalities([zero, seven]) == 7


def test_no_figures_gives_none():
    assert conservative_fatalities([]) is None
    assert fatality_range([]) == (None, None, None)


def test_victim_categories_say_who_is_civilian():
    assert victims_are_civilian("children") is True
    assert victims_are_civilian("troops") is False
    assert victims_are_civilian("people") is None
    assert victims_are_civilian(None) is None


def test_bad_pattern_file_raises_knowledge_error(tmp_path: Path):
    good = yaml.safe_load(PATTERNS_PATH.read_text(encoding="utf-8"))
    good["vague"][0]["value"] = "twelve"
    bad = tmp_path / "casualty_patterns.yaml"
    bad.write_text(yaml.safe_dump(good), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_patterns(bad)
    assert "vague.0.value" in str(err.value) and str(bad) in str(err.value)


def test_seed_articles_yield_figures(seeds_dir):
    """Every seed article that talks of deaths gives at least one fatality figure."""
    found = 0
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sentences = [s for s in text.replace("\n", " ").split(". ") if "killed" in s or "fatalities" in s]
        if sentences:
            found += any(c.kind == "fatalities" for s in sentences for c in extract_casualties(s))
    assert found >= 2


@pytest.mark.parametrize(
    ("sentence", "total", "part"),
    [
        ("At least 11 civilians including three children were killed in barrel bomb attacks on Sunday.", 11, 3),
        ("Twenty people including four children were killed on Friday.", 20, 4),
        ("Five rebels among them two commanders died in the clashes near the town.", 5, 2),
    ],
)
def test_a_part_without_commas_keeps_the_total(sentence, total, part):
    """Wire copy that lost its commas: '11 civilians including three children were killed'."""
    claims = _deaths(sentence)
    top = [c for c in claims if not is_subset(c)]
    parts = [c for c in claims if is_subset(c)]
    assert [c.value for c in top] == [total]
    assert [c.value for c in parts] == [part]
    assert conservative_fatalities(claims) == total


def test_without_commas_the_word_after_a_figure_is_its_own():
    """'Two children killed 5 others injured': five are wounded, not dead (commas lost in wire copy)."""
    claims = extract_casualties("Two children killed 5 others injured in a rocket attack on the Midan district on Tuesday.")
    assert [(c.kind, c.value) for c in claims] == [("fatalities", 2), ("injuries", 5)]
    assert conservative_fatalities(claims) == 2


@pytest.mark.parametrize(
    ("sentence", "value", "victims"),
    [
        # title case, an organisation named after the victims
        ("Nine Members of Jund al-Aqsa Killed in Army Raid Near Morek", 9, "fighters"),
        ("Three crew members died when the transport helicopter came down near the airbase.", 3, "troops"),
        ("Two pilots were killed when their jet crashed during a sortie over the desert.", 2, "troops"),
        ("Six rescue workers were killed in a second strike on the same street.", 6, "civilians"),
        ("Four citizens were martyred when a shell hit their car in Jaramana.", 4, "civilians"),
        ("A girl was killed when the mortar round landed near her school.", 1, "children"),
        # a part between dashes or without commas is not the total
        ("The bombardment left 19 civilians - among them seven children - dead according to medics.", 19, "civilians"),
        ("A raid in which 27 civilians mostly pupils and teachers were killed drew condemnation.", 27, "civilians"),
        # phrases that make a figure a toll
        ("The shell led to the killing of two people and wounded eleven others.", 2, "people"),
        ("A strike on the bakery claimed lives of eight civilians on Friday.", 8, "civilians"),
        ("A total of 14 gunmen were killed during the operation in the hills.", 14, "militants"),
        ("The death toll from the double bombing at the bus station rises to 41.", 41, None),
        ("Troops ambushed the convoy east of the town killing 16 of them.", 16, None),
    ],
)
def test_more_ways_news_gives_a_death_toll(sentence, value, victims):
    claims = [c for c in _deaths(sentence) if not is_subset(c)]
    assert [(c.value, c.victims) for c in claims] == [(value, victims)], claims


def test_a_verb_before_the_next_figure_is_that_figures():
    # headline style without commas: "Kills 3 Wounds 20"
    claims = extract_casualties("Rebel Rocket Fire on Old Quarter Kills 4 Wounds 19")
    assert [(c.kind, c.value) for c in claims] == [("fatalities", 4), ("injuries", 19)]
    # the word after a figure is still its own when no figure follows it
    claims = extract_casualties("Two children killed 5 others injured in rocket fire on the district")
    assert [(c.kind, c.value) for c in claims] == [("fatalities", 2), ("injuries", 5)]


@pytest.mark.parametrize(
    ("sentence", "figures"),
    [
        ("Four soldiers and two civilians were killed when the rocket hit the checkpoint.", [(4, "troops"), (2, "civilians")]),
        ("At least 30 militants and three civilians died in the fighting for the hill.", [(30, "militants"), (3, "civilians")]),
        # wire copy without commas
        ("12 Civilians 7 Soldiers Killed in Rebel Shelling on Old Quarter", [(12, "civilians"), (7, "troops")]),
        # a figure that is not coordinated keeps to itself
        ("Nine civilians were killed, 14 people were wounded in the shelling.", [(9, "civilians")]),
    ],
)
def test_a_figure_coordinated_before_the_verb_shares_it(sentence, figures):
    assert [(c.value, c.victims) for c in _deaths(sentence)] == figures


def test_a_headline_death_toll_without_a_verb():
    assert [(c.value, c.qualifier) for c in _deaths("Death toll from Idlib market bombing at least 57")] == [(57, "at least")]
    assert _deaths("The death toll from the bombing in Idlib in 2015 was never published.") == []
