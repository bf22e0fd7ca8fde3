"""Typed records shared by every pipeline stage.

One schema crosses ingest → clean → nlp → extract → resolve → fuse → store → export.
No stage passes bare dicts to another. Event columns use ACLED's names so existing
tools read the output; our additions (claims, evidence, modality, article ids) follow.

Offsets: every evidence span is a half-open ``[start, end)`` character range into
``Article.text`` (the cleaned body) or ``Article.title`` (``field="title"``).
``Article.offsets`` maps cleaned-text positions back to the raw input.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


# --------------------------------------------------------------------------- vocab


class EventType(StrEnum):
    BATTLES = "Battles"
    EXPLOSIONS = "Explosions/Remote violence"
    VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
    PROTESTS = "Protests"
    RIOTS = "Riots"
    STRATEGIC = "Strategic developments"


class SubEventType(StrEnum):
    # Battles
    ARMED_CLASH = "Armed clash"
    GOVERNMENT_REGAINS_TERRITORY = "Government regains territory"
    NON_STATE_OVERTAKES_TERRITORY = "Non-state actor overtakes territory"
    # Explosions/Remote violence
    CHEMICAL_WEAPON = "Chemical weapon"
    AIR_DRONE_STRIKE = "Air/drone strike"
    SUICIDE_BOMB = "Suicide bomb"
    SHELLING = "Shelling/artillery/missile attack"
    REMOTE_EXPLOSIVE = "Remote explosive/landmine/IED"
    GRENADE = "Grenade"
    # Violence against civilians
    SEXUAL_VIOLENCE = "Sexual violence"
    ATTACK = "Attack"
    ABDUCTION = "Abduction/forced disappearance"
    # Protests
    PEACEFUL_PROTEST = "Peaceful protest"
    PROTEST_WITH_INTERVENTION = "Protest with intervention"
    EXCESSIVE_FORCE = "Excessive force against protesters"
    # Riots
    VIOLENT_DEMONSTRATION = "Violent demonstration"
    MOB_VIOLENCE = "Mob violence"
    # Strategic developments
    AGREEMENT = "Agreement"
    ARRESTS = "Arrests"
    CHANGE_TO_GROUP = "Change to group/activity"
    DISRUPTED_WEAPONS_USE = "Disrupted weapons use"
    BASE_ESTABLISHED = "Headquarters or base established"
    LOOTING = "Looting/property destruction"
    NON_VIOLENT_TRANSFER = "Non-violent transfer of territory"
    OTHER = "Other"


_S = SubEventType
_E = EventType
SUB_EVENT_PARENT: dict[SubEventType, EventType] = {
    _S.ARMED_CLASH: _E.BATTLES,
    _S.GOVERNMENT_REGAINS_TERRITORY: _E.BATTLES,
    _S.NON_STATE_OVERTAKES_TERRITORY: _E.BATTLES,
    _S.CHEMICAL_WEAPON: _E.EXPLOSIONS,
    _S.AIR_DRONE_STRIKE: _E.EXPLOSIONS,
    _S.SUICIDE_BOMB: _E.EXPLOSIONS,
    _S.SHELLING: _E.EXPLOSIONS,
    _S.REMOTE_EXPLOSIVE: _E.EXPLOSIONS,
    _S.GRENADE: _E.EXPLOSIONS,
    _S.SEXUAL_VIOLENCE: _E.VIOLENCE_AGAINST_CIVILIANS,
    _S.ATTACK: _E.VIOLENCE_AGAINST_CIVILIANS,
    _S.ABDUCTION: _E.VIOLENCE_AGAINST_CIVILIANS,
    _S.PEACEFUL_PROTEST: _E.PROTESTS,
    _S.PROTEST_WITH_INTERVENTION: _E.PROTESTS,
    _S.EXCESSIVE_FORCE: _E.PROTESTS,
    _S.VIOLENT_DEMONSTRATION: _E.RIOTS,
    _S.MOB_VIOLENCE: _E.RIOTS,
    _S.AGREEMENT: _E.STRATEGIC,
    _S.ARRESTS: _E.STRATEGIC,
    _S.CHANGE_TO_GROUP: _E.STRATEGIC,
    _S.DISRUPTED_WEAPONS_USE: _E.STRATEGIC,
    _S.BASE_ESTABLISHED: _E.STRATEGIC,
    _S.LOOTING: _E.STRATEGIC,
    _S.NON_VIOLENT_TRANSFER: _E.STRATEGIC,
    _S.OTHER: _E.STRATEGIC,
}


class Inter(IntEnum):
    """ACLED actor inter codes."""

    UNKNOWN = 0
    STATE_FORCES = 1
    REBEL_GROUPS = 2
    POLITICAL_MILITIAS = 3
    IDENTITY_MILITIAS = 4
    RIOTERS = 5
    PROTESTERS = 6
    CIVILIANS = 7
    EXTERNAL_OTHER = 8


def interaction_code(inter1: int, inter2: int) -> int:
    """ACLED's two-digit interaction code: lower inter first (e.g. 1 and 2 -> 12; 1 alone -> 10)."""
    a, b = sorted((int(inter1 or 0), int(inter2 or 0)))
    if a == 0:
        return b * 10
    return a * 10 + b


