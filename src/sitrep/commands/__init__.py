"""Command groups beyond the core ones in ``sitrep.cli``.

Each module here exposes ``register(app: typer.Typer) -> None`` and adds its commands (or a
sub-``Typer``) to the main app. Modules are discovered, so a capability brings its commands
without editing ``cli.py``; the shared consoles and helpers live in ``sitrep.cli``.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer


def register_all(app: typer.Typer) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        module.register(app)
