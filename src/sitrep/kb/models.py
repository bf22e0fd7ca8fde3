"""Pydantic models of sitrep's knowledge data files, and one validating loader.

Every knowledge file (actors, sources, and any helper's lexicon) is read through
:func:`load_yaml`, which validates it against a model and, when the data is wrong, raises
:class:`sitrep.errors.KnowledgeError` naming the file and the entry (its ``id`` or ``name``
and its position), so an editor can find the line to fix.

Dates are ISO (``2016-07-28``). Validity ranges are half-open: ``valid_from`` is the first
day a name or membership holds, ``valid_to`` the first day it no longer does (a rename on
2016-07-28 ends the old name with ``valid_to: 2016-07-28`` and starts the new one with
``valid_from: 2016-07-28``). ``None`` means open-ended.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sitrep.errors import KnowledgeError
from sitrep.schema import SourceType

M = TypeVar("M", bound=BaseModel)

_SLUG = r"^[a-z0-9][a-z0-9-]*$"


# --------------------------------------------------------------------------- loader


class _KBLoader(yaml.SafeLoader):
    """Safe loader that keeps dates as text, so pydantic validates them and a bad date
    ('2016-13-01') is reported with its entry instead of crashing the YAML parser."""


_KBLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def read_yaml(path: Path) -> Any:
    """Parsed YAML of one file; unreadable or malformed files raise KnowledgeError."""
    try:
        return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_KBLoader)  # noqa: S506 - a SafeLoader subclass
    except OSError as exc:
        raise KnowledgeError(str(path), f"cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeError(str(path), f"invalid YAML: {exc}") from exc


def _label(node: Any) -> str | None:
    if isinstance(node, dict):
        for key in ("id", "name", "text", "actor"):
            value = node.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return f"{key} {value!r}"
    return None


def entry_label(data: Any, loc: Sequence[int | str]) -> str:
    """Where a validation error sits: 'actors[3] (id 'hts') > names[1]: field ...'.

    Walks ``loc`` through the raw data and names every list item it passes by its id/name,
    so the message points at the entry, not only at a JSON path.
    """
    parts: list[str] = []
    node = data
    field_path: list[str] = []
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
            node = node[key]
            where = (".".join(field_path) or "entry") + f"[{key}]"
            label = _label(node)
            parts.append(f"{where} ({label})" if label else where)
            field_path = []
        elif isinstance(key, str) and isinstance(node, dict) and key in node:
            node = node[key]
            field_path.append(key)
        else:
            field_path.append(str(key))
    if field_path:
        parts.append(".".join(field_path))
    return " > ".join(parts) or "file"


def validation_message(data: Any, exc: ValidationError, limit: int = 3) -> str:
    """The first few errors of ``exc``, each with the entry it belongs to."""
    lines = []
    for err in exc.errors()[:limit]:
        loc = [k for k in err["loc"] if not (isinstance(k, str) and k.startswith(("function-", "union[")))]
        msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"{entry_label(data, loc)}: {msg}")
    extra = len(exc.errors()) - limit
    if extra > 0:
        lines.append(f"... and {extra} more")
    return "; ".join(lines)


def load_yaml(path: Path, model: type[M]) -> M:
    """Read ``path`` and validate it as ``model``; bad data raises KnowledgeError naming the entry."""
    data = read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise KnowledgeError(str(path), validation_message(data, exc)) from exc


# --------------------------------------------------------------------------- shared pieces


class _KB(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Validity(_KB):
    """A half-open date range; both ends optional."""

    valid_from: date | None = None
    valid_to: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Validity:
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is not after valid_from {self.valid_from}")
        return self

    def holds_on(self, on: date | None) -> bool:
        """Whether the range covers ``on``; an unknown date is covered by every range."""
        if on is None:
            return True
        if self.valid_from is not None and on < self.valid_from:
            return False
        return self.valid_to is None or on < self.valid_to


def _check_unique(values: Sequence[str], what: str, where: str = "") -> None:
    """Raise naming each duplicated value and, with ``where`` ('actors'), the entries holding it."""
    dupes = [v for v, n in Counter(values).items() if n > 1]
    if dupes:
        parts = []
        for d in dupes:
            at = ", ".join(f"{where}[{i}]" for i, v in enumerate(values) if v == d) if where else ""
            parts.append(f"{d!r} ({at})" if at else repr(d))
        raise ValueError(f"duplicate {what} {'; '.join(parts)}")


# --------------------------------------------------------------------------- actors

Side = Literal["government", "opposition", "jihadist", "kurdish", "foreign", "civilian", "other", "unknown"]


class ActorName(Validity):
    """An official name an actor carried over a period, in ACLED's style."""

    name: str = Field(min_length=1)
    inter: int | None = Field(default=None, ge=1, le=8, description="inter code while this name held, when it differs")


