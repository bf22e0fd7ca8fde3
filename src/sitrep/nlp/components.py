"""sitrep's spaCy components, registered as factories.

Each component reads the tokens (and lemmas/POS from the stock pipeline) and writes one
span group; nothing else in the Doc is changed:

- ``sitrep_trigger_matcher`` → ``doc.spans["sitrep_triggers"]`` (label = trigger id)
- ``sitrep_actor_matcher``   → ``doc.spans["sitrep_actors"]``   (label = actor id)

The trigger matcher compares each token's lemma *or* its lower-cased form with the
lexicon, so inflected entries ("driven out") and lemmas ("drive out") both work; spaCy's
Matcher cannot OR two attributes within one token pattern, hence this small matcher.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from sitrep.nlp.lexicon import load_triggers

TRIGGERS = "sitrep_triggers"
_PARTICLES = frozenset({"out", "over", "down", "off", "up", "back", "away"})
ACTORS = "sitrep_actors"


class TriggerMatcher:
    """Finds trigger phrases by lemma-or-form, keeps the best non-overlapping ones."""

    def __init__(self, nlp: Language, name: str = "sitrep_trigger_matcher"):
        self.name = name
        lex = load_triggers()
        self._priority = {t.id: t.priority for t in lex.triggers}
        self._pos = {t.id: set(t.pos) if t.pos else None for t in lex.triggers}
        # first word -> [(words, trigger id)], longest phrases first
        index: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
        for trig in lex.triggers:
            for phrase in trig.lemmas:
                words = tuple(t.lower_ for t in nlp.make_doc(phrase))
                index[words[0]].append((words, trig.id))
        for entries in index.values():
            entries.sort(key=lambda e: -len(e[0]))
        self._index = dict(index)
        # "drove government forces out", "shot the drone down": verb + separated particle
        self._particle: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for words_list in index.values():
            for words, tid in words_list:
                if len(words) == 2 and words[1] in _PARTICLES:
                    self._particle[words[0]].append((words[1], tid))

    @staticmethod
    def _forms(tok) -> tuple[str, str]:
        return tok.lower_, tok.lemma_.lower()

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, str]] = []
        n = len(doc)
        for i, tok in enumerate(doc):
            for form in set(self._forms(tok)):
                for words, tid in self._index.get(form, ()):
                    end = i + len(words)
                    if end > n:
                        continue
                    if all(w in self._forms(doc[i + k]) for k, w in enumerate(words)):
                        allowed = self._pos[tid]
                        if allowed is None or any(doc[j].pos_ in allowed for j in range(i, end)):
                            found.append((i, end, tid))
            if tok.pos_ == "VERB":
                prts = {c.lower_ for c in tok.children if c.dep_ in ("prt", "prep", "advmod")}
                for form in set(self._forms(tok)):
                    for particle, tid in self._particle.get(form, ()):
                        if particle in prts:
                            found.append((i, i + 1, tid))
        # best first: priority, then length; then keep non-overlapping
        found.sort(key=lambda f: (-self._priority[f[2]], -(f[1] - f[0]), f[0]))
        taken: set[int] = set()
        spans = []
        for start, end, tid in found:
            if any(j in taken for j in range(start, end)):
                continue
            taken.update(range(start, end))
            spans.append(Span(doc, start, end, label=tid))
        doc.spans[TRIGGERS] = sorted(spans, key=lambda s: s.start)
        return doc


class PhraseSpanner:
    """PhraseMatcher over knowledge-base surface forms, longest match wins."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        group: str,
        forms: Iterable[tuple[str, str]],
        *,
        require_capital: bool,
        exact_forms: Iterable[tuple[str, str]] = (),
    ):
        self.name = name
        self.group = group
        self.require_capital = require_capital
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        by_label: dict[str, list[Doc]] = defaultdict(list)
        seen: set[tuple[str, str]] = set()
        for surface, label in forms:
            key = (surface.lower(), label)
            if key in seen or not surface.strip():
                continue
            seen.add(key)
            by_label[label].append(nlp.make_doc(surface))
        for label, docs in by_label.items():
            self.matcher.add(label, docs)
        # acronyms that are also English words ('IS', 'US'): as written, on their own
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        exact: dict[str, list[Doc]] = defaultdict(list)
        for surface, label in exact_forms:
            if surface.strip():
                exact[label].append(nlp.make_doc(surface))
        for label, docs in exact.items():
            self.exact.add(label, docs)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            span = Span(doc, start, end, label=match_id)
            if self.require_capital and not (span[0].is_title or span[0].is_upper or span[-1].is_title):
                continue
            spans.append(span)
        for match_id, start, end in self.exact(doc):
            if not _in_capitals(doc, start, end):
                spans.append(Span(doc, start, end, label=match_id))
        # longest first, then earliest, non-overlapping
        spans.sort(key=lambda s: (-(s.end - s.start), s.start))
        taken: set[int] = set()
        keep = []
        for s in spans:
            if any(j in taken for j in range(s.start, s.end)):
                continue
            taken.update(range(s.start, s.end))
            keep.append(s)
        doc.spans[self.group] = sorted(keep, key=lambda s: s.start)
        return doc


def _in_capitals(doc: Doc, start: int, end: int) -> bool:
    """Whether doc[start:end] sits in a run of capitals ('WHAT IS LEFT OF ALEPPO'), where
    'IS' and 'US' are the words, not the acronyms."""
    for i in (start - 1, end):
        if 0 <= i < len(doc) and doc[i].is_alpha and len(doc[i]) > 1 and doc[i].is_upper:
            return True
    return False


# Places are found by the resolver's own scan (sitrep.resolve.places), which knows which
# gazetteer names collide with group names; a second phrase matcher here would repeat it.
def _actor_forms() -> Iterable[tuple[str, str]]:
    from sitrep.resolve.actors import default_actor_kb

    kb = default_actor_kb()
    # short forms ('the Front', 'the group') are spans too: they resolve from the article's context
    return [*kb.surface_forms(), *((text, "short-form") for text in kb.short_form_texts())]


@Language.factory("sitrep_trigger_matcher")
def make_trigger_matcher(nlp: Language, name: str) -> TriggerMatcher:
    return TriggerMatcher(nlp, name)


@Language.factory("sitrep_actor_matcher")
def make_actor_matcher(nlp: Language, name: str) -> PhraseSpanner:
    from sitrep.resolve.actors import default_actor_kb
    from sitrep.schema import Inter

    kb = default_actor_kb()
    # on its own, a country's acronym mostly names the state as a political party to the news
    # ('the US said', 'a possible US attack'), not its forces: only armed groups' acronyms
    # ('IS', 'TIP') are looked for alone; 'US warplanes' is found with its head noun
    states = (Inter.STATE_FORCES, Inter.EXTERNAL_OTHER)
    exact = [(text, actor_id) for text, actor_id in kb.case_sensitive_forms() if kb.get(actor_id).inter not in states]
    return PhraseSpanner(nlp, name, ACTORS, _actor_forms(), require_capital=False, exact_forms=exact)
