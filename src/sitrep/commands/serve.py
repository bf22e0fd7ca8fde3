"""``sitrep serve``: the JSON API and the map page over one store."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

TOKEN_ENV = "SITREP_API_TOKEN"


def serve(
    db: Annotated[str, typer.Option("--db", help="The sitrep store (SQLite file) to serve.")],
    host: Annotated[str, typer.Option(help="Address to bind; anything but 127.0.0.1 exposes the server to the network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    token_file: Annotated[
        Path | None,
        typer.Option("--token-file", help=f"File holding the write token; enables POST /articles (or set {TOKEN_ENV})."),
    ] = None,
    cors_origin: Annotated[list[str] | None, typer.Option("--cors-origin", help="Origin allowed to read the API from a browser (repeat). None by default.")] = None,
    tile_url: Annotated[str | None, typer.Option("--tile-url", envvar="SITREP_TILE_URL", help="Online tile URL template, e.g. https://tile.example.org/{z}/{x}/{y}.png (default: offline outlines only).")] = None,
    tile_attribution: Annotated[str | None, typer.Option("--tile-attribution", envvar="SITREP_TILE_ATTRIBUTION", help="Attribution text shown for --tile-url.")] = None,
    max_body: Annotated[int, typer.Option("--max-body", min=1000, help="Largest accepted request body in bytes.")] = 2_000_000,
) -> None:
    """Serve the API (docs at /docs) and the map page at http://HOST:PORT/."""
    import uvicorn

    from sitrep.api import create_app
    from sitrep.cli import err, out
    from sitrep.errors import SitrepError
    from sitrep.store import is_url
    from sitrep.store.postgres import redact

    if is_url(db):
        # The API's reader is SQLite-only (read-only URI mode, keyset pagination over one file).
        err.print(f"[bold red]error[/]: --db {redact(db)}: sitrep serve reads a SQLite store; serve a SQLite copy kept by `sitrep ingest --db FILE`", highlight=False)
        raise typer.Exit(2)
    token = os.environ.get(TOKEN_ENV) or None
    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            err.print(f"[bold red]error[/]: {token_file}: cannot read the token file ({exc.strerror})", highlight=False)
            raise typer.Exit(2) from None
    try:
        app = create_app(db, token=token, cors_origins=tuple(cors_origin or ()), tile_url=tile_url, tile_attribution=tile_attribution, max_body_bytes=max_body)
    except SitrepError as exc:
        err.print(f"[bold red]error[/]: {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning[/]: binding {host}: the API is reachable from other machines", highlight=False)
    out.print(f"sitrep: serving {db} at http://{host}:{port}/ (API docs at /docs; writes {'enabled' if token else 'disabled'})", highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