class Alias(Validity):
    """A surface form that refers to the actor.

    ``descriptor`` marks descriptive references ('regime forces', 'Russian warplanes') that
    only mean this actor inside its theatre; ``case_sensitive`` marks acronyms that are also
    English words ('IS', 'US', 'TIP') and so must match with their capitals.
    """

    text: str = Field(min_length=1)
    descriptor: bool = False
    case_sensitive: bool = False


def _aliases(value: Any, *, descriptor: bool) -> Any:
    """Aliases may be written as plain strings or as mappings with dates/flags."""
    if not isinstance(value, list):
        return value
    out = []
    for item in value:
        if isinstance(item, str):
            out.append({"text": item, "descriptor": descriptor})
        elif isinstance(item, dict):
            out.append({"descriptor": descriptor, **item})
        else:
            out.append(item)
    return out


class Membership(Validity):
    """An actor's membership in a coalition over a period."""

    actor: str = Field(pattern=_SLUG, description="the member's actor id")
    note: str = ""


class AssociatedGroup(_KB):
    """A sub-group coded under its parent actor with an associated-actor name (ACLED style)."""

    name: str = Field(min_length=1, description="associated actor name, e.g. 'Journalists (Syria)'")
    aliases: tuple[str, ...] = ()


class Actor(Validity):
    """One actor of the knowledge base; ``valid_from/valid_to`` bound its existence."""

    id: str = Field(pattern=_SLUG)
    name: str = Field(min_length=1, description="ACLED-style name; the current or last one")
    names: tuple[ActorName, ...] = Field(default=(), description="official names by date, oldest first")
    inter: int = Field(ge=1, le=8, description="ACLED inter code: 1 state forces ... 8 external/other forces")
    type: str = Field(min_length=1, description="state forces, rebel group, coalition, militia, civilians ...")
    country: str = Field(min_length=1, description="the country the actor belongs to")
    side: Side
    aligned_with: Side | None = Field(default=None, description="for foreign actors: the side they back")
    generic: bool = Field(default=False, description="a descriptive reference resolved from context")
    stands_for: tuple[Side, ...] = Field(
        default=(), description="generic actors: sides of the named groups it may mean in an article ('rebels' -> opposition)"
    )
    aliases: tuple[Alias, ...] = ()
    descriptors: tuple[Alias, ...] = ()
    members: tuple[Membership, ...] = ()
    groups: tuple[AssociatedGroup, ...] = ()
    parent: str | None = Field(default=None, pattern=_SLUG)
    note: str = ""
    source: str = Field(min_length=1, description="where the names and dates come from")

    @field_validator("aliases", mode="before")
    @classmethod
    def _plain_aliases(cls, value: Any) -> Any:
        return _aliases(value, descriptor=False)

    @field_validator("descriptors", mode="before")
    @classmethod
    def _plain_descriptors(cls, value: Any) -> Any:
        return _aliases(value, descriptor=True)

    @model_validator(mode="after")
    def _consistent(self) -> Actor:
        if self.generic != self.id.startswith("generic-"):
            raise ValueError("generic actors (and only they) have ids starting with 'generic-'")
        if self.stands_for and not self.generic:
            raise ValueError("only generic actors have stands_for")
        for earlier, later in zip(self.names, self.names[1:], strict=False):
            if earlier.valid_to is None or later.valid_from is None or later.valid_from < earlier.valid_to:
                raise ValueError(f"names {earlier.name!r} and {later.name!r} overlap or are not in date order")
        if self.names and self.names[-1].name != self.name:
            raise ValueError(f"name {self.name!r} should be the last of names ({self.names[-1].name!r})")
        _check_unique([m.actor for m in self.members], "member")
        if self.id in {m.actor for m in self.members}:
            raise ValueError("an actor cannot be its own member")
        return self

    def name_on(self, on: date | None) -> ActorName:
        """The name valid on ``on``: before the first name the first, after the last the last."""
        if not self.names:
            return ActorName(name=self.name)
        if on is None:
            return self.names[-1]
        # the latest name adopted by ``on``: a name holds until the next one (gaps included)
        chosen = self.names[0]
        for entry in self.names:
            if entry.valid_from is None or entry.valid_from <= on:
                chosen = entry
        return chosen

    def inter_on(self, on: date | None) -> int:
        return self.name_on(on).inter or self.inter

    def all_aliases(self) -> tuple[Alias, ...]:
        """Every surface form: names, aliases, descriptors and associated-group aliases."""
        names = [Alias(text=self.name)] + [Alias(text=n.name) for n in self.names]
        return tuple(names) + self.aliases + self.descriptors


