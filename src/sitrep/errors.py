"""sitrep's exceptions.

    SitrepError
    ├── InputError          a file or record could not be read (names the file and line)
    ├── KnowledgeError      a knowledge data file (actors, sources, places, lexicons) is invalid
    ├── StoreError          the event store failed or has an unknown schema version
    └── ConfigError         a setting is invalid

Every message says what to do about it.
"""

from __future__ import annotations


class SitrepError(Exception):
    """Base class of every error sitrep raises on purpose."""


class InputError(SitrepError):
    def __init__(self, path: str, message: str, line: int | None = None, hint: str | None = None):
        self.path, self.line, self.message, self.hint = path, line, message, hint
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}" + (f" ({hint})" if hint else ""))


class KnowledgeError(SitrepError):
    def __init__(self, path: str, message: str):
        self.path, self.message = path, message
        super().__init__(f"{path}: {message} (fix the data file; it is validated on load)")


class StoreError(SitrepError):
    pass


class ConfigError(SitrepError):
    pass