class Modality(StrEnum):
    ASSERTED = "asserted"  # the outlet states it happened
    CLAIMED = "claimed"  # a named party says it happened
    DENIED = "denied"
    THREATENED = "threatened"
    CONDITIONAL = "conditional"  # "will sweep the towns if ..."
    PLANNED = "planned"  # "will launch", "aims to"
    HYPOTHETICAL = "hypothetical"  # predictions: "could decide the outcome"
    COUNTERFACTUAL = "counterfactual"  # "could have pushed them out"
    HISTORICAL = "historical"  # background before the reported news
    GENERIC = "generic"  # habitual or general statements: "jets regularly pound the area"


#: Modalities that make a mention an event. Historical mentions count only when they carry
#: their own date (never the publication date); see ``Mention.is_event``.
EVENT_MODALITIES = frozenset({Modality.ASSERTED, Modality.CLAIMED, Modality.HISTORICAL})


class TimePrecision(IntEnum):
    DAY = 1
    WEEK = 2
    MONTH = 3
    YEAR = 4  # not in ACLED; used for vague history ("in 2013") and never exported as 1


class GeoPrecision(IntEnum):
    PLACE = 1  # the named town/village/quarter itself
    NEAR = 2  # near / part of a region / a small district
    REGION = 3  # governorate or larger region


class SourceType(StrEnum):
    STATE_MEDIA = "state_media"
    MONITOR = "monitor"  # SOHR, SNHR, White Helmets, UN ...
    PARTY = "party"  # an armed group or government speaking for itself
    INTERNATIONAL_MEDIA = "international_media"
    NATIONAL_MEDIA = "national_media"
    PARTISAN_MEDIA = "partisan_media"
    LOCAL_MEDIA = "local_media"
    ACTIVISTS = "activists"
    GOVERNMENT = "government"  # other governments, ministries
    OUTLET = "outlet"  # the publishing outlet itself
    UNKNOWN = "unknown"


# --------------------------------------------------------------------------- pieces


