"""HTTP API and map page over a sitrep store: ``create_app(db)`` (served by ``sitrep serve``)."""

from sitrep.api.app import create_app

__all__ = ["create_app"]
