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


def _aux_lemmas(verb: Token) -> list[str]:
    return [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]


def _has_perfect_modal(verb: Token, lex: ModalityLexicon) -> bool:
    aux = _aux_lemmas(verb)
    return any(a in lex.modal_possible for a in aux) and "have" in aux and verb.tag_ == "VBN"


def classify_modality(
    trigger: Span,
    lex: ModalityLexicon,
    *,
    attributed_is_claim: bool = False,
    attributed_is_denial: bool = False,
    background_time: bool = False,
) -> Modality:
    root = trigger.root
    chain = governing_chain(root)
    verbs_on_path = [root] + [head for _, head in chain]

    # The trigger's own clause: counterfactual, conditional, modal, negated.
    for verb in verbs_on_path[:3]:
        if _has_perfect_modal(verb, lex):
            return Modality.COUNTERFACTUAL
    for child, head in chain:
        lemma = head.lemma_.lower()
        if child.dep_ in _COMPLEMENT_DEPS:
            if lemma in lex.threat_verbs:
                return Modality.THREATENED
            if lemma in lex.deny_verbs:
                return Modality.DENIED
            if lemma in lex.plan_verbs:
                return Modality.PLANNED
            if lemma in lex.predict_verbs:
                return Modality.HYPOTHETICAL
    for verb in verbs_on_path[:2]:
        if any(c.dep_ == "mark" and c.lower_ in lex.conditional_markers for c in verb.children):
            return Modality.CONDITIONAL
        aux = _aux_lemmas(verb)
        if any(a in lex.modal_future for a in aux):
            return Modality.PLANNED
        if any(a in lex.modal_possible for a in aux):
            return Modality.HYPOTHETICAL
        if any(c.dep_ == "neg" for c in verb.children) and verb.pos_ in ("VERB", "AUX"):
            return Modality.DENIED
    for verb in verbs_on_path[:2]:
        if any(c.dep_ == "advmod" and c.lower_ in lex.habitual_markers for c in verb.children):
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
        if root.head.lemma_.lower() in lex.hypothetical_nouns:
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
