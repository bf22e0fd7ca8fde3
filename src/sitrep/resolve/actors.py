"""Actor resolution: surface text -> the knowledge-base actor and its name on a date.

The actor knowledge base is the YAML files in ``kb/actors/`` (one per conflict theatre,
validated by :mod:`sitrep.kb.models`). :class:`ActorKB` indexes their names, aliases,
descriptive references and associated sub-groups under a normalised key and answers:

- :meth:`ActorKB.match` — which actor a mention means, with the ACLED-style name valid on
  the event date ('Nusra' on 2015-03-28 -> 'Jabhat al-Nusra', on 2018-01-01 -> 'Hayat
  Tahrir al-Sham'); descriptive references ('regime forces', 'Russian warplanes') resolve in
  their theatre; generic ones ('rebels', 'gunmen') return a ``generic-*`` actor that the
  extractor replaces from the article's context when it can;
- names over time, coalition members on a date, and the surface forms for a spaCy matcher.

Matching order: case-sensitive acronyms ('IS', 'US') on the original text; the normalised
key; the key with descriptive heads and modifiers removed ('HTS fighters', 'jihadist group
HTS'); a transliteration skeleton ('Jaysh'/'Jaish'/'Jeish'); finally rapidfuzz on the
skeleton for misspellings. Ambiguous short forms ('the group', 'the Front') are not in the
knowledge base and stay unresolved.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from sitrep.errors import KnowledgeError
from sitrep.kb.models import Actor, ActorFile, ActorName, Alias, Membership, ReferenceFile, ShortForm, load_yaml
from sitrep.resolve.normalize import fold, normalize_place
from sitrep.schema import ActorRef, Inter

ACTORS_DIR = Path(__file__).resolve().parents[1] / "kb" / "actors"
#: Ambiguous short forms ("the Front", "the group"), resolved only from an article's context.
REFERENCES_PATH = Path(__file__).resolve().parents[1] / "kb" / "actor_references.yaml"

#: rapidfuzz ``ratio`` cut-off (0-100) on transliteration skeletons; tuned on tests/test_actors.py
#: (catches 'Hayat Tahrir al-Shams', 'Jabhat Fatah al-Shaam'; rejects 'Jaish al-Nasr' for
#: 'Jaish al-Fatah' and 'Jaish al-Izza' for 'Jaish al-Islam').
FUZZY_CUTOFF = 90.0
#: Shorter keys are matched exactly only: skeletons of short acronyms collide ('U.S.' and 'us').
SKELETON_MIN_LEN = 5
#: Shorter keys are never fuzzy-matched: short names differ by one letter (HTS/HTC, SDF/SNF).
FUZZY_MIN_LEN = 7
#: Keep at most this many remembered lookups per knowledge base
_FOUND_MAX = 100_000

# Article words of Arabic names, unified so 'ash-Sham', 'as-Sham', 'el-Sham' equal 'al-Sham'.
_ARTICLES = frozenset("al el il ul ad ed an en ar er as es ash esh at et az ez ath adh".split())
_LEADING_DROP = frozenset({"the", "a", "an", "al", "el"})
_POSSESSIVE = re.compile(r"(?<=\w)['’`]s\b")
_SPLIT = re.compile(r"[^\w]+|_")
_PARENS = re.compile(r"\([^()]*\)")

# Words that head a descriptive phrase around a name: 'HTS fighters', 'Nusra positions'.
# Compared in singular form (see _singular).
_HEAD_NOUNS = frozenset(
    """fighter militant jihadist member cell unit element force troop soldier gunman gunmen
    militiamen militiaman rebel terrorist insurgent faction group brigade battalion militia
    position convoy commander leader official spokesman positions emir affiliate""".split()
)
# Modifiers that precede a name: 'the jihadist group HTS', 'Kurdish-led SDF', 'rebel faction Faylaq al-Sham'.
_MODIFIERS = frozenset(
    """jihadist islamist rebel militant extremist hardline hardliner radical armed opposition
    group faction militia movement organisation organization alliance coalition umbrella
    kurdish turkish russian iranian us american backed led linked allied affiliated aligned
    qaeda al syrian pro sunni shiite shia powerful rival main largest so called""".split()
)


#: Head nouns after a case-sensitive acronym that make a matcher form of it ('IS fighters').
_ACRONYM_HEADS = (
    "militants", "militant", "fighters", "fighter", "jihadists", "group", "members", "terrorists",
    "extremists", "forces", "troops", "soldiers", "warplanes", "jets", "aircraft", "airstrikes",
    "air strikes", "strikes", "drone", "drones", "gunmen", "helicopters", "helicopter",
    "commander", "cell", "cells", "positions", "attackers", "army", "military", "special forces",
)


def _singular(word: str) -> str:
    """Strip an English plural -s from long words so 'rebels'/'rebel' and 'forces'/'force' meet."""
    if len(word) >= 5 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def name_words(text: str) -> list[str]:
    """Folded words of a surface form: possessive 's dropped, punctuation and hyphens split, Arabic articles unified to 'al', a leading article dropped."""
    text = _POSSESSIVE.sub("", text.strip())
    text = fold(text)
    words = [w for w in _SPLIT.split(text) if w]
    words = ["al" if w in _ARTICLES else w for w in words]
    while len(words) > 1 and words[0] in _LEADING_DROP:
        words = words[1:]
    return words