class ActorFile(_KB):
    """One file of kb/actors/: the actors of one conflict theatre."""

    conflict: str = Field(pattern=_SLUG)
    country: str = Field(min_length=1, description="the theatre: descriptors apply in articles about it")
    source_note: str = ""
    actors: tuple[Actor, ...]

    @model_validator(mode="after")
    def _unique(self) -> ActorFile:
        _check_unique([a.id for a in self.actors], "actor id", "actors")
        return self


class ShortForm(_KB):
    """An ambiguous short form ('the Front', 'the group') and the named actors it may stand for.

    It resolves only from the article's context: to the one named actor of the article whose
    name (or the words the article used for it) holds one of ``heads`` ('Front'/'Jabhat'),
    or, with no heads, the one named non-state armed group of the allowed sides. Never guessed.
    """

    text: str = Field(min_length=1)
    heads: tuple[str, ...] = Field(default=(), description="name words the antecedent must carry; empty: any name")
    capitalised: bool = Field(default=False, description="only as written with a capital ('the Army', not 'the army')")
    sides: tuple[Side, ...] = Field(default=(), description="sides of the antecedent; empty: any")
    inter: tuple[int, ...] = Field(
        default=(), description="inter codes of the antecedent; empty: any with heads, non-state armed (2-4) without"
    )
    types: tuple[str, ...] = Field(default=(), description="actor types of the antecedent ('coalition'); empty: any")


class ReferenceFile(_KB):
    """kb/actor_references.yaml: ambiguous short forms, theatre-independent."""

    source_note: str = ""
    short_forms: tuple[ShortForm, ...]

    @model_validator(mode="after")
    def _unique(self) -> ReferenceFile:
        _check_unique([s.text.casefold() for s in self.short_forms], "short form", "short_forms")
        return self


# --------------------------------------------------------------------------- sources

Scale = Literal["international", "regional", "national", "subnational", "local", "other", "new_media"]


#: What kind of voice a source is, in the words analysts filter by. Finer than the claim's
#: SourceType: White Helmets and OCHA are humanitarian bodies although their figures count as
#: monitors' figures; Reuters is an international wire, CNN international media.
SourceCategory = Literal[
    "state media",
    "pro-government media",
    "opposition media",
    "kurdish media",
    "jihadist media",
    "independent media",
    "partisan media",
    "international wire",
    "international media",
    "regional media",
    "monitor",
    "humanitarian",
    "party to the conflict",
    "government",
    "activists",
]

_LEANING_MEDIA = {
    "pro-government": "pro-government media",
    "pro-opposition": "opposition media",
    "kurdish": "kurdish media",
    "pro-kurdish": "kurdish media",
    "jihadist": "jihadist media",
}


class Source(_KB):
    """An outlet, monitor or claimant that reports on the war."""

    id: str = Field(pattern=_SLUG)
    name: str = Field(min_length=1)
    type: SourceType
    leaning: str = Field(min_length=1, description="pro-government, pro-opposition, neutral, kurdish, jihadist ...")
    country: str | None = None
    scale: Scale
    aliases: tuple[str, ...] = ()
    contextual: tuple[str, ...] = Field(
        default=(), description="aliases that name the source only as a whole phrase ('state TV', 'the Observatory')"
    )
    category: SourceCategory | None = Field(default=None, description="set where type and leaning do not tell it")
    note: str = ""

    @property
    def kind(self) -> str:
        """The source's category: as listed, else from its type and leaning ('opposition media')."""
        if self.category:
            return self.category
        t = self.type.value if hasattr(self.type, "value") else str(self.type)
        if t == "state_media":
            return "state media"
        if t in ("partisan_media", "local_media", "national_media"):
            if self.leaning in _LEANING_MEDIA:
                return _LEANING_MEDIA[self.leaning]
            if t == "partisan_media":
                return "partisan media"
            return "regional media" if self.scale == "regional" else "independent media"
        if t == "international_media":
            return "regional media" if self.scale == "regional" else "international media"
        return {"monitor": "monitor", "party": "party to the conflict", "government": "government", "activists": "activists"}.get(t, t)

    @field_validator("type", mode="before")
    @classmethod
    def _no_unknown(cls, value: Any) -> Any:
        if value in (SourceType.UNKNOWN, "unknown"):
            raise ValueError("a listed source needs a known type")
        return value


class SourceFile(_KB):
    """kb/sources.yaml: sources plus the cue words the classifier uses for unlisted claimants."""

    source_note: str = ""
    sources: tuple[Source, ...]
    filler_words: tuple[str, ...] = Field(
        default=(), description="words that may surround a source's name ('Britain-based', 'news agency')"
    )
    party_cues: tuple[str, ...] = Field(default=(), description="phrases that make a claimant a party to the conflict")
    activist_cues: tuple[str, ...] = ()
    state_media_cues: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> SourceFile:
        _check_unique([s.id for s in self.sources], "source id", "sources")
        return self


def slug(text: str) -> str:
    """A lowercase slug for ids made from names."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
