"""Modality: does a mention report something that happened?

Reads the dependency path from the trigger up to the sentence root. A cue verb counts
only when the trigger sits in its complement ("vowed *to storm*", "claimed *the takeover*"),
not when the trigger is merely nearby ("the city threatened *by the offensive*").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from sitrep.nlp.lexicon import ModalityLexicon
from sitrep.schema import Modality

#: Dependency labels through which a governing verb's meaning reaches the trigger.
_COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "dobj", "pcomp", "pobj", "prep", "conj", "attr", "oprd", "acomp"})
_CLAIM_DEPS = _COMPLEMENT_DEPS | {"advcl"}
#: Heads under which an infinitive still reports a real act ("managed to seize").
_FACTIVE_HEADS = frozenset({"manage", "succeed", "begin", "start", "able", "continue", "go", "enough", "proceed"})


def governing_chain(token: Token) -> list[tuple[Token, Token]]:
    """(child, head) pairs from the token up to the root of its sentence."""
    chain = []
    cur = token
    while cur.head.i != cur.i:
        chain.append((cur, cur.head))
        cur = cur.head
    return chain


#: Present-tense verbs that make a complement a general, ongoing statement
_ONGOING = frozenset({"continue", "keep", "persist"})
#: Words that, as a subject, say nobody did or suffered the act
_NOBODY = frozenset({"nobody", "none", "noone"})


#: Forms the small English model lemmatizes wrongly ("spared" -> "spar")
_LEMMA_FIXES = {"spared": "spare", "spares": "spare", "sparing": "spare"}


def _lemma(tok: Token) -> str:
    return _LEMMA_FIXES.get(tok.lower_, tok.lemma_.lower())


def _clause_verbs(verbs_on_path: list[Token]) -> list[Token]:
    """The trigger and its heads up to the first verb (the clause a noun trigger sits in)."""
    out = []
    for tok in verbs_on_path:
        out.append(tok)
        if tok.pos_ in ("VERB", "AUX"):
            break
    return out[:4]


def _negated(root: Token, chain: list[tuple[Token, Token]], lex: ModalityLexicon) -> bool:
    """'no arrests', 'no one was arrested', 'without clashes': the act did not happen."""
    if root.pos_ in ("NOUN", "PROPN"):
        if any(c.dep_ == "det" and c.lower_ in lex.negations for c in root.children):
            return True
        if root.dep_ == "pobj" and root.head.lower_ == "without":
            return True
    # a negated subject negates the act only when the trigger is the verb itself: after
    # "nobody was killed in the air strike" the strike still happened
    if root.pos_ == "VERB":
        for c in root.children:
            if c.dep_ not in ("nsubj", "nsubjpass"):
                continue
            if c.lower_ in _NOBODY or (c.lower_ == "one" and any(d.lower_ == "no" for d in c.children)):
                return True
            if c.lower_ == "no" and c.i + 1 < len(c.doc) and c.doc[c.i + 1].lower_ == "one":
                return True
    return False


def _up_to_cause(chain: list[tuple[Token, Token]], lex: ModalityLexicon) -> list[tuple[Token, Token]]:
    """The chain cut where the trigger is named as a cause: "seeking backing in response to an
    attack", "vowed revenge after the bombing" -- that attack happened; the plan or vow is
    about what follows it."""
    for k, (child, head) in enumerate(chain):
        if child.dep_ != "pobj" or head.dep_ not in ("prep", "advmod", "acl", "advcl"):
            continue
        if head.lower_ in ("after", "following") or (head.lower_ in ("to", "for") and head.head.lemma_.lower() in lex.cause_nouns):
            return chain[:k]
    return chain


def _aux_lemmas(verb: Token) -> list[str]:
    return [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]


def _has_perfect_modal(verb: Token, lex: ModalityLexicon) -> bool:
    if verb.tag_ != "VBN":  # first: listing a token's children walks its whole subtree
        return False
    aux = _aux_lemmas(verb)
    return any(a in lex.modal_possible for a in aux) and "have" in aux


def classify_modality(
    trigger: Span,
    lex: ModalityLexicon,
    *,
    attributed_is_claim: bool = False,
    attributed_is_denial: bool = False,
    background_time: bool = False,
    has_time: bool = True,
) -> Modality:
    """The modality of the mention whose trigger is ``trigger``.

    DENIED covers what the text says did not happen: a denial ("the army denied shelling
    the town"), a negation ("no arrests were reported", "nobody was killed", "without
    clashes") and what something was spared or prevented ("the capital has been spared the
    battles"). ``has_time``: the sentence names a time; without one, a present-tense
    "continue to"/"keep" statement is general (GENERIC), not news.
    """
    root = trigger.root
    chain = _up_to_cause(governing_chain(root), lex)
    verbs_on_path = [root] + [head for _, head in chain]
    # anything inside an "if"/"unless" clause is conditional, however deep: the mark sits on
    # the clause's head ("if Reid succeeds in rounding them up")
    for _, head in chain[1:]:
        if any(c.dep_ == "mark" and c.lower_ in lex.conditional_markers - {"should"} for c in head.children):
            return Modality.CONDITIONAL

    # The trigger's own clause: counterfactual, conditional, modal, negated.
    for verb in verbs_on_path[:3]:
        if _has_perfect_modal(verb, lex):
            return Modality.COUNTERFACTUAL
    for child, head in chain:
        lemma = _lemma(head)
        if child.dep_ in _COMPLEMENT_DEPS:
            if lemma in lex.threat_verbs:
                return Modality.THREATENED
            if lemma in lex.deny_verbs:
                return Modality.DENIED
            if lemma in lex.plan_verbs:
                return Modality.PLANNED
            if lemma in lex.predict_verbs:
                return Modality.HYPOTHETICAL
    if _negated(root, chain, lex):
        return Modality.DENIED
    for verb in verbs_on_path[:2]:
        children = list(verb.children)  # once: listing them walks the verb's whole subtree
        if any(c.dep_ == "mark" and c.lower_ in lex.conditional_markers for c in children):
            return Modality.CONDITIONAL
        aux = [c.lower_ for c in children if c.dep_ in ("aux", "auxpass")]  # _aux_lemmas
        if any(a in lex.modal_future for a in aux):
            return Modality.PLANNED
        if any(a in lex.modal_possible for a in aux):
            return Modality.HYPOTHETICAL
        if any(c.dep_ == "neg" for c in children) and verb.pos_ in ("VERB", "AUX"):
            return Modality.DENIED
    # Habitual: "warplanes and artillery regularly pound those areas" -- the adverb sits on the
    # clause's verb, which for a noun trigger is its governing verb
    clause = _clause_verbs(verbs_on_path)
    for verb in clause:
        if any(c.dep_ == "advmod" and c.lower_ in lex.habitual_markers for c in verb.children):
            return Modality.GENERIC
    # "Claims of gas attacks are not uncommon", "barrel bombs are a common sight": the clause
    # says what the war is like; the trigger is (inside) the subject of a present-tense copula
    # (the first copula on the way up: the clause may be reported, "..., the report said")
    top = next(((c, h) for c, h in chain if h.lemma_ == "be" and h.tag_ in ("VBP", "VBZ") and c.dep_ in ("nsubj", "nsubjpass", "attr")), None)
    if top and top[0].dep_ in ("nsubj", "nsubjpass"):
        for c in top[1].children:
            word = c if c.dep_ == "acomp" else c if c.dep_ == "attr" else None
            if word is None:
                continue
            adjs = [word] + [a for a in word.children if a.dep_ == "amod"]
            if any(a.lemma_.lower() in lex.general_predicates for a in adjs):
                return Modality.GENERIC
    # "Sarin is a nerve agent", "barrel bombs are crude weapons": a present-tense copula joining
    # a bare kind (no article, possessive or number) to a class defines; it reports nothing
    if top and top[0].dep_ in ("nsubj", "attr"):
        subj = next((c for c in top[1].children if c.dep_ == "nsubj"), None)
        attr = next((c for c in top[1].children if c.dep_ == "attr" and c.pos_ == "NOUN"), None)
        bare = subj is not None and subj.pos_ in ("NOUN", "PROPN") and not any(c.dep_ in ("det", "poss", "nummod", "relcl", "acl") for c in subj.children)
        if bare and attr is not None and all(c.lower_ in ("a", "an") for c in attr.children if c.dep_ in ("det", "poss")):
            return Modality.GENERIC
    # General statements in the present: "terrorists continue to target civilians" (no time named)
    if not has_time:
        for child, head in chain[:3]:
            if child.dep_ == "xcomp" and head.lemma_.lower() in _ONGOING and head.tag_ in ("VBP", "VBZ"):
                return Modality.GENERIC
    # Noun triggers: "for a battle which could decide ..." is still to come.
    if root.pos_ in ("NOUN", "PROPN"):
        if root.dep_ == "pobj" and root.head.lower_ in ("for", "toward", "towards"):
            # "massed fighters for a battle" is to come; "joined the jets for airstrikes" happened
            governor = root.head.head
            if governor.lemma_.lower() in lex.plan_verbs or any(a in lex.modal_future for a in _aux_lemmas(governor)):
                return Modality.PLANNED
        for rel in (c for c in root.children if c.dep_ == "relcl"):
            if any(a in lex.modal_possible | lex.modal_future for a in _aux_lemmas(rel)):
                return Modality.HYPOTHETICAL
        # "the threat of strikes", "authorization for military strikes": the noun it hangs on
        noun = root.head.head if root.dep_ == "pobj" and root.head.lower_ in ("of", "for") else root.head
        if noun.lemma_.lower() in lex.hypothetical_nouns:
            return Modality.HYPOTHETICAL
    # Purpose infinitive: "streamed in from Turkey to attack Idlib".
    perfect = any(c.lower_ == "have" and c.dep_ == "aux" for c in root.children)  # "appear to have taken"
    if root.pos_ == "VERB" and not perfect and any(c.dep_ == "aux" and c.tag_ == "TO" for c in root.children):
        if root.dep_ in ("advcl", "xcomp", "relcl", "acl") and root.head.lemma_.lower() not in _FACTIVE_HEADS:
            return Modality.PLANNED

    if background_time:
        return Modality.HISTORICAL
    if attributed_is_denial:
        return Modality.DENIED
    for child, head in chain:
        if child.dep_ in _CLAIM_DEPS and head.lemma_.lower() in lex.claim_verbs:
            return Modality.CLAIMED
    if attributed_is_claim:
        return Modality.CLAIMED
    return Modality.ASSERTED
