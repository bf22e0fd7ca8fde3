"""The ``Store`` protocol every backend implements, and the records it takes and returns.

A store holds articles, their mentions, the fused events (with a normalised copy of each
event's claims and evidence for querying) and a log of changes made by fusion. Backends:
``SQLiteStore`` (a file, zero set-up) and ``PostgresStore`` (a shared server, concurrent
writers), with the same protocol and the same test-suite (tests/store/).

Every write is idempotent: adding an article or mention already stored is a no-op, and
upserting an unchanged event leaves it (and its ``updated_at``) as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sitrep.schema import Article, ArticleCopy, Event, EventType, Mention, Modality, SubEventType


def _canonical(value: str | None, vocabulary: type[EventType] | type[SubEventType] | type[Modality]) -> str | None:
    """Map a case-insensitive spelling onto the vocabulary's value; leave unknown text as given."""
    if value is None:
        return None
    wanted = value.strip().casefold()
    for member in vocabulary:
        if member.value.casefold() == wanted:
            return member.value
    return value.strip()


class EventFilter(BaseModel):
    """Which events ``Store.events`` returns. Every field left as ``None`` matches everything.

    Dates are inclusive. ``actor`` is a case-insensitive substring of actor1, actor2 or an
    associated actor. ``article_id`` takes a sitrep id or the caller's external id.
    """

    model_config = ConfigDict(extra="forbid")

    since: date | None = None
    until: date | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    admin1: str | None = None
    actor: str | None = None
    modality: str | None = None
    min_fatalities: int | None = Field(default=None, ge=0)
    article_id: str | None = None
    limit: int | None = Field(default=None, ge=1)

    @field_validator("event_type")
    @classmethod
    def _event_type(cls, v: str | None) -> str | None:
        return _canonical(v, EventType)

    @field_validator("sub_event_type")
    @classmethod
    def _sub_event_type(cls, v: str | None) -> str | None:
        return _canonical(v, SubEventType)

    @field_validator("modality")
    @classmethod
    def _modality(cls, v: str | None) -> str | None:
        return _canonical(v, Modality)

    @field_validator("actor", "admin1", "article_id")
    @classmethod
    def _blank_is_none(cls, v: str | None) -> str | None:
        # An empty option on the command line means "no filter", not "matches nothing".
        if v is None or not v.strip():
            return None
        return v.strip()


class Change(BaseModel):
    """One entry of the change log (e.g. fusion moving a mention from one event to another)."""

    model_config = ConfigDict(extra="forbid")

    id: int
    at: datetime
    kind: str
    subject_id: str
    detail: dict[str, Any] = Field(default_factory=dict)


@runtime_checkable
class Store(Protocol):
    """What the pipeline, the CLI and the API need from an event store."""

    # articles ------------------------------------------------------------------------
    def add_article(self, article: Article) -> bool:
        """Store ``article``; False (and nothing written) when its id is already stored."""
        ...

    def has_article(self, article_id: str) -> bool:
        """True when an article with this sitrep id or external id is stored."""
        ...

    def get_article(self, article_id: str) -> Article | None:
        """The article with this sitrep id or external id (sitrep id wins), or None."""
        ...

    def add_article_copy(self, article_id: str, copy: ArticleCopy) -> bool:
        """Record that the stored article's text was also published at ``copy`` (a mirror or
        syndicated copy); False when it is already known or the article is not stored."""
        ...

    # mentions ------------------------------------------------------------------------
    def add_mentions(self, mentions: Iterable[Mention]) -> int:
        """Store mentions not stored yet (by ``Mention.id``); returns how many were new."""
        ...

    def mentions(self, article_id: str | None = None) -> list[Mention]:
        """Stored mentions in the order they were added, optionally of one article."""
        ...

    # events --------------------------------------------------------------------------
    def upsert_events(self, events: Iterable[Event]) -> int:
        """Insert or replace events by ``event_id``; returns how many were new or changed.

        ``created_at`` is kept from the first insert; ``updated_at`` moves only when the
        event's content changed.
        """
        ...

    def events(self, filter: EventFilter | None = None) -> list[Event]:
        """Stored events matching ``filter``, ordered by event_date (undated last), event_id."""
        ...

    def get_event(self, event_id: str) -> Event | None: ...

    def delete_events(self, event_ids: Iterable[str]) -> int:
        """Delete events with their claims, evidence and links; returns how many existed."""
        ...

    # change log ----------------------------------------------------------------------
    def log_change(self, kind: str, subject_id: str, detail: dict[str, Any]) -> None: ...

    def changes(self, kind: str | None = None, subject_id: str | None = None) -> list[Change]: ...

    # state ---------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        """A named value kept with the data (e.g. ``fusion_pending``), or None when unset."""
        ...

    def set_meta(self, key: str, value: str | None) -> None:
        """Set ``key`` to ``value``; None removes it. Commits with the surrounding transaction."""
        ...

    # housekeeping --------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Row counts: articles, mentions, events, claims."""
        ...

    def transaction(self) -> AbstractContextManager[Store]:
        """All writes inside commit together or not at all; nests (inner blocks are savepoints)."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc_info: object) -> None: ...


def chunked(items: Iterable[str], size: int) -> Iterator[list[str]]:
    """Split ids into lists of at most ``size`` (SQL parameter limits differ per backend)."""
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
