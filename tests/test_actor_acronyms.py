"""Acronyms that are also English words ('IS', 'US') found as written, on their own."""

from __future__ import annotations

import pytest

from sitrep.nlp.components import ACTORS


def _actors(nlp, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    return [(s.text, s.label_) for s in doc.spans[ACTORS]]


@pytest.mark.parametrize(
    "text",
    [
        "IS claimed the bombing in a statement on its Amaq news agency.",
        "An IS car bomb killed nine people at a checkpoint south of the city.",
        "The town was retaken from IS in March.",
    ],
)
def test_bare_is_is_the_islamic_state(nlp, text: str) -> None:
    assert ("IS", "islamic-state") in _actors(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "Is the ceasefire holding? Residents of the town doubt it.",
        "WHAT IS LEFT OF THE OLD CITY AFTER FIVE YEARS OF WAR",
        "The situation is dire, a doctor said.",
    ],
)
def test_the_word_is_is_no_actor(nlp, text: str) -> None:
    assert not [a for a in _actors(nlp, text) if a[1] == "islamic-state"]


def test_a_states_acronym_alone_is_the_state_speaking_not_its_forces(nlp) -> None:
    found = _actors(nlp, "Residents braced for a possible US attack as the US said it had evidence.")
    assert all(text != "US" for text, _ in found)
    assert ("US warplanes", "us-forces") in _actors(nlp, "US warplanes struck the town of Manbij on Monday.") or any(
        text == "US warplanes" for text, _ in _actors(nlp, "US warplanes struck the town of Manbij on Monday.")
    )
