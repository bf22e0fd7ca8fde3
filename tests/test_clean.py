"""Cleaning: boilerplate, hard wraps, run-ons, headlines, datelines and the offset map."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from sitrep.errors import KnowledgeError
from sitrep.ingest.clean import DEFAULT_PATH, clean, load_boilerplate, parse_rules
from sitrep.ingest.dateline import date_only_line, inline_dateline

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "samples" / "seeds"

BODY = (
    "Rebel fighters shelled the government-held district of Hamdaniya in western Aleppo on Sunday, "
    "killing three civilians, the state news agency said.\n\n"
    "A monitoring group said the shells were fired from the Ramouseh area, where fighting has raged "
    "for a week."
)


def assert_offsets_exact(raw: str, cleaned) -> int:
    """Every mapped character of the cleaned text is the same character in raw."""
    mapped = 0
    for i, ch in enumerate(cleaned.text):
        pos = cleaned.offsets.to_raw(i)
        if pos is None:
            assert ch.isspace(), f"unmapped non-space {ch!r} at {i}"
            continue
        assert raw[pos] == ch, f"text[{i}]={ch!r} but raw[{pos}]={raw[pos]!r}"
        mapped += 1
    return mapped


# --------------------------------------------------------------------------- offsets


def _raw_texts() -> list[tuple[str, str]]:
    found = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.txt")) + sorted(FIXTURES.glob("*.md"))]
    if SEEDS.is_dir():
        found += [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    return found


@pytest.mark.parametrize(("name", "raw"), _raw_texts(), ids=[n for n, _ in _raw_texts()])
def test_offset_map_is_exact_for_every_character(name: str, raw: str) -> None:
    cleaned = clean(raw)
    mapped = assert_offsets_exact(raw, cleaned)
    # Nearly everything is copied, not invented: only joins and breaks are inserted.
    assert mapped >= 0.95 * len(cleaned.text.replace("\n", "").replace(" ", "")), name
    # Spans map back as a whole: the first sentence of the body is found verbatim in raw.
    first = cleaned.text.split(". ")[0]
    span = cleaned.offsets.span_to_raw(0, len(first.split()[0]))
    assert span is not None and raw[span[0] : span[1]] == first.split()[0]


def test_nbsp_and_runs_of_spaces_collapse_but_stay_mapped() -> None:
    raw = "Syrian\u00a0troops   entered  the town of Deir Hafer on Monday,\u00a0 a military source said."
    cleaned = clean(raw)
    assert cleaned.text == "Syrian troops entered the town of Deir Hafer on Monday, a military source said."
    assert_offsets_exact(raw, cleaned)
    # The NBSP alone has no plain space to map to; the "\u00a0 " run maps to its real space.
    assert cleaned.offsets.to_raw(6) is None
    comma = cleaned.text.index(",")
    assert raw[cleaned.offsets.to_raw(comma + 1)] == " "


# --------------------------------------------------------------------------- boilerplate


@pytest.mark.parametrize(
    "junk",
    [
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Post a Comment",
        "No comments:",
        "eighteen − 5 =",
        "3 + four =",
        "Join our Weekly Newsletter",
        "For the latest news follow us on Twitter",
        "Donate today",
        "Become a supporter",
        "You've Raised:£ 9,899",
        "12 Days remaining",
        "Related Items",
        "Source link",
        "Skip to main content",
        "Home > Syria > Aleppo",
        "Adjust font size:",
        "Print | E-mail | Share",
        "Fighters gather on the outskirts of Maarat al-Numan. File photo",
        "by Our Foreign Desk",
        "Endit",
        "(Reporting by Omar Haddad; Editing by Sara Lund)",
        "Enditem",
        "Posted by Ghouta Monitor staff",
        "Orontes Observer | Hama desk",
        "Share on: Facebook | X | Telegram",
        "Read also: Army reinforcements reach Morek",
        "Adjust font size: A- A A+",
        "We take no money from any party. Donate now and keep us reporting.",
        "By Hana Khoury, Gaziantep",
    ],
)
def test_boilerplate_line_is_removed(junk: str) -> None:
    raw = BODY + "\n\n" + junk + "\n"
    cleaned = clean(raw)
    assert junk not in cleaned.text
    assert cleaned.text == BODY
    assert cleaned.removed_lines == 1


def test_comment_section_with_captcha_is_cut_from_the_end() -> None:
    raw = (
        BODY
        + "\n\nLeave a Reply\n\nYour email address will not be published.\n\nComment\n\nName *\n\nEmail *\n\n"
        + "Save my name, email, and website in this browser for the next time I comment.\n\nseven + 2 =\n"
    )
    cleaned = clean(raw)
    assert cleaned.text == BODY
    assert cleaned.removed_lines == 7


@pytest.mark.parametrize(
    "sentence",
    [
        "Rebels said they would leave a reply to the ultimatum until the talks in Astana were over.",
        "Activists urged residents to follow us on Twitter-style channels, the council said in a leaflet.",
        "The group said it would donate today's bread deliveries to displaced families in Atmeh.",
        "Three people were killed by shrapnel near the Source link road junction, the monitor said.",
        "by government forces, who then withdrew toward the airport.",
    ],
)
def test_real_sentences_that_contain_widget_words_stay(sentence: str) -> None:
    raw = BODY + "\n\n" + sentence
    assert sentence in clean(raw).text


def test_continuation_line_is_never_taken_for_a_byline() -> None:
    raw = (
        "Dozens of families fled the village of Tal Abyad after it was taken\n"
        "by Kurdish-led forces.\n"
        "The monitor said the fighting had ended by nightfall on Tuesday.\n"
    )
    cleaned = clean(raw)
    assert "taken by Kurdish-led forces." in cleaned.text


def test_adjust_font_size_glued_to_dateline_is_removed_and_date_kept() -> None:
    raw = "Army shells rebel positions in Daraa\nXinhua, June 2, 2017 Adjust font size:\n" + BODY
    cleaned = clean(raw)
    assert cleaned.title == "Army shells rebel positions in Daraa"
    assert cleaned.dateline == date(2017, 6, 2)
    assert "Adjust" not in cleaned.text and "Xinhua" not in cleaned.text
    assert cleaned.text.startswith("Rebel fighters shelled")


def test_endit_glued_to_last_sentence_is_cut() -> None:
    raw = BODY + " Endit"
    cleaned = clean(raw)
    assert cleaned.text == BODY
    assert_offsets_exact(raw, cleaned)


def test_short_widget_lines_are_dropped_but_short_sentences_stay() -> None:
    raw = "Rebels storm army post in Qalamoun\n\nQalamoun Post\n\n" + BODY + "\n\nNo one was hurt.\n\nFighting fund\n"
    cleaned = clean(raw)
    assert "Qalamoun Post" not in cleaned.text
    assert "Fighting fund" not in cleaned.text
    assert cleaned.text.endswith("No one was hurt.")


# --------------------------------------------------------------------------- wraps and run-ons


def test_hard_wrapped_lines_are_rejoined_into_paragraphs() -> None:
    raw = (FIXTURES / "hama_wire_hardwrapped.txt").read_text(encoding="utf-8")
    cleaned = clean(raw)
    paragraphs = cleaned.text.split("\n\n")
    assert len(paragraphs) == 4
    assert all("\n" not in p for p in paragraphs)
    assert "overlooking the town of Kafr Zita, a war monitor" in cleaned.text
    assert "a pro-government checkpoint" in cleaned.text  # word broken at its hyphen
    assert paragraphs[1].endswith("Rescue workers said the toll could rise.")


def test_one_paragraph_per_line_is_kept_as_paragraphs() -> None:
    raw = (FIXTURES / "sweida_detainees.txt").read_text(encoding="utf-8")
    cleaned = clean(raw)
    assert len(cleaned.text.split("\n\n")) == 4
    assert "Reporting by" not in cleaned.text
    assert cleaned.dateline == date(2020, 6, 9)


def test_a_short_heading_in_a_line_per_paragraph_text_is_not_glued_to_the_next_line() -> None:
    raw = "Fighting flares in Idlib\nThe army shelled Kafranbel on Monday.\nRebels hit back at Jurin on Tuesday.\n"
    cleaned = clean(raw)
    assert cleaned.title == "Fighting flares in Idlib"
    assert cleaned.text == "The army shelled Kafranbel on Monday.\n\nRebels hit back at Jurin on Tuesday."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("the positions were overrun.In eastern Syria, jets struck.", "the positions were overrun. In eastern Syria, jets struck."),
        ("the army said.“We will not stop,” he added.", "the army said. “We will not stop,” he added."),
        ("the death toll rose to 32.Rescuers were still digging.", "the death toll rose to 32. Rescuers were still digging."),
        ("a U.S.-led coalition struck U.S.Army targets", "a U.S.-led coalition struck U.S.Army targets"),
        ("a 3.5 km front line and 1.2 million people", "a 3.5 km front line and 1.2 million people"),
        ("see www.syriahr.Com for details", "see www.syriahr.Com for details"),
        ("Lt.Col. Ahmed said", "Lt.Col. Ahmed said"),
    ],
)
def test_run_on_sentences_are_split_only_at_real_sentence_ends(raw: str, expected: str) -> None:
    cleaned = clean(raw)
    assert cleaned.text == expected
    assert_offsets_exact(raw, cleaned)


# --------------------------------------------------------------------------- headline


def test_headline_is_kept_apart_from_the_body() -> None:
    raw = "Regime barrel bombs hit Daraya as truce talks falter\n\n" + BODY
    cleaned = clean(raw)
    assert cleaned.title == "Regime barrel bombs hit Daraya as truce talks falter"
    assert cleaned.text == BODY
    assert cleaned.title_raw_start == 0


def test_wrapped_first_sentence_is_not_a_headline() -> None:
    raw = (
        "Government forces recaptured the town of Khan Shaykhun in southern Idlib\n"
        "on Wednesday after a three-week offensive, the monitor said.\n"
        "Rebels said they had withdrawn to avoid being encircled.\n"
    )
    cleaned = clean(raw)
    assert cleaned.title == ""
    assert cleaned.text.startswith("Government forces recaptured the town of Khan Shaykhun in southern Idlib on Wednesday")


def test_title_hint_removes_a_repeated_headline_even_without_detection() -> None:
    raw = "Rebels shell Hama military airbase for second day\n\n" + BODY
    cleaned = clean(raw, title_hint="Rebels shell Hama military airbase for second day", detect_title=False)
    assert cleaned.text == BODY
    assert cleaned.title == "Rebels shell Hama military airbase for second day"
    # Without the hint and without detection, the line stays in the body.
    assert clean(raw, detect_title=False).text.startswith("Rebels shell Hama military airbase for second day\n\n")


def test_single_sentence_is_body_not_title() -> None:
    cleaned = clean("Jets struck Saraqeb on Friday")
    assert cleaned.title == ""
    assert cleaned.text == "Jets struck Saraqeb on Friday"


# --------------------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Xinhua, September 3, 2015", date(2015, 9, 3)),
        ("Wed 05 Apr 2017", date(2017, 4, 5)),
        ("Published: 12/03/2016", date(2016, 12, 3)),
        ("Posted on March 3rd, 2016 at 10:45 am", date(2016, 3, 3)),
        ("Updated: 2019-05-02 14:00 GMT", date(2019, 5, 2)),
        ("Aleppo – Syrian rebels attacked the airport", None),
        ("The attack on March 3, 2015 killed four", None),
        ("yesterday", None),
    ],
)
def test_date_only_lines(line: str, expected: date | None) -> None:
    assert date_only_line(line) == expected


@pytest.mark.parametrize(
    ("para", "expected"),
    [
        ("BEIRUT, March 3, 2016 (Reuters) - Syrian jets bombed", date(2016, 3, 3)),
        ("Damascus, Nov. 12, 2014 (Xinhua) -- Mortar shells", date(2014, 11, 12)),
        ("BEIRUT, March 3 (Reuters) - Syrian jets bombed", None),  # no year: no guess
        ("Aleppo – Syrian Islamist rebels launched", None),
    ],
)
def test_inline_datelines(para: str, expected: date | None) -> None:
    assert inline_dateline(para) == expected


def test_wire_dateline_in_body_gives_the_date_and_stays_in_text() -> None:
    raw = (FIXTURES / "hama_wire_hardwrapped.txt").read_text(encoding="utf-8")
    cleaned = clean(raw)
    assert cleaned.dateline == date(2016, 5, 14)
    assert cleaned.text.startswith("HAMA, Syria, May 14, 2016 (Orontes Wire) - Syrian government troops")


# --------------------------------------------------------------------------- the data file


def test_boilerplate_file_loads_with_named_tables() -> None:
    rules = load_boilerplate()
    names = {t.name for t in rules.tables}
    assert {"comment_forms", "captcha", "end_markers", "glued_suffixes", "captions", "bylines"} <= names
    assert rules.line_match("Leave a Reply") == ("end_markers", "tail")
    assert rules.line_match("The army said it would leave a reply to the ultimatum.") is None


def _bad(tables: dict) -> dict:
    return {"version": 1, "tables": tables}


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (_bad({"captcha": {"kind": "line", "patterns": ["(unclosed"]}}), "captcha"),
        (_bad({"navigation": {"kind": "sideways", "patterns": ["menu"]}}), "navigation"),
        (_bad({"bylines": {"kind": "line", "patterns": []}}), "bylines"),
        (_bad({}), "no tables"),
        ({"tables": {"x": {"kind": "line", "patterns": ["a"]}}}, "version"),
    ],
)
def test_bad_boilerplate_file_raises_knowledge_error_naming_the_table(data: dict, needle: str, tmp_path: Path) -> None:
    path = tmp_path / "boilerplate.yaml"
    with pytest.raises(KnowledgeError) as err:
        parse_rules(data, path)
    assert needle in str(err.value)
    assert str(path) in str(err.value)


def test_bad_yaml_on_disk_raises_knowledge_error(tmp_path: Path) -> None:
    path = tmp_path / "boilerplate.yaml"
    path.write_text("version: 1\ntables: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_boilerplate(path)


def test_shipped_file_round_trips_through_the_validator() -> None:
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    rules = parse_rules(data, DEFAULT_PATH)
    assert len(rules.tables) == len(data["tables"])


def test_wrapped_lines_that_look_like_widgets_stay_inside_their_sentence() -> None:
    raw = (
        "Rebels shelled the airport road in Deir ez-Zor, the army said on\n"
        "March 3, 2016\n"
        "in a statement broadcast by state television. The shells hit a\n"
        "bakery and a school, killing four\n"
        "people. Dozens of residents fled towards\n"
        "Home\n"
        "Ayyash, a village west of the city, activists said.\n"
    )
    cleaned = clean(raw)
    assert "the army said on March 3, 2016 in a statement" in cleaned.text
    assert "fled towards Home Ayyash, a village" in cleaned.text
    assert cleaned.removed_lines == 0
    assert_offsets_exact(raw, cleaned)


# --------------------------------------------------------------------------- glued tag / related lists

ONE_LINE_TAGS = (
    "Date of publication 3 March 2019 Government helicopters dropped barrel bombs on a market "
    "town in southern Idlib killing seven civilians rescuers said. Tags Syria Idlib Maarat "
    "al-Numan barrel bombs White Helmets Hayat Tahrir al-Sham Russia A helicopter dropped two "
    "barrel bombs on the main market of the town on Sunday morning the civil defence said. The "
    "dead included two children."
)


def test_tag_list_glued_inside_a_one_line_article_is_cut_and_the_body_kept() -> None:
    cleaned = clean(ONE_LINE_TAGS)
    assert "Tags" not in cleaned.text
    assert "Hayat Tahrir al-Sham" not in cleaned.text and "White Helmets" not in cleaned.text
    assert "killing seven civilians rescuers said. A helicopter dropped two barrel bombs" in cleaned.text
    assert cleaned.text.endswith("The dead included two children.")
    assert_offsets_exact(ONE_LINE_TAGS, cleaned)


def test_tag_list_ends_where_a_sentence_with_a_past_tense_verb_starts() -> None:
    raw = (
        "Fighting flared again around the city. Tags Hasakeh Kurdish YPG Syrian army Syrian army "
        "tanks shelled Kurdish positions in the south of the city on Sunday a monitor said."
    )
    cleaned = clean(raw)
    assert cleaned.text == (
        "Fighting flared again around the city. Syrian army tanks shelled Kurdish positions in the "
        "south of the city on Sunday a monitor said."
    )
    assert_offsets_exact(raw, cleaned)


def test_related_headlines_after_a_share_widget_are_cut() -> None:
    raw = (
        "AFP Monday 4 Sep 2017 Car bomb kills nine at Hama checkpoint Print Tweet Views 912 "
        "Related Jordan reopens border crossing Opposition meets in Riyadh ahead of talks UN envoy "
        "hopeful on Geneva round A car bomb killed nine people at an army checkpoint near Hama on "
        "Monday the state news agency said."
    )
    cleaned = clean(raw)
    assert "Print Tweet" not in cleaned.text and "Riyadh" not in cleaned.text and "Jordan" not in cleaned.text
    assert "A car bomb killed nine people at an army checkpoint near Hama" in cleaned.text
    assert_offsets_exact(raw, cleaned)


def test_related_list_and_tags_glued_after_the_last_sentence_are_cut() -> None:
    raw = (
        "Two soldiers were killed when a roadside bomb hit their patrol near Deraa the army said. "
        "No group has claimed the attack. Related Blast Hits Bus In Homs - Reports Army Retakes "
        "Hills Near Palmyra Tags bombing Syria Deraa Comment via Facebook"
    )
    cleaned = clean(raw)
    assert cleaned.text.endswith("No group has claimed the attack.")
    assert_offsets_exact(raw, cleaned)


@pytest.mark.parametrize(
    "raw",
    [
        # prose uses of the words stay: lowercase, mid-sentence, or no sentence start after them
        "Soldiers checked the tags on every crate at the crossing. Officials said the trucks were released.",
        "The two attacks were related to the feud over the checkpoint the monitor said.",
        "Tags were tied to the bodies before they were buried in the town cemetery on Monday.",
    ],
)
def test_prose_mentioning_tags_or_related_is_not_cut(raw: str) -> None:
    assert clean(raw).text == raw


# --------------------------------------------------------------------------- glued photo credits / share counters


def test_photo_credit_and_related_headline_glued_mid_line_are_cut() -> None:
    raw = (
        "Jets struck positions east of the river on Monday, the ministry said. AP Photo Jane Roe "
        "Over 30 Militants Killed in Clashes Near Palmyra \"Over the past day the air force hit "
        "two depots,\" the spokesman said."
    )
    cleaned = clean(raw)
    assert "AP Photo" not in cleaned.text and "Palmyra" not in cleaned.text
    assert 'the ministry said. "Over the past day the air force hit two depots,"' in cleaned.text
    assert_offsets_exact(raw, cleaned)


def test_photo_credit_cut_stops_at_an_agency_dateline() -> None:
    raw = (
        "Two soldiers were wounded in the blast. Sputnik John Doe Rebels Shell Town in Hama Province "
        "BEIRUT (Sputnik) The army has repelled an attack near the town, a source said."
    )
    cleaned = clean(raw)
    assert cleaned.text == (
        "Two soldiers were wounded in the blast. BEIRUT (Sputnik) The army has repelled an attack near the town, a source said."
    )
    assert_offsets_exact(raw, cleaned)


def test_short_url_share_counter_is_cut() -> None:
    raw = "Middle East 05.06.2016Get short URL 0 0 12 Nine fighters were killed in an ambush near Homs on Sunday."
    cleaned = clean(raw)
    assert "short URL" not in cleaned.text and " 0 0 12" not in cleaned.text
    assert cleaned.text.endswith("05.06.2016 Nine fighters were killed in an ambush near Homs on Sunday.")
    assert_offsets_exact(raw, cleaned)


@pytest.mark.parametrize(
    "raw",
    [
        "Rebels attacked the base. Sputnik reported that Syrian troops had repelled the attack.",
        "Rebels attacked the base. Reuters Photo Journalists Were Among The Crowd in Homs.",
    ],
)
def test_agency_names_in_prose_are_not_cut(raw: str) -> None:
    assert clean(raw).text == raw
