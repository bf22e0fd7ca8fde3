"""A throwaway PostgreSQL server in a temporary folder, for tests and benchmarks.

    with ThrowawayPostgres() as pg:
        store = open_store(pg.url)

It runs ``initdb`` on a fresh data folder, starts ``postgres`` on 127.0.0.1 on a free port
(trust authentication, user ``sitrep``, database ``sitrep``) and on exit stops it and removes
the folder. PostgreSQL refuses to run as root, so as root the folder is handed to the
``postgres`` user and the server commands run through ``runuser -u postgres --``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from sitrep.errors import StoreError

_SERVER_USER = "postgres"


def find_postgres_bin() -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``: $SITREP_PG_BIN, Debian's newest, or PATH."""
    wanted = os.environ.get("SITREP_PG_BIN")
    if wanted:  # an explicit choice is not second-guessed
        folder = Path(wanted)
        return folder if all((folder / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")) else None
    candidates: list[Path] = []
    # Debian keeps each major version in /usr/lib/postgresql/<N>/bin; prefer the newest.
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    candidates += [Path(p) for p in reversed(debian)]
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for folder in candidates:
        if all((folder / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ThrowawayPostgres:
    """Start with ``start()`` (or ``with``), read ``url``, ``stop()`` removes everything."""

    def __init__(self, *, durable: bool = True, bin_dir: Path | None = None):
        # durable=False turns off fsync: fine for tests (the server is never crashed), not for timings.
        self.durable = durable
        self.bin_dir = bin_dir or find_postgres_bin()
        self.root: Path | None = None
        self.port: int | None = None

    @property
    def url(self) -> str:
        if self.port is None:
            raise StoreError("the throwaway PostgreSQL server is not started; call start() first")
        return f"postgresql://sitrep@127.0.0.1:{self.port}/sitrep"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        assert self.bin_dir is not None
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", _SERVER_USER, "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = self.root / "server.log" if self.root else None
            tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
            raise StoreError(f"{args[0]} failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}\n{tail}")
        return result

    def start(self) -> ThrowawayPostgres:
        if self.bin_dir is None:
            raise StoreError(
                "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in /usr/lib/postgresql/*/bin "
                "or on PATH; install them (Debian: apt-get install postgresql) or set SITREP_PG_BIN"
            )
        self.root = Path(tempfile.mkdtemp(prefix="sitrep-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.root, user=_SERVER_USER)
        data = self.root / "data"
        try:
            self._run("initdb", "-D", str(data), "-U", "sitrep", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync")
            self.port = _free_port()
            options = f"-h 127.0.0.1 -p {self.port} -k {self.root} -c max_connections=50"
            if not self.durable:
                options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            self._run("pg_ctl", "-D", str(data), "-l", str(self.root / "server.log"), "-w", "-t", "60", "-o", options, "start")
            self._create_database()
        except BaseException:
            self.stop()
            raise
        return self

    def _create_database(self) -> None:
        import psycopg

        with psycopg.connect(f"postgresql://sitrep@127.0.0.1:{self.port}/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE sitrep")

    def stop(self) -> None:
        if self.root is None:
            return
        try:
            if (self.root / "data" / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
            self.port = None

    def __enter__(self) -> ThrowawayPostgres:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
