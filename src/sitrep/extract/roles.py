"""Who acted and who was hit: actor roles from the dependency parse.

actor1 is the agent (subject of an active trigger verb, the ``by`` phrase of a passive,
the modifier of a noun trigger: "*regime* airstrikes"); actor2 the target (object,
``against``/``from``/``on`` phrases, the passive subject). Other actors inside the same
noun phrase (coordination, "backed by", "including", appositions) become associated
actors. When the parse gives nothing, the nearest actors in the sentence fill in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from sitrep.nlp.components import TRIGGERS
from sitrep.schema import ActorRef, Inter

_VERB_POS = ("VERB", "AUX")
_CLIMB_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "prep", "acl", "relcl"})
_TARGET_PREPS = frozenset({"against", "on", "at", "upon"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "npadvmod"})


@dataclass
class ActorMention:
    """An actor reference found in the sentence, already resolved against the KB."""

    span: Span
    ref: ActorRef
    generic: bool = False

    @property
    def root(self) -> Token:
        return self.span.root

    def within(self, tok: Token) -> bool:
        return self.span.start <= tok.i < self.span.end


@dataclass
class Roles:
    actor1: ActorMention | None = None
    assoc1: list[ActorMention] = field(default_factory=list)
    actor2: ActorMention | None = None
    assoc2: list[ActorMention] = field(default_factory=list)
    #: the agent is a pronoun or a possessive one ("its security apparatus"): the caller
    #: resolves it to the group the article was just talking about
    agent_is_pronoun: bool = False


def _targeted_within(actor: ActorMention, tok: Token) -> bool:
    """Whether ``actor`` sits in a target phrase inside tok's phrase: 'strikes *against Nusra*'."""
    cur = actor.root
    for _ in range(12):
        if cur.i == tok.i or cur.head.i == cur.i:
            return False
        if cur.dep_ == "prep" and cur.lower_ in _TARGET_PREPS | {"against", "targeting"}:
            return True
        cur = cur.head
    return False


def _under(tok: Token, actors: list[ActorMention], *, agents: bool = False) -> list[ActorMention]:
    """Actors inside tok's phrase: the one containing tok first, then named before generic.
    For an agent phrase, actors in its target phrases ('air strikes on Nusra') are left out."""
    sub = {t.i for t in tok.subtree}
    found = [a for a in actors if (a.root.i in sub and not (agents and _targeted_within(a, tok))) or a.within(tok)]
    found.sort(key=lambda a: (not a.within(tok), a.generic, a.span.start))
    return found


def _split(found: list[ActorMention]) -> tuple[ActorMention | None, list[ActorMention]]:
    if not found:
        return None, []
    head, rest = found[0], found[1:]
    # a generic head ("an alliance of jihadist groups led by Nusra") yields to a named member
    if head.generic:
        named = [a for a in rest if not a.generic]
        if named:
            head = named[0]
            rest = [a for a in found if a is not head]
    assoc = [a for a in rest if a.ref.name != head.ref.name]
    return head, assoc


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _prep_objects(tok: Token, preps: frozenset[str] | set[str]) -> list[Token]:
    out = []
    for prep in _children(tok, "prep", "agent"):
        if prep.lower_ in preps:
            out.extend(_children(prep, "pobj"))
    return out


#: Participles that hand an act to its doer: "the massacre committed by X", "attacks carried
#: out by X", "strikes blamed on X", "shelling attributed to X".
_BLAME = {"blame": {"on"}, "attribute": {"to"}, "ascribe": {"to"}}


def _agents_of(verb: Token) -> list[Token]:
    """The doer in a 'by' phrase the parser marked as the agent of ``verb``."""
    out = []
    for prep in _children(verb, "agent"):
        out.extend(_children(prep, "pobj"))
    if not out and verb.tag_ in ("VBN", "VBG"):
        # 'killed by X' the parser left as a plain prep; 'shelling by X' (a gerund)
        out = _prep_objects(verb, {"by"})
    return out


