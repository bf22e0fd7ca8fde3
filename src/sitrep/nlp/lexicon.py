"""Trigger and modality lexicons: data files under kb/, validated on load."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sitrep.errors import KnowledgeError
from sitrep.schema import SubEventType

KB_DIR = Path(__file__).resolve().parents[1] / "kb"

#: Families resolved by the extractor from context rather than fixed in the lexicon.
TRIGGER_FAMILIES = frozenset({"territory", "attack", "killing"})


class Trigger(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    lemmas: list[str] = Field(min_length=1)
    sub_event_type: str
    priority: int = 1
    pos: list[str] | None = None
    needs: list[str] = Field(default_factory=list)
    needs_object: str | None = None

    @field_validator("sub_event_type")
    @classmethod
    def _known_type(cls, v: str) -> str:
        if v not in TRIGGER_FAMILIES and v not in {s.value for s in SubEventType}:
            raise ValueError(f"unknown sub_event_type {v!r}")
        return v

    @property
    def is_family(self) -> bool:
        return self.sub_event_type in TRIGGER_FAMILIES


class TriggerLexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    valid_from: date
    valid_to: date | None = None
    cues: dict[str, list[str]]
    triggers: list[Trigger]

    def by_id(self) -> dict[str, Trigger]:
        return {t.id: t for t in self.triggers}


class ModalityLexicon(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    valid_from: date
    valid_to: date | None = None
    threat_verbs: frozenset[str]
    plan_verbs: frozenset[str]
    deny_verbs: frozenset[str]
    predict_verbs: frozenset[str]
    claim_verbs: frozenset[str]
    report_verbs: frozenset[str]
    modal_future: frozenset[str]
    modal_possible: frozenset[str]
    conditional_markers: frozenset[str]
    negations: frozenset[str]
    history_markers: list[str]
    hypothetical_nouns: frozenset[str]
    habitual_markers: frozenset[str]
    general_predicates: frozenset[str] = frozenset()
    cause_nouns: frozenset[str] = frozenset()


def _load(path: Path, model: type[BaseModel]) -> BaseModel:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(str(path), f"cannot read: {exc}") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise KnowledgeError(str(path), f"entry {loc}: {first['msg']}") from exc


@lru_cache(maxsize=4)
def load_triggers(path: Path = KB_DIR / "triggers.yaml") -> TriggerLexicon:
    lex = _load(path, TriggerLexicon)
    ids = [t.id for t in lex.triggers]  # type: ignore[attr-defined]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise KnowledgeError(str(path), f"duplicate trigger ids: {sorted(dupes)}")
    for t in lex.triggers:  # type: ignore[attr-defined]
        for need in t.needs:
            if need not in lex.cues:  # type: ignore[attr-defined]
                raise KnowledgeError(str(path), f"trigger {t.id}: unknown cue table {need!r}")
    return lex  # type: ignore[return-value]


@lru_cache(maxsize=4)
def load_modality(path: Path = KB_DIR / "modality.yaml") -> ModalityLexicon:
    return _load(path, ModalityLexicon)  # type: ignore[return-value]
