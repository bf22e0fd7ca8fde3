"""Source resolution: outlet and claimant names -> a known source, its type and scale.

``kb/sources.yaml`` lists outlets, monitors and parties with a :class:`~sitrep.schema.SourceType`,
a leaning and an ACLED scale. :class:`SourceKB` recognises them inside the phrases articles
use ('the Britain-based Syrian Observatory for Human Rights', "Syria's state SANA news
agency"): an alias matches when the phrase holds it as whole words and every other word is a
filler word listed in the file. Aliases marked ``contextual`` ('state TV', 'the Observatory')
match only as the whole phrase, because 'Iranian state TV' is not SANA.

:meth:`SourceKB.classify` also types claimants that are not listed: an armed actor of the
actor knowledge base or a phrase such as 'the group said' is a party; 'residents' are
activists/witnesses; anything else is kept by name with type ``unknown``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from sitrep.kb.models import Source, SourceFile, load_yaml
from sitrep.resolve.actors import name_words
from sitrep.schema import Inter, SourceType

if TYPE_CHECKING:
    from sitrep.resolve.actors import ActorKB

SOURCES_PATH = Path(__file__).resolve().parents[1] / "kb" / "sources.yaml"

#: rapidfuzz ``ratio`` cut-off for misspelt outlet names ('Syrian Observatory for Human Right').
FUZZY_CUTOFF = 90.0
FUZZY_MIN_LEN = 6

_PARENS = re.compile(r"\([^)]*\)")
#: Classified names remembered per SourceKB (cleared when full).
_CACHE_SIZE = 8192

#: ACLED's source_scale labels for the scale values of sources.yaml, most local first: a
#: combination of scales is written lowest-highest ('Other-National', 'National-International').
SCALE_LABELS: dict[str, str] = {
    "new_media": "New media",
    "other": "Other",
    "local": "Subnational",
    "subnational": "Subnational",
    "national": "National",
    "regional": "Regional",
    "international": "International",
}
_SCALE_RANK = {label: i for i, label in enumerate(dict.fromkeys(SCALE_LABELS.values()))}
#: Scale given to an outlet nobody listed (ACLED's residual category).
UNKNOWN_SCALE = "Other"


def source_key(text: str) -> str:
    """Folded words of a source phrase (possessive, 'the', hyphens and case removed)."""
    return " ".join(name_words(text))


def _contains(words: Sequence[str], part: Sequence[str]) -> int | None:
    """Start of ``part`` as a contiguous run inside ``words``, or None."""
    n = len(part)
    if not n:
        return 0
    words, part = tuple(words), tuple(part)
    first = part[0]
    i = -1
    while True:
        try:
            i = words.index(first, i + 1, len(words) - n + 1)
        except ValueError:
            return None
        if words[i : i + n] == part:
            return i


@dataclass(frozen=True)
class _Alias:
    words: tuple[str, ...]
    source: Source
    contextual: bool


class SourceKB:
    """Sources in memory; build with :meth:`load` (reads the file) or from a validated model."""

    def __init__(self, data: SourceFile, actors: ActorKB | None = None):
        self.data = data
        self.actors = actors
        self._by_id = {s.id: s for s in data.sources}
        self._exact: dict[str, Source] = {}
        self._compact: dict[str, Source] = {}
        aliases: list[_Alias] = []
        for src in data.sources:
            # a name that is also listed as contextual ('The Guardian' / 'Guardian') is contextual too
            context_keys = {source_key(a) for a in src.contextual}
            forms = [(src.name, False), *((a, False) for a in src.aliases), *((a, True) for a in src.contextual)]
            for text, contextual in forms:
                key = source_key(text)
                if not key:
                    continue
                contextual = contextual or key in context_keys
                self._exact.setdefault(key, src)
                self._compact.setdefault(key.replace(" ", ""), src)
                if not contextual:
                    aliases.append(_Alias(tuple(key.split()), src, contextual))
        # longest aliases first, so 'Syrian Observatory for Human Rights' beats 'Syrian Observatory'
        self._aliases = sorted(aliases, key=lambda a: -len(a.words))
        # rank of each alias by its first word: a phrase is checked only against aliases that
        # start with one of its words (the phrase matcher runs for every claimant of every article)
        self._classified: dict[str, tuple[str, SourceType]] = {}
        self._by_first: dict[str, list[int]] = {}
        for rank, alias in enumerate(self._aliases):
            self._by_first.setdefault(alias.words[0], []).append(rank)
        self._fillers = frozenset(w for f in data.filler_words for w in source_key(f).split())
        self._fuzzy = sorted(k for k in self._exact if len(k) >= FUZZY_MIN_LEN)
        self._cues = [
            (SourceType.STATE_MEDIA, [tuple(source_key(c).split()) for c in data.state_media_cues]),
            (SourceType.PARTY, [tuple(source_key(c).split()) for c in data.party_cues]),
            (SourceType.ACTIVISTS, [tuple(source_key(c).split()) for c in data.activist_cues]),
        ]

    @classmethod
    def load(cls, path: Path | None = None, *, actors: ActorKB | None = None) -> SourceKB:
        """Read and validate ``kb/sources.yaml`` (or ``path``); ``actors`` lets classify spot parties."""
        return cls(load_yaml(path or SOURCES_PATH, SourceFile), actors)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self):
        return iter(self._by_id.values())

    def get(self, source_id: str) -> Source | None:
        return self._by_id.get(source_id)

    # ------------------------------------------------------------------ matching
    def match(self, name: str | None) -> Source | None:
        """The listed source ``name`` refers to, or None."""
        if not name or not name.strip():
            return None
        if "(" in name:
            # 'the Kurdish Hawar news agency (ANHA)': the phrase without the brackets, then inside them
            outer = _PARENS.sub(" ", name)
            inner = " ".join(m.strip("()") for m in _PARENS.findall(name))
            return self._match_phrase(outer) or self._match_phrase(inner)
        return self._match_phrase(name)

    def _match_phrase(self, name: str) -> Source | None:
        key = source_key(name)
        if not key:
            return None
        if key in self._exact:
            return self._exact[key]
        words = tuple(key.split())
        ranks = sorted({r for w in set(words) for r in self._by_first.get(w, ())})
        for alias in (self._aliases[r] for r in ranks):
            start = _contains(words, alias.words)
            if start is None:
                continue
            rest = words[:start] + words[start + len(alias.words) :]
            if all(w in self._fillers for w in rest):
                return alias.source
        domain = _domain_label(name)
        if domain and domain in self._compact:
            return self._compact[domain]
        if len(key) >= FUZZY_MIN_LEN:
            best = process.extractOne(key, self._fuzzy, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if best is not None:
                return self._exact[best[0]]
        return None

    def classify(self, name: str | None) -> tuple[str, SourceType]:
        """(canonical name, type) of an outlet or claimant; unknown ones keep their name."""
        cleaned = " ".join((name or "").split())
        # claimants repeat across articles ('the Observatory', 'SANA'): remember the answers
        hit = self._classified.get(cleaned)
        if hit is None:
            if len(self._classified) >= _CACHE_SIZE:
                self._classified.clear()
            hit = self._classified[cleaned] = self._classify(cleaned)
        return hit

    def _classify(self, cleaned: str) -> tuple[str, SourceType]:
        src = self.match(cleaned)
        if src is not None:
            return src.name, src.type
        if self.actors is not None and cleaned:
            ref = self.actors.match(cleaned, country=None)
            if ref is not None and ref.inter not in (Inter.CIVILIANS, Inter.PROTESTERS, Inter.RIOTERS):
                # an armed actor speaking for itself; generic ones ('the rebels') keep the words
                named = not self.actors.is_generic(ref.actor_id)
                return (ref.name if named else cleaned), SourceType.PARTY
        words = tuple(source_key(cleaned).split())
        present = set(words)
        for kind, cues in self._cues:
            if any(cue and cue[0] in present and _contains(words, cue) is not None for cue in cues):
                return cleaned, kind
        return cleaned, SourceType.UNKNOWN

    def category(self, name: str | None) -> str:
        """What kind of voice ``name`` is ('monitor', 'humanitarian', 'opposition media',
        'international wire', 'party to the conflict' ...); 'unknown' for an unlisted outlet,
        which is still recorded by its name (see :meth:`classify`)."""
        src = self.match(name)
        if src is not None:
            return src.kind
        if name and self.classify(name)[1] == SourceType.PARTY:
            return "party to the conflict"
        return "unknown"

    def scale(self, name: str) -> str:
        """ACLED scale label of one outlet ('International', 'National', ...)."""
        src = self.match(name)
        return SCALE_LABELS[src.scale] if src is not None else UNKNOWN_SCALE

    def source_scale(self, outlets: Iterable[str]) -> str:
        """ACLED's source_scale for a set of outlets: one label, or 'lowest-highest'.

        Listed outlets decide; unlisted ones count only when no outlet is listed.
        """
        labels = {SCALE_LABELS[s.scale] for s in (self.match(o) for o in outlets if o) if s is not None}
        if not labels:
            return UNKNOWN_SCALE
        ranked = sorted(labels, key=_SCALE_RANK.__getitem__)
        return ranked[0] if len(ranked) == 1 else f"{ranked[0]}-{ranked[-1]}"


def _domain_label(name: str) -> str | None:
    """'www.enabbaladi.net' -> 'enabbaladi'; None when ``name`` is not a domain or URL."""
    text = name.strip().lower()
    for prefix in ("https://", "http://"):
        text = text.removeprefix(prefix)
    host = text.split("/", 1)[0]
    if " " in host or "." not in host:
        return None
    labels = [p for p in host.split(".") if p and p not in ("www", "m", "english", "en", "ar")]
    return labels[0].replace("-", "") if len(labels) >= 2 else None


@lru_cache(maxsize=1)
def default_source_kb() -> SourceKB:
    """The packaged source list with the packaged actor knowledge base, loaded once per process."""
    from sitrep.resolve.actors import default_actor_kb

    return SourceKB.load(actors=default_actor_kb())


def source_scale(outlets: Iterable[str]) -> str:
    """ACLED source_scale of outlets with the packaged source list (see :meth:`SourceKB.source_scale`)."""
    return default_source_kb().source_scale(outlets)


def classify_source(name: str | None) -> tuple[str, SourceType]:
    """:meth:`SourceKB.classify` with the packaged source list."""
    return default_source_kb().classify(name)


__all__ = ["SCALE_LABELS", "SOURCES_PATH", "SourceKB", "classify_source", "default_source_kb", "source_key", "source_scale"]
