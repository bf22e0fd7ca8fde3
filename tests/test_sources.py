"""Source knowledge base: outlets and claimants inside real-looking attribution phrases."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.errors import KnowledgeError
from sitrep.resolve.sources import SOURCES_PATH, SourceKB, default_source_kb, source_scale
from sitrep.schema import SourceType

T = SourceType


@pytest.fixture(scope="module")
def kb() -> SourceKB:
    return default_source_kb()


def phrase(sentence: str, words: str) -> str:
    start = sentence.index(words)
    return sentence[start : start + len(words)]


REPORT = (
    "At least 23 people were killed, the Britain-based Syrian Observatory for Human Rights said, "
    "while Syria's state SANA news agency blamed 'terrorists' and the White Helmets put the toll at 31."
)


@pytest.mark.parametrize(
    ("words", "name", "kind"),
    [
        ("the Britain-based Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights", T.MONITOR),
        ("Syria's state SANA news agency", "SANA", T.STATE_MEDIA),
        ("the White Helmets", "Syria Civil Defence", T.MONITOR),
    ],
)
def test_claimants_in_a_report(kb: SourceKB, words: str, name: str, kind: SourceType) -> None:
    assert kb.classify(phrase(REPORT, words)) == (name, kind)


@pytest.mark.parametrize(
    ("text", "source_id"),
    [
        ("SOHR", "sohr"),
        ("the Observatory", "sohr"),
        ("the UK-based war monitor", "sohr"),
        ("Rami Abdel-Rahman, the Observatory's director", "sohr"),
        ("Syrian state television", "sana"),
        ("state TV", "sana"),
        ("Al-Ikhbariya", "sana"),
        ("Syria Civil Defence", "white-helmets"),
        ("the civil defense force", "white-helmets"),
        ("Syrian Network for Human Rights", "snhr"),
        ("the Violations Documentation Center", "vdc"),
        ("the UN Office for the Coordination of Humanitarian Affairs", "ocha"),
        ("Turkey's state-run Anadolu Agency", "anadolu"),
        ("Agence France-Presse", "afp"),
        ("The Associated Press", "ap"),
        ("China's Xinhua news agency", "xinhua"),
        ("Al Mayadeen TV", "al-mayadeen"),
        ("Hezbollah's Al-Manar television", "al-manar"),
        ("Russia Today", "rt"),
        ("Enab Baladi", "enab-baladi"),
        ("the Kurdish Hawar news agency (ANHA)", "hawar"),
        ("Kurdistan 24", "kurdistan24"),
        ("the Islamic State's Amaq news agency", "amaq"),
        ("HTS-affiliated Ebaa agency", "ebaa"),
        ("the Syrian National Coalition", "etilaf"),
        ("www.enabbaladi.net", "enab-baladi"),
        ("https://www.reuters.com/world/middle-east/x", "reuters"),
        ("Syrian Observatory for Human Right", "sohr"),
    ],
)
def test_outlet_aliases(kb: SourceKB, text: str, source_id: str) -> None:
    src = kb.match(text)
    assert src is not None and src.id == source_id


def test_contextual_aliases_only_match_whole_phrases(kb: SourceKB) -> None:
    # 'state TV' alone is Syria's; inside 'Iranian state TV' it is not
    assert kb.match("Iranian state TV") is None
    assert kb.classify("Iranian state TV") == ("Iranian state TV", T.STATE_MEDIA)
    assert kb.match("an independent monitor") is None
    assert kb.match("The Guardian").id == "guardian"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("the group said", T.PARTY),
        ("insurgents", T.PARTY),
        ("the army command", T.PARTY),
        ("a military source", T.PARTY),
        ("a rebel commander", T.PARTY),
        ("Hayat Tahrir al-Sham", T.PARTY),
        ("the Syrian Democratic Forces", T.PARTY),
        ("activists", T.ACTIVISTS),
        ("residents", T.ACTIVISTS),
        ("local sources", T.ACTIVISTS),
        ("pro-opposition media", T.PARTISAN_MEDIA),
        ("Pro-government media", T.PARTISAN_MEDIA),
        ("pro-regime media", T.PARTISAN_MEDIA),
    ],
)
def test_classify_parties_and_witnesses(kb: SourceKB, text: str, kind: SourceType) -> None:
    assert kb.classify(text)[1] == kind


def test_party_names_come_from_the_actor_kb(kb: SourceKB) -> None:
    assert kb.classify("HTS") == ("Hayat Tahrir al-Sham", T.PARTY)
    assert kb.classify("the rebels") == ("the rebels", T.PARTY)


def test_unknown_outlet_is_kept_by_name(kb: SourceKB) -> None:
    assert kb.classify("  Orontes   Valley Courier ") == ("Orontes Valley Courier", T.UNKNOWN)
    assert kb.classify("") == ("", T.UNKNOWN)
    assert kb.match(None) is None


def test_source_records_carry_type_leaning_and_scale(kb: SourceKB) -> None:
    sohr = kb.match("SOHR")
    assert (sohr.type, sohr.leaning, sohr.scale) == (T.MONITOR, "pro-opposition", "other")
    sana = kb.match("SANA")
    assert (sana.type, sana.leaning, sana.country) == (T.STATE_MEDIA, "pro-government", "Syria")
    assert kb.match("ARA News").leaning == "kurdish"
    assert kb.match("Breitbart").type == T.PARTISAN_MEDIA


def test_source_scale_follows_acled() -> None:
    assert source_scale(["Reuters"]) == "International"
    assert source_scale(["Reuters", "AFP"]) == "International"
    assert source_scale(["SANA", "Reuters"]) == "National-International"
    assert source_scale(["SOHR", "SANA"]) == "Other-National"
    assert source_scale(["Step News", "Enab Baladi"]) == "Subnational-National"
    assert source_scale(["Some Unlisted Blog"]) == "Other"


def test_every_type_used_is_a_schema_type_and_file_validates() -> None:
    kb = SourceKB.load(SOURCES_PATH)
    kinds = {s.type for s in kb}
    assert {T.STATE_MEDIA, T.MONITOR, T.PARTY, T.INTERNATIONAL_MEDIA, T.LOCAL_MEDIA, T.PARTISAN_MEDIA, T.ACTIVISTS} <= kinds
    assert T.UNKNOWN not in kinds
    assert len(kb) >= 60


def test_invalid_sources_file_names_the_entry(tmp_path: Path) -> None:
    bad = tmp_path / "sources.yaml"
    bad.write_text(
        "sources:\n"
        "  - {id: orontes-courier, name: Orontes Courier, type: rumour_mill, leaning: neutral, scale: local}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError) as err:
        SourceKB.load(bad)
    assert "orontes-courier" in str(err.value) and "type" in str(err.value) and str(bad) in str(err.value)
    dup = tmp_path / "dup.yaml"
    dup.write_text(
        "sources:\n"
        "  - {id: a-wire, name: A Wire, type: international_media, leaning: neutral, scale: international}\n"
        "  - {id: a-wire, name: A Wire 2, type: international_media, leaning: neutral, scale: international}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeError, match="duplicate source id 'a-wire'"):
        SourceKB.load(dup)


@pytest.mark.parametrize(
    ("phrase", "category", "country"),
    [
        ("the Britain-based Syrian Observatory for Human Rights", "monitor", "United Kingdom"),
        ("Syria's state news agency SANA", "state media", "Syria"),
        ("Syrian state TV", "state media", "Syria"),
        ("the White Helmets", "humanitarian", "Syria"),
        ("Syria Civil Defence", "humanitarian", "Syria"),
        ("Al-Mayadeen", "pro-government media", "Lebanon"),
        ("Enab Baladi", "opposition media", None),
        ("Smart News Agency", "opposition media", None),
        ("ARA News", "kurdish media", None),
        ("Reuters", "international wire", None),
        ("Agence France-Presse", "international wire", None),
        ("the Associated Press", "international wire", None),
        ("Xinhua", "international wire", "China"),
        ("Turkey's state-run Anadolu Agency", "state media", "Turkey"),
        ("Liveuamap", "international media", None),
        ("the Russian Defence Ministry", "party to the conflict", "Russia"),
    ],
)
def test_named_sources_have_a_category_and_a_country(kb: SourceKB, phrase: str, category: str, country: str | None) -> None:
    src = kb.match(phrase)
    assert src is not None, phrase
    assert src.kind == kb.category(phrase) == category
    assert src.country
    if country:
        assert src.country == country


def test_categories_of_unlisted_claimants(kb: SourceKB) -> None:
    assert kb.category("Hayat Tahrir al-Sham") == "party to the conflict"  # an actor speaking for itself
    assert kb.category("Orontes Valley Courier") == "unknown"
    assert kb.classify("Orontes Valley Courier")[0] == "Orontes Valley Courier"  # still recorded by name
    # monitors' and humanitarians' figures both count as monitors' claims
    assert kb.classify("the White Helmets")[1] == kb.classify("SOHR")[1] == T.MONITOR


def test_contains_finds_a_run_after_a_false_start() -> None:
    from sitrep.resolve.sources import _contains

    assert _contains(("state", "tv", "state", "news", "agency"), ("state", "news")) == 2
    assert _contains(("syrian", "state"), ("state", "news")) is None
    assert _contains(("a",), ()) == 0


def test_classify_answers_the_same_twice_and_per_name() -> None:
    from sitrep.resolve.sources import default_source_kb

    kb = default_source_kb()
    first = kb.classify("the Britain-based Syrian Observatory for Human Rights")
    assert kb.classify("the Britain-based Syrian Observatory for Human Rights") == first
    assert first[0] != kb.classify("Syria's state SANA news agency")[0]