def _participle_agents(noun: Token) -> list[Token]:
    """Agents named by a participle on an attack noun: 'barrel bombs dropped by regime
    helicopters', 'the massacre committed by X', 'strikes blamed on the regime'.

    Also looks one head up from a compound ('barrel *bomb* attacks dropped by ...')."""
    nouns = [noun]
    if noun.dep_ == "compound" and noun.head.i != noun.i:
        nouns.append(noun.head)
    out: list[Token] = []
    for n in nouns:
        for part in (c for c in n.children if c.dep_ in ("acl", "relcl", "pcomp") or (c.dep_ == "nsubj" and c.head.i == n.i)):
            if part.pos_ not in _VERB_POS:
                continue
            out += _agents_of(part)
            preps = _BLAME.get(part.lemma_.lower())
            if preps:
                out += _prep_objects(part, preps)
        # 'attacks' as the subject of 'dropped' in a mis-parse ("attacks dropped by X")
        if n.dep_ in ("nsubj", "nsubjpass") and n.head.pos_ in _VERB_POS and n.head.tag_ == "VBN":
            out += _agents_of(n.head)
    return out


#: Verbs whose headline form without an auxiliary is a passive: "50 militants killed in ...".
_VICTIM_VERBS = frozenset({"kill", "wound", "injure", "execute", "behead", "slaughter", "massacre"})
#: Verbs whose subject speaks about or suffers an act named as their object ("the Coalition
#: *condemned* the bombing", "monitors *reported* air strikes"): that subject is not its doer.
_REACTION_VERBS = frozenset(
    """condemn denounce deplore decry criticise criticize report document record investigate probe
    confirm verify deny mourn protest survive flee escape witness describe discuss monitor
    welcome call urge demand see hear""".split()
)
#: Nouns whose 'by' phrase uses the weapon named in their 'of' phrase
_USE_NOUNS = frozenset({"use", "usage", "deployment", "firing", "dropping"})
#: Verbs whose subject dies: "members of X died in an explosion" (X was hit, not the doer)
_DIE_VERBS = frozenset({"die", "perish"})
#: Participles and adjectives that say who died, not who killed, when tagged as nouns.
_VICTIM_FORMS = frozenset({"killed", "wounded", "injured", "dead", "executed", "beheaded", "slaughtered", "massacred"})
#: Nouns for the act in "killed in Russian air strikes", "killed in clashes with the army".
_ACT_NOUNS = frozenset(
    """operation clash strike airstrike raid attack shelling bombardment offensive battle fighting
    ambush bombing assault fire barrage blast explosion shell rocket missile bomb""".split()
)


#: Gerunds of fighting whose 'with' phrase names the other side ("killed in fighting with X").
_CLASH_LEMMAS = frozenset({"fight", "fighting", "clash", "battle", "combat"})

#: The killing verbs' plain forms, for title-case headlines the tagger leaves untagged.
_VICTIM_VERB_FORMS = frozenset(f for v in _VICTIM_VERBS for f in (v, v + "s", v + "ed", v + "d"))


def _victim_verb(tok: Token) -> bool:
    """A killing verb, also when a title-case headline leaves it untagged ('Army Kills 10')."""
    return tok.lemma_.lower() in _VICTIM_VERBS or tok.lower_ in _VICTIM_VERB_FORMS


def _headline_passive(verb: Token) -> Token | None:
    """The victims of a headline passive ('50 ISIS terrorists killed in army operations'): a
    killing verb with no object and no auxiliary. None when it is not one."""
    if verb.lemma_.lower() not in _VICTIM_VERBS or verb.tag_ not in ("VBD", "VBN"):
        return None
    # 'kill' always takes an object: without one, "Nusra terrorists killed in Aleppo" is passive
    if _children(verb, "dobj", "nsubjpass", "aux", "ccomp", "xcomp", "attr", "dative"):
        return None
    if any(_children(c, "dobj") for c in _children(verb, "conj")):
        return None  # "killed and wounded dozens": the object is shared
    subj = _children(verb, "nsubj")
    if not subj or subj[0].pos_ == "PRON":
        return None
    return subj[0]


