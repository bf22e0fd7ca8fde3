"""Casualty figures in one sentence: who died or was hurt, how many, and how sure.

Works on the raw sentence with a small tokenizer and the tables in
``kb/casualty_patterns.yaml``; no parser is needed, so it is cheap enough to run on
every sentence. A number becomes a claim only when a death or injury word is beside it
("killing dozens of civilians", "10 rebels were killed", "the death toll rose to 17");
other numbers ("1,000 women detained", "a 12-hour curfew") are left alone.

Every claim carries its *role* in ``Claim.qualifier`` so that callers never add up
figures that overlap (``schema.Claim`` has no role field yet):

=========================  ==========================================================
qualifier                  meaning
=========================  ==========================================================
None                       an exact figure ("three people died", "a dozen people")
"at least", "more than",   the figure's hedge; ``low`` is set for "at least"/"more
"up to", "about", ...      than", ``high`` for "up to"
"dozens", "scores", ...    a vague quantity, coded at its most conservative reading
"between"                  a range: ``low``/``high`` set, ``value`` = ``low``
"including[ <hedge>]"      a SUBSET of an earlier figure in the sentence ("56,
                           including 20 children"): never added to the total
"cumulative[ <hedge>]"     a war or campaign toll ("6,000 people since January"):
                           not one event's deaths
"killed or captured",      deaths unknown: ``value`` None, ``low`` 0, ``high`` = figure
"killed or wounded"
"casualties"               "casualties"/"victims" with nothing in the sentence saying
                           deaths: ``value`` None, ``low`` 0, ``high`` = figure. ACLED
                           counts deaths only, so an undifferentiated casualty figure
                           is only an upper bound on deaths.
=========================  ==========================================================

"no reported casualties" gives a fatality claim of 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from statistics import median_low

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sitrep.errors import KnowledgeError
from sitrep.schema import Claim, Span

KB_DIR = Path(__file__).resolve().parents[1] / "kb"
PATTERNS_PATH = KB_DIR / "casualty_patterns.yaml"

SUBSET = "including"
CUMULATIVE = "cumulative"
AMBIGUOUS_QUALIFIERS = ("killed or captured", "killed or wounded", "casualties")


# --------------------------------------------------------------------------- knowledge


class VagueQuantity(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phrase: str
    value: int = Field(ge=0)
    exact: bool = False


class VictimCategory(BaseModel):
    model_config = ConfigDict(extra="forbid")

    civilian: bool | None
    generic: bool = False
    words: list[str] = Field(min_length=1)


class CasualtyPatterns(BaseModel):
    """The tables of ``casualty_patterns.yaml``, validated."""

    model_config = ConfigDict(extra="forbid")

    version: int
    valid_from: date
    valid_to: date | None = None
    units: dict[str, int]
    tens: dict[str, int]
    multipliers: dict[str, int]
    vague: list[VagueQuantity]
    modifiers: dict[str, str]
    death_verbs_before: list[str]
    death_words_after: list[str]
    injury_verbs_before: list[str]
    injury_words_after: list[str]
    casualty_words: list[str]
    death_context: list[str]
    toll_nouns: list[str]
    toll_links: list[str]
    victims: dict[str, VictimCategory]
    victim_fillers: list[str]
    subset_before: list[str]
    cumulative_patterns: list[str]
    cumulative_above: int = Field(ge=1)
    zero_patterns: list[str]
    measure_units: list[str]


def load_patterns(path: Path = PATTERNS_PATH) -> CasualtyPatterns:
    return _load_patterns(path)


@lru_cache(maxsize=4)
def _load_patterns(path: Path) -> CasualtyPatterns:
    # cached by the path alone: ``load_patterns()`` and ``load_patterns(PATTERNS_PATH)`` read the file once
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(str(path), f"cannot read: {exc}") from exc
    try:
        pats = CasualtyPatterns.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise KnowledgeError(str(path), f"entry {loc}: {first['msg']}") from exc
    for i, rx in enumerate(pats.cumulative_patterns + pats.zero_patterns):
        try:
            re.compile(rx)
        except re.error as exc:
            raise KnowledgeError(str(path), f"pattern {i} {rx!r}: {exc}") from exc
    return pats


@lru_cache(maxsize=4)
def _compiled(path: Path = PATTERNS_PATH) -> _Compiled:
    return _Compiled.build(load_patterns(path))


def warm_up() -> None:
    """Read and compile the packaged patterns now rather than on the first sentence."""
    _compiled()


class _PhraseTable(dict):
    """Phrase (token tuple) -> value, knowing the words phrases start with: most tokens start
    none, and :func:`_match_phrase` then answers without building a key per length."""

    def __init__(self, items):
        super().__init__(items)
        #: first word -> the length of the longest phrase starting with it
        self.firsts: dict[str, int] = {}
        for k in self:
            if k:
                self.firsts[k[0]] = max(self.firsts.get(k[0], 0), len(k))


def _phrases(words: list[str]) -> _PhraseTable:
    return _PhraseTable({tuple(w.lower().split()): w.lower() for w in words})


@dataclass(frozen=True)
class _Compiled:
    """Lookup tables derived once from the patterns (multi-word phrases as token tuples)."""

    p: CasualtyPatterns
    modifiers: _PhraseTable  # phrase -> str
    vague: _PhraseTable  # phrase -> VagueQuantity
    death_after: _PhraseTable
    injury_after: _PhraseTable
    casualty: _PhraseTable
    victim: _PhraseTable  # phrase -> category
    fillers: frozenset[str]
    measure: frozenset[str]
    number_words: frozenset[str]  # units, tens and multipliers: the words a cardinal is made of
    death_before_rx: re.Pattern[str]
    injury_before_rx: re.Pattern[str]
    toll_rx: re.Pattern[str]
    subset_rx: re.Pattern[str]
    death_context_rx: re.Pattern[str]
    cumulative_rx: list[re.Pattern[str]]
    zero_rx: list[re.Pattern[str]]

    @staticmethod
    def build(p: CasualtyPatterns) -> _Compiled:
        def alt(words: list[str]) -> str:
            return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))

        victim: dict[tuple[str, ...], str] = {}
        for cat, vc in p.victims.items():
            for w in vc.words:
                victim[tuple(w.lower().split())] = cat
        return _Compiled(
            p=p,
            modifiers=_PhraseTable({tuple(k.lower().split()): v for k, v in p.modifiers.items()}),
            vague=_PhraseTable({tuple(v.phrase.lower().split()): v for v in p.vague}),
            death_after=_phrases(p.death_words_after),
            injury_after=_phrases(p.injury_words_after),
            casualty=_phrases(p.casualty_words),
            victim=_PhraseTable(victim),
            fillers=frozenset(w.lower() for w in p.victim_fillers),
            measure=frozenset(w.lower() for w in p.measure_units),
            number_words=frozenset(p.units) | frozenset(p.tens) | frozenset(p.multipliers),
            death_before_rx=re.compile(rf"\b(?:{alt(p.death_verbs_before)})\s*$", re.I),
            injury_before_rx=re.compile(rf"\b(?:{alt(p.injury_verbs_before)})\s*$", re.I),
            toll_rx=re.compile(
                rf"\b(?P<noun>{alt(p.toll_nouns)})\b(?:\s+[\w'’-]+){{0,8}}?\s+(?:{alt(p.toll_links)})(?:\s+(?:to|at))?\s*$", re.I
            ),
            subset_rx=re.compile(rf"\b(?:{alt(p.subset_before)})\s*$", re.I),
            death_context_rx=re.compile(rf"\b(?:{alt(p.death_context)})\b", re.I),
            cumulative_rx=[re.compile(rx, re.I) for rx in p.cumulative_patterns],
            zero_rx=[re.compile(rx, re.I) for rx in p.zero_patterns],
        )


# --------------------------------------------------------------------------- tokens

_TOKEN_RX = re.compile(r"\d[\d,.]*\d|\d|[A-Za-z]+(?:['’-][A-Za-z]+)*|[^\sA-Za-z\d]")
_MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_AUX = frozenset(
    "were was are is have has had been being be reportedly all also later allegedly either both subsequently "
    "who that apparently initially so far may might could would believed thought feared to be reported".split()
)
_LEFT_OR_RX = re.compile(
    r"\b(?P<a>kill(?:ed|ing|s)?|wound(?:ed|ing|s)?|injur(?:ed|ing|es)?)\s+(?:or|and(?:/or)?)\s+"
    r"(?P<b>captur\w*|wound\w*|injur\w*|arrest\w*|abduct\w*|detain\w*|kill\w*|tak\w+\s+prisoner)\s*$",
    re.I,
)
_RIGHT_OR_RX = re.compile(r"^\s+(?:or|and(?:/or)?)\s+(?P<b>captured|wounded|injured|arrested|abducted|detained|killed|taken\s+prisoner)\b", re.I)
#: "death toll from X [at least] N" without a verb, as headlines write it
_HEADLINE_TOLL_RX = re.compile(r"\bdeath\s+toll\s+(?:from|in|of)\s+(?:[\w'’-]+\s+){1,6}$", re.I)
_LOST_RX = re.compile(r"\blost\s*$", re.I)
#: Words that may follow a bare toll ("killed 12 in Aleppo"); any other lowercase word
#: means the number counts something else ("the dead were taken to 3 hospitals").
_FOLLOW_OK = frozenset(
    "in on at from after during near across and or as when while since including inside around along with "
    "overnight yesterday today according last this early late earlier later so by among".split()
)
_COORD_RX = re.compile(r",?\s*(?:and|as\s+well\s+as|plus|along\s+with)\s+", re.I)
#: Between two coordinated figures: "and", "as well as", a comma, or nothing (wire copy without commas)
_COORD_GAP = re.compile(r"\s*,?\s*(?:(?:and|as\s+well\s+as|plus)\s+)?", re.I)
_CLAUSE_BREAK = re.compile(r"[;:]|\bbut\b|\bwhile\b|\bwhereas\b", re.I)


@dataclass
class _Tok:
    text: str
    low: str
    start: int
    end: int


def _tokens(sentence: str) -> list[_Tok]:
    return [_Tok(m.group(), m.group().lower(), m.start(), m.end()) for m in _TOKEN_RX.finditer(sentence)]


@dataclass
class _Quantity:
    start: int  # char offsets in the sentence
    end: int
    value: int
    low: int | None
    high: int | None
    qualifier: str | None  # hedge or vague word
    tok_end: int  # index of the first token after the quantity
    article: bool = False  # "a"/"an" read as one: needs a victim noun to count


def _match_phrase(toks: list[_Tok], i: int, table: _PhraseTable, max_len: int) -> tuple[int, object] | None:
    """Longest phrase of ``table`` starting at token i: (number of tokens, value)."""
    longest = table.firsts.get(toks[i].low) if i < len(toks) else None
    if longest is None:
        return None
    for n in range(min(max_len, longest, len(toks) - i), 0, -1):
        key = tuple(t.low for t in toks[i : i + n])
        if key in table:
            return n, table[key]
    return None


def _parse_words(toks: list[_Tok], i: int, p: CasualtyPatterns) -> tuple[int, int] | None:
    """A cardinal in words at token i ("forty-two", "two hundred and five"): (value, tokens used)."""
    parts: list[tuple[str, int]] = []  # (word, token index it came from)
    j = i
    while j < len(toks):
        low = toks[j].low
        if low == "and" and parts and parts[-1][0] in p.multipliers and j + 1 < len(toks):
            j += 1
            continue
        pieces = low.split("-")
        if not all(w in p.units or w in p.tens or w in p.multipliers for w in pieces):
            break
        parts.extend((w, j) for w in pieces)
        j += 1
    if not parts or parts[0][0] in p.multipliers:
        return None
    total, current, last_kind, used = 0, 0, None, 0
    for w, tok_i in parts:
        if w in p.units or w in p.tens:
            kind = "unit" if w in p.units else "ten"
            # "two five" or "forty thirty" are two numbers, not one: stop before the second
            if last_kind == "unit" or (last_kind == "ten" and kind == "ten"):
                break
            current += p.units.get(w) or p.tens.get(w) or 0
            last_kind = kind
        else:
            mult = p.multipliers[w]
            if mult == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * mult
                current = 0
            last_kind = "mult"
        used = tok_i - i + 1
    return total + current, used


_DIGITS_RX = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def _digits(tok: _Tok) -> int | None:
    t = tok.text
    if _DIGITS_RX.fullmatch(t):
        return int(t.replace(",", ""))
    return None


def _number_at(toks: list[_Tok], i: int, c: _Compiled) -> tuple[int, int, str | None, bool] | None:
    """(value, tokens used, vague word or None, is_article) for a number starting at token i."""
    low = toks[i].low
    if not (low in c.vague.firsts or low in ("a", "an") or low[:1].isdigit() or low.split("-", 1)[0] in c.number_words):
        return None  # most words: no vague quantity, article, digits or number word starts here
    hit = _match_phrase(toks, i, c.vague, 4)  # type: ignore[arg-type]
    if hit:
        n, vq = hit
        return vq.value, n, None if vq.exact else vq.phrase, False  # type: ignore[union-attr]
    if low in ("a", "an") and i + 1 < len(toks) and toks[i + 1].low in ("hundred", "thousand"):
        mult = c.p.multipliers[toks[i + 1].low]
        return mult, 2, None, False
    if low in ("a", "an"):
        return 1, 1, None, True
    v = _digits(toks[i])
    if v is not None:
        return v, 1, None, False
    words = _parse_words(toks, i, c.p)
    if words:
        return words[0], words[1], None, False
    return None


def _is_not_a_count(toks: list[_Tok], i: int, j: int, c: _Compiled, *, range_end: bool = False) -> bool:
    """Years, days of the month, clock times and measures ("12-hour", "5 km") are not head counts."""
    tok = toks[i]
    prev = toks[i - 1].low if i > 0 else ""
    nxt = toks[j].low if j < len(toks) else ""
    if nxt == "-" and j + 1 < len(toks):
        nxt2 = toks[j + 1].low
        if nxt2 in c.measure or (nxt2.isdigit() and len(toks[i].text) == 4):
            return True
    if nxt in c.measure or nxt in ("st", "nd", "rd", "th", "%"):
        return True
    if prev in _MONTHS or nxt in _MONTHS or prev in ("$", "£", "€", "no", "number", "no."):
        return True
    if not range_end and prev == "-" and i >= 2 and toks[i - 2].text[:1].isdigit():
        return True  # the tail of "2015-03-28" or "20-30" read on its own
    if re.fullmatch(r"(?:19|20)\d\d", tok.text):
        return True  # a year; a toll of 1,950 is written with a comma
    if "." in tok.text:
        return True  # decimals ("1.5 million") are not event tolls we can read
    return prev == ":"  # clock times


def _quantities(toks: list[_Tok], c: _Compiled) -> list[_Quantity]:
    out: list[_Quantity] = []
    i = 0
    while i < len(toks):
        start_i = i
        qualifier = None
        mod = _match_phrase(toks, i, c.modifiers, 4)  # type: ignore[arg-type]
        if mod:
            n, qualifier = mod
            i += n
        elif toks[i].low == "a" and [t.low for t in toks[i : i + 3]] == ["a", "total", "of"]:
            i += 3  # "a total of 14 fighters": an exact figure, not the article "a"
        if i < len(toks) and toks[i].low == "between":
            a = _number_at(toks, i + 1, c) if i + 1 < len(toks) else None
            if a and not a[3] and i + 1 + a[1] < len(toks) and toks[i + 1 + a[1]].low == "and":
                k = i + 2 + a[1]
                b = _number_at(toks, k, c) if k < len(toks) else None
                if b and not b[3]:
                    end_i = k + b[1]
                    out.append(_Quantity(toks[start_i].start, toks[end_i - 1].end, a[0], a[0], b[0], "between", end_i))
                    i = end_i
                    continue
        num = _number_at(toks, i, c) if i < len(toks) else None
        if num is None:
            i = start_i + 1
            continue
        value, used, vague, article = num
        end_i = i + used
        if not article and _is_not_a_count(toks, i, end_i, c):
            i = end_i
            continue
        low, high = None, None
        # ranges: "20-30", "20 to 30", "three or four"
        if end_i + 1 < len(toks) and toks[end_i].low in ("-", "–", "to", "or") and not article and not vague:
            b = _number_at(toks, end_i + 1, c)
            if b and not b[3] and b[2] is None and b[0] > value and not _is_not_a_count(
                toks, end_i + 1, end_i + 1 + b[1], c, range_end=True
            ):
                low, high = value, b[0]
                end_i = end_i + 1 + b[1]
                qualifier = qualifier or "between"
        if qualifier in ("at least", "more than") and low is None:
            low = value
        if qualifier == "up to" and high is None:
            high = value
        q = _Quantity(toks[start_i].start, toks[end_i - 1].end, value, low, high, qualifier or vague, end_i, article)
        out.append(q)
        i = end_i
    return out


# --------------------------------------------------------------------------- context


@dataclass
class _Right:
    victims: str | None = None
    kind: str | None = None  # "fatalities" | "injuries" | "casualties"
    end: int = 0
    or_word: str | None = None
    of_the: bool = False  # "two of the slain": a part of a toll already given


#: Death or injury words that, after "N of the", name a group already counted.
_OF_THE_NOUNS = frozenset({"dead", "slain", "killed", "victims", "casualties", "wounded", "injured", "bodies", "martyrs"})


def _scan_right(sentence: str, toks: list[_Tok], j: int, c: _Compiled) -> _Right:
    """Victim noun and death/injury word after a figure: "40 regime troops", "were killed"."""
    r = _Right()
    seen_of = False
    in_name = False
    specific = False
    proper = 0
    steps = 0
    while j < len(toks) and steps < 9:
        steps += 1
        t = toks[j]
        for table, kind in ((c.death_after, "fatalities"), (c.injury_after, "injuries"), (c.casualty, "casualties")):
            hit = _match_phrase(toks, j, table, 3)  # type: ignore[arg-type]
            if hit:
                r.kind, r.end = kind, toks[j + hit[0] - 1].end
                r.of_the = seen_of and r.victims is None and t.low in _OF_THE_NOUNS
                m = _RIGHT_OR_RX.match(sentence[r.end :])
                if m:
                    r.or_word = m.group("b").lower()
                    r.end += m.end()
                return r
        hit = _match_phrase(toks, j, c.victim, 5)  # type: ignore[arg-type]
        if hit:
            n, cat = hit
            is_generic = c.p.victims[cat].generic  # type: ignore[index]
            if r.victims is None or (not specific and not is_generic):
                r.victims = cat  # type: ignore[assignment]
                specific = specific or not is_generic
            r.end = toks[j + n - 1].end
            j += n
            continue
        if t.low in c.fillers or t.low in _AUX or t.low.startswith(("pro-", "anti-")):  # "13 pro-Assad fighters"
            seen_of = seen_of or (t.low == "of" and steps == 1)
            in_name = t.low == "of" and r.victims is not None  # "47 leaders of Ahrar al-Sham killed"
            j += 1
            continue
        if t.low in ("including", "among", "mostly", "mainly") and r.victims is not None and r.kind is None:
            # the same part without commas (wire copy that lost its punctuation):
            # "11 civilians including three children were killed"
            k = _skip_part(toks, j + 1, c)
            if k > j + 1:
                j = k
                continue
        if t.text in (",", "-", "–", "—"):
            # skip a parenthetical part: "12 people, including four children, were killed",
            # "23 civilians - including nine children - dead"
            rest = sentence[t.end :]
            close = "," if t.text == "," else re.escape(t.text)
            m = re.match(
                rf"\s*(?:including|among\s+them|mostly|mainly|most\s+of\s+them|many\s+of\s+them)\b[^,;.–—-]{{0,80}}{close}", rest, re.I
            )
            if m:
                end = t.end + m.end()
                while j < len(toks) and toks[j].start < end:
                    j += 1
                continue
            break
        name_word = t.text[:1].isupper() or (proper > 0 and t.low.startswith(("al-", "el-")))  # "Jund al-Aqsa"
        if name_word and (r.victims is None or in_name) and proper < 4:
            proper += 1  # "12 Hezbollah fighters", "40 Kurdish troops", "7 members of Jund al-Aqsa"
            j += 1
            continue
        break
    return r


def _verb_before_figure(toks: list[_Tok], end: int, c: _Compiled) -> bool:
    """The token after char offset ``end`` starts a figure: the word before it is that figure's verb."""
    k = next((i for i, t in enumerate(toks) if t.start >= end), None)
    if k is None:
        return False
    mod = _match_phrase(toks, k, c.modifiers, 4)  # type: ignore[arg-type]
    if mod:
        k += mod[0]
    if k >= len(toks):
        return False
    num = _number_at(toks, k, c)
    return num is not None and not num[3]


