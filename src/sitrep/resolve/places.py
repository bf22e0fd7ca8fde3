"""Place resolution: surface forms from news text -> :class:`sitrep.schema.PlaceRef`.

Two jobs:

* :meth:`PlaceResolver.resolve` reads one place phrase as reporters write it ("the province of
  Idlib", "Idlib countryside", "eastern Aleppo", "Deraa's Tal al-Hara", "the east Damascus
  neighborhood of Jobar", "Aleppo University Hospital") and returns the place with ACLED's
  geo_precision: 1 the named settlement/quarter/site, 2 near it or part of a region or district,
  3 a governorate only (coded at its centroid).
* :meth:`PlaceResolver.candidates_from_text` finds such phrases in running text with patterns
  and a longest-match scan over the gazetteer's names, so places the NER misses are found.

Homonyms are chosen by the governorate in focus (``context_admin1``; cities are exempt so
"Hama" stays the city in an article about Damascus), then spelling (an exact spelling beats a
transliteration-key match), then feature (city > town > village > ... > governorate), then
population. A phrase that relates a place to another ("al-Maleh north of Aleppo", "Hunaida,
western Raqqa countryside", "the Khalidiya neighbourhood in Aleppo city") is one candidate (hint
``relative``): the inner place is looked for in the outer place's governorate (or within
RELATIVE_KM of the outer town), and a name unknown there is kept at the outer place.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from sitrep.resolve.gazetteer import FEATURE_RANK, NOT_PLACE_KEYS, PlaceIndex, PlaceRecord, default_gazetteer, haversine_km
from sitrep.resolve.normalize import normalize_place, spelling
from sitrep.schema import GeoPrecision, PlaceRef, Span

#: Accept a fuzzy match only at or above this rapidfuzz ratio (tuned in tests/test_places.py:
#: catches "Kafranbel"/"Maarat al-Numaan"-style variants, rejects Hama/Homs-style neighbours).
RESOLVE_FUZZY_CUTOFF = 88.0

_REGIONAL = frozenset({"region", "district"})

# --------------------------------------------------------------------------- vocabulary

_DIR = (
    r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?|central|greater|rural"
)
_DIR_RE = re.compile(rf"^(?:{_DIR})\s+", re.I)
_KIND = (
    r"towns?|villages?|cit(?:y|ies)|neighbou?rhoods?|districts?|suburbs?|quarters?|hamlets?|areas?|"
    r"regions?|camps?|countryside|outskirts|provinces?|governorates?|municipality|settlement|"
    r"localit(?:y|ies)|hills?|mountains?|plains?|valley"
)
_KIND_OF = re.compile(rf"^(?P<mod>.*?)\b(?P<kind>{_KIND})\s+of\s+(?P<name>.+)$", re.I)
_PROVINCE_SUFFIX = re.compile(r"^(?P<name>.+?)\s+(?:province|governorate|muhafaza(?:h|t)?)$", re.I)
_COUNTRYSIDE_SUFFIX = re.compile(r"^(?P<name>.+?)(?:['’]s)?\s+(?:countryside|rural\s+areas?|hinterland)$", re.I)
_RURAL_PREFIX = re.compile(r"^rural\s+(?P<name>.+)$", re.I)
_NEAR_SUFFIX = re.compile(
    r"^(?P<name>.+?)(?:['’]s)?\s+(?:outskirts|suburbs|environs|surroundings|area|vicinity)$", re.I
)
_CITY_SUFFIX = re.compile(r"^(?P<name>.+?)\s+(?:city|town|village)$", re.I)
_SITE_SUFFIX = re.compile(
    r"^(?P<name>.+?)\s+(?:(?:border\s+)?crossing|(?:military\s+)?air\s*(?:base|port|field)|"
    r"military\s+airport|airbase|dam|camp|refugee\s+camp)$",
    re.I,
)
_DISTRICT_SUFFIX = re.compile(
    r"^(?P<name>.+?)\s+(?:sub-?district|district|nahiy[ae]h?|nahia|mantiqa|municipality|region|area)$", re.I
)
_POSSESSIVE = re.compile(r"^(?P<outer>[^'’]+?)['’]s\s+(?P<inner>.+)$")
_LEADING_THE = re.compile(r"^(?:the)\s+", re.I)
_NEAR_PREFIX = re.compile(
    r"^(?:near|outside|around|close\s+to|(?:on\s+)?the\s+outskirts\s+of|outskirts\s+of|"
    r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)\s+of)\s+",
    re.I,
)

#: Words naming a facility inside a place: "Aleppo University Hospital" is in Aleppo.
_FACILITY_WORDS = frozenset(
    """university hospital prison jail stadium school college academy bakery market souq souk
    mosque church cathedral monastery square street road highway motorway bridge gate station
    council hotel factory plant refinery centre center headquarters hq base barracks citadel
    central national general military international municipal old new main grand public
    industrial zone complex camp stadium airport port harbour harbor clinic infirmary""".split()
)

_STOP_SURFACES = NOT_PLACE_KEYS

#: First words of armed-group and organisation names; a capitalised run starting with one is
#: an actor ("Jaish al-Islam", "Liwa al-Quds"), not a place.
_ORG_WORDS = frozenset(
    """jabhat jaish jaysh hayat hay'at harakat harakat ahrar liwa katibat kataib saraya faylaq
    ansar jund junud fursan usud tahrir fateh fatah hezbollah hizbollah""".split()
)

_NOT_NAME_WORDS = frozenset(
    """The A An In On At Of And Or But For From To By With As This That These Those It Its He She
    They We I Our Their His Her Government Army Police President Minister Ministry Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday January February March April May June July August
    September October November December""".split()
)

# Capitalised name: words such as "Maarrat", "al-Numan", "Dar'a", "T4", "al Qusayr".
_ART = r"(?:[Aa]l|[Ee]l|[Aa]sh|[Aa]d|[Aa]n|[Aa]r|[Aa]s|[Aa]t|[Aa]z|[Ee]z|[Ee]d|[Ee]s|[Ee]sh|[Aa]th|[Aa]dh|[Uu]l)"
_NOT_NAME = r"(?!(?:" + "|".join(sorted(_NOT_NAME_WORDS)) + r")\b)"
# (?=[A-Z]) first: most words are lower case, and fail there before the _NOT_NAME alternation
_CAP = r"(?=[A-Z])" + _NOT_NAME + r"[A-Z](?:\w|['’`](?=\w)(?!s\b))*(?:-[A-Za-z](?:\w|['’`](?=\w)(?!s\b))*)*"
_TOKEN = rf"\b(?:{_ART}-{_CAP}|(?:al|el)\s+{_CAP}|{_CAP})"
_NAME = rf"{_TOKEN}(?:\s+{_TOKEN}){{0,4}}"
#: The letters a name can start with (a capital, or the "al-"/"el-"/"ul-" of _ART); checked
#: first, so that scanning text for names skips other positions at once
_NAME_START = r"(?=[A-Zaeu])"
_NAME_RE = re.compile(_NAME_START + _NAME)
_TOKEN_RE = re.compile(_TOKEN)

# A modifier between "the" and "town of": "Armenian", "rebel-held", "east Damascus" (no
# function words, so "the takeover of the village of X" starts at the second "the").
_FUNCTION_WORDS = (
    "in|of|on|at|to|from|by|with|and|or|for|into|near|over|after|before|as|that|which|"
    "was|were|is|are|has|had|have|the|a|an"
)
_MODIFIER = rf"(?!(?:{_FUNCTION_WORDS})\b)[\w'’-]+"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (hint, re.compile(p))
    for hint, p in (
        ("descriptor", rf"\b(?:[Tt]he\s+(?:{_MODIFIER}\s+){{0,4}}?)?(?:{_KIND})\s+of\s+(?:the\s+)?{_NAME}"),
        ("province", rf"\b(?:(?:{_DIR})\s+)?{_NAME}\s+(?:[Pp]rovince|[Gg]overnorate)\b"),
        ("countryside", rf"\b(?:(?:{_DIR})\s+)?{_NAME}(?:['’]s)?\s+countryside\b"),
        ("countryside", rf"\brural\s+{_NAME}"),
        ("crossing", rf"\b{_NAME}\s+(?:border\s+)?crossing\b"),
        ("suffix", rf"\b{_NAME}\s+(?:[Vv]illage|[Tt]own)\b"),
        ("possessive", rf"\b{_NAME}['’]s\s+{_NAME}"),
        ("direction", rf"\b(?:{_DIR})\s+{_NAME}"),
    )
)
#: Patterns that end in (or hinge on) a keyword are run only in a window around each keyword
#: occurrence: a leading ``\b{_NAME}`` tried at every word of an article is the costly part.
_KEYWORD_OF_HINT: dict[str, re.Pattern[str]] = {
    "province": re.compile(r"[Pp]rovince|[Gg]overnorate"),
    "countryside": re.compile(r"countryside|\brural\s"),
    "crossing": re.compile(r"crossing"),
    "suffix": re.compile(r"\b(?:[Vv]illage|[Tt]own)\b"),
    "possessive": re.compile(r"\w['’]s\s"),
}
_WINDOW = 160

# ---- relative phrases: "al-Mallah north of Aleppo", "Hunaida, western Raqqa countryside",
# "the Khalidiya neighbourhood in Aleppo city", "Tal Kurdi in the countryside of Damascus".
# The named place (``inner``) is looked for in the governorate of the place it is related to
# (``outer``); a homonym elsewhere in Syria is not it.
_DIR_WORD = r"(?:[Nn]orth|[Ss]outh|[Ee]ast|[Ww]est|[Nn]orth-?east|[Nn]orth-?west|[Ss]outh-?east|[Ss]outh-?west)"
_KIND_AFTER = r"(?:[Vv]illages?|[Tt]owns?|[Cc]ity|[Aa]rea|[Ff]arms?|[Cc]amp|[Nn]eighbou?rhood|[Dd]istrict|[Hh]ill|[Ss]uburb|[Qq]uarter)"
_AREA_KW = r"(?:[Cc]ountryside|[Pp]rovince|[Gg]overnorate)"
_REL_LINK = (
    rf"\s*,\s*(?P<adir>(?:{_DIR})\s+)?(?P<aname>{_NAME})(?:['’]s)?(?:\s+(?P<akw>{_AREA_KW}))?"
    rf"|,?\s+(?:(?:about|some)\s+)?(?:\d+\s*(?:km|kilometers|kilometres)\s+)?(?P<rdir>{_DIR_WORD})\s+of\s+(?:the\s+)?(?P<rname>{_NAME})"
    rf"|,?\s+near\s+(?:the\s+)?(?P<nname>{_NAME})"
    rf"|\s+of\s+(?:the\s+)?(?:(?:{_DIR})\s+)?(?P<fname>{_NAME})(?:['’]s)?(?:\s+(?P<fkw>{_AREA_KW}))?"
    rf"|\s+in\s+(?:the\s+)?(?:(?:{_DIR})\s+)?(?:(?P<iname>{_NAME})(?:['’]s)?(?:\s+and\s+(?P<iname2>{_NAME}))?(?:\s+(?P<ikw>{_AREA_KW}|[Pp]rovinces|[Gg]overnorates|city))?"
    rf"|(?:countryside|province|governorate|outskirts|suburbs)\s+of\s+(?:the\s+)?(?P<oname>{_NAME})(?:\s+and\s+(?P<oname2>{_NAME}))?)"
)
_INNER = rf"(?:(?:[Tt]he\s+)?(?:town|village|city|neighbou?rhood|area|district)\s+of\s+(?:the\s+)?)?{_NAME}"
#: "Al Karama, Al Ghassaniya and Kleib villages, Raqqa governorate": a list shares the relation.
_INNER_LIST = rf"{_INNER}(?:(?:\s*,\s*|\s+and\s+|\s+or\s+)(?!(?:{_DIR})\s){_NAME}){{0,4}}"
_LIST_SPLIT = re.compile(r"\s*,\s*|\s+and\s+|\s+or\s+")
# starts with a name, "the" or a feature word (see _INNER): the same first-letter check
_REL_RE = re.compile(rf"(?=[A-Zacdentuv])(?P<inner>{_INNER_LIST})(?P<kind>\s+{_KIND_AFTER})?(?=(?P<link>{_REL_LINK}))")
_REL_FULL = re.compile(rf"(?P<inner>{_INNER_LIST})(?P<kind>\s+{_KIND_AFTER})?(?P<link>{_REL_LINK})")
#: Words before a name that make it a place even when the gazetteer does not know it.
_CUE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|on|into|from|to|towards?|targets?|targeting|targeted|around|of|control(?:led)?|captured?|"
    r"recaptured?|seized?|stormed|shelled|bombed|struck|hit)\s+(?:the\s+)?|[\u0600-\u06FF)][\s,:]*)$"
)
#: Damascus city and its countryside are one area to reporters ("Jobar in the Damascus countryside",
#: "Damascus" for the Ghouta suburbs).
_SAME_AREA = frozenset({frozenset({"Damascus", "Rural Damascus"})})
#: A place related to a town ("X north of Y") lies within this distance of it, whatever the governorate.
RELATIVE_KM = 40.0
# "near the Syrian capital", "Syria's capital": Damascus.
# Not "the Islamic State group's de facto Syrian capital Raqqa": "the" right before, no other name after.
_CAPITAL = r"(?:[Tt]he\s+Syrian\s+capital|(?<!facto\s)Syria['’]?s\s+capital)(?:\s*,?\s+Damascus)?"
_CAPITAL_RE = re.compile(r"^(?:the\s+)?(?:Syrian|Syria['’]?s)\s+capital(?:\s*,?\s+Damascus)?$", re.I)
_CAPITAL_PATTERN = re.compile(rf"\b(?:(?:near|outside|around|close\s+to)\s+)?{_CAPITAL}\b(?!\s*,?\s+(?!Damascus)[A-Z])")
#: "Syria's Idlib", "Syrias Aleppo" (apostrophes lost), "Syrian Golan": the country is not part of the name.
_COUNTRY_PREFIX = re.compile(r"\b(?:Syria['’]?s|Syrian)\s+(?=[A-Z])")
#: Arabic generic words that begin a place name: "Kafr Hamra" is not "Hamra".
_NAME_HEADS = frozenset(
    "kafr kfar kafar tal tall tell tel deir dayr ain ayn khan beit bayt umm abu jabal jebel marj qasr khirbet khirbat "
    "ras bir jisr maarat maarrat mazraat qalaat tallat hamrat kasrat hawsh hosh arab wadi".split()
)
#: "Deir Ezzor al-Sharqi countryside": Arabic east/west/north/south after the name.
_ARABIC_DIR_TAIL = re.compile(r"\s+(?:(?:al|el|ash)[- ]?)?(?:sharqi|gharbi|shamali|janoubi|janubi|sharki)(?:y?y?[ae]h?)?$", re.I)
#: Words that end Arabic place names ("Kabsh Sharqi", "Safsaf Tahtani"): never a place alone after another word.
_NAME_TAILS = frozenset(
    "sharqi sharqiya sharqiyah gharbi gharbiya gharbiyah shamali shamaliya janoubi janubi kabir kabira kabirah "
    "saghir saghira saghirah tahtani fawqani fouqani wistani jadida jadideh qadima".split()
)
_TAIL_KEYS = frozenset(normalize_place(w) for w in _NAME_TAILS)
_ARTICLE_WORDS = frozenset("al el ash as ad an ar at az ez ed es esh".split())
_NEAR_RE = re.compile(
    rf"\b(?:near|outside|around|close\s+to|on\s+the\s+outskirts\s+of|outskirts\s+of|"
    rf"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)\s+of)\s+(?:the\s+)?(?P<name>{_NAME})"
)
_IN_RE = re.compile(rf"\b(?:in|at|from|into|to|towards?|inside|across|over)\s+(?:the\s+)?(?P<name>{_NAME})")
#: Words of war reporting whose object is usually a place: "shelling on Bedama", "control Tanab".
_VERB_RE = re.compile(
    r"\b(?:on|targets?|targeting|targeted|control(?:s|led)?|captures?|captured|seized?|recaptures?|recaptured|"
    r"storm(?:s|ed)?|shell(?:s|ed)?|bomb(?:s|ed)?|hits?|struck|besieged?|enter(?:s|ed)?|reach(?:es|ed)?|"
    r"advance\s+(?:in|on|towards?)|around|between|within|outskirts\s+of)\s+(?:the\s+)?"
    rf"(?P<name>{_NAME})"
)

#: Pattern hints whose phrase marks a place even when the gazetteer does not know the name.
_STRONG_HINTS = frozenset({"descriptor", "province", "countryside", "crossing", "suffix"})
_HINT_PRIORITY = {
    h: i
    for i, h in enumerate(
        ("relative", "capital", "descriptor", "possessive", "province", "countryside", "suffix", "crossing", "direction", "near", "in", "gazetteer", "verb")
    )
}
#: Hints whose name may be a misspelling: accepted when it resolves, fuzzily included.
_CUE_HINTS = frozenset({"near", "in", "verb"})

#: Generic first words of Arabic place names: never a place on their own ("Sheikh" in "Sheikh
#: Meskin", "Khan" in "Khan Shekhon"), but a sign that an unknown run is a place name.
_GENERIC_WORDS = frozenset(
    w.lower()
    for w in """Sheikh Shaykh Khan Tal Tell Kafr Kfar Deir Dayr Ain Ayn Jabal Jebel Jisr Bab Umm Bir Wadi Khirbet
    Khirbat Qasr Ras Beit Bayt Mazraat Marj Nahr Hay Harat Sahl Qalaat Qaryat Maarat Maarrat Ard Tallat Arab
    Mount Old New Great Upper Lower Eastern Western Northern Southern Central""".split()
)
_PLACE_WORD = re.compile(
    r"^(?:(?:al|el|ad|an|ar|as|ash|at|az)[- ])?(?:Tal|Tall|Tell|Tel|Kafr|Kfar|Deir|Dayr|Ain|Ayn|Jabal|Jebel|Jisr|Khirbet|"
    r"Khirbat|Bir|Qasr|Ras|Beit|Bayt|Mazraat|Marj|Maarat|Maarrat|Qalaat|Wadi|Hay|Hayy|Harat|Umm|Tallat|Arab)\b",
    re.I,
)
#: Keep at most this many resolutions per resolver (phrases repeat across articles).
_CACHE_MAX = 100_000


# --------------------------------------------------------------------------- resolver


#: A place name used as a modifier of an actor or origin ("Damascus-backed militias",
#: "a London-based monitor", "an Aleppo-bound convoy") does not say where anything happened.
_ATTRIBUTIVE_TAIL = re.compile(r"-(?:backed|based|allied|aligned|led|funded|supported|sponsored|born|bound|linked|affiliated)\b", re.I)
#: A city standing for its rulers: "their Damascus ally", "the Damascus government" (a determiner
#: before the name: "in Damascus government forces ..." with its comma lost is a place).
_METONYM_TAIL = re.compile(r"\s+(?:ally|allies|government|regime|leadership)\b", re.I)
_DETERMINER_BEFORE = re.compile(r"\b(?:the|its|their|his|her|our|a|an)\s+$", re.I)


def is_attributive(text: str, end: int, start: int | None = None) -> bool:
    """True when the name ending at ``end`` in ``text`` is the first half of such a compound,
    or (given its ``start``) a city standing for its government."""
    if _ATTRIBUTIVE_TAIL.match(text, end):
        return True
    return start is not None and bool(_METONYM_TAIL.match(text, end)) and bool(_DETERMINER_BEFORE.search(text, max(0, start - 8), start))


class PlaceResolver:
    """Resolves place phrases against a :class:`~sitrep.resolve.gazetteer.PlaceIndex`."""

    def __init__(self, gazetteer: PlaceIndex, fuzzy_cutoff: float = RESOLVE_FUZZY_CUTOFF):
        self.gazetteer = gazetteer
        self.fuzzy_cutoff = fuzzy_cutoff
        # Resolution is a pure function of (phrase, context, hint) for one gazetteer; the
        # extractor asks the same phrase several times per article and across articles.
        self._cache: dict[tuple[str, str | None, str | None], PlaceRef | None] = {}
        self._known: dict[str, bool] = {}

    # ---------------------------------------------------------------- one phrase

    def resolve(self, surface: str, *, context_admin1: str | None = None, hint: str | None = None) -> PlaceRef | None:
        """The place a phrase names, or None when nothing in it is known.

        A phrase that is a place by its form ("the village of X", "X countryside", "the X
        crossing") but whose name the gazetteer does not know is kept at the governorate in
        focus (``context_admin1``), geo_precision 3, with the name in ``unresolved``.
        """
        key = (surface, context_admin1, hint)
        if key in self._cache:
            ref = self._cache[key]
        else:
            ref = self._resolve_uncached(surface, context_admin1, hint)
            if len(self._cache) >= _CACHE_MAX:
                self._cache.clear()
            self._cache[key] = ref
        return ref.model_copy(update={"surface": surface}) if ref is not None else None

    def _resolve_uncached(self, surface: str, ctx: str | None, hint: str | None) -> PlaceRef | None:
        if hint == "relative":
            m = _REL_FULL.fullmatch(surface.strip().rstrip(".,;:"))
            if m:
                return self._relative(m, ctx)
        text = _clean(surface)
        if not text:
            return None
        ref = self._resolve(text, ctx, hint)
        strong = hint in _STRONG_HINTS or _KIND_OF.match(text) or _SITE_SUFFIX.match(text) or _CITY_SUFFIX.match(text)
        if ref is None and ctx and (strong or (hint in _CUE_HINTS and _PLACE_WORD.match(text))):
            ref = self._unresolved(text, ctx)
        return ref

    def _unresolved(self, text: str, admin1: str | None) -> PlaceRef | None:
        """The enclosing governorate of a place we cannot find, the name kept for `gazetteer missing`."""
        gov = self._governorate_ref(admin1)
        if gov is None:
            return None
        name = _bare_name(text)
        if not name or normalize_place(name) in _STOP_SURFACES or name.lower() in _GENERIC_WORDS:
            return None
        return gov.model_copy(update={"unresolved": name, "score": 0.5})

    # ---------------------------------------------------------------- relative phrases

    def _relative(self, m: re.Match[str], ctx: str | None) -> PlaceRef | None:
        """"al-Mallah north of Aleppo", "Hunaida, western Raqqa countryside", "the Khalidiya
        neighbourhood in Aleppo city": the inner place, looked for in the outer place's
        governorate (or within RELATIVE_KM of the outer town); a homonym elsewhere is not it.
        An inner name unknown there is kept at the outer place: its governorate (3) when the
        outer is a province or countryside, near the outer town (2) otherwise."""
        first = _LIST_SPLIT.split(m["inner"], maxsplit=1)[0]  # a list: its first place stands for it
        kind = (m["kind"] or "") if first == m["inner"] else ""
        inner = _clean(first + kind)
        name = _bare_name(_clean(first))
        if not name or normalize_place(name) in _STOP_SURFACES:
            return None
        if m["aname"] is not None:
            if not (m["adir"] or m["akw"]):
                return None  # "Aleppo, Idlib and Hama" is a list, not a place and its province
            outer_text, area = m["aname"] + (f" {m['akw']}" if m["akw"] else ""), True
        elif m["rname"] is not None:
            outer_text, area = m["rname"], False
        elif m["nname"] is not None:
            outer_text, area = m["nname"], False
        elif m["fname"] is not None:
            if not m["kind"]:
                return None  # "X of Y" only after a feature word: "the Husayniyah area of Deir Ezzor countryside"
            outer_text, area = m["fname"] + (f" {m['fkw']}" if m["fkw"] else ""), bool(m["fkw"])
        elif m["oname"] is not None:
            outer_text, area = f"{m['oname']} countryside", True
        else:
            kw = (m["ikw"] or "").lower().rstrip("s")
            outer_text, area = m["iname"] + (f" {kw}" if kw else ""), kw not in ("", "city")
        outer = self._resolve(_clean(outer_text), ctx, "province" if area else None)
        if outer is None or outer.unresolved or not outer.admin1:
            return None
        if not area and outer.feature == "admin1":
            area = True
        if not area and m["iname"] is not None:
            if outer.feature == "region":
                area = True  # "Hosh Nasri in Eastern Ghouta": the region's governorate
            elif outer.feature not in ("city", "admin1"):
                return None  # "X in Y" relates X to a province, region or city, not to any village
        oc = outer.admin1
        ref = self._resolve(inner, oc, None)
        if ref is not None and not ref.unresolved and self._related(ref, outer, area):
            return ref
        if not area and ref is not None and ref.feature == "city" and ref.geo_precision == GeoPrecision.PLACE and self._spelled(name, ref):
            return ref  # "the city of Hama near Homs": a city named as spelled is itself, however loosely related
        second = m["oname2"] or m["iname2"]
        if second is not None and ref is not None and not ref.unresolved:
            # "Anadan in the countryside of Idlib and Aleppo", "Binnish and Rastan in Homs and Idlib provinces"
            other = self._resolve(_clean(f"{second} countryside"), ctx, "province")
            if other is not None and other.admin1 and self._related(ref, other, True):
                return ref
        found = self._pick_within(name, oc)
        if found is not None:
            return self._ref(found, 1.0)
        if area:
            gov = self._governorate_ref(oc)
            return gov.model_copy(update={"unresolved": name, "score": 0.5}) if gov else None
        return outer.model_copy(
            update={"unresolved": name, "score": 0.5, "geo_precision": max(outer.geo_precision, GeoPrecision.NEAR)}
        )

    def _spelled(self, name: str, ref: PlaceRef) -> bool:
        """``name`` is one of the place's own spellings (see :func:`_spelled_as`)."""
        record = self.gazetteer.get(ref.place_id) if ref.place_id else None
        return record is not None and _spelled_as(name, record)

    @staticmethod
    def _related(ref: PlaceRef, outer: PlaceRef, area: bool) -> bool:
        if same_area(ref.admin1, outer.admin1):
            return True
        if area or None in (ref.latitude, ref.longitude, outer.latitude, outer.longitude):
            return False
        return haversine_km(ref.latitude, ref.longitude, outer.latitude, outer.longitude) <= RELATIVE_KM

    def _pick_within(self, name: str, admin1: str) -> PlaceRecord | None:
        """The record called ``name`` (key or close spelling) inside ``admin1``, if any."""
        area = {admin1} | {a for pair in _SAME_AREA if admin1 in pair for a in pair}
        records = [r for r in self.gazetteer.lookup(name) if r.admin1 in area and r.feature != "admin1"]
        if not records:
            hits = self.gazetteer.fuzzy(name, limit=10, cutoff=self.fuzzy_cutoff)
            records = [r for r, _ in hits if r.admin1 in area and r.feature != "admin1" and _words_agree(name, r)]
        return _best(records, name, admin1) if records else None

    def _resolve(self, text: str, ctx: str | None, hint: str | None) -> PlaceRef | None:
        near = hint == "near"
        if normalize_place(text) in _STOP_SURFACES:
            return None
        m = _NEAR_PREFIX.match(text)
        if m:
            return self._resolve(_clean(text[m.end():]), ctx, "near")
        if _CAPITAL_RE.match(text):
            capital = self._pick("Damascus", None, settlement_only=True)
            return self._ref(capital[0], 1.0, near=near) if capital else None
        # A whole-phrase alias wins over any reading of its parts ("Damascus countryside",
        # "Eastern Ghouta", "Kuweires military airport").
        whole = self._pick(text, ctx, prefer_admin1=hint == "province")
        if whole is not None:
            return self._ref(whole[0], whole[1], near=near)

        m = _POSSESSIVE.match(text)
        if m:
            return self._possessive(m["outer"], m["inner"], ctx, near)
        m = _KIND_OF.match(text)
        if m:
            return self._kind_of(m["mod"], m["kind"].lower(), m["name"], ctx, near)
        m = _PROVINCE_SUFFIX.match(text)
        if m:
            return self._province(m["name"], ctx)
        m = _COUNTRYSIDE_SUFFIX.match(text) or _RURAL_PREFIX.match(text)
        if m:
            return self._countryside(m["name"], ctx)
        m = _NEAR_SUFFIX.match(text)
        if m:
            return self._resolve(_clean(m["name"]), ctx, "near")
        m = _DISTRICT_SUFFIX.match(text)
        if m:
            return self._district(_clean(m["name"]), ctx)
        m = _DIR_RE.match(text)
        if m:
            # "eastern Aleppo", "northern Hama": part of the place -> precision 2.
            return self._resolve(text[m.end():], ctx, "near")
        m = _CITY_SUFFIX.match(text)
        if m:
            found = self._pick(m["name"], ctx, settlement_only=True)
            return self._ref(*found, near=near) if found else None
        m = _SITE_SUFFIX.match(text)
        if m:
            return self._resolve(_clean(m["name"]), ctx, "near")
        facility = self._facility(text, ctx)
        if facility is not None:
            return facility
        fuzzy = self._fuzzy(text, ctx)
        return self._ref(*fuzzy, near=near) if fuzzy else None

    def _possessive(self, outer: str, inner: str, ctx: str | None, near: bool) -> PlaceRef | None:
        """"Deraa's Tal al-Hara": the inner place, looked up inside the outer one's governorate."""
        outer_ref = self._resolve(_clean(outer), ctx, None)
        inner_ctx = outer_ref.admin1 if outer_ref else ctx
        inner_ref = self._resolve(_clean(inner), inner_ctx, "near" if near else None)
        if inner_ref is not None and (outer_ref is None or inner_ref.admin1 == outer_ref.admin1):
            return inner_ref
        if outer_ref is None:
            return inner_ref
        # Unknown inner place: keep the event at the enclosing governorate (precision 3).
        return self._governorate_ref(outer_ref.admin1) or outer_ref

    def _kind_of(self, mod: str, kind: str, name: str, ctx: str | None, near: bool) -> PlaceRef | None:
        """"the town of Kasab", "the east Damascus neighborhood of Jobar", "the province of Idlib"."""
        name = _clean(name)
        if normalize_place(name) in _STOP_SURFACES:
            return None
        if kind.startswith(("province", "governorate")):
            return self._province(name, ctx)
        if kind in ("countryside",):
            return self._countryside(name, ctx)
        if kind in ("outskirts", "suburbs", "suburb"):
            # "the al-Safira suburbs of Aleppo" names the suburb itself.
            named = self._pick(_clean(mod), self._admin1_in(name) or ctx) if mod.strip() else None
            return self._ref(*named) if named else self._resolve(name, ctx, "near")
        # Modifiers may name the enclosing place ("east Damascus", "Aleppo's"): use its governorate.
        named_area = self._admin1_in(mod)
        inner_ctx = named_area or ctx
        settlement = not kind.startswith(("region", "area", "hill", "mountain", "plain", "valley", "district"))
        found = self._pick(name, inner_ctx, settlement_only=settlement) or self._pick(name, inner_ctx)
        if found is None:
            found = self._fuzzy(name, inner_ctx)
            if found is not None and ctx is not None and found[0].feature != "city" and not same_area(found[0].admin1, ctx):
                # "the village of Qassiab" in a Hasakeh story is a village we do not know there,
                # not a look-alike spelling elsewhere
                within = self._pick_within(name, ctx)
                found = (within, 1.0) if within is not None else None
                if found is None:
                    return self._unresolved(name, ctx)
        if found is None:
            # "areas of Aleppo Monitor AFP": the known name that opens a run-on phrase
            spans = self._gazetteer_spans(name)
            if spans and spans[0][0] == 0:
                found = self._pick(spans[0][2], inner_ctx)
        if found is not None and named_area is not None and not same_area(found[0].admin1, named_area):
            # "Aleppo's neighbourhood of al-Khalidiya" is not Homs' Khalidiya
            within = self._pick_within(name, inner_ctx)
            found = (within, 1.0) if within is not None else None
        if found is None and named_area is not None:
            # "the east Damascus neighborhood of X": unknown X, but the modifier names its area
            return self._unresolved(name, inner_ctx)
        return self._ref(*found, near=near) if found else None

    def _province(self, name: str, ctx: str | None) -> PlaceRef | None:
        name = _DIR_RE.sub("", _clean(name))
        gov = self._governorate_named(name)
        if gov is None:
            ref = self._resolve(name, ctx, None)
            return self._governorate_ref(ref.admin1) if ref else None
        return self._ref(gov, 1.0)

    def _countryside(self, name: str, ctx: str | None) -> PlaceRef | None:
        """"Idlib countryside" -> the governorate (3); "Jisr al-Shughur countryside" -> near the town (2)."""
        name = _ARABIC_DIR_TAIL.sub("", _DIR_RE.sub("", _clean(name)))
        gov = self._governorate_named(name)
        if gov is not None:
            return self._ref(gov, 1.0)
        if name.endswith("s") and not self.gazetteer.lookup(name) and self.gazetteer.lookup(name[:-1], strict=True):
            name = name[:-1]  # "Jisr al-Shughurs countryside": the apostrophe lost
        return self._resolve(name, ctx, "near")

    def _governorate_named(self, name: str) -> PlaceRecord | None:
        """The governorate ``name`` names; "Hamas countryside" (apostrophe lost) is Hama's."""
        gov = self.gazetteer.governorate(name)
        if gov is None and len(name) > 4 and name.endswith("s"):
            gov = self.gazetteer.governorate(name[:-1])
        return gov

    def _district(self, name: str, ctx: str | None) -> PlaceRef | None:
        """"Harim district", "Afrin Subdistrict": the district if known, else near its seat (2)."""
        records = self.gazetteer.lookup(name)
        districts = [r for r in records if r.feature == "district"]
        if districts:
            return self._ref(_best(districts, name, ctx), 1.0)
        quarters = [r for r in records if r.feature in ("quarter", "camp")]
        if quarters:  # "the Sheikh Maqsoud district" is the quarter itself
            return self._ref(_best(quarters, name, ctx), 1.0)
        return self._resolve(name, ctx, "near")

    def _facility(self, text: str, ctx: str | None) -> PlaceRef | None:
        """"Aleppo University Hospital" -> Aleppo, precision 2 (a site in the place, not the place)."""
        words = text.split()
        for cut in range(len(words) - 1, 0, -1):
            rest = [w.lower().strip(".,") for w in words[cut:]]
            if not all(w in _FACILITY_WORDS for w in rest):
                continue
            found = self._pick(" ".join(words[:cut]), ctx)
            if found is not None:
                return self._ref(*found, near=True)
        return None

    # ---------------------------------------------------------------- choosing records

    def _pick(
        self, name: str, ctx: str | None, *, settlement_only: bool = False, prefer_admin1: bool = False
    ) -> tuple[PlaceRecord, float] | None:
        records = self.gazetteer.lookup(name)
        if settlement_only:
            records = [r for r in records if FEATURE_RANK.get(r.feature, 5) <= FEATURE_RANK["landmark"]]
        if prefer_admin1:
            records = [r for r in records if r.feature == "admin1"] or records
        if not records:
            return None
        best = _best(records, name, ctx)
        if ctx is not None and best.feature not in ("city", "admin1") and not same_area(best.admin1, ctx):
            if not _spelled_as(name, best):
                # "Salmiyah" in a Hama story: Salamiyah there, not a key-alike village elsewhere
                within = self._pick_within(name, ctx)
                if within is not None and (not settlement_only or FEATURE_RANK.get(within.feature, 5) <= FEATURE_RANK["landmark"]):
                    return within, 1.0
        return best, 1.0

    def _fuzzy(self, name: str, ctx: str | None) -> tuple[PlaceRecord, float] | None:
        hits = self.gazetteer.fuzzy(name, limit=5, cutoff=self.fuzzy_cutoff)
        hits = [(r, s) for r, s in hits if _words_agree(name, r)]
        if not hits:
            return None
        top = hits[0][1]
        best = _best([r for r, s in hits if s >= top], name, ctx)
        return best, top / 100.0

    def _admin1_in(self, text: str) -> str | None:
        """Governorate of the first known place named in a modifier ("east Damascus")."""
        for m in _NAME_RE.finditer(text):
            whole = m.group()
            for cand in (whole, whole.split()[-1]):
                records = self.gazetteer.lookup(cand)
                if not records and cand.endswith("s") and len(cand) > 4:
                    records = self.gazetteer.lookup(cand[:-1], strict=True)  # "Aleppos" (apostrophe lost)
                if cand != whole:
                    # a last word alone only names an area when it is a city or governorate:
                    # "the Bab Qibli district of Hama" is no village called Qibli
                    records = [r for r in records if r.feature in ("admin1", "city")]
                if records:
                    return records[0].admin1
        return None

    def _governorate_ref(self, admin1: str | None) -> PlaceRef | None:
        gov = self.gazetteer.governorate(admin1) if admin1 else None
        return self._ref(gov, 1.0) if gov else None

    def _ref(self, record: PlaceRecord, score: float, *, near: bool = False) -> PlaceRef:
        return PlaceRef(
            name=record.name,
            place_id=record.place_id,
            admin1=record.admin1,
            admin2=record.admin2,
            latitude=record.lat,
            longitude=record.lon,
            geo_precision=_precision(record, near),
            feature=record.feature,
            score=round(score, 3),
        )

    # ---------------------------------------------------------------- running text

    def candidates_from_text(self, text: str) -> list[tuple[int, int, str, str]]:
        """Place phrases in ``text`` as (start, end, surface, hint), non-overlapping, in order.

        Hints: descriptor, possessive, province, countryside, crossing, direction, near, in,
        gazetteer. Pass ``surface`` and ``hint`` to :meth:`resolve`.
        """
        found: list[tuple[int, int, str, str]] = []
        for hint, pattern in _PATTERNS:
            for m in _finditer(hint, pattern, text):
                start, end = _trim_span(text, m.start(), m.end())
                if end > start:
                    found.append((start, end, text[start:end], hint))
        for hint, pattern in (("near", _NEAR_RE), ("in", _IN_RE), ("verb", _VERB_RE)):
            for m in pattern.finditer(text):
                start, end = _trim_span(text, m.start("name"), m.end("name"))
                if end > start:
                    found.append((start, end, text[start:end], hint))
        found.extend(self._gazetteer_spans(text))
        found.extend(self._relative_spans(text))
        for m in _CAPITAL_PATTERN.finditer(text):
            found.append((m.start(), m.end(), m.group(), "capital"))
        found = list(dict.fromkeys(found))

        kept: list[tuple[int, int, str, str]] = []
        taken: list[tuple[int, int]] = []
        order = sorted(found, key=lambda c: (-(c[1] - c[0]), _HINT_PRIORITY[c[3]], c[0]))
        for cand in order:
            start, end, surface, hint = cand
            if any(start < e and s < end for s, e in taken) or is_attributive(text, end, start):
                continue
            if hint in _CUE_HINTS and not (self._known_surface(surface) or self._cue_place(surface, hint)):
                continue  # "according to al-Halabi": a name the gazetteer knows, or a close spelling of one
            if hint not in _STRONG_HINTS and hint != "gazetteer" and self.resolve(surface, hint=hint) is None:
                continue
            kept.append(cand)
            taken.append((start, end))
        return sorted(kept)

    def _relative_spans(self, text: str) -> list[tuple[int, int, str, str]]:
        """"X north of Y", "X, Y governorate", "X and Z villages in Y countryside": each named place
        is a candidate (hint ``relative``) spanning its own name (and a feature word after the
        last), with the relation as surface ("Z villages in Y countryside"), so it is resolved
        in Y's governorate. A name the gazetteer does not know must look like a place: a feature
        word after it, an article or generic word in it, or a place cue before it."""
        out: list[tuple[int, int, str, str]] = []
        for m in _REL_RE.finditer(text):
            base = m.start("inner")
            items = []
            pos = 0
            for sep in _LIST_SPLIT.finditer(m["inner"]):
                items.append((pos, sep.start()))
                pos = sep.end()
            items.append((pos, len(m["inner"])))
            link_end = len(text[: m.end("link")].rstrip(" ,"))
            relation = text[m.end("inner"):link_end]
            for n, (a, b) in enumerate(items):
                start, stop = base + a, base + b
                inner = text[start:stop]
                if _first_word(inner) in _ORG_WORDS or (inner.isupper() and inner.isalpha()) or inner in _NOT_NAME_WORDS:
                    continue
                bare = _bare_name(_clean(inner))
                if not bare or normalize_place(bare) in _STOP_SURFACES:
                    continue
                known = self._known_surface(bare) or self._cue_place(bare, "in")
                if not known and not (
                    m["kind"] or bare != _clean(inner) or _PLACE_WORD.match(bare) or _ART_START.match(bare)
                    or (n == 0 and _CUE_BEFORE.search(text, max(0, start - 40), start))
                ):
                    continue
                last = n == len(items) - 1
                end = m.end("kind") if last and m["kind"] else stop
                out.append((start, end, inner + relation, "relative"))
        return out

    def _gazetteer_spans(self, text: str) -> list[tuple[int, int, str, str]]:
        """Longest known names inside capitalised runs ("Jisr al-Shughur", "Kafr Nabl")."""
        spans: list[tuple[int, int, str, str]] = []
        for run in _NAME_RE.finditer(text):
            tokens = [(t.start() + run.start(), t.end() + run.start()) for t in _TOKEN_RE.finditer(run.group())]
            if tokens and _first_word(text[tokens[0][0]:tokens[0][1]]) in _ORG_WORDS:
                continue
            # "al-Hassan al-Midan Mosque": a run ending in a facility word is the facility's
            # own name; a known name inside it after an article-led word is no place of it
            facility = len(tokens) > 2 and text[tokens[-1][0]:tokens[-1][1]].lower() in _FACILITY_WORDS
            i = 0
            while i < len(tokens):
                if i > 0 and text[tokens[i - 1][0]:tokens[i - 1][1]].lower() in _NAME_HEADS:
                    i += 1  # "Kafr Hamra" unknown: "Hamra" is not the place named
                    continue
                for j in range(len(tokens), i, -1):
                    start, end = tokens[i][0], tokens[j - 1][1]
                    surface = text[start:end]
                    if j - 1 > i and text[tokens[j - 1][0]:tokens[j - 1][1]].lower() in _ARTICLE_WORDS:
                        continue  # "Tal Al" (the next word is lower case or missing)
                    if i > 0 and j == i + 1 and normalize_place(surface) in _TAIL_KEYS:
                        continue  # "Kabsh Sharqi" unknown: "Sharqi" alone is not it
                    if self._known_surface(surface):
                        if not (facility and 0 < i and j < len(tokens) and _ART_START.match(text[tokens[i - 1][0]:tokens[i - 1][1]])):
                            spans.append((start, end, surface, "gazetteer"))
                        i = j
                        break
                else:
                    i += 1
        return spans

    def _known_surface(self, surface: str) -> bool:
        known = self._known.get(surface)
        if known is None:
            known = self._known_uncached(surface)
            if len(self._known) >= _CACHE_MAX:
                self._known.clear()
            self._known[surface] = known
        return known

    def _known_uncached(self, surface: str) -> bool:
        key = normalize_place(surface)
        if key in _STOP_SURFACES or surface.lower() in _GENERIC_WORDS or surface in _NOT_NAME_WORDS:
            return False
        if surface.isupper() and surface.isalpha():
            return False  # acronyms: SANA, ARA, SOHR, AFP
        return bool(self.gazetteer.lookup(surface, strict=True))

    def _cue_place(self, surface: str, hint: str) -> bool:
        """After a place cue ("in", "near", "shelling on"): a name whose transliteration key is
        known, or a close misspelling of one ("Sheikh Meskin", "Kafrnabal", "Qameshly")."""
        text = _clean(surface)
        key = normalize_place(text)
        if key in _STOP_SURFACES or text.lower() in _GENERIC_WORDS or text in _NOT_NAME_WORDS:
            return False
        if (text.isupper() and text.isalpha()) or _first_word(text) in _ORG_WORDS:
            return False
        if self.gazetteer.lookup(text):
            return True
        return self._fuzzy(text, None) is not None

    def resolve_text(self, text: str, *, context_admin1: str | None = None) -> list[PlaceRef]:
        """Every place phrase in ``text`` resolved, with spans; the governorate in focus is
        ``context_admin1`` or else the one most places in the text fall in."""
        return self.resolve_candidates(self.candidates_from_text(text), context_admin1=context_admin1)

    def resolve_candidates(
        self, cands: list[tuple[int, int, str, str | None]], *, context_admin1: str | None = None
    ) -> list[PlaceRef]:
        """:meth:`resolve_text` on candidates already found (:meth:`candidates_from_text`)."""
        first = [(c, self.resolve(c[2], context_admin1=context_admin1, hint=c[3])) for c in cands]
        if context_admin1 is None:
            counts = Counter(r.admin1 for _, r in first if r is not None and r.admin1 and not r.unresolved)
            if counts:
                context_admin1 = counts.most_common(1)[0][0]
                # Only a name with homonyms (or none found) can change with the context.
                first = [
                    (c, self.resolve(c[2], context_admin1=context_admin1, hint=c[3]) if self._context_matters(c[2], r) else r)
                    for c, r in first
                ]
        return [r.model_copy(update={"span": Span(start=c[0], end=c[1])}) for c, r in first if r is not None]

    def _context_matters(self, surface: str, ref: PlaceRef | None) -> bool:
        if ref is None or ref.unresolved:
            return True
        return len(self.gazetteer.lookup(_bare_name(_clean(surface)) or surface)) != 1


# --------------------------------------------------------------------------- helpers


def _clean(surface: str) -> str:
    text = surface.strip().strip("\"“”‘’'.,;:").strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    text = re.sub(r"\s+", " ", text)
    text = _LEADING_THE.sub("", text)
    text = _COUNTRY_PREFIX.sub("", text)
    return re.sub(r"['’]s$", "", text).strip()


def area_of(admin1: str | None) -> str | None:
    """The area reporters mean by a governorate: "Rural Damascus" is Damascus's."""
    for pair in _SAME_AREA:
        if admin1 in pair:
            return min(pair)
    return admin1


def same_area(a: str | None, b: str | None) -> bool:
    """Whether two governorates are one area to reporters (see :func:`area_of`)."""
    return area_of(a) == area_of(b)


def _spelled_as(name: str, record: PlaceRecord) -> bool:
    """``name`` is one of the record's own spellings, not a loose key match ("Adra" is no "Adraa")."""
    spelled = _spelling(name)
    return any(_spelling(n) == spelled for n in record.all_names)


_ART_START = re.compile(r"^(?:al|el|ash|as|ad|an|ar|at|az|ez)[- ]", re.I)


def _first_word(text: str) -> str:
    return re.split(r"[\s-]", text.lower(), maxsplit=1)[0]


def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the" and trailing words that cannot be part of a name ("Idlib Monday")."""
    piece = text[start:end]
    m = _LEADING_THE.match(piece)
    if m:
        start += m.end()
        piece = piece[m.end():]
    words = list(re.finditer(r"\S+", piece))
    for w in words[1:]:
        if w.group().strip(".,;:") in _NOT_NAME_WORDS:
            return start, start + len(piece[: w.start()].rstrip())
    return start, end


def _spelling(name: str) -> str:
    return spelling(name)


#: Each word of a misspelt name must still resemble a word of the place's name (rapidfuzz
#: ratio on word keys): "Maarrat al-Na'asan" is not "Maarrat al-Numan" though the whole-name
#: ratio is 90, while "Sheikh Meskin" is "Ash Shaykh Miskin".
WORD_AGREEMENT = 70.0


def _word_keys(name: str) -> list[str]:
    return [k for k in (normalize_place(w) for w in re.split(r"[\s-]+", name)) if k]


def _words_agree(name: str, record: PlaceRecord) -> bool:
    from rapidfuzz import fuzz

    words = _word_keys(name)
    if len(words) < 2:
        return True
    for other in record.all_names:
        if not other.isascii():
            continue
        theirs = _word_keys(other)
        if theirs and all(max(fuzz.ratio(w, t) for t in theirs) >= WORD_AGREEMENT for w in words):
            return True
    return False


def _finditer(hint: str, pattern: re.Pattern[str], text: str):
    """``pattern.finditer(text)``, run only around the hint's keyword when it has one."""
    keyword = _KEYWORD_OF_HINT.get(hint)
    if keyword is None:
        yield from pattern.finditer(text)
        return
    seen: set[tuple[int, int]] = set()
    for k in keyword.finditer(text):
        lo = max(0, k.start() - _WINDOW)
        if lo:
            space = text.find(" ", lo, k.start())
            lo = space + 1 if space != -1 else lo
        for m in pattern.finditer(text, lo, min(len(text), k.end() + _WINDOW)):
            if m.span() not in seen and m.start() <= k.start() < m.end() + 1:
                seen.add(m.span())
                yield m


_DESCRIPTOR_WORDS = re.compile(
    rf"^(?:(?:{_DIR})\s+)?(?:(?:the\s+)?(?:{_KIND})\s+of\s+)?|\s+(?:{_KIND}|crossing|border crossing|airbase|dam)$", re.I
)


def _bare_name(text: str) -> str:
    """The name inside a place phrase: "the village of Tal Qarqar" -> "Tal Qarqar"."""
    m = _POSSESSIVE.match(text)
    if m:
        text = m["inner"]
    prev = None
    while prev != text:
        prev, text = text, _DESCRIPTOR_WORDS.sub("", text).strip()
    return _LEADING_THE.sub("", text).strip()


def _best(records: list[PlaceRecord], name: str, ctx: str | None) -> PlaceRecord:
    spelled = _spelling(name)

    def key(r: PlaceRecord) -> tuple[int, int, int, int]:
        exact = 0 if any(_spelling(n) == spelled for n in r.all_names) else 1
        in_ctx = 0 if ctx is None or r.admin1 == ctx or r.feature == "city" else 1
        return (in_ctx, exact, FEATURE_RANK.get(r.feature, 5), -r.population)

    return min(records, key=key)


def _precision(record: PlaceRecord, near: bool) -> GeoPrecision:
    if record.feature == "admin1":
        return GeoPrecision.REGION
    if near or record.feature in _REGIONAL:
        return GeoPrecision.NEAR
    return GeoPrecision.PLACE


@lru_cache(maxsize=1)
def default_resolver() -> PlaceResolver:
    """A resolver over the packaged gazetteer, built once per process."""
    return PlaceResolver(default_gazetteer())