def _act_agents(verb: Token) -> list[Token]:
    """'killed in Russian air strikes', 'killed in clashes with the army': the act's phrase
    (whose modifiers and 'with' objects are the doers)."""
    out = []
    for tok in _prep_objects(verb, {"in", "during", "by"}):
        if tok.lemma_.lower() in _ACT_NOUNS or tok.lemma_.lower().rstrip("s") in _ACT_NOUNS:
            out.append(tok)
    return out


def _subject(verb: Token) -> tuple[Token | None, bool]:
    """(subject token, is_passive), climbing to governing verbs for participles and infinitives."""
    cur: Token | None = verb
    hops = 0
    while cur is not None and hops < 4:
        subj = _children(cur, "nsubj", "csubj")
        if subj:
            # two subjects is a mis-parse ("dozens injured ... when jets raided"): the nearest
            # one, unless the nearer is the tail of the farther's 'including' list ("rebel
            # groups including X and Y fired"): then the list's head is the subject
            nearest = min(subj, key=lambda t: abs(t.i - cur.i))
            for other in subj:
                if other.i != nearest.i and _list_tail(other, nearest):
                    return other, False
            return nearest, False
        subjpass = _children(cur, "nsubjpass")
        if subjpass:
            return subjpass[0], True
        if cur.dep_ in _CLIMB_DEPS and cur.head.i != cur.i:
            cur = cur.head
            hops += 1
            continue
        break
    return None, False


#: Nouns of destroying or killing whose 'of' phrase is what is hit
_DESTRUCTION_NOUNS = frozenset(
    "elimination destruction liquidation annihilation neutralization neutralisation killing assassination".split()
)
#: Nouns of amount that pass a weapon's role to their own verb ('fired waves of rockets')
_QUANTITY_NOUNS = frozenset(
    "wave barrage volley salvo hail series round dozen score hundred number string burst".split()
)
#: Prepositions that open a list of examples inside a noun phrase ("groups including X and Y")
_EXAMPLE_PREPS = frozenset({"including", "like"})
#: Words the parser may leave between the pieces of one split subject
_SPLIT_LIST_DEPS = frozenset({"nsubj", "compound", "punct", "cc", "det", "amod"})


def _list_tail(head: Token, other: Token) -> bool:
    """Whether ``other`` continues ``head``'s phrase that lists examples with 'including',
    'like' or 'such as': the parser split one subject into two ("rebel groups including X
    and Y fired")."""
    if not any(
        c.dep_ == "prep" and (c.lower_ in _EXAMPLE_PREPS or (c.lower_ == "as" and any(g.lower_ == "such" for g in c.children)))
        for c in head.children
    ):
        return False
    head_end = max(t.i for t in head.subtree)
    other_start = min(t.i for t in other.subtree)
    if not head.i < other.i or other_start <= head_end:
        return False
    return all(t.dep_ in _SPLIT_LIST_DEPS for t in head.doc[head_end + 1 : other_start])


def _accuse_object(verb: Token) -> Token | None:
    """'X accused Assad forces of executing ...' — the accused is the agent."""
    cur = verb
    for _ in range(4):
        if cur.lemma_.lower() in ("accuse", "blame"):
            objs = _children(cur, "dobj")
            return objs[0] if objs else None
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return None