def _skip_part(toks: list[_Tok], k: int, c: _Compiled) -> int:
    """After 'including'/'among': past 'them'/figures/victim words/'and' ('three children and two women')."""
    start, steps = k, 0
    while k < len(toks) and steps < 12:
        steps += 1
        t = toks[k]
        if t.low in ("them", "at", "least", "and", "whom") or t.low in c.fillers:
            k += 1
            continue
        mod = _match_phrase(toks, k, c.modifiers, 4)  # type: ignore[arg-type]
        if mod:
            k += mod[0]
            continue
        num = _number_at(toks, k, c)
        if num is not None:
            k += num[1]
            continue
        hit = _match_phrase(toks, k, c.victim, 5)  # type: ignore[arg-type]
        if hit:
            k += hit[0]
            continue
        break
    # only a part made of figures and victims counts; otherwise leave the sentence alone
    return k if k > start + 1 else start


@dataclass
class _Left:
    kind: str | None = None  # "fatalities" | "injuries" | "casualties" | "subset" | "or" | "lost"
    start: int | None = None
    or_word: str | None = None


def _scan_left(before: str, c: _Compiled) -> _Left:
    """The words just before a figure: "killing", "killed or captured", "the death toll rose to"."""
    m = c.subset_rx.search(before)
    if m:
        return _Left("subset", m.start())
    m = _LEFT_OR_RX.search(before)
    if m:
        a, b = m.group("a").lower(), m.group("b").lower()
        other = b if a.startswith("kill") else a
        return _Left("or", m.start(), other) if (a.startswith("kill") or b.startswith("kill")) else _Left("injuries", m.start())
    m = c.death_before_rx.search(before)
    if m:
        return _Left("fatalities", m.start())
    m = c.injury_before_rx.search(before)
    if m:
        return _Left("injuries", m.start())
    m = c.toll_rx.search(before)
    if m:
        noun = m.group("noun").lower()
        kind = "casualties" if "casualt" in noun or "victims" in noun else "fatalities"
        return _Left(kind, m.start())
    m = _HEADLINE_TOLL_RX.search(before)
    if m:
        return _Left("fatalities", m.start())  # headline style: "Death toll from Aleppo bomb attack at least 112"
    m = _LOST_RX.search(before)
    if m:
        return _Left("lost", m.start())
    return _Left()


