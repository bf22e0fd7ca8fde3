"""Who says so: the source a sentence attributes its report to.

Finds the reporting frame of one sentence with patterns over the raw text (no parser):

* trailing    "..., the report said."  "..., activists and state media said."
* inverted    "..., said Rami Abdel-Rahman, the director of the Observatory."
* leading     "Syria's state SANA news agency claimed on Sunday that ..."
              "The Syrian army command issued a statement saying that ..."
              "Al-Nusra accused Assad forces of ..."   "A commander told ARA News ..."
* according   "according to the Britain-based Syrian Observatory for Human Rights"

The claimant is classified with the sources knowledge base
(``sitrep.resolve.sources.default_source_kb().classify``); while that is unavailable, or
when it does not know the name, a small table of generic source words decides
("activists", "state media", "insurgents", "the Observatory").

``is_claim`` is True when the verb makes it an allegation ("claimed", "accused") or the
claimant is a party to the war speaking for itself: an armed group, a government, or
state media (the Syrian government's voice). ``is_denial`` is True for "denied",
"rejected", "dismissed".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from sitrep.schema import SourceType


class Attribution(BaseModel):
    """The source one sentence cites."""

    model_config = ConfigDict(extra="forbid")

    claimant: str  # canonical name when the sources KB knows it, else the cleaned surface
    surface: str  # the words in the sentence
    span: tuple[int, int]  # [start, end) of ``surface`` in the sentence
    verb: str  # said, reported, claimed, according to, accused, denied, announced, told, confirmed
    claimant_type: SourceType = SourceType.UNKNOWN
    is_claim: bool = False
    is_denial: bool = False
    via: str | None = None  # the outlet a source spoke to ("told ARA News")
    is_pronoun: bool = False


#: Surface verb → the verb we report. Longest forms first in the pattern.
_VERBS: dict[str, str] = {
    "said": "said", "says": "said", "say": "said", "stated": "said", "states": "said", "added": "said",
    "insisted": "said", "wrote": "said", "tweeted": "said", "posted": "said",
    "issued a statement saying": "said", "said in a statement": "said", "in a statement said": "said",
    "reported": "reported", "reports": "reported", "report": "reported", "documented": "reported", "recorded": "reported",
    "claimed": "claimed", "claims": "claimed", "claim": "claimed", "alleged": "claimed", "alleges": "claimed",
    "boasted": "claimed",
    "accused": "accused", "accuses": "accused", "accuse": "accused", "blamed": "accused", "blames": "accused",
    "denied": "denied", "denies": "denied", "deny": "denied", "rejected": "denied", "dismissed": "denied",
    "announced": "announced", "announces": "announced", "declared": "announced",
    "told": "told", "tells": "told",
    "confirmed": "confirmed", "confirms": "confirmed",
    "put the death toll at": "reported", "put the toll at": "reported", "gave a toll of": "reported",
}  # fmt: skip
_CLAIM_VERBS = frozenset({"claimed", "accused"})
_DENIAL_VERBS = frozenset({"denied"})
#: Source types that speak for a side of the war: what they say is that side's claim.
_PARTY_TYPES = frozenset({SourceType.PARTY, SourceType.STATE_MEDIA, SourceType.GOVERNMENT})

_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "the latter", "the former"})
#: Words that end a claimant phrase read backwards from its verb.
_STOP_BACK = frozenset(
    "that which who whom whose when while as but if because after before since although though where "
    "was were is are be been being has have had do does did not never also and/or "
    "killed wounded captured seized reported shelled struck".split()
)
_LEADING_JUNK = re.compile(r"^(?:(?:also|but|and|meanwhile|however|separately|earlier|later|in addition|moreover|yet|so|then)\b[\s,]*)+", re.I)
#: A claimant phrase needs a capitalized word or one of these nouns.
_SOURCE_NOUNS = frozenset(
    "observatory monitor activists activist media agency tv television radio report reports statement group "
    "source sources official officials ministry army command military commander spokesman spokeswoman spokesperson "
    "residents witnesses insurgents rebels militants jihadists fighters opposition government regime forces "
    "doctors medics medic workers correspondent journalists journalist reporter network website channel outlet "
    "coalition alliance council committee committees organisation organization ngo police authorities governor "
    "helmets defence defense authority representative envoy mission experts analysts worker rescuer rescuers".split()
)

#: Generic source words, for claimants the sources KB does not (yet) classify. Checked in order.
_FALLBACK_TYPES: tuple[tuple[SourceType, tuple[str, ...]], ...] = (
    (SourceType.STATE_MEDIA, ("state media", "state tv", "state television", "state news agency", "state-run", "state run",
                              "sana", "syrian arab news agency", "ikhbariya", "official media", "government media",
                              "state-owned", "regime media")),
    (SourceType.MONITOR, ("observatory", "sohr", "white helmets", "civil defense", "civil defence", "snhr",
                          "network for human rights", "united nations", "un ", "human rights watch", "amnesty",
                          "monitor", "violations documentation", "airwars", "ocha", "unicef", "who ")),
    (SourceType.ACTIVISTS, ("activists", "activist", "coordination committees", "residents", "witnesses", "medics",
                            "doctors", "local council")),
    (SourceType.PARTY, ("army", "military", "command", "defence ministry", "defense ministry", "rebels", "rebel",
                        "insurgents", "militants", "jihadists", "the group", "nusra", "hts", "hayat tahrir", "isis",
                        "islamic state", "isil", "daesh", "hezbollah", "ypg", "sdf", "fsa", "free syrian army", "jaish",
                        "ahrar", "spokesman", "commander", "regime", "government forces", "opposition fighters",
                        "faction", "brigade", "battalion", "militia", "fighters", "syrian government", "kremlin")),
    (SourceType.GOVERNMENT, ("ministry", "government", "state department", "pentagon", "foreign minister",
                             "white house", "embassy", "president")),
    (SourceType.INTERNATIONAL_MEDIA, ("reuters", "afp", "agence france", "associated press", "bbc", "al jazeera",
                                      "cnn", "xinhua", "anadolu", "dpa")),
    (SourceType.LOCAL_MEDIA, ("ara news", "smart news", "enab baladi", "orient news", "step news", "qasioun")),
)  # fmt: skip

_VERB_RX = re.compile(r"\b(?:" + "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(_VERBS, key=len, reverse=True)) + r")\b", re.I)
_ACCORDING_RX = re.compile(r"\baccording\s+to\s+", re.I)
_TRAILING_JUNK = re.compile(
    r"\s+(?:[a-z]+ly|also|later|then|again|yesterday|today|tonight|(?:on\s+|last\s+|this\s+)?"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?)$"
)
_WORD_RX = re.compile(r"[A-Za-z0-9][\w'’.&-]*")
_CAPS_RUN = re.compile(r"(?:[A-Z][\w'’&.-]*|of|for|the|al|el|de)(?:\s+(?:[A-Z][\w'’&.-]*|of|for|the|al|el|de))*")


@dataclass
class _Hit:
    start: int  # claimant span in the sentence
    end: int
    verb: str
    pos: int  # where the frame starts (for ranking)
    via: str | None = None
    trailing: bool = False


# --------------------------------------------------------------------------- claimant phrases


#: "x a monitor", "x the Observatory": a determiner not governed by a preposition before it
_INNER_DET = re.compile(r"(?<!\bof)(?<!\bfor)(?<!\bto)(?<!\bat)(?<!\bfrom)(?<!\bwith)(?<!\bin)(?<!\bby)\s+((?:a|an|the)\s)", re.I)


def _np_before(sentence: str, end: int) -> tuple[int, int] | None:
    """The noun phrase that ends at ``end`` (the subject of a reporting verb)."""
    words = list(_WORD_RX.finditer(sentence[:end]))
    start = None
    count = 0
    for w in reversed(words):
        gap = sentence[w.end() : (start if start is not None else end)]
        if re.search(r"[,;:()\"“”]|\s[-–—]\s", gap):
            break
        low = w.group().lower()
        if low in _STOP_BACK or count >= 10:
            break
        start = w.start()
        count += 1
    if start is None:
        return None
    phrase = sentence[start:end].rstrip()
    junk = _LEADING_JUNK.match(phrase)
    if junk:
        start += junk.end()
    phrase = sentence[start:end].rstrip()
    # trailing adverbs and times are not part of the source: "SANA additionally", "the ministry on Sunday"
    while True:
        tail = _TRAILING_JUNK.search(phrase)
        if not tail or tail.start() == 0:
            break
        phrase = phrase[: tail.start()].rstrip()
    return (start, start + len(phrase)) if phrase else None


def _np_after(sentence: str, start: int) -> tuple[int, int] | None:
    """A capitalized name or "the <Source>" starting at ``start`` ("said Rami Abdel-Rahman")."""
    m = re.match(r"\s*((?:the\s+|a\s+)?" + _CAPS_RUN.pattern + ")", sentence[start:])
    if not m:
        return None
    s, e = start + m.start(1), start + m.end(1)
    text = sentence[s:e]
    # trailing function words are not part of the name
    trimmed = re.sub(r"(?:\s+(?:of|for|the|al|el|de))+$", "", text)
    return s, s + len(trimmed)


def _np_according(sentence: str, start: int) -> tuple[int, int] | None:
    """The source after "according to": up to a comma, a clause word or the end."""
    rest = sentence[start:]
    m = re.match(r"[^,;:.()“”\"]+?(?=\s*(?:[,;:()“”\"]|\.(?:\s|$)|$|\s+(?:on|in|which|who|that|as|while|when)\s))", rest)
    if not m:
        return None
    return start, start + len(m.group().rstrip())


def _looks_like_source(text: str) -> bool:
    words = text.split()
    if not words:
        return False
    if any(w[:1].isupper() for w in words):
        return True
    return any(re.sub(r"(?:['’]s?)?[.,]*$", "", w.lower()) in _SOURCE_NOUNS for w in words)


def _is_pronoun(text: str) -> bool:
    return text.strip().lower() in _PRONOUNS


# --------------------------------------------------------------------------- finding frames


def _frames(sentence: str) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in _ACCORDING_RX.finditer(sentence):
        np = _np_according(sentence, m.end())
        if np:
            hits.append(_Hit(np[0], np[1], "according to", m.start(), trailing=sentence[np[1] :].strip(" .\"”'") == ""))
    for m in _VERB_RX.finditer(sentence):
        surface = re.sub(r"\s+", " ", m.group().lower())
        verb = _VERBS[surface]
        if m.group()[:1].isupper() and sentence[: m.start()].strip(" “\"'"):
            continue  # "the United States", "Reports" as a title: not a verb mid-sentence
        after = sentence[m.end() :]
        before = sentence[: m.start()]
        if verb == "claimed" and re.match(r"\s+(?:the\s+)?(?:lives|life)\b", after, re.I):
            continue  # "claimed the lives of": a toll, not a source
        if re.search(r"\b(?:was|were|is|are|been|being|be|widely|previously|the|a|an|its|their|his|her)\s+$", before, re.I):
            continue  # passive or adjective: "clashes were reported", "the reported attack"
        if surface == "added" and re.search(r",\s*$", before):
            continue
        # inverted: ", said Rami Abdel-Rahman, ..." / "” said the Observatory"
        if re.search(r"[,“”\"]\s*$", before) and verb in ("said", "reported", "claimed", "announced", "confirmed"):
            np = _np_after(sentence, m.end())
            if np and _looks_like_source(sentence[np[0] : np[1]]):
                hits.append(_Hit(np[0], np[1], verb, m.start(), trailing=True))
                continue
        np = _np_before(sentence, m.start())
        if np is None:
            continue
        text = sentence[np[0] : np[1]]
        if not (_looks_like_source(text) or _is_pronoun(text)):
            continue
        via = None
        if verb == "told":
            v = _np_after(sentence, m.end())
            if v and sentence[v[0] : v[1]][:1].isupper():
                via = sentence[v[0] : v[1]]
        trailing = bool(re.search(r",\s*$", sentence[: np[0]])) and sentence[m.end() :].strip(" .\"”'") == ""
        hits.append(_Hit(np[0], np[1], verb, np[0], via=via, trailing=trailing))
    return hits


# --------------------------------------------------------------------------- classification


#: One pattern per type: any of its words, standing alone
_FALLBACK_RX: tuple[tuple[SourceType, re.Pattern[str]], ...] = tuple(
    (st, re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w.strip()) for w in words) + r")(?!\w)")) for st, words in _FALLBACK_TYPES
)


def _fallback_type(name: str) -> SourceType:
    low = f" {name.lower()} "
    for st, rx in _FALLBACK_RX:
        if rx.search(low):
            return st
    return SourceType.UNKNOWN


def classify_claimant(name: str) -> tuple[str, SourceType]:
    """(canonical name, type) from the sources KB, else (name, type from generic source words)."""
    try:
        from sitrep.resolve.sources import default_source_kb  # written alongside; may not exist yet
    except ImportError:
        canonical, st = name, SourceType.UNKNOWN
    else:
        canonical, st = default_source_kb().classify(name)
    if st == SourceType.UNKNOWN:
        st = _fallback_type(name)
    return canonical, st


def _clean(surface: str) -> str:
    text = re.sub(r"\s+", " ", surface).strip(" ,.'\"“”")
    text = re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I)
    return re.sub(r"^[\w-]+-based\s+", "", text)  # "the Britain-based Syrian Observatory ..."


def _own_phrase(surface: str) -> str:
    """The source's own words at the end of a phrase read back from its verb.

    A later article opens the source when the text before it is not its head ("... in Khan
    Sheikhun on Tuesday a monitor", the commas lost in scraping); "the head of the
    Observatory", "a spokesman for the army" keep their head. The span stays whole: what the
    commas would have separated is still ambiguous, so it is not read as the event's words.
    """
    inner = [m for m in _INNER_DET.finditer(surface) if m.start() > 0]
    if inner and _looks_like_source(surface[inner[-1].start(1) :]):
        return surface[inner[-1].start(1) :]
    return surface


def _build(sentence: str, hit: _Hit) -> Attribution:
    surface = sentence[hit.start : hit.end]
    pronoun = _is_pronoun(surface)
    joint_party = True
    if pronoun:
        canonical, st = surface, SourceType.UNKNOWN
    else:
        canonical, st = classify_claimant(_clean(_own_phrase(surface)))
        parts = [p for p in re.split(r"\s+and\s+|\s*,\s*", _clean(surface)) if p]
        if len(parts) > 1:
            # "activists and state media said": a joint report is a party's claim only if every voice is a party
            kinds = [classify_claimant(p)[1] for p in parts]
            st = next((k for k in kinds if k != SourceType.UNKNOWN), st)
            joint_party = all(k in _PARTY_TYPES for k in kinds)
        if st == SourceType.UNKNOWN and hit.trailing and hit.verb == "said":
            # "said X, the director of the Observatory": the apposition names the organisation
            appos = re.match(r",\s*(?:the|a|an)\s+([^,.;]+)", sentence[hit.end :])
            if appos:
                _, st = classify_claimant(appos.group(1))
    return Attribution(
        claimant=canonical,
        surface=surface,
        span=(hit.start, hit.end),
        verb=hit.verb,
        claimant_type=st,
        is_claim=hit.verb in _CLAIM_VERBS or (st in _PARTY_TYPES and joint_party),
        is_denial=hit.verb in _DENIAL_VERBS,
        via=hit.via,
        is_pronoun=pronoun,
    )


def find_attributions(sentence: str, *, keep_pronouns: bool = False) -> list[Attribution]:
    """Every reporting frame in the sentence, in text order."""
    out = [_build(sentence, h) for h in sorted(_frames(sentence), key=lambda h: h.pos)]
    return [a for a in out if keep_pronouns or not a.is_pronoun]


def find_attribution(sentence: str, *, keep_pronouns: bool = False) -> Attribution | None:
    """The source the sentence as a whole is attributed to, or None (the outlet itself).

    A trailing frame ("..., the Observatory said.") governs the whole sentence and wins;
    then "according to"; then the first frame. Pronoun claimants ("he said") are
    dropped unless ``keep_pronouns``, since only the caller can resolve them.
    """
    hits = sorted(_frames(sentence), key=lambda h: h.pos)
    if not hits:
        return None
    ranked = sorted(hits, key=lambda h: (not h.trailing, h.verb != "according to", h.pos))
    for h in ranked:
        a = _build(sentence, h)
        if keep_pronouns or not a.is_pronoun:
            return a
    return None