def _is_victim(actor: ActorMention) -> bool:
    """Whether the actor's phrase is said to have died or been hit: '29 rebels dead in ...',
    'Nusra militants killed in ...', 'rebels were killed ...'. Such a phrase never acts."""
    # "Kills 10 Rebels", "killed at least 20 militants": the counted object of a killing verb
    doc, i = actor.span.doc, actor.span.start - 1
    while i >= 0 and (doc[i].like_num or doc[i].lower_ in ("at", "least", "over", "about", "nearly", "some", "more", "than")):
        i -= 1
    if i >= 0 and i < actor.span.start - 1 and _victim_verb(doc[i]):
        return True
    cur = actor.root
    for _ in range(3):
        if cur.dep_ == "nsubjpass" or (cur.dep_ == "dobj" and _victim_verb(cur.head)):
            return True
        if any(c.dep_ in ("acl", "amod", "relcl") and c.lower_ in _VICTIM_FORMS for c in cur.children):
            return True
        if cur.dep_ == "nsubj" and (cur.head.lower_ in _VICTIM_FORMS and not _children(cur.head, "dobj")):
            return True
        if cur.dep_ == "nsubj" and _headline_passive(cur.head) is cur:
            return True
        nxt = cur.nbor(1) if cur.i + 1 < len(cur.doc) else None
        if nxt is not None and nxt.lower_ in _VICTIM_FORMS and (nxt.i == cur.head.i or nxt.head.i in (cur.i, cur.head.i)):
            return True
        if cur.dep_ not in ("compound", "appos", "nmod", "poss", "amod") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _claimed_responsibility(root: Token) -> bool:
    """'X claimed responsibility for the bombing', 'X claimed the attack': the claimant did it."""
    cur = root
    for _ in range(4):
        if cur.head.i == cur.i:
            return False
        head = cur.head
        if head.lemma_.lower() == "responsibility":
            return True
        if head.lemma_.lower() in ("claim", "admit") and cur.dep_ == "dobj" and root.pos_ in ("NOUN", "PROPN"):
            return True
        cur = head
    return False


def _pronoun_owner(subj: Token) -> bool:
    """'its security apparatus', 'one of its fighters': the subject belongs to a pronoun."""
    if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in subj.children):
        return True
    for prep in _children(subj, "prep"):
        if prep.lower_ == "of" and any(any(c.dep_ == "poss" and c.pos_ == "PRON" for c in o.children) for o in _children(prep, "pobj")):
            return True
    return False


def _aimed_at(actor: ActorMention) -> bool:
    """'fired on a gathering of Kurdish fighters', 'an attack against Nusra': the actor is in a
    phrase some act is aimed at, so it does not act by position."""
    cur = actor.root
    for _ in range(4):
        if cur.head.i == cur.i:
            return False
        # 'at' also gives times and places ('at 6 a.m.', 'at the checkpoint'): not taken here
        if cur.dep_ == "pobj" and cur.head.dep_ == "prep" and cur.head.lower_ in {"on", "upon", "against", "targeting"}:
            return True
        # 'the elimination of a Daesh command post', 'the killing of Nusra commanders': what is
        # destroyed or killed is hit
        if cur.dep_ == "pobj" and cur.head.lower_ == "of" and cur.head.head.lemma_.lower() in _DESTRUCTION_NOUNS:
            return True
        if cur.dep_ not in ("pobj", "prep", "compound", "amod", "appos", "conj"):
            return False
        cur = cur.head
    return False


def _reacts(actor: ActorMention) -> bool:
    """'Hezbollah condemned the bombing': the subject of a reaction verb speaks, it does not act."""
    root = actor.root
    return root.dep_ == "nsubj" and root.head.lemma_.lower() in _REACTION_VERBS


def _fold_named_heads(actors: list[ActorMention]) -> list[ActorMention]:
    """'ISIS terrorists', 'Nusra gunmen': a generic word right after a named actor is that
    actor's head noun, so the phrase is one mention of the named actor."""
    out: list[ActorMention] = []
    for a in sorted(actors, key=lambda a: a.span.start):
        prev = out[-1] if out else None
        if prev is not None and a.generic and not prev.generic and prev.span.end == a.span.start:
            out[-1] = ActorMention(span=a.span.doc[prev.span.start : a.span.end], ref=prev.ref, generic=False)
            continue
        out.append(a)
    return out