def _victims_before(toks: list[_Tok], pos: int, c: _Compiled) -> str | None:
    """A victim word just before a toll noun: "the *civilian* death toll", "total *civilian* casualties"."""
    before = [t for t in toks if t.end <= pos][-2:]
    for t in reversed(before):
        cat = c.victim.get((t.low,))
        if cat is not None:
            return cat
    return None


def _or_qualifier(word: str | None) -> str:
    if word and (word.startswith("wound") or word.startswith("injur")):
        return "killed or wounded"
    return "killed or captured"


def _compose(role: str, hedge: str | None) -> str:
    return f"{role} {hedge}" if hedge else role


# --------------------------------------------------------------------------- public


def extract_casualties(sentence: str, *, offset: int = 0) -> list[Claim]:
    """Fatality and injury figures in one sentence, as claims with spans into the article.

    ``offset`` is the sentence's start in ``Article.text``. ``claimant`` is left None:
    the caller fills it from :func:`sitrep.extract.attribution.find_attribution`.
    Subset and cumulative figures are returned too, marked in ``qualifier`` (see the
    module docstring); :func:`conservative_fatalities` skips them.
    """
    c = _compiled()
    toks = _tokens(sentence)
    quantities = _quantities(toks, c)
    # read only when there is a figure to qualify (most sentences have none)
    says_deaths = bool(quantities) and bool(c.death_context_rx.search(sentence))
    cumulative = bool(quantities) and any(rx.search(sentence) for rx in c.cumulative_rx)
    claims: list[Claim] = []
    taken: list[tuple[int, int]] = []
    pending: tuple[_Quantity, _Right] | None = None

    for q in quantities:
        before = sentence[: q.start]
        # only look back within the clause: "..., but 12 were arrested" is not a toll
        brk = list(_CLAUSE_BREAK.finditer(before))
        left = _scan_left(before[brk[-1].end() :] if brk else before, c)
        if brk and left.start is not None:
            left.start += brk[-1].end()
        right = _scan_right(sentence, toks, q.tok_end, c)
        if q.article and right.victims is None:
            continue  # "a" is a number only in "a soldier was killed"
        if right.victims is None and right.kind is None and q.tok_end < len(toks):
            nxt = toks[q.tok_end].text
            of_them = nxt.lower() == "of" and q.tok_end + 1 < len(toks) and toks[q.tok_end + 1].low in ("them", "whom", "those")
            if nxt[:1].islower() and nxt.lower() not in _FOLLOW_OK and not of_them:
                continue

        kind: str | None = None
        role: str | None = None
        or_word: str | None = None
        if left.kind == "subset" or right.of_the:
            role = SUBSET
            head = next((cl for cl in reversed(claims) if cl.kind in ("fatalities", "injuries")), None)
            if right.kind in ("fatalities", "injuries"):
                kind = right.kind
            elif head is not None:
                kind = head.kind
            elif says_deaths:
                kind = "fatalities"
        elif left.kind == "or":
            kind, or_word = "fatalities", left.or_word
        elif left.kind in ("fatalities", "injuries") and right.kind in ("fatalities", "injuries") and right.kind != left.kind:
            # wire copy without commas: "two children killed 5 others injured" -- the word after
            # the figure is its own; the one before belongs to the previous figure -- unless the
            # word after is a verb taking the next figure ("Kills 3 Wounds 20")
            kind = left.kind if _verb_before_figure(toks, right.end, c) else right.kind
        elif left.kind in ("fatalities", "injuries", "casualties"):
            kind = left.kind
        elif left.kind == "lost" and right.victims not in (None, "civilians", "children", "women"):
            kind = "fatalities"
        elif right.kind is not None:
            kind = right.kind
            or_word = right.or_word
        elif claims and right.victims is not None and not is_subset(claims[-1]):
            # "killed 6 soldiers and 4 rebels": a figure coordinated with the last one shares its verb
            prev_end = claims[-1].span.end - offset if claims[-1].span else -1
            conj = _COORD_RX.match(sentence, prev_end) if prev_end >= 0 else None
            if conj and conj.end() == q.start:
                kind = claims[-1].kind
        if kind is None:
            if right.victims is not None and role is None:
                pending = (q, right)  # "16 civilians and three children were killed": the verb comes later
            continue

        victims = right.victims
        if victims is None and left.start is not None and left.kind in ("fatalities", "casualties"):
            victims = _victims_before(toks, left.start, c)  # "total civilian casualties ... reached 56"

        value: int | None = q.value
        low, high, hedge = q.low, q.high, q.qualifier
        if kind == "fatalities" and or_word is not None and not or_word.startswith("kill"):
            role = role or _or_qualifier(or_word)
            value, low, high = None, 0, q.high or q.value
        elif kind == "injuries" and or_word is not None and or_word.startswith("kill"):
            # "wounded or killed" read from the injury side: deaths unknown
            kind, role = "fatalities", "killed or wounded"
            value, low, high = None, 0, q.high or q.value
        elif kind == "casualties":
            kind = "fatalities"
            if not says_deaths:
                role = role or "casualties"
                value, low, high = None, 0, q.high or q.value
        if role is None and (cumulative or (q.value > c.p.cumulative_above and kind == "fatalities")):
            role = CUMULATIVE

        start = min(q.start, left.start) if left.start is not None else q.start
        end = max(q.end, right.end)
        if role != SUBSET and any(s <= q.start < e for s, e in taken):
            continue
        taken.append((start, end))
        if pending is not None and role is None and value is not None and _COORD_GAP.fullmatch(sentence[pending[1].end : q.start]):
            # the figure coordinated before this one shares its verb: "16 civilians and three children
            # were killed", "40 civilians 25 fighters killed" (wire copy without commas)
            pq, pr = pending
            claims.append(
                Claim(
                    kind=kind,  # type: ignore[arg-type]
                    value=pq.value,
                    low=pq.low,
                    high=pq.high,
                    qualifier=pq.qualifier,
                    victims=pr.victims,
                    text=sentence[pq.start : pr.end],
                    span=Span(start=pq.start + offset, end=pr.end + offset),
                )
            )
        pending = None
        claims.append(
            Claim(
                kind=kind,  # type: ignore[arg-type]
                value=value,
                low=low,
                high=high,
                qualifier=_compose(role, hedge) if role else hedge,
                victims=victims,
                text=sentence[start:end],
                span=Span(start=start + offset, end=end + offset),
            )
        )

    if not any(cl.kind == "fatalities" for cl in claims):
        for rx in c.zero_rx:
            m = rx.search(sentence)
            if m:
                claims.append(
                    Claim(kind="fatalities", value=0, text=m.group(), span=Span(start=m.start() + offset, end=m.end() + offset))
                )
                break
    return claims


