"""``sitrep watch FEEDS.txt --db sitrep.db [--every 10m]``: poll feeds until interrupted."""

import re
from pathlib import Path
from typing import Annotated

import typer

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """``90`` / ``90s``, ``10m``, ``1h``, ``1d`` → seconds."""
    m = _DURATION.match(text.lower())
    if not m or float(m.group(1)) <= 0:
        raise typer.BadParameter(f"{text!r} is not a duration; use e.g. 30s, 10m, 1h", param_hint="--every")
    return float(m.group(1)) * _UNIT[m.group(2)]


def register(app: typer.Typer) -> None:
    from sitrep.cli import DbOpt

    @app.command()
    def watch(
        feeds: Annotated[Path, typer.Argument(help="Text file: one RSS or Atom feed URL per line (# comments).")],
        db: DbOpt = "sitrep.db",
        every: Annotated[str, typer.Option("--every", help="Time between polls: 30s, 10m, 1h.")] = "10m",
        once: Annotated[bool, typer.Option("--once", help="Poll once and exit.")] = False,
        state: Annotated[Path | None, typer.Option("--state", help="Seen-items file (default: DB.watch.sqlite beside a SQLite store).")] = None,
        delay: Annotated[float, typer.Option("--delay", min=0, help="Seconds between requests to one host (robots.txt Crawl-delay wins when longer).")] = 1.0,
        timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")] = 20.0,
        retries: Annotated[int, typer.Option("--retries", min=0, help="Retries of a failed request (exponential backoff).")] = 2,
        backoff: Annotated[float, typer.Option("--backoff", min=0, help="First retry pause in seconds; doubles each retry.")] = 1.0,
        user_agent: Annotated[str | None, typer.Option("--user-agent", help="User-Agent header; add a contact, e.g. 'sitrep/0.1 (+mailto:desk@example.org)'.")] = None,
    ) -> None:
        """Poll feeds, fetch new articles politely, ingest each once, update events. Ctrl-C stops after the current article."""
        import signal
        import threading

        from sitrep.cli import _fail, _pipeline, err
        from sitrep.errors import SitrepError
        from sitrep.store import open_store
        from sitrep.watch import USER_AGENT, Fetcher, SeenState, Watcher, read_feed_list
        from sitrep.watch.state import default_state_path

        interval = parse_duration(every)
        stop = threading.Event()

        def on_sigint(signum, frame):
            if stop.is_set():
                raise KeyboardInterrupt  # second Ctrl-C: stop now
            stop.set()
            err.print("stopping after the current article (Ctrl-C again to stop at once)")

        previous = signal.signal(signal.SIGINT, on_sigint)
        signal.signal(signal.SIGTERM, on_sigint)
        total = 0
        try:
            urls = read_feed_list(feeds)
            with (
                open_store(db) as store,
                SeenState(state or default_state_path(str(db))) as seen,
                Fetcher(user_agent=user_agent or USER_AGENT, timeout=timeout, retries=retries, backoff=backoff, per_host_delay=delay) as fetcher,
            ):
                watcher = Watcher(urls, store, _pipeline(), seen, fetcher, stop=stop)

                def report(r) -> None:
                    nonlocal total
                    total += r.stored
                    for url, why in r.feeds_failed.items():
                        err.print(f"[yellow]warning[/]: {url}: {why}", highlight=False)
                    err.print(r.summary() + (f"; store holds {r.events} events" if r.events is not None else ""))

                if once:
                    report(watcher.poll())
                else:
                    err.print(f"watching {len(urls)} feeds every {every}; Ctrl-C to stop")
                    watcher.run(interval, on_cycle=report)
        except SitrepError as exc:
            raise _fail(exc) from exc
        finally:
            signal.signal(signal.SIGINT, previous)
        if stop.is_set():
            err.print(f"stopped cleanly; {total} articles stored this session")