def _key(words: Sequence[str]) -> str:
    if not words:
        return ""
    return " ".join([*words[:-1], _singular(words[-1])])


def actor_key(text: str) -> str:
    """The normalised lookup key of a surface form.

    >>> actor_key("the Nusra Front's") == actor_key("al-Nusra Front") == actor_key("Nusra  front")
    True
    """
    return _key(name_words(text))


def _skeleton(key: str) -> str:
    """Lossy transliteration skeleton ('Jaysh'/'Jaish', 'Fateh'/'Fatah' ...) of a key."""
    return normalize_place(key) if key else ""


@dataclass(frozen=True)
class _Entry:
    """One indexed surface form of one actor."""

    actor_id: str
    theatre: str
    alias: Alias
    historical: bool  # a former official name (from ``names``), not an alias
    group: str | None  # associated-group name for sub-group aliases ('Journalists (Syria)')
    order: int


class ActorKB:
    """The actor knowledge base in memory; build it with :meth:`load` (reads files) or from models."""

    def __init__(self, files: Iterable[tuple[str, ActorFile]], references: ReferenceFile | None = None):
        self._short_forms: dict[str, ShortForm] = {}
        for form in references.short_forms if references else ():
            self._short_forms[" ".join(_strip_case(form.text).casefold().split())] = form
        self._actors: dict[str, Actor] = {}
        self._theatre: dict[str, str] = {}
        self._origin: dict[str, str] = {}
        self._by_key: dict[str, list[_Entry]] = defaultdict(list)
        self._by_skeleton: dict[str, list[_Entry]] = defaultdict(list)
        self._by_case: dict[str, list[_Entry]] = defaultdict(list)
        self._member_of: dict[str, list[str]] = defaultdict(list)
        self._counter = itertools.count()
        for origin, data in files:
            self._add_file(origin, data)
        self._check_references()
        self._case_words = {text.casefold() for text in self._by_case if " " not in text}
        # fuzzy candidates: skeletons of plain names/aliases, never descriptors or generic forms
        self._fuzzy_choices = sorted(
            {
                skel
                for skel, entries in self._by_skeleton.items()
                if len(skel) >= FUZZY_MIN_LEN
                and any(not e.alias.descriptor and not self._actors[e.actor_id].generic and e.group is None for e in entries)
            }
        )
        # The KB does not change once built, so a lookup is a pure function of its arguments;
        # the same names come back sentence after sentence and article after article.
        self._found: dict[tuple[str, date | None, str | None], _Entry | None] = {}

    # ------------------------------------------------------------------ building
    @classmethod
    def load(cls, paths: Sequence[Path] | None = None) -> ActorKB:
        """Read and validate actor files (default: every ``*.yaml`` in ``kb/actors/``)."""
        if paths is None:
            paths = sorted(ACTORS_DIR.glob("*.yaml"))
        return cls(((str(p), load_yaml(Path(p), ActorFile)) for p in paths), load_yaml(REFERENCES_PATH, ReferenceFile))

    def _add_file(self, origin: str, data: ActorFile) -> None:
        for i, actor in enumerate(data.actors):
            if actor.id in self._actors:
                raise KnowledgeError(
                    origin, f"actors[{i}] (id {actor.id!r}): duplicate id, already defined in {self._origin[actor.id]}"
                )
            self._actors[actor.id] = actor
            self._theatre[actor.id] = data.country
            self._origin[actor.id] = origin
            self._index_actor(actor, data.country)

    def _index_actor(self, actor: Actor, theatre: str) -> None:
        forms: list[tuple[Alias, bool, str | None]] = [(Alias(text=actor.name), False, None)]
        forms += [(Alias(text=n.name), n.name != actor.name, None) for n in actor.names]
        forms += [(a, False, None) for a in (*actor.aliases, *actor.descriptors)]
        for group in actor.groups:
            forms += [(Alias(text=group.name), False, group.name)]
            forms += [(Alias(text=t), False, group.name) for t in group.aliases]
        for alias, historical, group in forms:
            entry = _Entry(actor.id, theatre, alias, historical, group, order=next(self._counter))
            if alias.case_sensitive:
                self._by_case[_strip_case(alias.text)].append(entry)
                continue
            for text in dict.fromkeys((alias.text, _unmarked_possessive(alias.text))):
                key = actor_key(text)
                if not key or any(e.actor_id == actor.id and e.alias.text == alias.text for e in self._by_key[key]):
                    continue
                if actor.generic and alias.text == actor.name and any(not self._actors[e.actor_id].generic for e in self._by_key[key]):
                    continue  # a fallback named as a real actor ('warplanes' -> Syria's forces): the name is that actor's
                self._by_key[key].append(entry)
                self._by_skeleton[_skeleton(key)].append(entry)
        for member in actor.members:
            self._member_of[member.actor].append(actor.id)

    def _check_references(self) -> None:
        for actor in self._actors.values():
            refs = [("members", m.actor) for m in actor.members] + ([("parent", actor.parent)] if actor.parent else [])
            for field, ref in refs:
                if ref not in self._actors:
                    raise KnowledgeError(self._origin[actor.id], f"actor {actor.id!r} > {field}: unknown actor id {ref!r}")

    # ------------------------------------------------------------------ lookups
    def __len__(self) -> int:
        return len(self._actors)

    def __iter__(self) -> Iterator[Actor]:
        return iter(self._actors.values())

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._actors

    def get(self, actor_id: str) -> Actor | None:
        return self._actors.get(actor_id)

    def camp(self, actor_id: str | None) -> str | None:
        """The side an actor fights on: its own, or for a foreign actor the side it backs
        (None for an unknown actor or a foreign one backing no side)."""
        actor = self._actors.get(actor_id) if actor_id else None
        if actor is None:
            return None
        return actor.aligned_with if actor.side == "foreign" else actor.side

    def theatre(self, actor_id: str) -> str:
        """The theatre (file country) an actor is listed under."""
        return self._theatre[actor_id]

    def _actor(self, actor_id: str) -> Actor:
        try:
            return self._actors[actor_id]
        except KeyError:
            raise KeyError(f"unknown actor id {actor_id!r}") from None

    def names_over_time(self, actor_id: str) -> list[ActorName]:
        """Official names oldest first; a single undated name for actors that never renamed."""
        actor = self._actor(actor_id)
        if actor.names:
            return list(actor.names)
        return [ActorName(name=actor.name, valid_from=actor.valid_from, valid_to=actor.valid_to)]

    def acled_name(self, actor_id: str, on: date | None = None) -> str:
        """The ACLED-style name valid on ``on`` (the current one when ``on`` is None)."""
        return self._actor(actor_id).name_on(on).name

    def ref(self, actor_id: str, on: date | None = None, *, surface: str = "") -> ActorRef:
        """An ActorRef for a known id, named as on ``on``."""
        actor = self._actor(actor_id)
        return ActorRef(
            name=actor.name_on(on).name,
            actor_id=actor.id,
            inter=Inter(actor.inter_on(on)),
            surface=surface,
            country=actor.country,
        )

    def coalition_members(self, actor_id: str, on: date | None = None) -> list[ActorRef]:
        """Members of a coalition on ``on`` (all listed members when ``on`` is None)."""
        actor = self._actor(actor_id)
        return [self.ref(m.actor, on) for m in actor.members if m.holds_on(on)]

    def coalitions_of(self, actor_id: str, on: date | None = None) -> list[ActorRef]:
        """Coalitions ``actor_id`` belonged to on ``on``."""
        out = []
        for cid in self._member_of.get(actor_id, []):
            coalition = self._actors[cid]
            if any(m.actor == actor_id and m.holds_on(on) for m in coalition.members):
                out.append(self.ref(cid, on))
        return out

    def memberships(self, actor_id: str) -> list[tuple[str, Membership]]:
        """Every (coalition id, membership with its dates) of ``actor_id``, in file order."""
        out = []
        for cid in self._member_of.get(actor_id, []):
            out += [(cid, m) for m in self._actors[cid].members if m.actor == actor_id]
        return out

    def associated_members(self, ref: ActorRef | None, on: date | None = None) -> list[ActorRef]:
        """A coalition's members active on ``on``, named as then: its associated actors (ACLED
        lists a coalition's members beside it). Empty for an actor that is not a coalition."""
        if ref is None or not ref.actor_id or ref.actor_id not in self._actors:
            return []
        return [m.model_copy(update={"surface": ""}) for m in self.coalition_members(ref.actor_id, on)]

    # ------------------------------------------------------------------ short forms and context
    def short_form(self, surface: str) -> ShortForm | None:
        """The ambiguous short form ``surface`` is ('the Front', 'the group'), or None.

        A form listed as capitalised matches only as written with a capital: 'the Army' may
        be Jaish al-Islam in its article, 'the army' is the state's.
        """
        text = _strip_case(surface or "")
        form = self._short_forms.get(" ".join(text.casefold().split()))
        if form is None:
            return None
        last = text.split()[-1] if text.split() else ""
        if form.capitalised and not last[:1].isupper():
            return None
        return form

    def short_form_texts(self) -> list[str]:
        """Every short form's text, for the article matcher to find them (they resolve in context)."""
        return [f.text for f in self._short_forms.values()]

    def article(self, country: str | None = "Syria") -> ArticleActors:
        """A fresh context for one article about ``country`` (see :class:`ArticleActors`)."""
        return ArticleActors(self, country=country)

    # ------------------------------------------------------------------ matching
    def match(self, surface: str, *, on: date | None = None, country: str | None = "Syria") -> ActorRef | None:
        """The actor ``surface`` refers to, named as on ``on``, or None.

        ``country`` is the theatre of the article: its actors win shared forms ('the army'),
        and descriptive references of other theatres do not apply. ``None`` means any theatre.
        """
        entry = self._find(surface, on, country)
        if entry is None:
            return None
        return self.ref(entry.actor_id, on, surface=surface)

    def generic(self, surface: str, *, on: date | None = None, country: str | None = "Syria") -> ActorRef | None:
        """The generic reference ('rebels', 'gunmen', 'jihadists') ``surface`` is, or None."""
        ref = self.match(surface, on=on, country=country)
        if ref is None or ref.actor_id is None or not self._actors[ref.actor_id].generic:
            return None
        return ref

    def is_generic(self, actor_id: str | None) -> bool:
        return bool(actor_id) and actor_id in self._actors and self._actors[actor_id].generic

    def unidentified(self, country: str = "Syria") -> ActorRef:
        """'Unidentified Armed Group (<country>)' for an armed actor the text does not name."""
        for actor in self._actors.values():
            if actor.generic and actor.side == "unknown" and self._theatre[actor.id] == country:
                return self.ref(actor.id)
        return ActorRef(name=f"Unidentified Armed Group ({country})", inter=Inter.POLITICAL_MILITIAS, country=country)

    def associated_group(self, surface: str, *, country: str | None = "Syria") -> str | None:
        """The associated-actor name of a sub-group mention ('journalists' -> 'Journalists (Syria)')."""
        entry = self._find(surface, None, country)
        return entry.group if entry is not None else None

    def _find(self, surface: str, on: date | None, country: str | None) -> _Entry | None:
        key = (surface, on, country)
        if key in self._found:
            return self._found[key]
        if len(self._found) >= _FOUND_MAX:
            self._found.clear()
        entry = self._found[key] = self._find_uncached(surface, on, country)
        return entry

    def _find_uncached(self, surface: str, on: date | None, country: str | None) -> _Entry | None:
        if not surface or not surface.strip():
            return None
        stripped = _strip_case(surface)
        if stripped in self._by_case and (hit := self._choose(self._by_case[stripped], on, country)):
            return hit
        first = stripped.split()[0] if stripped.split() else ""
        if first.casefold() in self._case_words and not first.isupper():
            return None  # 'is fighters', 'us forces': a word, not the acronym
        words = name_words(surface)
        key = _key(words)
        if key in self._by_key and (hit := self._choose(self._by_key[key], on, country)):
            return hit
        if "(" in surface and ")" in surface:
            # 'the People's Protection Units (YPG)': the phrase without the brackets, then inside them
            outer, inside = _PARENS.sub(" ", surface), " ".join(m.strip("()") for m in _PARENS.findall(surface))
            for part in (outer, inside):
                if part.strip() and (hit := self._find(part, on, country)) is not None:
                    return hit
        inner = _core_words(words)
        if inner and inner != words:
            core = _key(inner)
            hit = self._choose(self._by_key.get(core, []), on, country, named_only=True)
            if hit is None:
                hit = self._choose(self._by_case.get(_strip_case(_core_text(surface)), []), on, country, named_only=True)
            if hit is not None:
                return hit
        skel = _skeleton(key)
        if len(skel) >= SKELETON_MIN_LEN and skel in self._by_skeleton and (hit := self._choose(self._by_skeleton[skel], on, country, named_only=True)):
            return hit
        if len(skel) >= FUZZY_MIN_LEN and self._fuzzy_choices:
            best = process.extractOne(skel, self._fuzzy_choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if best is not None:
                return self._choose(self._by_skeleton[best[0]], on, country, named_only=True)
        return None

    def _choose(
        self, entries: Sequence[_Entry], on: date | None, country: str | None, *, named_only: bool = False
    ) -> _Entry | None:
        """The best entry for one key: the article's theatre, the alias valid on the date, an
        actor existing on the date, a current name before a former one, then file order."""
        cands = list(entries)
        if named_only:
            # partial or approximate matches only ever name a specific actor
            cands = [e for e in cands if not e.alias.descriptor and not self._actors[e.actor_id].generic and e.group is None]
        if country is not None:
            local = [e for e in cands if e.theatre == country]
            # a name is a name anywhere; a descriptor ('the army') only in its own theatre
            cands = local or [e for e in cands if not e.alias.descriptor and not self._actors[e.actor_id].generic]
        if on is not None:
            cands = [e for e in cands if e.alias.holds_on(on)]
        if not cands:
            return None
        return min(cands, key=lambda e: (not self._actors[e.actor_id].holds_on(on), e.historical, e.order))

    # ------------------------------------------------------------------ for matchers and the CLI
    def surface_forms(self) -> Iterator[tuple[str, str]]:
        """(surface text, actor_id) for a lowercase spaCy PhraseMatcher.

        Each form once (with its first actor; :meth:`match` decides between actors sharing a
        form), plus spelling variants of hyphens and 'al-'. Case-sensitive acronyms that are
        also English words ('IS', 'US') are left out: see :meth:`case_sensitive_forms`.
        """
        seen: set[str] = set()
        for entries in self._by_key.values():
            for entry in entries:
                for form in _variants(entry.alias.text):
                    low = form.lower()
                    if low not in seen:
                        seen.add(low)
                        yield form, entry.actor_id
        # an acronym that is also a word is safe to look for with a head noun after it ('IS
        # militants', 'US warplanes'); :meth:`match` still needs the capitals to resolve it
        for text, entries in self._by_case.items():
            for head in _ACRONYM_HEADS:
                form = f"{text} {head}"
                if form.lower() not in seen:
                    seen.add(form.lower())
                    yield form, entries[0].actor_id

    def case_sensitive_forms(self) -> Iterator[tuple[str, str]]:
        """(surface text, actor_id) for a case-sensitive (ORTH) matcher: 'IS', 'US', 'TIP'."""
        for text, entries in self._by_case.items():
            yield text, entries[0].actor_id

    def search(self, query: str, limit: int = 10) -> list[tuple[Actor, float]]:
        """Actors whose names or aliases resemble ``query``, best first (for ``sitrep actors``)."""
        key = actor_key(query)
        if not key:
            return []
        padded = f" {key} "
        scores: dict[str, float] = {}
        for k, entries in self._by_key.items():
            if key == k:
                score = 100.0
            elif padded in f" {k} ":
                score = 90.0 - min(len(k) - len(key), 30) / 3  # the query as whole words of a longer form
            elif len(key) >= 3 and f" {key}" in f" {k}":
                score = 80.0  # the start of a word: 'kurd' finds 'Kurdish'
            else:
                score = fuzz.ratio(key, k)  # whole-form likeness: misspellings, not shared syllables
            for e in entries:
                scores[e.actor_id] = max(scores.get(e.actor_id, 0.0), score)
        for actor_id in self._actors:
            if query.strip().lower() == actor_id:
                scores[actor_id] = 101.0
            elif key.replace(" ", "-") in actor_id:
                scores[actor_id] = max(scores.get(actor_id, 0.0), 85.0)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return [(self._actors[a], s) for a, s in ranked[:limit] if s >= 75]

    def shared_forms(self) -> dict[str, list[str]]:
        """Keys listed under more than one actor (for data checks): key -> actor ids."""
        out = {}
        for key, entries in self._by_key.items():
            ids = list(dict.fromkeys(e.actor_id for e in entries))
            if len(ids) > 1:
                out[key] = ids
        return out


#: Words that make a mention of state forces a mention of their air force ('Russian jets').
_AIR_WORDS = frozenset(
    """air aerial airstrike strike raid warplane jet aircraft plane helicopter drone bomber
    aviation sortie jets""".split()
)

#: A generic reference becomes the article's named group when that group has at least this
#: many times the mentions of the runner-up of the sides it stands for.
DOMINANCE = 2


class ArticleActors:
    """What one article names, to resolve its generic references and short forms in context.

    Feed it the article's actor mentions with :meth:`observe` (a first pass over the text),
    then :meth:`resolve` each mention:

    - a named actor is itself, named as on the event date;
    - a generic reference ('the rebels', 'jihadists', 'militants') is the named group the
      article identifies among the sides it ``stands_for`` (one clearly dominant non-state
      armed group), else its fallback ('Opposition Rebels (Syria)', 'Unidentified Armed Group
      (Syria)');
    - a short form ('the Front', 'the Army', 'the group') is its single antecedent in the
      article, else None: never guessed.

    One instance per article; cheap to build.
    """

    def __init__(self, kb: ActorKB, *, country: str | None = "Syria"):
        self.kb = kb
        self.country = country
        self._count: dict[str, int] = defaultdict(int)
        self._air: dict[str, int] = defaultdict(int)  # mentions as an air force ('Russian jets')
        self._words: dict[str, set[str]] = defaultdict(set)
        self._order: list[str] = []

    def observe(self, surface: str, ref: ActorRef | None = None, *, on: date | None = None) -> ActorRef | None:
        """Record one mention; returns its ref (matched here when not given). Generic ones are not recorded."""
        if ref is None:
            ref = self.kb.match(surface, on=on, country=self.country)
        if ref is None or not ref.actor_id or ref.actor_id not in self.kb or self.kb.is_generic(ref.actor_id):
            return ref
        if ref.actor_id not in self._count:
            self._order.append(ref.actor_id)
        self._count[ref.actor_id] += 1
        words = {_singular(w) for w in name_words(surface)}
        self._words[ref.actor_id].update(words)
        if words & _AIR_WORDS:
            self._air[ref.actor_id] += 1
        return ref

    @property
    def named(self) -> list[tuple[str, int]]:
        """(actor id, mentions) of the named actors seen, in first-mention order."""
        return [(a, self._count[a]) for a in self._order]

    def resolve(self, surface: str, *, on: date | None = None, ref: ActorRef | None = None) -> ActorRef | None:
        """The actor ``surface`` means in this article on ``on`` (see the class docstring)."""
        form = self.kb.short_form(surface)
        if ref is None:
            ref = self.kb.match(surface, on=on, country=self.country)
        if form is not None:
            found = self._antecedent(form, on)
            if found is not None:
                return self.kb.ref(found, on, surface=surface)
            # 'the Army' with no army named in the article: the theatre's descriptor, if any;
            # with two candidates: unresolved
            return ref if not self._candidates(form) and ref is not None else None
        if ref is not None and ref.actor_id and self.kb.is_generic(ref.actor_id):
            found = self.identified(ref.actor_id)
            if found is not None:
                return self.kb.ref(found, on, surface=surface)
        return ref

    def identified(self, generic_id: str) -> str | None:
        """The named group a generic reference means here: the dominant non-state armed group
        of the sides it stands for, or None."""
        generic = self.kb.get(generic_id)
        if generic is None or not generic.stands_for:
            return None
        # unattributed aircraft ('warplanes') mean the state forces named: their own generic
        # is a state's (inter 1), and only state forces and coalitions fly
        fits = self._state_forces if generic.inter in (1, 8) else self._armed
        counts = sorted(
            ((n, a) for a, n in self.named if fits(a) and _side_of(self.kb.get(a), generic.stands_for)),
            key=lambda na: -na[0],
        )
        if generic.inter in (1, 8):
            # aircraft are the air force the article names as one ('Russian jets', 'coalition
            # strikes'), not the army it names on the ground
            flying = sorted(((self._air[a], a) for _, a in counts if self._air[a]), key=lambda na: -na[0])
            counts = flying or counts
        if not counts:
            return None
        # 'the US' and 'the US-led coalition' name one air force: a coalition and its members
        # do not compete
        top = counts[0][1]
        counts = [counts[0], *(na for na in counts[1:] if not self._allied(top, na[1]))]
        if len(counts) > 1 and counts[0][0] < DOMINANCE * counts[1][0]:
            return None
        return counts[0][1]

    def _allied(self, a: str, b: str) -> bool:
        """Whether one of ``a``, ``b`` is a coalition the other is a member of."""
        return any(cid == b for cid, _ in self.kb.memberships(a)) or any(cid == a for cid, _ in self.kb.memberships(b))

    def _state_forces(self, actor_id: str) -> bool:
        actor = self.kb.get(actor_id)
        return actor is not None and not actor.generic and actor.type in ("state forces", "foreign state forces", "coalition")

    def _armed(self, actor_id: str) -> bool:
        actor = self.kb.get(actor_id)
        return actor is not None and actor.inter in (2, 3, 4)

    def _candidates(self, form: ShortForm) -> list[str]:
        heads = {_singular(h) for h in form.heads}
        out = []
        for actor_id, _ in self.named:
            actor = self.kb.get(actor_id)
            if actor is None:
                continue
            if form.types and actor.type not in form.types:
                continue
            if heads:
                words = set(self._words[actor_id])
                for n in (actor.name, *(x.name for x in actor.names)):
                    words.update(_singular(w) for w in name_words(n))
                if not heads & words:
                    continue
            elif not form.inter and not self._armed(actor_id):
                continue
            if form.inter and actor.inter not in form.inter:
                continue
            if form.sides and not _side_of(actor, form.sides):
                continue
            out.append(actor_id)
        return out

    def _antecedent(self, form: ShortForm, on: date | None) -> str | None:
        found = self._candidates(form)
        return found[0] if len(found) == 1 else None


def _side_of(actor: Actor | None, sides: Sequence[str]) -> bool:
    """Whether ``actor`` is on one of ``sides``; a foreign actor also counts for the side it backs."""
    return actor is not None and (actor.side in sides or (actor.aligned_with is not None and actor.aligned_with in sides))


def _strip_case(text: str) -> str:
    """Original-case text with outer space, punctuation and a leading 'the' removed."""
    text = _POSSESSIVE.sub("", text.strip().strip(".,;:()\"'“”‘’"))
    return re.sub(r"^(?:the|The)\s+", "", text)


def _core_words(words: list[str]) -> list[str]:
    """Words left after removing leading modifiers and trailing head nouns."""
    start, end = 0, len(words)
    while end - start > 1 and _singular(words[end - 1]) in _HEAD_NOUNS:
        end -= 1
    while end - start > 1 and words[start] in _MODIFIERS:
        start += 1
    return words[start:end]


def _core_text(surface: str) -> str:
    """Original-case core of a surface ('IS militants' -> 'IS') for case-sensitive acronyms."""
    tokens = _strip_case(surface).split()
    while len(tokens) > 1 and _singular(fold(tokens[-1])) in _HEAD_NOUNS:
        tokens.pop()
    while len(tokens) > 1 and fold(tokens[0]).strip("-") in _MODIFIERS:
        tokens.pop(0)
    return " ".join(tokens)


_APOSTROPHE_S = re.compile(r"(?<=\w)['’`]s\b")


def _unmarked_possessive(text: str) -> str:
    """'Assad's forces' as written where apostrophes are lost: 'Assads forces'."""
    return _APOSTROPHE_S.sub("s", text)


def _variants(text: str) -> list[str]:
    """Spellings a phrase matcher should also see: 'al-Nusra' / 'al Nusra', 'Jaish al Fateh' /
    'Jaish al-Fateh', 'Assad's forces' / 'Assad’s forces' / 'Assads forces'."""
    out = [text]
    if _APOSTROPHE_S.search(text):
        out += [_unmarked_possessive(text), _APOSTROPHE_S.sub("’s", text)]
    for form in list(out):
        if "-" in form:
            out.append(form.replace("-", " "))
        if re.search(r"\bal ", form, flags=re.IGNORECASE):
            out.append(re.sub(r"\b([Aa]l) ", r"\1-", form))
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1)
def default_actor_kb() -> ActorKB:
    """The packaged actor knowledge base, loaded once per process."""
    return ActorKB.load()


__all__ = ["ACTORS_DIR", "REFERENCES_PATH", "ActorKB", "ArticleActors", "actor_key", "default_actor_kb", "name_words"]