def is_subset(claim: Claim) -> bool:
    """A part of another figure in the same report ("including ten children")."""
    return bool(claim.qualifier and claim.qualifier.startswith(SUBSET))


def is_cumulative(claim: Claim) -> bool:
    """A war or campaign toll, not one event's deaths."""
    return bool(claim.qualifier and claim.qualifier.startswith(CUMULATIVE))


def is_upper_bound(claim: Claim) -> bool:
    """Deaths unknown, at most ``high`` ("killed or captured dozens", undifferentiated casualties)."""
    return claim.value is None and claim.high is not None


def victims_are_civilian(victims: str | None) -> bool | None:
    """True for civilians/children/women, False for combatants, None when unknown ("people")."""
    if victims is None:
        return None
    cat = load_patterns().victims.get(victims)
    return cat.civilian if cat else None


def _event_figures(claims: list[Claim]) -> list[Claim]:
    return [
        c
        for c in claims
        if c.kind == "fatalities" and c.value is not None and not is_subset(c) and not is_cumulative(c)
    ]


def _claimant_totals(claims: list[Claim]) -> dict[str | None, tuple[int, int]]:
    """Per claimant: (conservative total, high total).

    Within one claimant, figures for disjoint victim groups add up ("5 soldiers and 3
    rebels"); repeated figures for the same group are alternatives (the lowest counts);
    a generic figure ("12 people") already covers the specific ones, so the larger wins.
    """
    by_claimant: dict[str | None, list[Claim]] = {}
    for c in claims:
        by_claimant.setdefault(c.claimant, []).append(c)
    out: dict[str | None, tuple[int, int]] = {}
    pats = load_patterns()
    for who, cs in by_claimant.items():
        low_by: dict[str, int] = {}
        high_by: dict[str, int] = {}
        generic_low, generic_high = None, None
        for c in cs:
            v = c.value if c.value is not None else 0
            hi = max(v, c.high or 0)
            cat = pats.victims.get(c.victims or "")
            if c.victims is None or (cat is not None and cat.generic and c.victims == "people"):
                generic_low = v if generic_low is None else min(generic_low, v)
                generic_high = hi if generic_high is None else max(generic_high, hi)
            else:
                low_by[c.victims] = min(low_by.get(c.victims, v), v)
                high_by[c.victims] = max(high_by.get(c.victims, hi), hi)
        lo = sum(low_by.values())
        hi = sum(high_by.values())
        if generic_low is not None:
            lo, hi = max(lo, generic_low), max(hi, generic_high or 0)
        out[who] = (lo, hi)
    return out


