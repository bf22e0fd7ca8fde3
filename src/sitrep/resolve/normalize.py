"""Transliteration-aware place-name keys.

Arabic place names reach English text through several transliteration habits at once
(French: *Cheikh*, *Foua*; scholarly: *Dayr az Zawr*, *Ma'arrat al-Nu'man*; journalistic:
*Deir ez-Zor*, *Maarat al-Numan*). :func:`normalize_place` maps a name to a key on which
those variants collide while different places (Hama/Homs, Harasta/Hasaka) stay apart.

The key is a deliberately lossy skeleton, used only for lookups, never shown to people:

1. fold: Unicode diacritics off, case-folded, parenthetical qualifiers dropped
   ("Homs (Hims)" -> "homs"), ayn/hamza marks removed (``' ` ’ ʿ ʾ``);
2. words: split on hyphens/spaces; articles dropped wherever they stand (al-, el-, ash-,
   ez- ...) including the assimilated form glued to a following word ("Ezzor" -> "zor");
   a few generic words unified (Kfar/Kfr/Kafar -> kafr, Jbel -> jabal, Cheikh -> shaykh);
3. letters, on the joined string: kh->k, q->k, gh->g, ch->sh, ou/oo/o->u, ee->i,
   ay/ai/ei/ey before a consonant -> i (Dayr/Deir/Dair, Qusayr/Qusair, Shaykh/Sheikh),
   aw before a consonant -> u (Zawr/Zor, Hawran/Horan), y->i, uw->w (Suwayda/Sweida),
   final -ah/-eh -> a, e->a (Deraa/Daraa, Tell/Tal, Jebel/Jabal), doubled letters
   collapsed, and a final -a dropped on keys longer than three letters (Hasaka/Hasakeh).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Articles as separate words after splitting on hyphens and spaces ("al-Foua", "ash Shughur").
_ARTICLES = frozenset(
    "al el il ul al' ad ed an en ar er as es at et az ez ash esh ath adh ed the".split()
)

# Letters that are not decomposed by NFKD but have an obvious Latin base.
_SPECIAL = str.maketrans({"ı": "i", "ø": "o", "ð": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d"})

# Ayn, hamza and apostrophe-like marks: "Ma'arrat", "Nu`man", "ʿAyn", "A’zaz".
_MARKS = re.compile(r"['`’‘ʿʾʼʻ´′]")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SPLIT = re.compile(r"[^\w]+|_")

# Generic words of place names written several ways (whole-word match).
_WORD_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(("kfar", "kfr", "kafar", "kefr", "kefar", "kafer"), "kafr"),
    **dict.fromkeys(("jbel", "jebl", "djebel", "jabl"), "jabal"),
    **dict.fromkeys(("cheikh", "shekh", "sheik", "shaikh", "sheikh", "sheykh", "shaykh", "chaikh"), "shaykh"),
    **dict.fromkeys(("tall", "tell", "tel", "tal"), "tal"),
}

# Article glued to the next word: sun-letter "Ezzor", "Essalam", or "Elfijeh", "Almashayekh"
# (not in first position, where names like "Azzaz" or "Alma" are words themselves).
_FUSED_ARTICLE = re.compile(r"^[ae](sh|th|dh|[tdszrn])(?=\1)|^[ae]l(?=[^aeiouy\W]\w{2,})")

_VOWELS = "aeiou"
_LETTER_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"sch", "sh"),
        (r"tch", "sh"),
        (r"ch", "sh"),
        (r"kh", "k"),
        (r"gh", "g"),
        (r"ph", "f"),
        (r"dj", "j"),
        (r"ck", "k"),
        (r"q", "k"),
        (r"c", "k"),
        (r"x", "ks"),
        (r"ou|oo|o", "u"),
        (r"ee", "i"),
        (r"(?:ay|ai|ei|ey)(?=[^aeiou]|$)", "i"),
        (r"aw(?=[^aeiou]|$)", "u"),
        (r"y", "i"),
        (r"uw", "w"),
        (r"[ae]h$", "a"),
        (r"e", "a"),
        (r"(.)\1+", r"\1"),
    )
)


def fold(name: str) -> str:
    """Case-folded, diacritic-free text with ayn/hamza marks removed; spacing kept."""
    text = unicodedata.normalize("NFKD", name.translate(_SPECIAL))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _MARKS.sub("", text.translate(_SPECIAL).casefold())


def name_words(name: str) -> list[str]:
    """Folded words of a name without articles, generic words unified (step 2 of the key)."""
    text = _PARENS.sub(" ", fold(name))
    raw = [w for w in _SPLIT.split(text) if w]
    words: list[str] = []
    for i, word in enumerate(raw):
        if word in _ARTICLES and len(raw) > 1:
            continue
        if i > 0:
            word = _FUSED_ARTICLE.sub("", word)
        words.append(_WORD_SYNONYMS.get(word, word))
    return words


@lru_cache(maxsize=65536)
def spelling(name: str) -> str:
    """A name's words joined, without articles, case or diacritics: "al-Foua" and "Foua" share
    it, "Fouaa" does not (the exact-spelling test of lookups, before transliteration rules)."""
    return "".join(name_words(name))


@lru_cache(maxsize=65536)  # pure function of a short string; names repeat across documents
def normalize_place(name: str) -> str:
    """A lookup key on which transliteration variants of one place name collide.

    >>> normalize_place("Deir ez-Zor") == normalize_place("Dayr az Zawr") == normalize_place("Deir Ezzor")
    True
    """
    key = "".join(name_words(name))
    if not key or not key.isascii():
        # Arabic or other scripts: keep the folded form; the Latin rules would only damage it.
        return key
    for pattern, repl in _LETTER_RULES:
        key = pattern.sub(repl, key)
    if len(key) > 3 and key.endswith("a"):
        key = key[:-1]
    return key
