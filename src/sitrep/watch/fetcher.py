"""Polite HTTP: timeouts, retries with backoff, a per-host rate limit, robots.txt, a real User-Agent.

One :class:`Fetcher` per watcher, wrapping one ``httpx.Client`` (connection reuse). The
clock and sleep are injectable so the rate limit and backoff are testable without waiting.
"""

from __future__ import annotations

import logging
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx


log = logging.getLogger(__name__)



def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sitrep")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "dev"


#: Name and purpose; operators add a contact with --user-agent "... (+mailto:desk@example.org)".
USER_AGENT = f"sitrep/{_version()} (conflict-event research; httpx/{httpx.__version__})"
#: Transient answers: worth another try after a pause.
RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass
class FetchResult:
    url: str
    status: int | None = None  # None: no answer (timeout, refused, DNS)
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    disallowed: bool = False  # robots.txt says no; nothing was requested

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def transient(self) -> bool:
        """Worth trying again on a later poll."""
        return not self.disallowed and (self.status is None or self.status in RETRY_STATUS)


class Fetcher:
    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        timeout: float = 20.0,
        retries: int = 2,
        backoff: float = 1.0,
        per_host_delay: float = 1.0,
        max_bytes: int = 10_000_000,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.user_agent = user_agent
        self.retries = retries
        self.backoff = backoff
        self.per_host_delay = per_host_delay
        self.max_bytes = max_bytes
        self.clock = clock
        self.sleep = sleep
        self._client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,*/*;q=0.5"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=True,
            transport=transport,
        )
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ politeness

    def _wait_turn(self, host: str) -> None:
        delay = self.per_host_delay
        robots = self._robots.get(host)
        if robots is not None:
            crawl_delay = robots.crawl_delay(self.user_agent)
            if crawl_delay:
                delay = max(delay, float(crawl_delay))
        last = self._last_request.get(host)
        if last is not None:
            wait = last + delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = self.clock()

    def allowed(self, url: str) -> bool:
        """robots.txt of the URL's host (fetched once per host) allows our User-Agent."""
        parts = urlsplit(url)
        host = parts.netloc
        if host not in self._robots:
            robots_url = f"{parts.scheme}://{host}/robots.txt"
            got = self._get(robots_url, host)
            if got.status == 200:
                parser = urllib.robotparser.RobotFileParser(robots_url)
                parser.parse(got.content.decode("utf-8", errors="replace").splitlines())
                self._robots[host] = parser
            elif got.status is not None and 400 <= got.status < 500:
                self._robots[host] = None  # no robots.txt: everything allowed (RFC 9309)
            else:
                # unreachable or 5xx: assume disallowed for now and ask again next time (RFC 9309)
                log.info("%s: robots.txt unavailable (%s); not fetching from this host now", host, got.error or got.status)
                return False
        robots = self._robots[host]
        return robots is None or robots.can_fetch(self.user_agent, url)

    # ------------------------------------------------------------------ requests

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> FetchResult:
        """GET ``url`` if robots.txt allows it, retrying transient failures with exponential backoff."""
        if not self.allowed(url):
            return FetchResult(url, disallowed=True, error="disallowed by robots.txt")
        host = urlsplit(url).netloc
        result = self._get(url, host, headers)
        for attempt in range(self.retries):
            if not result.transient:
                break
            pause = self.backoff * 2**attempt
            retry_after = result.headers.get("retry-after", "")
            if retry_after.isdigit():
                pause = max(pause, min(float(retry_after), 300.0))
            log.info("%s: %s; retrying in %.1f s", url, result.error or result.status, pause)
            self.sleep(pause)
            result = self._get(url, host, headers)
        return result

    def _get(self, url: str, host: str, headers: dict[str, str] | None = None) -> FetchResult:
        self._wait_turn(host)
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        return FetchResult(url, response.status_code, error=f"larger than {self.max_bytes:,} bytes")
                    chunks.append(chunk)
                return FetchResult(
                    str(response.url), response.status_code, b"".join(chunks),
                    {k.lower(): v for k, v in response.headers.items()},
                    error=None if response.status_code == 200 else f"HTTP {response.status_code}",
                )
        except httpx.TimeoutException as exc:
            return FetchResult(url, error=f"timed out ({type(exc).__name__})")
        except httpx.HTTPError as exc:
            return FetchResult(url, error=f"{type(exc).__name__}: {exc}")