class Span(_Model):
    """Half-open character span into an article field."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    field: Literal["text", "title"] = "text"

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")
        return self


class OffsetSegment(_Model):
    """``length`` characters copied verbatim from raw[raw_start:] to clean[clean_start:]."""

    clean_start: int
    raw_start: int
    length: int


class OffsetMap(_Model):
    """Maps cleaned-text positions back to the raw input (for highlighting in the original)."""

    segments: list[OffsetSegment] = Field(default_factory=list)

    def to_raw(self, pos: int) -> int | None:
        for seg in self.segments:
            if seg.clean_start <= pos < seg.clean_start + seg.length:
                return seg.raw_start + (pos - seg.clean_start)
        return None

    def span_to_raw(self, start: int, end: int) -> tuple[int, int] | None:
        a = self.to_raw(start)
        b = self.to_raw(end - 1) if end > start else a
        if a is None or b is None:
            return None
        return a, b + 1


class ArticleCopy(_Model):
    """The same text published again: a mirror, a syndicated wire story, a re-post."""

    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    external_id: str | None = None

    def same_place(self, other: ArticleCopy) -> bool:
        return (self.url, self.outlet) == (other.url, other.outlet)


class Article(_Model):
    id: str = Field(description="sitrep id: content hash of the cleaned text and title")
    external_id: str | None = Field(default=None, description="the caller's id, kept verbatim")
    url: str | None = None
    title: str = ""
    outlet: str | None = None
    published: date | None = None
    published_source: Literal["metadata", "front_matter", "dateline", "text", "none"] = "none"
    language: str = "en"
    source_path: str | None = None
    raw_text: str = ""
    text: str = Field(default="", description="cleaned body; evidence spans index into this")
    offsets: OffsetMap = Field(default_factory=OffsetMap)
    boilerplate_removed: int = 0
    copies: list[ArticleCopy] = Field(
        default_factory=list, description="the same text at other addresses or outlets; one article, several sources"
    )

    def as_copy(self) -> ArticleCopy:
        return ArticleCopy(url=self.url, outlet=self.outlet, published=self.published, external_id=self.external_id)

    def with_copy(self, copy: ArticleCopy) -> bool:
        """Record ``copy`` unless it is this article's own address or already known; True when added."""
        if copy.same_place(self.as_copy()) or any(copy.same_place(c) for c in self.copies):
            return False
        self.copies.append(copy)
        return True

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(o for o in [self.outlet, *(c.outlet for c in self.copies)] if o))

    @property
    def urls(self) -> list[str]:
        return list(dict.fromkeys(u for u in [self.url, *(c.url for c in self.copies)] if u))

    @staticmethod
    def make_id(title: str, text: str) -> str:
        h = hashlib.sha1()
        h.update(title.strip().encode("utf-8"))
        h.update(b"\x00")
        h.update(text.strip().encode("utf-8"))
        return "a_" + h.hexdigest()[:16]

    @property
    def display_id(self) -> str:
        return self.external_id or self.id


class ActorRef(_Model):
    """An actor as resolved for one mention or event."""

    name: str = Field(description="canonical ACLED-style name valid on the event date")
    actor_id: str | None = Field(default=None, description="knowledge-base id; None when unresolved")
    inter: Inter = Inter.UNKNOWN
    surface: str = Field(default="", description="the words in the text")
    span: Span | None = None
    country: str | None = None


class PlaceRef(_Model):
    name: str = Field(description="location name as output in ACLED's `location` column")
    place_id: str | None = None
    surface: str = ""
    span: Span | None = None
    country: str | None = "Syria"
    admin1: str | None = None
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: GeoPrecision = GeoPrecision.PLACE
    feature: str | None = Field(default=None, description="city, village, quarter, region, admin1 ...")
    score: float = 1.0
    unresolved: str | None = Field(
        default=None, description="a place name the gazetteer does not know; the ref is then its enclosing area (geo_precision 3)"
    )


class Claim(_Model):
    """A figure or assertion and who made it."""

    kind: Literal["fatalities", "injuries", "event", "control", "denial"] = "fatalities"
    value: int | None = Field(default=None, description="best single figure")
    low: int | None = None
    high: int | None = None
    qualifier: str | None = Field(default=None, description="'at least', 'dozens', 'more than' ...")
    victims: str | None = Field(default=None, description="civilians, children, fighters, troops ...")
    text: str = Field(default="", description="the words that carry the figure")
    claimant: str | None = Field(default=None, description="who says so; None = the outlet itself")
    claimant_type: SourceType = SourceType.UNKNOWN
    article_id: str | None = None
    span: Span | None = None
    modality: Modality = Modality.ASSERTED


class InputProblem(_Model):
    """A piece of input that could not be read; reported on stderr, the batch goes on."""

    path: str
    line: int | None = None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        tail = f" ({self.hint})" if self.hint else ""
        return f"{where}: {self.message}{tail}"


class Evidence(_Model):
    article_id: str
    span: Span
    text: str
    url: str | None = None
    outlet: str | None = None


