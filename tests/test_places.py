"""Gazetteer and place resolver on phrases and sentences written like Syrian war reports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from sitrep.errors import KnowledgeError
from sitrep.resolve.gazetteer import (
    SYRIA_BBOX,
    Gazetteer,
    default_gazetteer,
    load_extra_places,
    load_governorates,
)
from sitrep.resolve.places import PlaceResolver
from sitrep.schema import GeoPrecision

SHARED = Path(__file__).resolve().parents[2] / "shared"

ACLED_GOVERNORATES = {
    "Aleppo", "Al Hasakeh", "Ar Raqqa", "As-Sweida", "Damascus", "Dar'a", "Deir ez Zor",
    "Hama", "Homs", "Idleb", "Lattakia", "Quneitra", "Rural Damascus", "Tartous",
}


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


@pytest.fixture(scope="module")
def resolver(gaz: Gazetteer) -> PlaceResolver:
    return PlaceResolver(gaz)


def near(ref, lat: float, lon: float, tol: float = 0.3) -> bool:
    return ref is not None and abs(ref.latitude - lat) <= tol and abs(ref.longitude - lon) <= tol


# --------------------------------------------------------------------------- knowledge files


def test_governorate_table_has_the_14_in_acled_spelling(gaz: Gazetteer) -> None:
    govs = load_governorates()
    assert {g.name for g in govs} == ACLED_GOVERNORATES
    assert len({g.geonames_admin1 for g in govs}) == 14
    assert {g.admin1 for g in gaz.governorates()} == ACLED_GOVERNORATES


@pytest.mark.parametrize(
    "alias,acled",
    [
        ("Hasakah", "Al Hasakeh"), ("Hassakeh", "Al Hasakeh"), ("Raqqa", "Ar Raqqa"), ("Rakka", "Ar Raqqa"),
        ("Suwayda", "As-Sweida"), ("Deraa", "Dar'a"), ("Dar`a", "Dar'a"), ("Dayr az Zawr", "Deir ez Zor"),
        ("Days Az Zawr", "Deir ez Zor"), ("Idlib", "Idleb"), ("Latakia", "Lattakia"), ("Tartus", "Tartous"),
        ("Rif Dimashq", "Rural Damascus"), ("Damascus countryside", "Rural Damascus"), ("Homs (Hims)", "Homs"),
        ("Reef Damascus", "Rural Damascus"),
    ],
)
def test_governorate_aliases(gaz: Gazetteer, alias: str, acled: str) -> None:
    gov = gaz.governorate(alias)
    assert gov is not None and gov.name == acled and gov.feature == "admin1"


def test_every_curated_place_lies_inside_syria_and_names_a_known_governorate() -> None:
    govs = load_governorates()
    admin = {g.name: {d.name for d in g.districts} for g in govs}
    extras = load_extra_places(admin=admin)
    assert len(extras) >= 200
    s, w, n, e = SYRIA_BBOX
    for entry in extras:
        assert s <= entry.lat <= n and w <= entry.lon <= e, entry.id
        assert entry.coord_source
    for gov in govs:
        for d in gov.districts:
            assert s <= d.lat <= n and w <= d.lon <= e, d.name


def _write_extra(tmp_path: Path, place: dict) -> Path:
    path = tmp_path / "places_extra.yaml"
    path.write_text(yaml.safe_dump({"defaults": {"coord_source": "test"}, "places": [place]}), encoding="utf-8")
    return path


def test_a_place_outside_syria_is_rejected_naming_file_and_entry(tmp_path: Path) -> None:
    beirut = {"id": "beirut", "name": "Beirut", "feature": "city", "lat": 33.89, "lon": 35.50, "admin1": "Damascus"}
    path = _write_extra(tmp_path, beirut)
    with pytest.raises(KnowledgeError) as err:
        Gazetteer.load(extra_path=path, geonames=False)
    assert "places_extra.yaml" in str(err.value) and "beirut" in str(err.value)


def test_an_unknown_governorate_spelling_is_rejected(tmp_path: Path) -> None:
    jobar = {"id": "jobar", "name": "Jobar", "feature": "quarter", "lat": 33.53, "lon": 36.33, "admin1": "Dimashq"}
    path = _write_extra(tmp_path, jobar)
    with pytest.raises(KnowledgeError, match="unknown admin1 'Dimashq'"):
        Gazetteer.load(extra_path=path, geonames=False)


def test_a_misspelt_feature_is_rejected(tmp_path: Path) -> None:
    jobar = {"id": "jobar", "name": "Jobar", "feature": "neighbourhood", "lat": 33.53, "lon": 36.33, "admin1": "Damascus"}
    path = _write_extra(tmp_path, jobar)
    with pytest.raises(KnowledgeError, match="entry 0 \\(jobar\\)"):
        Gazetteer.load(extra_path=path, geonames=False)


# --------------------------------------------------------------------------- gazetteer


def test_gazetteer_holds_geonames_governorates_districts_and_curated_places(gaz: Gazetteer) -> None:
    sources = {r.source for r in gaz}
    assert {"geonames", "governorates", "extra", "geonames+extra"} <= sources
    assert len(gaz) >= 450
    s, w, n, e = SYRIA_BBOX
    assert all(s <= r.lat <= n and w <= r.lon <= e for r in gaz)
    # GeoNames cities get ACLED admin1 names and a district.
    assert all(r.admin1 in ACLED_GOVERNORATES for r in gaz)
    kasab = gaz.lookup("Kessab")[0]
    assert kasab.place_id.startswith("gn:") and kasab.name == "Kasab" and kasab.admin1 == "Lattakia"


def test_lookup_ranks_the_city_before_the_governorate_of_the_same_name(gaz: Gazetteer) -> None:
    records = gaz.lookup("Idlib")
    assert [r.feature for r in records][:2] == ["city", "admin1"]
    assert records[0].place_id == "gn:169389"


def test_curated_places_and_their_spellings(gaz: Gazetteer) -> None:
    assert gaz.lookup("Joubar")[0].place_id == "extra:jobar"
    assert gaz.lookup("Sheikh Maksoud")[0].admin1 == "Aleppo"
    assert gaz.lookup("Ayn al-Arab")[0].name == "Kobani"
    assert gaz.lookup("Tiyas")[0].feature == "airbase"
    assert gaz.lookup("Euphrates Dam")[0].feature == "dam"


def test_fuzzy_matches_misspellings_and_refuses_strangers(gaz: Gazetteer) -> None:
    assert gaz.fuzzy("Maarat al-Numaan")[0][0].name == "Maarrat al-Numan"
    assert gaz.fuzzy("Khan Shaykhoon")[0][0].name == "Khan Shaykhun"
    assert gaz.fuzzy("Jisr al-Shugour")[0][0].name == "Jisr al-Shughur"
    assert gaz.fuzzy("Moscow") == []
    assert gaz.fuzzy("Syria") == []  # short keys: exact only
    assert gaz.fuzzy("Washington") == []


def test_names_for_a_phrase_matcher(gaz: Gazetteer) -> None:
    names = set(gaz.names())
    assert {"Jobar", "Kafr Nabl", "Khan Sheikhoun", "Eastern Ghouta", "Idlib"} <= names
    assert "al-Foua" in names
    assert all((n[0].isupper() or re.match(r"^[a-z]{2,3}[- ]", n)) and len(n) >= 3 and n.isascii() for n in names)
    assert not {"Sham", "al-Sham", "Syria"} & names
    assert not any(any("\u0600" <= ch <= "\u06ff" for ch in n) for n in names)


# --------------------------------------------------------------------------- resolver

CASES = [
    # surface, hint, admin1, lat, lon, precision
    ("Idlib", None, "Idleb", 35.93, 36.63, 1),
    ("Idlib province", None, "Idleb", 35.78, 36.60, 3),
    ("the province of Idlib", None, "Idleb", 35.78, 36.60, 3),
    ("the northwestern province of Idlib", None, "Idleb", 35.78, 36.60, 3),
    ("southern Idlib countryside", None, "Idleb", 35.78, 36.60, 3),
    ("Jisr al-Shughur countryside", None, "Idleb", 35.81, 36.32, 2),
    ("eastern Aleppo", None, "Aleppo", 36.20, 37.16, 2),
    ("western Aleppo", None, "Aleppo", 36.20, 37.16, 2),
    ("Deraa's Tal al-Hara", None, "Dar'a", 33.05, 36.00, 1),
    ("the east Damascus neighborhood of Jobar", None, "Damascus", 33.53, 36.33, 1),
    ("the Armenian town of Kasab", None, "Lattakia", 35.92, 35.99, 1),
    ("the seaside hamlet of Samra", None, "Lattakia", 35.90, 35.91, 1),
    ("Aleppo University Hospital", None, "Aleppo", 36.20, 37.16, 2),
    ("Damascus countryside", None, "Rural Damascus", 33.51, 36.29, 3),  # ACLED: at the capital
    ("Palmyra", "near", "Homs", 34.56, 38.27, 2),
    ("near Tadmur", None, "Homs", 34.56, 38.27, 2),
    ("the Bab al-Hawa crossing", None, "Idleb", 36.23, 36.67, 1),
    ("Kuweires military airport", None, "Aleppo", 36.19, 37.58, 1),
    ("the T4 airbase", None, "Homs", 34.52, 37.63, 1),
    ("Kafranbel", None, "Idleb", 35.61, 36.56, 1),
    ("Ma'arat al-Nu'man", None, "Idleb", 35.65, 36.68, 1),
    ("Khan Sheikhoun", None, "Idleb", 35.44, 36.65, 1),
    ("al-Foua", None, "Idleb", 35.99, 36.71, 1),
    ("Kefraya", None, "Idleb", 35.99, 36.68, 1),
    ("Tell Abiad", None, "Ar Raqqa", 36.70, 38.95, 1),
    ("Ayn al-Arab", None, "Aleppo", 36.89, 38.35, 1),
    ("Serekaniye", None, "Al Hasakeh", 36.85, 40.07, 1),
    ("Bosra", None, "Dar'a", 32.52, 36.48, 1),
    ("the town of Qusair", None, "Homs", 34.51, 36.58, 1),
    ("Dayr az Zawr", None, "Deir ez Zor", 35.33, 40.14, 1),
    ("Rakka city", None, "Ar Raqqa", 35.95, 39.01, 1),
    ("Eastern Ghouta", None, "Rural Damascus", 33.55, 36.42, 2),
    ("the Qalamoun mountains", None, "Rural Damascus", 33.95, 36.55, 2),
    ("Jabal al-Akrad", None, "Lattakia", 35.72, 36.16, 2),
    ("Aleppo's Sheikh Maqsoud district", None, "Aleppo", 36.23, 37.16, 1),
    ("Harim district", None, "Idleb", 36.21, 36.52, 2),
    ("Madaya", None, "Rural Damascus", 33.69, 36.10, 1),
    ("Muadamiyat al-Sham", None, "Rural Damascus", 33.46, 36.19, 1),
    ("Latamneh", None, "Hama", 35.32, 36.62, 1),
    ("Hmeimim", None, "Lattakia", 35.40, 35.95, 1),
    ("the Semalka crossing", None, "Al Hasakeh", 37.07, 42.37, 1),
]


@pytest.mark.parametrize("surface,hint,admin1,lat,lon,precision", CASES, ids=[c[0] for c in CASES])
def test_resolve_phrases(resolver: PlaceResolver, surface, hint, admin1, lat, lon, precision) -> None:
    ref = resolver.resolve(surface, hint=hint)
    assert ref is not None, surface
    assert ref.admin1 == admin1
    assert near(ref, lat, lon), (ref.name, ref.latitude, ref.longitude)
    assert ref.geo_precision == GeoPrecision(precision)
    assert ref.surface == surface and ref.country == "Syria"


def test_unknown_inner_place_falls_back_to_the_enclosing_governorate(resolver: PlaceResolver) -> None:
    ref = resolver.resolve("Deraa's Tal Qarqar al-Gharbi")
    assert ref is not None and ref.place_id == "gov:dara" and ref.geo_precision == GeoPrecision.REGION


def test_document_context_picks_among_homonyms(resolver: PlaceResolver) -> None:
    # Suran: a town in northern Hama and a village north of Aleppo.
    assert resolver.resolve("Suran").admin1 == "Hama"
    assert resolver.resolve("Suran", context_admin1="Aleppo").admin1 == "Aleppo"
    # A governorate capital is not displaced by context: Hama stays Hama in a Damascus story.
    assert resolver.resolve("Hama", context_admin1="Rural Damascus").place_id == "gn:170017"


def test_resolve_returns_none_for_non_places(resolver: PlaceResolver) -> None:
    for surface in ("Syria", "Moscow", "Turkey", "the Islamic State", "al-Sham", ""):
        assert resolver.resolve(surface) is None, surface


def test_admin2_is_filled_for_towns(resolver: PlaceResolver) -> None:
    assert resolver.resolve("Saraqib").admin2 == "Idleb"
    assert resolver.resolve("Douma").admin2 == "Duma"
    assert resolver.resolve("Manbij").admin2 == "Menbij"


REPORT = (
    "Regime helicopters dropped barrel bombs on the town of Kafr Zita in the northern Hama countryside "
    "on Tuesday, while clashes raged near Morek, a monitoring group said. Fighters of Hayat Tahrir al-Sham "
    "shelled the Christian town of Mhardeh. In Idlib province, warplanes struck Maarat al-Numan and Khan "
    "Sheikhoun, killing 12 civilians. Kurdish-led forces seized the village of Tal Tamr from Islamic State "
    "militants, and a car bomb exploded at the Bab al-Salameh crossing north of Azaz. Jaish al-Islam "
    "fighters in Douma repelled an assault on Harasta, while government troops advanced in eastern Aleppo "
    "and took Deraa's Busra al-Sham."
)


def test_candidates_from_a_report(resolver: PlaceResolver) -> None:
    cands = resolver.candidates_from_text(REPORT)
    surfaces = {c[2]: c[3] for c in cands}
    for start, end, surface, hint in cands:
        # a relative phrase spans its place's name; its surface carries the relation
        assert REPORT[start:end] == surface if hint != "relative" else surface.startswith(REPORT[start:end])
    assert surfaces["Idlib province"] == "province"
    assert surfaces["Bab al-Salameh crossing"] == "crossing"
    assert surfaces["Morek"] == "near" and surfaces["Azaz"] == "near"
    assert surfaces["Deraa's Busra al-Sham"] == "possessive"
    assert surfaces["Harasta"] == "gazetteer"
    assert "Khan \nSheikhoun" not in surfaces
    # "the town of Kafr Zita in the northern Hama countryside": one phrase, Kafr Zita looked for in Hama
    assert surfaces["the town of Kafr Zita in the northern Hama countryside"] == "relative"
    assert not any("Sham" == s or "Tahrir" in s or "Islam" in s for s in surfaces)


def test_resolve_text_places_every_mention(resolver: PlaceResolver) -> None:
    refs = resolver.resolve_text(REPORT)
    names = [r.name for r in refs]
    for expected in ("Kafr Zita", "Morek", "Mhardeh", "Maarrat al-Numan", "Khan Shaykhun", "Tal Tamr",
                     "Bab al-Salameh", "Azaz", "Douma", "Harasta", "Aleppo", "Busra al-Sham"):
        assert expected in names
    assert all(r.span is not None and r.span.end > r.span.start for r in refs)
    idlib = next(r for r in refs if r.surface == "Idlib province")
    assert idlib.geo_precision == GeoPrecision.REGION


def test_a_place_the_ner_would_miss_is_found_by_the_gazetteer_scan(resolver: PlaceResolver) -> None:
    text = "Activists said the shelling of Kafraya and al-Foua resumed after talks over Zabadani and Madaya collapsed."
    found = {c[2] for c in resolver.candidates_from_text(text)}
    assert {"Kafraya", "al-Foua", "Zabadani", "Madaya"} <= found


# --------------------------------------------------------------------------- measurement


@pytest.mark.skipif(not (SHARED / "gazetteer" / "opensyria_governorates.json").exists(), reason="needs ../shared")
def test_opensyria_governorate_names_resolve_to_their_governorate(resolver: PlaceResolver) -> None:
    """Measurement only: English names and aliases of the 14 governorates (Open-Syria data)."""
    data = json.loads((SHARED / "gazetteer" / "opensyria_governorates.json").read_text(encoding="utf-8"))
    # Open-Syria's ids -> ACLED names (the mapping is ours; the names under test are theirs).
    acled = {
        "sy-al-hasakah": "Al Hasakeh", "sy-aleppo": "Aleppo", "sy-as-suwayda": "As-Sweida", "sy-damascus": "Damascus",
        "sy-daraa": "Dar'a", "sy-deir-ez-zor": "Deir ez Zor", "sy-hama": "Hama", "sy-homs": "Homs", "sy-idlib": "Idleb",
        "sy-latakia": "Lattakia", "sy-quneitra": "Quneitra", "sy-raqqa": "Ar Raqqa", "sy-rif-dimashq": "Rural Damascus",
        "sy-tartus": "Tartous",
    }
    pairs = {
        (name, acled[g["id"]])
        for g in data
        for name in [g["name"]["en"], *(a["value"] for a in g["aliases"] if a["language"] == "en")]
    }
    ok = sum(1 for name, admin1 in pairs if (ref := resolver.resolve(name)) is not None and ref.admin1 == admin1)
    assert len(pairs) >= 40
    assert ok / len(pairs) >= 0.85, f"{ok}/{len(pairs)}"


def test_scan_ignores_acronyms_people_and_words_glued_to_articles(resolver: PlaceResolver) -> None:
    text = (
        "Speaking to SANA, an officer said the takeover of the village of Rankous came as the army pushed "
        "west of the capital Damascus, according to al-Halabi, a commander quoted by ARA News."
    )
    found = {c[2]: c[3] for c in resolver.candidates_from_text(text)}
    assert found.get("village of Rankous") == "descriptor"
    assert "Damascus" in found and "al Damascus" not in found
    assert not {"SANA", "ARA", "ARA News", "al-Halabi"} & set(found)


# --------------------------------------------------------------------------- relative phrases and context


def test_a_place_related_to_another_is_looked_for_in_its_governorate(resolver: PlaceResolver) -> None:
    # Malah is a village of Sweida; "al-Maleh north of Aleppo" is not it.
    assert resolver.resolve("al-Maleh").admin1 == "As-Sweida"
    ref = resolver.resolve("al-Maleh north of Aleppo", hint="relative")
    assert ref.admin1 == "Aleppo" and ref.unresolved == "al-Maleh" and ref.geo_precision == GeoPrecision.NEAR
    # a homonym that does lie there is chosen: Suran north of Aleppo, not the Hama town
    ref = resolver.resolve("Suran, north of Aleppo", hint="relative")
    assert ref.admin1 == "Aleppo" and ref.unresolved is None and ref.geo_precision == GeoPrecision.PLACE
    # a known place in the named province keeps its own point
    ref = resolver.resolve("Kafr Nabl in Idlib province", hint="relative")
    assert ref.name == "Kafr Nabl" and ref.geo_precision == GeoPrecision.PLACE
    # Damascus quarters are in "the Damascus countryside" as reporters use it
    assert resolver.resolve("Jobar in the Damascus countryside", hint="relative").name == "Jobar"


def test_unknown_village_in_a_named_province_is_kept_there(resolver: PlaceResolver) -> None:
    text = "March 3rd 2017: Tell Batikh village, western Raqqa countryside, Raqqa governorate, Syria"
    refs = resolver.resolve_text(text)
    first = refs[0]
    assert text[first.span.start:first.span.end].startswith("Tell Batikh village")
    assert first.admin1 == "Ar Raqqa" and first.unresolved == "Tell Batikh" and first.geo_precision == GeoPrecision.REGION


def test_each_place_of_a_list_is_related_to_the_province(resolver: PlaceResolver) -> None:
    text = "Warplanes struck Kafr Nabl and Anadan in the countryside of Idlib and Aleppo"
    refs = {r.surface.split(" in ")[0]: r for r in resolver.resolve_text(text)}
    assert refs["Kafr Nabl"].admin1 == "Idleb" and refs["Anadan"].admin1 == "Aleppo"
    refs = resolver.resolve_text("Al Karama, Tell Batikh and Kleib villages, Raqqa governorate, Syria")
    assert [r.admin1 for r in refs[:3]] == ["Ar Raqqa"] * 3


def test_relative_phrases_in_running_text(resolver: PlaceResolver) -> None:
    text = ("Seven civilians were injured in a rocket attack on the al-Khalidiya neighbourhood in Aleppo city, "
            "while clashes north of Hama continued and warplanes hit Aleppo, Idlib and Hama.")
    refs = resolver.resolve_text(text)
    khalidiya = next(r for r in refs if "Khalidiya" in r.surface)
    assert khalidiya.admin1 == "Aleppo"  # not Khalidiya of Homs
    assert not any(r.unresolved == "Clashes" or "Clashes" in r.surface for r in refs)
    listed = [r.admin1 for r in refs if r.surface in ("Aleppo", "Idlib", "Hama")]
    assert listed[-3:] == ["Aleppo", "Idleb", "Hama"]  # a list is not "X, its province"


def test_the_syrian_capital_is_damascus(resolver: PlaceResolver) -> None:
    refs = resolver.resolve_text("At least 19 people were killed near the Syrian capital on Tuesday.")
    assert [(r.name, r.geo_precision) for r in refs] == [("Damascus", GeoPrecision.NEAR)]
    refs = resolver.resolve_text("Air strikes on the Islamic State groups de facto Syrian capital Raqqa killed 25 civilians")
    assert [r.name for r in refs] == ["Ar-Raqqa"]
    refs = resolver.resolve_text("Shells fell on the Syrian capital, Damascus, and on Syria's capital again on Monday")
    assert refs and all(r.name == "Damascus" for r in refs)


def test_apostrophes_lost_in_copied_text(resolver: PlaceResolver) -> None:
    # FA-KES-style text drops apostrophes: "Syrias Idlib", "Hamas countryside"
    assert resolver.resolve("western Syrias Idlib province", hint="province").admin1 == "Idleb"
    assert resolver.resolve("Hamas countryside", hint="countryside").admin1 == "Hama"
    assert resolver.resolve("areas of Syrias Aleppo", hint="descriptor").admin1 == "Aleppo"
    assert resolver.resolve("district of the Syrian", hint="descriptor") is None


def test_a_generic_head_word_keeps_the_name_whole(resolver: PlaceResolver) -> None:
    found = {c[2] for c in resolver.candidates_from_text("Shelling hit Kafr Hamra and Tal Al")}
    assert "Hamra" not in found and "Tal Al" not in found


def test_a_look_alike_spelling_elsewhere_does_not_beat_the_story_governorate(resolver: PlaceResolver) -> None:
    # "Qassiab" is one letter-pattern away from Kasab (Lattakia); in a Hasakeh story it is a village we do not know
    ref = resolver.resolve("the village of Qassiab", context_admin1="Al Hasakeh", hint="descriptor")
    assert ref.admin1 == "Al Hasakeh" and ref.unresolved == "Qassiab"
    # a transliteration of a known name is still that place, wherever the story is
    assert resolver.resolve("the town of Kafrnabel", context_admin1="Aleppo", hint="descriptor").name == "Kafr Nabl"
    # a run-on phrase starts with a known name
    assert resolver.resolve("areas of Syrias Aleppo Monitor AFP", context_admin1="Idleb", hint="descriptor").admin1 == "Aleppo"
    assert resolver.resolve("Center") is None


def test_two_provinces_for_two_places(resolver: PlaceResolver) -> None:
    refs = {r.surface.split(" in ")[0]: r for r in resolver.resolve_text(
        "Casualties in airstrikes on Binnish and Rastan in Homs and Idlib provinces")}
    assert refs["Binnish"].name == "Binnish" and refs["Binnish"].admin1 == "Idleb"
    assert refs["Rastan"].name == "Rastan" and refs["Rastan"].admin1 == "Homs"
    assert not any(r.name == "Arwad" for r in resolver.resolve_text("a car on the Road of Azaz"))


def test_the_modifier_names_the_area_even_when_it_is_the_story_governorate(resolver: PlaceResolver) -> None:
    # Khalidiya is a Homs quarter; "Aleppos residential neighborhood of al-Khalidiye" (apostrophe lost) is in Aleppo
    ref = resolver.resolve("the Aleppos residential neighborhood of al-Khalidiye", context_admin1="Aleppo", hint="descriptor")
    assert ref.admin1 == "Aleppo" and ref.unresolved == "al-Khalidiye"
    assert resolver.resolve("the neighborhood of al-Khalidiye", context_admin1="Aleppo", hint="descriptor").admin1 == "Homs"


def test_a_named_district_of_a_city_stays_in_that_city():
    # the modifier is the district's own name; its last word matching a village elsewhere
    # ('Qibli') must not move the city to another governorate
    from sitrep.resolve.gazetteer import default_gazetteer
    from sitrep.resolve.places import PlaceResolver

    refs = PlaceResolver(default_gazetteer()).resolve_text("Rebel fighters shelled the Bab Qibli district of Hama on Saturday.")
    assert refs and refs[0].admin1 == "Hama"


def test_a_place_name_used_as_a_modifier_is_no_place_of_the_event():
    from datetime import date

    from sitrep.ingest import article_from_text
    from sitrep.pipeline import Pipeline
    from sitrep.resolve.places import is_attributive

    text = ("Damascus-backed militias shelled the village of Kafr Nabudah in Hama province on Sunday, "
            "killing three civilians, a London-based monitor said.")
    assert is_attributive(text, len("Damascus")) and not is_attributive("Damascus, Sunday", len("Damascus"))
    article = article_from_text(text, title="Shelling in northern Hama", published=date(2019, 5, 13))
    [(_, mentions)] = list(Pipeline().extract([article]))
    assert mentions and all(p.name != "Damascus" for m in mentions for p in [m.place, *m.places] if p)
    assert mentions[0].place.admin1 == "Hama"


def test_a_name_inside_a_facilitys_own_name_is_no_place(resolver: PlaceResolver) -> None:
    # "al-Midan" is a quarter of Damascus and of Aleppo; here it is part of a mosque's name
    text = "A bomb exploded near the al-Hassan al-Midan Mosque in the Hamidiyah neighbourhood of Hama city."
    assert [c[2] for c in resolver.candidates_from_text(text)] == ["Hamidiyah neighbourhood of Hama"]
    # a town's own facility keeps the town, in title case too
    assert "Aleppo" in {c[2] for c in resolver.candidates_from_text("Shells Hit Aleppo University Hospital")}


def test_a_capital_standing_for_its_government_is_no_place(resolver: PlaceResolver) -> None:
    assert resolver.resolve_text("Iranian leaders promised more help to their Damascus ally.") == []
    assert resolver.resolve_text("Officials said the Damascus government had agreed to the talks.") == []
    # commas lost: "In Damascus, government forces ..." still names the city
    assert [r.name for r in resolver.resolve_text("In Damascus government forces shelled Jobar")] == ["Damascus", "Jobar"]


def test_a_city_related_loosely_to_another_is_still_itself(resolver: PlaceResolver) -> None:
    ref = resolver.resolve("the city of Hama near Homs", hint="relative")
    assert ref.name == "Hama" and ref.feature == "city" and ref.geo_precision == GeoPrecision.PLACE
    # a loose key match is not a city named as spelled: Adra (Damascus countryside) is no "Adraa" (Daraa)
    ref = resolver.resolve("the town of Adra north-east of Damascus", hint="relative")
    assert ref.admin1 == "Damascus" and ref.unresolved == "Adra"
