"""Event mentions from a parsed article: trigger → type, roles, place, date, figures, modality.

Works sentence by sentence over a spaCy Doc of ``Article.text`` (spans are character
offsets into that text). Article-level context carries what a reader carries: the
last date mentioned, the places and groups the article is about, the means of attack
just described ("the air force bombed...; on Saturday it also bombarded...").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span

from sitrep.extract.attribution import find_attribution
from sitrep.extract.casualties import conservative_fatalities, extract_casualties, is_cumulative, victims_are_civilian
from sitrep.extract.modality import classify_modality
from sitrep.extract.roles import ActorMention, Roles, assign_roles
from sitrep.nlp.components import ACTORS, TRIGGERS
from sitrep.nlp.lexicon import ModalityLexicon, Trigger, TriggerLexicon, load_modality, load_triggers
from sitrep.resolve.actors import ActorKB, ArticleActors, default_actor_kb, name_words
from sitrep.resolve.dates import TimeRef, resolve_time
from sitrep.resolve.gazetteer import default_gazetteer
from sitrep.resolve.places import PlaceResolver, area_of, is_attributive
from sitrep.schema import (
    SUB_EVENT_PARENT,
    ActorRef,
    Article,
    Claim,
    GeoPrecision,
    Inter,
    Mention,
    Modality,
    PlaceRef,
    SourceType,
    Span as TextSpan,
    SubEventType,
    TimePrecision,
)

S = SubEventType
_VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
#: Generic triggers need something concrete (a place, a time, a toll) in their sentence,
#: or they are commentary ("have continued to target the group").
_VAGUE_FAMILIES = frozenset({"attack", "killing"})
_VAGUE_IDS = frozenset({"clash", "offensive"})
_AIR_DEFAULT_LEMMAS = frozenset({"bomb", "bombing", "bombard", "bombardment", "raid", "blitz", "strike"})
#: Lower-case words that name a side when they modify an attack noun ("regime strikes")
_MODIFIER_AGENTS = frozenset({"regime", "government", "coalition", "loyalist", "pro-government", "pro-regime"})
_PLACE_NOUNS = frozenset(
    "town village city hamlet district neighbourhood neighborhood quarter suburb suburbs hill hills base "
    "airport airbase crossing checkpoint area region province countryside dam bridge road highway camp "
    "position positions post posts outpost stronghold strongholds".split()
)
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: "bases in eastern Syria": a place was named, only too vaguely to code; do not borrow another
_BROAD = re.compile(r"\b(?:north|south|east|west|central)[a-z-]* (?:Syria|Iraq)\b|\bin (?:Iraq|Turkey|Lebanon|Jordan|Israel)\b", re.I)
#: "the town", "the city": the place the article is reporting from
_ANAPHOR = re.compile(r"\b(?:the|this) (?:town|city|village|area|district|neighbou?rhood|camp|base|hospital)\b", re.I)
#: Triggers that say something blew up without saying how: an IED unless the clause says more
_BARE_BLASTS = frozenset({"explosion", "bomb"})
_EXPLOSIVE = frozenset(s.value for s, parent in SUB_EVENT_PARENT.items() if parent.value == "Explosions/Remote violence")
#: Places named this way are countries or the whole war theatre: not event locations.
_TOO_BROAD = frozenset({"syria", "iraq", "turkey", "lebanon", "jordan", "israel", "iran", "russia", "middle east"})
#: Sub-event types that name how an attack was done (what an unspecified 'attack' can become)
_MEANS_TYPES = frozenset(
    {S.AIR_DRONE_STRIKE, S.SHELLING, S.SUICIDE_BOMB, S.REMOTE_EXPLOSIVE, S.GRENADE, S.CHEMICAL_WEAPON}
)
#: How many sentences around an unspecified attack may say how it was done
_LOOKAHEAD = 3
#: ... and after the article's first sentence (a headline or lead summarises the article)
_LEAD_LOOKAHEAD = 6
#: Generic references that name a means, not a side ("warplanes", "bombers")
_MEANS_ONLY_ACTORS = frozenset({"generic-air-force", "generic-bombers"})
_SUICIDE_BOMBER = re.compile(r"suicide[- ]bombers?\b")
#: "from Madaya", "from the northern towns of Nubl": where people, shells or a convoy came from
_ORIGIN_BEFORE = re.compile(
    r"\bfrom\s+(?:the\s+)?(?:(?:north|south|east|west|central)\w*\s+)?(?:(?:towns?|villages?|cit(?:y|ies)|areas?|neighbou?rhoods?)\s+of\s+)?$", re.I
)
#: How close after 'killed' a place must be named to be the killing's own ("killed near the capital")
_OWN_PLACE_CHARS = 60
#: ... nor is a car, motorbike or truck bomber
_VEHICLE_BOMBER = re.compile(r"\b(?:car|motorcycle|motorbike|truck|lorry)[- ]bombers?\b")
_BOMBERS = re.compile(r"\bbombers?\b")
#: Non-state armed actors: they have no air force, so their 'bombers' are not aircraft
_GROUND_INTERS = frozenset({Inter.REBEL_GROUPS, Inter.POLITICAL_MILITIAS, Inter.IDENTITY_MILITIAS})
#: Sentence openings that move the report to another event
_ELSEWHERE = re.compile(r"\W*(?:elsewhere|meanwhile|separately|in other news|in another|in a separate|also on)\b", re.I)
#: Specific triggers that still do not say how: a massacre is a mass killing by any means
_MEANS_FREE_LEMMAS = frozenset({"massacre", "slaughter"})


@dataclass
class _PlaceHit:
    start: int  # char offsets in the doc
    end: int
    surface: str
    hint: str | None
    ref: PlaceRef


@dataclass
class _Context:
    """What the reader of one article remembers while reading it."""

    article: Article
    published: date | None
    last_time: TimeRef | None = None
    last_time_para: int = -1
    lead_time: TimeRef | None = None
    last_place: PlaceRef | None = None
    last_place_sent: int = -10
    para_starts: list[int] = field(default_factory=list)
    admin1: Counter = field(default_factory=Counter)
    article_actors: ArticleActors | None = None  # the named groups, for 'the rebels', 'the Front'
    recent_means: list[set[str]] = field(default_factory=list)
    last_actor1: ActorRef | None = None
    #: mentions whose sub-event type is only a default (a bare "attack"/"killed"): id -> sentence index
    unspecified: dict[str, int] = field(default_factory=dict)
    #: sentence index of each mention, for the look-ahead
    sentence_of: dict[str, int] = field(default_factory=dict)
    unspecified_now: bool = False
    #: The Doc's text and span lists, read once per article: ``Doc.text`` joins every token
    #: and ``Span.ents``/``doc.spans[...]`` build new Span objects on each access.
    text: str = ""
    triggers: list[Span] = field(default_factory=list)
    actor_spans: list[Span] = field(default_factory=list)
    ents: list[Span] = field(default_factory=list)
    #: each sentence's place phrases (offsets within the sentence), from PlaceResolver.candidates_from_text
    place_cands: list[list[tuple[int, int, str, str | None]]] = field(default_factory=list)


class EventExtractor:
    """Turns a parsed article into mentions. Holds the knowledge; safe to reuse across articles."""

    def __init__(
        self,
        *,
        actors: ActorKB | None = None,
        places: PlaceResolver | None = None,
        triggers: TriggerLexicon | None = None,
        modality: ModalityLexicon | None = None,
    ):
        self.actors = actors or default_actor_kb()
        self.places = places or PlaceResolver(default_gazetteer())
        self.lex = triggers or load_triggers()
        self.mod = modality or load_modality()
        self._trig = self.lex.by_id()
        self._cues = {name: {w.lower() for w in words} for name, words in self.lex.cues.items()}
        _load_shared_knowledge()

    # ------------------------------------------------------------------ public
    def extract(self, article: Article, doc: Doc) -> list[Mention]:
        ctx = _Context(article=article, published=article.published)
        ctx.text = doc.text
        ctx.triggers = list(doc.spans.get(TRIGGERS, []))
        ctx.actor_spans = list(doc.spans.get(ACTORS, []))
        ctx.ents = list(doc.ents)
        ctx.para_starts = [0] + [i + 2 for i in _find_all(ctx.text, "\n\n")]
        sents = list(doc.sents)
        # the place phrases of each sentence, found once: for the article's governorates
        # (below) and again for each sentence's places
        ctx.place_cands = [self.places.candidates_from_text(ctx.text[s.start_char : s.end_char]) for s in sents]
        self._prime_context(doc, ctx, sents)
        mentions: list[Mention] = []
        for si, sent in enumerate(sents):
            mentions.extend(self._sentence(si, sent, doc, ctx, mentions))
        self._means_from_next_sentences(mentions, ctx)
        self._air_attacker(mentions)
        return mentions

    def _means_from_next_sentences(self, mentions: list[Mention], ctx: _Context) -> None:
        """A bare 'attack', 'killed' or 'massacre' takes the means that the sentences around it give.

        News states the event first and how it was done after it: a headline or lead
        "terrorist attacks kill 7 in Aleppo" is followed by "rocket shells fired by terrorists
        on ... killed six civilians"; "the attack" after "suicide bombers struck" refers back.
        A mention typed only by default (no means in its own sentence) takes the sub-event
        type of the nearest asserted or claimed mention that names its means (a strike, shells,
        a bomb, gas) within :data:`_LOOKAHEAD` sentences before or after it (after the
        article's first sentence, its headline or lead, within :data:`_LEAD_LOOKAHEAD`), by the
        same side, at a compatible place (the same governorate, or either has none) and not in a
        sentence that moves on ("Elsewhere, ...", "Meanwhile, ...").
        Bare 'strikes' and 'raids' (an air strike by default) only become shelling this way.
        """
        if not ctx.unspecified:
            return
        for m in mentions:
            si = ctx.unspecified.get(m.id)
            if si is None:
                continue
            ahead = _LEAD_LOOKAHEAD if si == 0 else _LOOKAHEAD
            candidates = []
            for k, other in enumerate(mentions):
                sj = ctx.sentence_of.get(other.id, -1)
                if other.id == m.id or not (si - _LOOKAHEAD <= sj <= si + ahead):
                    continue
                if other.sub_event_type not in _MEANS_TYPES or other.modality not in (Modality.ASSERTED, Modality.CLAIMED):
                    continue
                if other.id in ctx.unspecified and other.sub_event_type == m.sub_event_type:
                    continue
                bombing = m.trigger.lower().startswith("bomb") and not m.trigger.lower().startswith("bombard")
                if m.sub_event_type == S.AIR_DRONE_STRIKE and not bombing and other.sub_event_type not in (S.AIR_DRONE_STRIKE, S.SHELLING):
                    continue  # "raids" are not a bomb planted on the ground; "bombings" may be
                here = {area_of(p.admin1) for p in [m.place, *m.places] if p is not None and p.admin1}
                there = area_of(other.place.admin1) if other.place else None
                if _ELSEWHERE.match(other.sentence) and not (here and there in here):
                    continue  # "Elsewhere, jets struck ...", "Meanwhile, ...": the report moves on
                if here and there and there not in here:
                    continue  # "... in Homs. Elsewhere, jets struck Idlib": another event
                if not self._same_side(m.actor1, other.actor1):
                    continue  # "militants attacked ...; the army responded with artillery": another act
                candidates.append((abs(sj - si), sj > si, k, other))
            if candidates:
                other = min(candidates, key=lambda c: c[:3])[3]
                m.sub_event_type = other.sub_event_type
                m.event_type = SUB_EVENT_PARENT[other.sub_event_type]

    def _same_side(self, a: ActorRef | None, b: ActorRef | None) -> bool:
        """Both name the same actor or the same side of the war; or one names none, or only aircraft."""
        if a is None or b is None or a.actor_id in _MEANS_ONLY_ACTORS or b.actor_id in _MEANS_ONLY_ACTORS:
            return True
        if (a.actor_id or a.name) == (b.actor_id or b.name):
            return True
        sa = self._side(a) if a.actor_id else None
        sb = self._side(b) if b.actor_id else None
        return sa is not None and sa == sb

    @staticmethod
    def _air_attacker(mentions: list[Mention]) -> None:
        """An air strike without a named attacker in an article that names who flies the strikes.

        Only air forces strike from the air, and an article that reports 'Russian warplanes
        pounded X' and then 'air raids on Y killed 9' means the same air force; with several
        air forces named, the one named most often (first on ties) is taken.
        """
        named = Counter(
            m.actor1.actor_id or m.actor1.name
            for m in mentions
            if m.sub_event_type == S.AIR_DRONE_STRIKE and m.actor1 is not None and m.actor1.inter in (Inter.STATE_FORCES, Inter.EXTERNAL_OTHER)
        )
        if not named:
            return
        top = named.most_common(1)[0][0]
        ref = next(m.actor1 for m in mentions if m.actor1 is not None and (m.actor1.actor_id or m.actor1.name) == top)
        for m in mentions:
            if m.sub_event_type == S.AIR_DRONE_STRIKE and m.actor1 is None:
                m.actor1 = ref.model_copy(update={"span": None})
                if m.actor2 is not None and (m.actor2.actor_id or m.actor2.name) == top:
                    m.actor2 = None

    # ------------------------------------------------------------------ context
    def _prime_context(self, doc: Doc, ctx: _Context, sents: list[Span]) -> None:
        """First pass: which governorates and which named groups the article is about."""
        found = [(sent.start_char + a, sent.start_char + b, surface, hint) for sent, cands in zip(sents, ctx.place_cands) for a, b, surface, hint in cands]
        for ref in self.places.resolve_candidates(found):
            if ref.admin1:
                ctx.admin1[ref.admin1] += 1
        ctx.article_actors = self.actors.article()
        for span in ctx.actor_spans:
            ctx.article_actors.observe(span.text, self.actors.match(span.text, on=ctx.published))

    def _credit_back(self, trig: Span, actors: list[ActorMention], claimants: list[ActorMention], so_far: list[Mention], ctx: _Context) -> None:
        """'IS claimed responsibility for the attack', 'blaming the Islamic State group for the
        attack': a later sentence that credits 'the attack' to someone names the doer of the
        act the article last reported, when that report named none."""
        roles = assign_roles(trig, actors, antecedents=claimants, doc_triggers=ctx.triggers)
        doer = roles.actor1.ref if roles.actor1 is not None else None
        if doer is None or doer.inter in (Inter.CIVILIANS, Inter.UNKNOWN) or roles.actor1.generic:
            return
        unidentified = self.actors.unidentified().name
        for m in reversed(so_far[-8:]):
            if m.event_type.value not in _VIOLENT_TYPES:
                continue
            if m.modality not in (Modality.ASSERTED, Modality.CLAIMED):
                continue
            if m.actor1 is None or (m.actor1.actor_id and self.actors.is_generic(m.actor1.actor_id) and m.actor1.name == unidentified):
                m.actor1 = self._ref(roles.actor1, m.event_date or ctx.published)
            return  # only the last reported act

    def _names_word(self, ref: ActorRef, word: str) -> bool:
        """Whether one of the actor's own names or references has ``word``: a modifier matched
        only approximately ('Kurds' ~ 'Quds') names no one."""
        actor = self.actors.get(ref.actor_id) if ref.actor_id else None
        if actor is None:
            return True
        texts = [actor.name, *(n.name for n in actor.names), *(a.text for a in (*actor.aliases, *actor.descriptors))]
        want = {w for w in name_words(word)}
        return any(want & set(name_words(t)) for t in texts)

    def _opposed(self, a: ActorRef | None, b: ActorRef | None) -> bool:
        """Whether one of two actors is on the government's side and the other fights it: no
        associates ('rebel fire and regime bombardment' coordinates two acts, not allies)."""
        if a is None or b is None or not a.actor_id or not b.actor_id:
            return False
        sides = {self.actors.camp(a.actor_id), self.actors.camp(b.actor_id)}
        return "government" in sides and bool(sides & {"opposition", "jihadist", "kurdish"})

    def _side(self, ref: ActorRef) -> str | None:
        actor = self.actors.get(ref.actor_id) if ref.actor_id else None
        return str(actor.side) if actor is not None else None

    @staticmethod
    def _is_generic(ref: ActorRef) -> bool:
        return bool(ref.actor_id and ref.actor_id.startswith("generic"))

    # ------------------------------------------------------------------ sentence
    def _sentence(self, si: int, sent: Span, doc: Doc, ctx: _Context, so_far: list[Mention]) -> list[Mention]:
        offset = sent.start_char
        text = ctx.text[offset : sent.end_char]  # = sent.text, without joining its tokens again
        lower = text.lower()
        # a suicide bomber is no aircraft: "bomber" is an air cue only on its own
        cue_text = _VEHICLE_BOMBER.sub(" attacker ", _SUICIDE_BOMBER.sub(" suicide attacker ", lower))
        cues_here = {name for name, words in self._cues.items() if any(self._has_cue(cue_text, w) for w in words)}
        means = cues_here & {"air", "ground"}
        ctx.recent_means = (ctx.recent_means + [cues_here])[-5:]

        time = resolve_time(text, ctx.published) if ctx.published else resolve_time(text, None)
        attribution = find_attribution(text)
        claims = extract_casualties(text, offset=offset)
        claimant, claimant_type = None, SourceType.UNKNOWN
        if attribution is not None:
            claimant, claimant_type = attribution.claimant, self._source_type(attribution)
        for c in claims:
            c.article_id = ctx.article.id
            if claimant:
                c.claimant, c.claimant_type = claimant, claimant_type

        para = bisect_right(ctx.para_starts, sent.start_char) - 1
        # words inside the cited source's name ("Raqqa is Being Slaughtered Silently") are not events
        quiet = (offset + attribution.span[0], offset + attribution.span[1]) if attribution else (-1, -1)
        sent_triggers = [t for t in ctx.triggers if sent.start <= t.start and t.end <= sent.end]
        triggers = [t for t in sent_triggers if not (quiet[0] <= t.start_char < quiet[1])]
        places = [p for p in self._places(sent, si, ctx) if not (quiet[0] <= p.start < quiet[1]) or _located(ctx.text, p.start)]
        all_actors = self._actors(sent, doc, ctx, time, sent_triggers)
        actors = [a for a in all_actors if not (quiet[0] <= a.span.start_char < quiet[1])]
        # the cited party is who "they" means in "insurgents claimed they killed ..."
        claimants = [a for a in all_actors if quiet[0] <= a.span.start_char < quiet[1] and not a.ref.inter == Inter.CIVILIANS]
        if "air" in means and any(
            a.ref.inter in _GROUND_INTERS and a.span.end < len(doc) and doc[a.span.end].lower_ in ("bomber", "bombers") for a in actors
        ):
            # "IS bombers", "Nusra bombers": a non-state group's bombers attack on the ground
            if not any(self._has_cue(_BOMBERS.sub(" attacker ", cue_text), w) for w in self._cues.get("air", ())):
                means = means - {"air"}
                cues_here = cues_here - {"air"}
                ctx.recent_means[-1] = cues_here
        previous_actor = ctx.last_actor1
        named = [a.ref for a in actors if not a.generic and a.ref.inter not in (Inter.CIVILIANS, Inter.UNKNOWN)]
        if named:
            ctx.last_actor1 = named[0]  # what "it"/"its" in the next sentence most likely means
        if not triggers:
            self._attach_toll(claims, sent, ctx, so_far)
            self._attach_place(places, sent, si, ctx, so_far)
            return []

        event_time = time if (time and not time.is_past_background) else None
        chosen = self._select(triggers, sent, places, claims, time, ctx)
        if not chosen:
            self._attach_toll(claims, sent, ctx, so_far)
        kept = {t.start for t, _ in chosen}
        for t in triggers:
            if t.start not in kept and _credits(t.root):
                self._credit_back(t, actors, claimants, so_far, ctx)
        out: list[Mention] = []
        for trig, tdef, place in self._per_place(chosen, places, doc, ctx.text):
            roles = assign_roles(trig, actors, territory=tdef.sub_event_type == "territory", antecedents=claimants, doc_triggers=ctx.triggers)
            ctx.unspecified_now = False
            sub = self._sub_event_type(tdef, trig, roles, lower, claims, means, ctx, cues_here)
            if sub is None:
                continue
            unspecified = ctx.unspecified_now
            background = bool(time and time.is_past_background)
            modality = classify_modality(
                trig,
                self.mod,
                attributed_is_claim=bool(attribution and attribution.is_claim) or claimant_type == SourceType.PARTY,
                attributed_is_denial=bool(attribution and attribution.is_denial),
                background_time=background,
                has_time=time is not None or si == 0,  # a headline's present tense is news
            )
            if modality in (Modality.ASSERTED, Modality.CLAIMED) and _campaign_summary(time, claims):
                # "the bombardment has killed hundreds of civilians this year": a campaign's toll
                modality = Modality.GENERIC
            if place is None and ctx.last_place is not None and not _BROAD.search(text) and (si - ctx.last_place_sent <= 2 or _ANAPHOR.search(text)):
                place = ctx.last_place.model_copy(update={"span": None})
            when, precision, date_text = self._date_for(time, ctx, modality, para)
            actor1, actor2 = self._final_actors(roles, sub, claims, ctx, when)
            if actor1 is None and roles.agent_is_pronoun and previous_actor is not None:
                actor1 = self.actors.match(previous_actor.name, on=when) or previous_actor
            m = Mention(
                id=Mention.make_id(ctx.article.id, TextSpan(start=sent.start_char, end=sent.end_char), trig.start_char),
                article_id=ctx.article.id,
                sentence=text,
                span=TextSpan(start=sent.start_char, end=sent.end_char),
                trigger=trig.text,
                trigger_span=TextSpan(start=trig.start_char, end=trig.end_char),
                event_type=SUB_EVENT_PARENT[sub],
                sub_event_type=sub,
                actor1=actor1,
                assoc_actor_1=[r for r in (self._ref(a, when) for a in roles.assoc1) if not self._opposed(actor1, r)]
                + self.actors.associated_members(actor1, when),
                actor2=actor2,
                assoc_actor_2=[self._ref(a, when) for a in roles.assoc2] + self.actors.associated_members(actor2, when),
                places=[p.ref for p in places],
                place=place,
                event_date=when,
                time_precision=precision,
                date_text=date_text,
                claims=[c.model_copy() for c in claims],
                fatalities=conservative_fatalities(claims),
                modality=modality,
                attributed_to=claimant,
                attribution_type=claimant_type,
                confidence=self._confidence(tdef, roles, place, time),
            )
            out.append(m)
            ctx.sentence_of[m.id] = si
            if unspecified:
                ctx.unspecified[m.id] = si
            if place is not None and any(p.ref is place for p in places):
                self._remember_place(place, si, ctx)
        if event_time is not None:
            ctx.last_time, ctx.last_time_para = event_time, para
            if ctx.lead_time is None:
                ctx.lead_time = event_time
        self._tolls_to_nearest_trigger(out)
        return self._merge_same_sentence(out)

    @staticmethod
    def _tolls_to_nearest_trigger(out: list[Mention]) -> None:
        """With several acts in one sentence, each figure belongs to the act named nearest to it.

        "publicly executed and crucified nine men, eight of them rebels fighting the group":
        the nine dead are the execution's, not the fighting's. Mentions of one trigger at
        several places share its figures; a mention left without figures has no toll.
        """
        spans = {(m.trigger_span.start, m.trigger_span.end) for m in out if m.trigger_span is not None}
        if len(spans) < 2:
            return

        def nearest(c: Claim) -> tuple[int, int] | None:
            if c.span is None:
                return None
            return min(spans, key=lambda t: (max(t[0] - c.span.end, c.span.start - t[1], 0), t[0]))

        for m in out:
            own = (m.trigger_span.start, m.trigger_span.end) if m.trigger_span else None
            kept = [c for c in m.claims if c.kind != "fatalities" or nearest(c) in (None, own)]
            if len(kept) != len(m.claims):
                m.claims = kept
                m.fatalities = conservative_fatalities(kept)

    # ------------------------------------------------------------------ pieces
    @staticmethod
    def _has_cue(lower: str, word: str) -> bool:
        i = lower.find(word)
        while i != -1:
            before = lower[i - 1] if i > 0 else " "
            if not before.isalpha():
                return True
            i = lower.find(word, i + 1)
        return False

    def _source_type(self, attribution) -> SourceType:
        st = getattr(attribution, "claimant_type", None)
        return st if isinstance(st, SourceType) else SourceType.UNKNOWN

    def _remember_place(self, place: PlaceRef, si: int, ctx: _Context) -> None:
        ctx.last_place, ctx.last_place_sent = place, si

    def _places(self, sent: Span, si: int, ctx: _Context) -> list[_PlaceHit]:
        """Place candidates from the resolver's gazetteer scan and phrase patterns, plus NER, resolved."""
        context_admin1 = ctx.admin1.most_common(1)[0][0] if ctx.admin1 else None
        raw: list[tuple[int, int, str, str | None]] = []
        for s, e, surface, hint in ctx.place_cands[si]:
            raw.append((sent.start_char + s, sent.start_char + e, surface, hint))
        for ent in ctx.ents:  # sent.ents: the entities wholly inside the sentence
            if sent.start <= ent.start and ent.end <= sent.end and ent.label_ in _PLACE_LABELS and not is_attributive(ctx.text, ent.end_char, ent.start_char):
                raw.append((ent.start_char, ent.end_char, ent.text, None))
        # "In Aleppo, ... the al-Midan district": a city or province named in the sentence
        # disambiguates the sentence's other places before the article's main governorate does
        for s, e, surface, hint in raw:
            ref = self.places.resolve(surface, context_admin1=context_admin1, hint=hint)
            if ref is not None and ref.admin1 and (ref.feature in ("city", "governorate", "admin1") or ref.geo_precision == 3):
                context_admin1 = ref.admin1
                break
        hits: list[_PlaceHit] = []
        for s, e, surface, hint in sorted(raw, key=lambda r: (r[0], -(r[1] - r[0]))):
            if surface.strip().lower().removeprefix("the ") in _TOO_BROAD:
                continue
            if any(h.start <= s < h.end for h in hits):
                # already covered by a longer or earlier candidate; keep a better hint
                for h in hits:
                    if h.start <= s < h.end and hint and not h.hint:
                        better = self.places.resolve(h.surface, context_admin1=context_admin1, hint=hint)
                        if better:
                            h.ref, h.hint = better.model_copy(update={"span": h.ref.span}), hint
                continue
            ref = self.places.resolve(surface, context_admin1=context_admin1, hint=hint)
            if ref is None:
                continue
            ref = ref.model_copy(update={"surface": surface, "span": TextSpan(start=s, end=e)})
            hits.append(_PlaceHit(s, e, surface, hint, ref))
        return hits

    def _actors(self, sent: Span, doc: Doc, ctx: _Context, time: TimeRef | None, triggers: list[Span]) -> list[ActorMention]:
        on = time.date if (time and time.is_past_background) else ctx.published
        out = []
        for span in ctx.actor_spans:
            if not (sent.start <= span.start and span.end <= sent.end):
                continue
            # "rebel-held city": a modifier of a place, not an actor
            if span.end < len(doc) and doc[span.end].text == "-" and span.end + 1 < len(doc) and doc[span.end + 1].lemma_ in ("hold", "control", "run", "led", "lead"):
                continue
            ref = self.actors.match(span.text, on=on)
            if ctx.article_actors is not None and self.actors.short_form(span.text) is not None:
                ref = ctx.article_actors.resolve(span.text, on=on, ref=ref)  # 'the Front': its antecedent or nothing
            if ref is None:
                continue
            ref = ref.model_copy(update={"surface": span.text, "span": TextSpan(start=span.start_char, end=span.end_char)})
            out.append(ActorMention(span=span, ref=ref, generic=self._is_generic(ref)))
        out.extend(self._modifier_actors(sent, doc, out, on, triggers))
        return out

    def _modifier_actors(self, sent: Span, doc: Doc, found: list[ActorMention], on: date | None, triggers: list[Span]) -> list[ActorMention]:
        """'regime barrel bombs', 'Russian air raids', 'Syrian strikes': an adjective on an attack noun is its agent;
        so is one on the weapon that does the act ('Syrian tanks shelled the city').

        Resolved as '<modifier> forces' in the actor knowledge base, so only words the KB knows count.
        ``triggers``: the sentence's trigger spans.
        """
        trig_toks = {i for t in triggers for i in range(t.start, t.end)}
        if not trig_toks:
            return []
        taken = {i for a in found for i in range(a.span.start, a.span.end)}
        platforms = self._cues.get("platform", set())
        # only a dependent of a trigger word, or of the weapon that is its subject ('Syrian tanks
        # shelled'), can qualify: visit those, in sentence order, not every token of the sentence
        near = {c for i in trig_toks for c in doc[i].children}
        near |= {g for c in list(near) if c.dep_ == "nsubj" and c.lemma_.lower() in platforms for g in c.children}
        dependents = sorted(t.i for t in near if sent.start <= t.i < sent.end)
        out = []
        for tok in (doc[i] for i in dependents):
            if tok.i in taken or tok.i in trig_toks or tok.dep_ not in ("amod", "compound", "nmod"):
                continue
            head = tok.head
            wielded = head.dep_ == "nsubj" and head.head.i in trig_toks and head.lemma_.lower() in platforms
            if head.i not in trig_toks and not wielded:
                continue
            if any(tok.lower_ in words for words in self._cues.values()):  # "air strikes": a means, not a side
                continue
            if tok.head.pos_ not in ("NOUN", "PROPN") or not (tok.text[:1].isupper() or tok.lower_ in _MODIFIER_AGENTS):
                continue
            ref = self.actors.match(tok.text, on=on) if tok.lower_ in ("regime",) else self.actors.match(f"{tok.text} forces", on=on)
            if ref is None or ref.inter == Inter.CIVILIANS or not self._names_word(ref, tok.text):
                continue
            span = doc[tok.i : tok.i + 1]
            ref = ref.model_copy(update={"surface": tok.text, "span": TextSpan(start=span.start_char, end=span.end_char)})
            out.append(ActorMention(span=span, ref=ref, generic=self._is_generic(ref)))
        return out

    def _select(self, triggers: list[Span], sent: Span, places: list[_PlaceHit], claims: list[Claim], time: TimeRef | None, ctx: _Context) -> list[tuple[Span, Trigger]]:
        pairs = [(t, self._trig[t.label_]) for t in triggers]
        nearby_cues = set().union(*ctx.recent_means) if ctx.recent_means else set()
        specific = [p for p in pairs if not p[1].is_family]
        acts = [p[0] for p in pairs if p[1].sub_event_type != "killing"]
        if any(p[1].sub_event_type == "attack" for p in pairs) or specific:
            # "were killed in Syrian strikes": the killing is the strike's toll, not a second event;
            # 'killed' is a consequence of the specific act, unless it names another governorate
            # ("12 were killed near Hama hours after an air strike on Saraqib")
            pairs = [p for p in pairs if p[1].sub_event_type != "killing" or self._killed_elsewhere(p[0], acts, places, ctx.text)]
        if specific:
            if any(p[1].sub_event_type != S.ARMED_CLASH.value for p in specific):
                pairs = [p for p in pairs if p[1].sub_event_type != "attack"]
            if any(p[1].id not in _BARE_BLASTS and p[1].sub_event_type in _EXPLOSIVE for p in specific):
                pairs = [p for p in pairs if p[1].id not in _BARE_BLASTS]
            if any(p[1].sub_event_type == S.CHEMICAL_WEAPON.value for p in specific):
                # "fired missiles containing toxic gas", "barrel bombs loaded with chlorine": the
                # shells, bombs and strikes deliver the gas; the act is a chemical attack
                pairs = [p for p in pairs if p[1].sub_event_type not in _EXPLOSIVE or p[1].sub_event_type == S.CHEMICAL_WEAPON.value]
            if any(p[1].sub_event_type == S.DISRUPTED_WEAPONS_USE.value for p in specific):
                # "dismantling booby traps", "shot down a drone": the weapon is the object, not an attack
                pairs = [p for p in pairs if p[1].sub_event_type not in _EXPLOSIVE]
        tolls = [c for c in claims if c.kind == "fatalities" and not is_cumulative(c)]
        concrete = bool(places) or bool(time and not time.is_past_background) or bool(tolls)
        keep = []
        for t, tdef in pairs:
            if tdef.needs and not nearby_cues.intersection(tdef.needs):
                continue
            if tdef.needs_object == "place" and not self._has_place_object(t, places):
                continue
            if tdef.id == "loss_of" and not any(0 <= p.start - t.end_char <= 5 for p in places):
                continue  # "the loss of Raqqa" is an event; "the loss of territory" is commentary
            if (tdef.sub_event_type in _VAGUE_FAMILIES or tdef.id in _VAGUE_IDS) and not concrete:
                continue
            if (tdef.sub_event_type in _VAGUE_FAMILIES or tdef.id in _VAGUE_IDS) and self._anaphoric(t, places, time):
                continue
            keep.append((t, tdef))
        return keep

    def _killed_elsewhere(self, trig: Span, acts: list[Span], places: list[_PlaceHit], text: str) -> bool:
        """The place named right after the killing lies in another region than the place of every act beside it."""
        after = [p for p in places if 0 <= p.start - trig.end_char <= _OWN_PLACE_CHARS]
        own = min(after, key=lambda p: p.start).ref if after else None
        if own is None or not own.admin1:
            return False
        for act in acts:
            there = self._place_for(act, places, text)
            if there is None or not there.admin1 or area_of(there.admin1) == area_of(own.admin1):
                return False
        return True

    @staticmethod
    def _anaphoric(trig: Span, places: list[_PlaceHit], time: TimeRef | None) -> bool:
        """'the attack showed ...', 'has not commented on the fighting': a reference back, not news."""
        root = trig.root
        if root.pos_ not in ("NOUN", "PROPN"):
            return False
        definite = any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "these", "those", "its", "their") for c in root.children)
        if not definite:
            return False
        lo = min(t.idx for t in root.subtree)
        hi = max(t.idx + len(t) for t in root.subtree)
        own_place = any(lo <= p.start < hi for p in places)
        own_time = time is not None and lo <= trig.sent.start_char + time.span[0] < hi
        return not own_place and not own_time

    @staticmethod
    def _has_place_object(trig: Span, places: list[_PlaceHit]) -> bool:
        for obj in (c for c in trig.root.children if c.dep_ == "dobj"):
            if obj.lemma_.lower() in _PLACE_NOUNS:
                return True
            sub = obj.subtree
            span_start = min(t.idx for t in sub)
            span_end = max(t.idx + len(t) for t in obj.subtree)
            if any(span_start <= p.start < span_end for p in places):
                return True
        return False

    def _place_for(self, trig: Span, places: list[_PlaceHit], text: str) -> PlaceRef | None:
        if not places:
            return None
        root = trig.root
        subtree = list(root.subtree)
        lo = min(t.idx for t in subtree)
        hi = max(t.idx + len(t) for t in subtree)
        inside = [p for p in places if lo <= p.start < hi and not (trig.start_char <= p.start < trig.end_char)]
        pool = inside or places

        origins = _origins(text, places)

        def dist(p: _PlaceHit) -> tuple[bool, int, int]:
            # a place people or fire came from is not where it happened ("a bus carrying families from
            # Madaya was hit as it stopped in Homs"); then prefer places after the trigger
            # ("seized the town of X"), then nearest
            d = p.start - trig.end_char if p.start >= trig.end_char else (trig.start_char - p.end) + 40
            return (p.start in origins, d, p.ref.geo_precision)

        return min(pool, key=dist).ref

    def _per_place(self, chosen: list[tuple[Span, Trigger]], places: list[_PlaceHit], doc: Doc, text: str):
        """One (trigger, place) pair per coordinated place: "in the towns of A, B and C" is three events.
        ``text``: the article's text (``doc.text`` is rebuilt from the tokens on every access)."""
        for trig, tdef in chosen:
            place = self._place_for(trig, places, text)
            yield trig, tdef, place
            if place is None or place.span is None:
                continue
            head = doc.char_span(place.span.start, place.span.end, alignment_mode="expand")
            if head is None:
                continue
            conj_idx = {t.i for t in head.root.conjuncts}
            for other in places:
                if other.ref is place or other.ref.place_id == place.place_id:
                    continue
                other_span = doc.char_span(other.start, other.end, alignment_mode="expand")
                if other_span is not None and (other_span.root.i in conj_idx or any(t.i in conj_idx for t in other_span)):
                    yield trig, tdef, other.ref

    def _sub_event_type(
        self, tdef: Trigger, trig: Span, roles: Roles, lower: str, claims: list[Claim], means: set[str], ctx: _Context, cues: set[str] = frozenset()
    ) -> SubEventType | None:
        """``lower``: the sentence's text, lower-cased."""
        kind = tdef.sub_event_type
        if trig.root.lower_ in _MEANS_FREE_LEMMAS or trig.root.lemma_.lower() in _MEANS_FREE_LEMMAS:
            ctx.unspecified_now = True
        if tdef.id in _BARE_BLASTS and means:
            # "warplanes dropped bombs", "a shell exploded": the means says what it was
            return S.AIR_DRONE_STRIKE if "air" in means else S.SHELLING
        if kind == "territory":
            a1 = roles.actor1.ref if roles.actor1 else None
            if a1 is not None and a1.inter == Inter.STATE_FORCES:
                return S.GOVERNMENT_REGAINS_TERRITORY
            if a1 is None and tdef.id in ("recapture", "restore_control") and any(
                w in lower for w in ("government", "army", "regime", "troops")
            ):
                return S.GOVERNMENT_REGAINS_TERRITORY
            return S.NON_STATE_OVERTAKES_TERRITORY
        if kind in ("attack", "killing"):
            civilians = any(victims_are_civilian(c.victims) for c in claims) or (
                roles.actor2 is not None and roles.actor2.ref.inter == Inter.CIVILIANS
            )
            window = set().union(*ctx.recent_means[-3:]) & {"air", "ground"} if ctx.recent_means else set()
            if "air" in means or (not means and "air" in window):
                return S.AIR_DRONE_STRIKE
            if "ground" in means or (not means and "ground" in window):
                return S.SHELLING
            if trig.root.lemma_.lower() in _AIR_DEFAULT_LEMMAS:
                ctx.unspecified_now = True  # "strikes", "raids": the next sentences may say how
                return S.AIR_DRONE_STRIKE
            if "mine" in cues:
                return S.REMOTE_EXPLOSIVE  # "a bomb attack on a wedding", "an attack with explosives"
            ctx.unspecified_now = True  # the means is not said here: the next sentences may say it
            if civilians or any(self._has_cue(lower, w) for w in ("civilian", "civilians")):
                return S.ATTACK
            if kind == "killing" and roles.actor1 is None:
                return None
            return S.ARMED_CLASH
        return SubEventType(kind)

    def _date_for(self, time: TimeRef | None, ctx: _Context, modality: Modality, para: int) -> tuple[date | None, TimePrecision, str | None]:
        if time is not None:
            return time.date, time.precision, time.text
        if modality == Modality.HISTORICAL:
            return None, TimePrecision.YEAR, None
        # an undated sentence continues its paragraph's time, else the article's lead time
        if ctx.last_time is not None and ctx.last_time_para == para:
            return ctx.last_time.date, ctx.last_time.precision, ctx.last_time.text
        if ctx.lead_time is not None:
            return ctx.lead_time.date, ctx.lead_time.precision, ctx.lead_time.text
        if ctx.published is not None:
            # undated in the text: the report's own week (ACLED codes such events with precision 2)
            return ctx.published, TimePrecision.WEEK, None
        return None, TimePrecision.MONTH, None

    def _ref(self, a: ActorMention, when: date | None) -> ActorRef:
        ref = a.ref
        if when is not None and ref.actor_id and not self._is_generic(ref):
            again = self.actors.match(a.span.text, on=when)
            if again is not None and again.actor_id == ref.actor_id:
                ref = again.model_copy(update={"surface": ref.surface, "span": ref.span})
        return ref

    def _final_actors(self, roles: Roles, sub: SubEventType, claims: list[Claim], ctx: _Context, when: date | None) -> tuple[ActorRef | None, ActorRef | None]:
        def resolve(a: ActorMention | None) -> ActorRef | None:
            if a is None:
                return None
            ref = self._ref(a, when)
            # "the rebels", "the jihadists": the group the article identifies on that side, when one
            # clearly dominates (Islamic State is never "the rebels"); see ArticleActors
            found = ctx.article_actors.identified(a.ref.actor_id) if a.generic and ctx.article_actors and a.ref.actor_id else None
            if found is not None:
                ref = self.actors.ref(found, when or ctx.published, surface=a.span.text).model_copy(update={"span": a.ref.span})
            return ref

        a1, a2 = resolve(roles.actor1), resolve(roles.actor2)
        if a2 is not None and a2.inter == Inter.CIVILIANS and sub in (S.GOVERNMENT_REGAINS_TERRITORY, S.NON_STATE_OVERTAKES_TERRITORY):
            a2 = None  # territory is taken from an armed actor; residents are not a side
        # ACLED codes civilians as the side that is hit, never the one that acts (protests aside)
        if a1 is not None and a1.inter == Inter.CIVILIANS and SUB_EVENT_PARENT[sub].value not in ("Protests", "Riots"):
            a1, a2 = None, a2 or a1
        if a2 is None and sub in (S.ATTACK, S.AIR_DRONE_STRIKE, S.SHELLING, S.CHEMICAL_WEAPON):
            if any(victims_are_civilian(c.victims) for c in claims):
                a2 = self.actors.match("civilians", on=when or ctx.published)
        return a1, a2

    @staticmethod
    def _confidence(tdef: Trigger, roles: Roles, place: PlaceRef | None, time: TimeRef | None) -> float:
        score = 0.3 + 0.05 * min(tdef.priority, 8)
        score += 0.15 if roles.actor1 else 0
        score += 0.1 if place else 0
        score += 0.05 if time else 0
        return round(min(score, 0.99), 2)

    def _attach_toll(self, claims: list[Claim], sent: Span, ctx: _Context, so_far: list[Mention]) -> None:
        """A sentence with a toll but no trigger ('SOHR put the toll at 71') adds claims to the last violent mention."""
        figures = [c for c in claims if c.kind in ("fatalities", "injuries")]
        if not figures:
            return
        for m in reversed(so_far[-6:]):
            if m.event_type.value in _VIOLENT_TYPES and m.modality in (
                Modality.ASSERTED,
                Modality.CLAIMED,
            ):
                m.claims.extend(c.model_copy() for c in figures)
                fat = conservative_fatalities(m.claims)
                m.fatalities = fat
                return

    def _attach_place(self, places: list[_PlaceHit], sent: Span, si: int, ctx: _Context, so_far: list[Mention]) -> None:
        """'At least 43 people were killed Saturday in a suicide car bomb attack on buses. ... the buses
        waited at a transit point in Rashidin west of Aleppo': a sentence that names a place but no act
        places the act of the sentence just before it, when that act has no place of its own."""
        # a town or quarter (a city may be where the news was reported from); "Rashidin west of Aleppo": Rashidin
        people = [(e.start_char, e.end_char) for e in ctx.ents if e.label_ == "PERSON" and sent.start <= e.start and e.end <= sent.end]
        places = [h for h in places if not any(a <= h.start < b for a, b in people)]  # a byline: "Suleiman Al-Khalidi"
        specific = [h.ref for h in places if h.ref.geo_precision == GeoPrecision.PLACE]
        if len(specific) != 1 or len({h.ref.admin1 for h in places}) != 1:
            return  # none, or places in several governorates to choose from
        place = specific[0]
        for m in reversed(so_far[-4:]):
            if ctx.sentence_of.get(m.id) != si - 1:
                continue
            if m.place is None and m.is_event and m.event_type.value in _VIOLENT_TYPES:
                m.place = place.model_copy(update={"span": None})
                m.places = [*m.places, place]
        if any(m.place is not None and ctx.sentence_of.get(m.id) == si - 1 for m in so_far[-4:]):
            self._remember_place(place, si, ctx)

    @staticmethod
    def _merge_same_sentence(mentions: list[Mention]) -> list[Mention]:
        """One mention per (sub-event, place) in a sentence; a capture absorbs the clash at its place."""
        def same_place(a: Mention, b: Mention) -> bool:
            if (a.place.place_id if a.place else None) == (b.place.place_id if b.place else None):
                return True
            if a.event_type.value == b.event_type.value == "Battles":
                # "seized the town ... after four days of fighting in Idlib province"
                if a.place is None or b.place is None:
                    return True
                coarse = max(a.place.geo_precision, b.place.geo_precision) > 1
                return coarse and a.place.admin1 == b.place.admin1
            return False

        out: list[Mention] = []
        for m in mentions:
            twin = next(
                (
                    o
                    for o in out
                    if same_place(o, m)
                    and (o.sub_event_type == m.sub_event_type or o.event_type.value == m.event_type.value == "Battles")
                    and o.modality == m.modality
                ),
                None,
            )
            if twin is None:
                out.append(m)
                continue
            # one act named twice in the sentence: its figures are the figures of either name
            extra = [c for c in m.claims if c not in twin.claims]
            if extra:
                twin.claims = twin.claims + [c.model_copy() for c in extra]
                twin.fatalities = conservative_fatalities(twin.claims)
            territory = (S.GOVERNMENT_REGAINS_TERRITORY, S.NON_STATE_OVERTAKES_TERRITORY)
            if m.sub_event_type in territory and twin.sub_event_type not in territory:
                claims = m.claims + [c for c in twin.claims if c not in m.claims]
                out[out.index(twin)] = m.model_copy(
                    update={
                        "actor1": m.actor1 or twin.actor1,
                        "actor2": m.actor2 or twin.actor2,
                        "place": _finer(m.place, twin.place),
                        "claims": claims,
                        "fatalities": conservative_fatalities(claims),
                    }
                )
            elif twin.sub_event_type in territory or twin.sub_event_type == m.sub_event_type:
                twin.place = _finer(twin.place, m.place)
            elif twin.actor1 is None and m.actor1 is not None:
                twin.actor1 = m.actor1
        return out