class Mention(_Model):
    """One event mention: a clause in one article that reports (or only talks about) an event."""

    id: str
    article_id: str
    sentence: str
    span: Span = Field(description="evidence span of the sentence in the cleaned text")
    trigger: str = ""
    trigger_span: Span | None = None
    event_type: EventType
    sub_event_type: SubEventType
    actor1: ActorRef | None = None
    assoc_actor_1: list[ActorRef] = Field(default_factory=list)
    actor2: ActorRef | None = None
    assoc_actor_2: list[ActorRef] = Field(default_factory=list)
    places: list[PlaceRef] = Field(default_factory=list, description="all candidate places, best first")
    place: PlaceRef | None = None
    event_date: date | None = None
    time_precision: TimePrecision = TimePrecision.DAY
    date_text: str | None = Field(default=None, description="the time expression the date came from")
    fatalities: int | None = None
    claims: list[Claim] = Field(default_factory=list)
    modality: Modality = Modality.ASSERTED
    attributed_to: str | None = Field(default=None, description="who the sentence attributes the report to")
    attribution_type: SourceType = SourceType.UNKNOWN
    confidence: float = 0.5

    @model_validator(mode="after")
    def _type_matches(self) -> Mention:
        parent = SUB_EVENT_PARENT[self.sub_event_type]
        if parent != self.event_type:
            raise ValueError(f"sub-event type {self.sub_event_type!r} belongs to {parent!r}, not {self.event_type!r}")
        return self

    @property
    def is_event(self) -> bool:
        if self.modality in (Modality.ASSERTED, Modality.CLAIMED):
            return True
        if self.modality == Modality.HISTORICAL:
            return self.event_date is not None and self.date_text is not None
        return False

    @staticmethod
    def make_id(article_id: str, span: Span, trigger_start: int | None) -> str:
        return f"m_{article_id[2:]}_{span.field[0]}{span.start}_{trigger_start if trigger_start is not None else 0}"


class FusionLink(_Model):
    """Why two mentions sit in one event: the best-scoring pair that joined their groups."""

    mention_a: str
    mention_b: str
    stage: Literal["article", "cross"] = Field(description="joined within one article or across articles")
    score: float = Field(description="linkage score of the two groups when they were joined")
    features: dict[str, float] = Field(default_factory=dict, description="feature contributions of the pair")


class Event(_Model):
    """One real-world occurrence, in ACLED's columns plus sitrep's evidence."""

    event_id: str
    event_date: date | None = None
    time_precision: TimePrecision = TimePrecision.DAY
    event_type: EventType
    sub_event_type: SubEventType
    actor1: str | None = None
    assoc_actor_1: str | None = None
    inter1: int = 0
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: int = 0
    interaction: int = 0
    country: str | None = "Syria"
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: GeoPrecision | None = None
    source: str | None = None
    source_scale: str | None = None
    notes: str = ""
    fatalities: int = 0
    # sitrep's own columns
    fatalities_low: int | None = None
    fatalities_best: int | None = None
    fatalities_high: int | None = None
    figures_disputed: bool = False
    state_media_fatalities: int | None = Field(default=None, description="state media's figure when it differs from the monitors'")
    monitor_fatalities: int | None = Field(default=None, description="monitors' figure when it differs from state media's")
    modality: Modality = Modality.ASSERTED
    claims: list[Claim] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    article_ids: list[str] = Field(default_factory=list, description="caller ids when given, else sitrep ids")
    source_urls: list[str] = Field(default_factory=list)
    mention_ids: list[str] = Field(default_factory=list)
    mentions: int = 1
    actor1_id: str | None = None
    actor2_id: str | None = None
    place_id: str | None = None
    fusion: list[FusionLink] = Field(default_factory=list, description="why the mentions were joined (pairs, features, scores)")
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @model_validator(mode="after")
    def _type_matches(self) -> Event:
        parent = SUB_EVENT_PARENT[self.sub_event_type]
        if parent != self.event_type:
            raise ValueError(f"sub-event type {self.sub_event_type!r} belongs to {parent!r}, not {self.event_type!r}")
        return self


#: ACLED-named columns in output order (CSV, tables). Ours follow in ``EXTRA_COLUMNS``.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id",
    "event_date",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
)
EXTRA_COLUMNS: tuple[str, ...] = (
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "figures_disputed",
    "modality",
    "mentions",
    "article_ids",
    "source_urls",
)
