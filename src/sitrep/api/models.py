"""Response and request bodies of the HTTP API (they make the OpenAPI schema at /openapi.json)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sitrep.schema import Event, FusionLink, Mention


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EventSummary(_Out):
    event_id: str
    event_date: date | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    admin1: str | None
    admin2: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    fatalities: int
    modality: str
    notes: str | None
    source: str | None


class EventPage(_Out):
    items: list[EventSummary]
    total: int = Field(description="events matching the filters, over all pages")
    next_cursor: str | None = Field(description="pass as ?cursor= for the next page; null on the last page")


class ArticleHead(_Out):
    id: str
    external_id: str | None
    title: str
    url: str | None
    outlet: str | None
    published: date | None


class EventDetail(_Out):
    event: Event
    mentions: list[Mention] = Field(description="the fused mentions, in the order they were stored")
    why: list[FusionLink] = Field(description="why the mentions sit in one event: the pair that joined each group")
    articles: list[ArticleHead]


class Mark(_Out):
    event_id: str
    kind: Literal["evidence", "claim"]
    claimant: str | None = None


class Segment(_Out):
    """A run of article text; ``marks`` says which events' evidence or claims cover it (empty: none)."""

    start: int
    end: int
    text: str
    marks: list[Mark]


class ArticleView(ArticleHead):
    text: str = Field(description="cleaned body; evidence spans index into it")
    title_segments: list[Segment]
    segments: list[Segment] = Field(description="the body cut at every evidence/claim boundary")
    event_ids: list[str]


class Point(_Out):
    type: Literal["Point"] = "Point"
    coordinates: list[float] = Field(min_length=2, max_length=2, description="longitude, latitude")


class Feature(_Out):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: Point
    properties: dict[str, Any]


class FeatureCollection(_Out):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[Feature]
    total: int = Field(description="events with coordinates matching the filters")
    clustered: bool = Field(description="true when features are grid clusters (properties.cluster = true)")
    truncated: bool = Field(description="true when more points matched than `limit`")


class ActorSummary(_Out):
    actor_id: str
    name: str
    inter: int
    country: str | None
    events: int


class ActorNameOut(_Out):
    name: str
    valid_from: date | None
    valid_to: date | None


class ActorDetail(ActorSummary):
    names: list[ActorNameOut] = Field(description="official names, oldest first")
    aliases: list[str]
    coalitions: list[str]
    recent_events: list[EventSummary]


class PlaceDetail(_Out):
    place_id: str
    name: str
    admin1: str | None
    admin2: str | None
    latitude: float
    longitude: float
    feature: str
    source: str
    events_total: int
    events: list[EventSummary]


class TimelineBucket(_Out):
    period: date = Field(description="the day, or the Monday starting the week")
    event_type: str
    events: int
    fatalities: int


class Timeline(_Out):
    interval: Literal["day", "week"]
    buckets: list[TimelineBucket]


class ArticleIn(BaseModel):
    """JSON body of POST /articles (text and HTML bodies take the same fields as query parameters)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="article body: plain text")
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    id: str | None = Field(default=None, max_length=200, description="your id for the article, kept verbatim")


class IngestResult(_Out):
    article_id: str
    stored: bool = Field(description="false when the article was already stored (nothing changed)")
    mentions: int
    event_ids: list[str] = Field(description="events that cite the article after fusion")


class Problem(_Out):
    detail: str


class AppConfig(_Out):
    tile_url: str | None
    tile_attribution: str | None
    writes_enabled: bool
    event_types: list[str]
    source_types: list[str]
    modalities: list[str]