def conservative_fatalities(claims: list[Claim]) -> int | None:
    """The lowest credible death toll for one event, or None when no figure says deaths.

    Skips subsets, cumulative tolls and upper-bound-only figures. Figures from different
    claimants are alternatives, not sums: the lowest claimant total wins. A zero ("no
    reported casualties") counts only when nobody gives a positive figure.
    """
    figures = _event_figures(claims)
    if not figures:
        return None
    totals = [lo for lo, _ in _claimant_totals(figures).values()]
    positive = [t for t in totals if t > 0]
    return min(positive) if positive else 0


def fatality_range(claims: list[Claim]) -> tuple[int | None, int | None, int | None]:
    """(low, best, high) deaths for one event across claimants.

    low is :func:`conservative_fatalities`; best is the (lower) median of the claimants'
    totals; high is the largest figure anyone gives, including upper bounds from
    "killed or wounded" and undifferentiated casualty counts.
    """
    figures = _event_figures(claims)
    bounds = [
        c.high
        for c in claims
        if c.kind == "fatalities" and c.high is not None and not is_subset(c) and not is_cumulative(c)
    ]
    if not figures:
        return (0 if bounds else None), None, (max(bounds) if bounds else None)
    totals = _claimant_totals(figures)
    lows = [lo for lo, _ in totals.values()]
    positive = [t for t in lows if t > 0] or [0]
    best = median_low(positive)
    high = max([hi for _, hi in totals.values()] + bounds)
    return min(positive), best, max(high, best)