#: "activists in Deir ez-Zor province said", "in the northern town of Tal Rifaat a monitor said" (commas lost):
#: a place after a locative preposition inside the cited source's words is where it happened
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|on|near|from|outside|around|across)\s+(?:the\s+|a\s+)?(?:[\w'’-]+\s+){0,3}$", re.I)


def _origins(text: str, places: list[_PlaceHit]) -> set[int]:
    """Starts of the places named as an origin ("from Madaya and Zabadani"): the list after "from" included,
    and a route's other end ("fleeing from Tabqa towards Palmyra": neither is where they were struck)."""
    out: set[int] = set()
    last_end = None
    for p in sorted(places, key=lambda h: h.start):
        if _ORIGIN_BEFORE.search(text, max(0, p.start - 50), p.start) or (
            last_end is not None and _LIST_GAP.fullmatch(text, last_end, p.start)
        ):
            out.add(p.start)
            last_end = p.end
        else:
            last_end = None
    return out


_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|(?:to|for|towards?|into)\s+(?:the\s+)?)")


def _located(text: str, start: int) -> bool:
    """The place at ``start`` (inside a cited source's words) follows a locative preposition."""
    return bool(_LOCATIVE_BEFORE.search(text, max(0, start - 60), start))


#: Words that credit an act to its doer: 'claimed responsibility for', 'blamed X for'
_CREDIT_HEADS = frozenset({"responsibility", "blame", "accuse"})


def _credits(root) -> bool:
    """Whether a trigger word is what someone is credited with: 'responsibility for *the
    attack*', 'blamed X for *the bombing*', 'claimed *the attack*'."""
    cur = root
    for _ in range(3):
        if cur.head.i == cur.i:
            return False
        head = cur.head
        if head.lemma_.lower() in _CREDIT_HEADS:
            return True
        if head.lemma_.lower() == "claim" and cur.dep_ == "dobj" and cur.i == root.i:
            return True
        if cur.dep_ not in ("pobj", "prep", "pcomp"):
            return False
        cur = head
    return False


def _load_shared_knowledge() -> None:
    """Read now the knowledge the sentence readers load on first use (casualty patterns, the
    source list), so that it is read with the rest of the extractor, not inside the first article."""
    from sitrep.extract.casualties import warm_up
    from sitrep.resolve.sources import default_source_kb

    warm_up()
    default_source_kb()


def _campaign_summary(time: TimeRef | None, claims: list[Claim]) -> bool:
    """A sentence dated only by a year or more whose every death figure is a war or campaign toll."""
    tolls = [c for c in claims if c.kind == "fatalities"]
    return bool(time is not None and time.precision.value >= TimePrecision.YEAR.value and tolls and all(is_cumulative(c) for c in tolls))


def _find_all(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i != -1:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _finer(a: PlaceRef | None, b: PlaceRef | None) -> PlaceRef | None:
    if a is None or b is None:
        return a or b
    return a if a.geo_precision <= b.geo_precision else b