def assign_roles(
    trigger: Span,
    actors: list[ActorMention],
    *,
    territory: bool = False,
    antecedents: list[ActorMention] | None = None,
    doc_triggers: list[Span] | None = None,
) -> Roles:
    """``doc_triggers``: the Doc's trigger spans, when the caller already holds them as a list."""
    roles = Roles()
    root = trigger.root
    if doc_triggers is None:
        doc_triggers = list(trigger.doc.spans.get(TRIGGERS, []))
    agent_toks: list[Token] = []
    target_toks: list[Token] = []
    target_preps = _TARGET_PREPS | ({"from"} if territory else set())

    if root.pos_ in _VERB_POS:
        verb = root
    else:
        # noun trigger: modifiers are agents ("Russian airstrikes"), by/against phrases; a
        # headline participle tagged as a noun ("25 Terrorists Killed") has its victims there
        modifiers = [c for c in root.children if c.dep_ in _MODIFIER_DEPS]
        if root.lower_ in _VICTIM_FORMS:
            target_toks += modifiers
        else:
            agent_toks += modifiers
        agent_toks += _prep_objects(root, {"by"})
        agent_toks += _participle_agents(root)
        target_toks += _prep_objects(root, target_preps)
        # 'mortar shelling by X on Y': the attack word right after the trigger (its head, or
        # another trigger the parser split off) says who and whom
        nxt = root.doc[root.i + 1] if root.i + 1 < len(root.doc) else None
        partner = root.head if root.dep_ == "compound" and root.head.pos_ in ("NOUN", "PROPN") else None
        if partner is None and nxt is not None and nxt.i > trigger.end - 1 and any(t.root.i == nxt.i for t in doc_triggers):
            partner = nxt
        if partner is not None:
            agent_toks += _prep_objects(partner, {"by"})
            target_toks += _prep_objects(partner, target_preps)
        if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in _USE_NOUNS:
            # 'the use of chemical weapons by Assad's forces': who uses the weapon
            agent_toks += _prep_objects(root.head.head, {"by"})
        verb = None
        head = root.head
        if root.dep_ == "pobj" and head.head.i != head.i:
            head = head.head
        obj = root
        if (
            root.dep_ == "pobj"
            and root.head.lower_ == "of"
            and head.lemma_.lower() in _QUANTITY_NOUNS
            and head.dep_ in ("dobj", "nsubj", "nsubjpass")
            and head.head.pos_ in _VERB_POS
        ):
            # 'fired waves of rockets', 'launched a barrage of missiles': the amount stands
            # for the weapon, so the verb that governs it is the trigger's verb
            obj, head = head, head.head
        if head.pos_ in _VERB_POS and obj.dep_ in ("dobj", "pobj", "nsubj", "attr", "nsubjpass") and not (
            obj.dep_ in ("dobj", "pobj") and head.lemma_.lower() in _REACTION_VERBS
        ):
            verb = head

    if verb is not None:
        accused = _accuse_object(verb)
        subj, passive = _subject(verb)
        by_agents = _agents_of(verb)
        victims = _headline_passive(verb) if not passive else None
        if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN"):
            victims = verb.head  # a reduced relative: '17 children killed by X', 'militants killed in clashes'
        if victims is not None:
            subj, passive = victims, True
        dies = verb.lemma_.lower() in _DIE_VERBS and not passive
        if (passive or dies) and not by_agents:
            by_agents = _act_agents(verb)
        if accused is not None:
            agent_toks.append(accused)
        elif by_agents:
            # 'killed by X', 'shelling by X' (a gerund parsed as a verb): X acts whatever the subject
            agent_toks += by_agents
            if (passive or dies) and subj is not None:
                target_toks.append(subj)
            elif subj is None and verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
                target_toks.append(verb.head)  # '17 children killed by X': the children were hit
        elif passive:
            agent_toks += _prep_objects(verb, {"by"})
            if verb.lemma_.lower() in _CLASH_LEMMAS and subj is not None and subj.head.i != verb.i:
                # 'militants were killed in fighting with Kurdish forces': the dead belong to the
                # killing verb above; the side they fought is the one that killed them
                agent_toks += _prep_objects(verb, {"with"})
            if subj is not None:
                target_toks.append(subj)
        elif subj is not None and subj.tag_ in ("WDT", "WP") and subj.head.dep_ == "relcl":
            agent_toks.append(subj.head.head)  # "the Nusra Front, which renamed itself": the antecedent
        elif subj is not None and subj.i == root.i:
            # "a blast near the headquarters of X killed 45": its modifiers and 'by' phrase
            # (above) name the doer, and "clashes between X and Y continue" the sides
            agent_toks += _prep_objects(root, {"between", "among", "with"})
        elif subj is not None and dies:
            target_toks.append(subj)  # "members of X died in an explosion": who dies is hit
        elif subj is not None and subj.pos_ != "PRON":
            agent_toks.append(subj)
            if _pronoun_owner(subj):
                roles.agent_is_pronoun = True
        elif subj is not None:
            roles.agent_is_pronoun = True
        if verb.i == root.i or root.dep_ in ("dobj",):
            target_toks += _children(verb, "dobj")
        target_toks += _prep_objects(verb, target_preps)

    if antecedents and _claimed_responsibility(root):
        roles.agent_is_pronoun = True  # the cited party is the doer, as with a pronoun agent
    if not actors:
        if roles.agent_is_pronoun and antecedents:
            roles.actor1, roles.agent_is_pronoun = antecedents[0], False
        return roles
    used: set[int] = set()

    def take(toks: list[Token], agents: bool = False) -> list[ActorMention]:
        out: list[ActorMention] = []
        for tok in toks:
            for a in _under(tok, actors, agents=agents):
                if id(a) not in used and a not in out:
                    out.append(a)
        return out

    actors = _fold_named_heads(actors)
    first_agents = take(agent_toks, agents=True)
    roles.actor1, roles.assoc1 = _split(first_agents)
    if roles.actor1 is not None:
        roles.agent_is_pronoun = False
    used.update(id(a) for a in first_agents)
    targets = take(target_toks)
    roles.actor2, roles.assoc2 = _split(targets)
    used.update(id(a) for a in targets)

    # Fallbacks by position: the nearest unused actor before the trigger acts; after it is hit.
    # An actor that is another trigger's weapon ('explosive barrels') takes no part by position.
    weapons = {i for t in doc_triggers if t.start != trigger.start for i in range(t.start, t.end)}
    rest = [a for a in actors if id(a) not in used and not a.within(root) and not (weapons & set(range(a.span.start, a.span.end)))]
    if roles.actor1 is None and roles.agent_is_pronoun and antecedents:
        roles.actor1, roles.agent_is_pronoun = antecedents[0], False
    if roles.actor1 is None:
        # the trigger is itself a reference to its user ('barrel bombs' are the state's)
        # ('air raids', 'a suicide bomber' with no one named: a generic reference the article resolves)
        naming = [
            a for a in actors
            if a.within(root) and id(a) not in used and a.ref.inter != Inter.CIVILIANS
        ]
        if naming:
            roles.actor1 = naming[0]
            used.add(id(naming[0]))
    if roles.actor1 is None:
        # a pronoun agent ("insurgents claimed they killed ...") first looks back in its own sentence
        before = [a for a in rest if a.span.end <= trigger.start and not _is_victim(a) and not _reacts(a) and not _aimed_at(a)]
        if before:
            roles.actor1 = before[-1]
            rest.remove(before[-1])
            roles.agent_is_pronoun = False
    if roles.actor2 is None:
        after = [a for a in rest if a.span.start >= trigger.end and (roles.actor1 is None or a.ref.name != roles.actor1.ref.name)]
        if after:
            roles.actor2 = after[0]
    if roles.actor1 and roles.actor2 and roles.actor1.ref.name == roles.actor2.ref.name:
        roles.actor2 = None
    roles.assoc1 = [a for a in roles.assoc1 if roles.actor2 is None or a.ref.name != roles.actor2.ref.name]
    return roles
