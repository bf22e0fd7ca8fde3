"""A local news site on 127.0.0.1 for the watcher tests: feeds and pages, good and broken."""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/scale_corpus.py
from scale_corpus import ARTICLES, html_page  # noqa: E402


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds before answering (a slow server)
    fail_first: int = 0  # answer 503 this many times first (a flaky server)
    headers: dict[str, str] = field(default_factory=dict)


class Site:
    """Routes by path; every request is logged with its User-Agent."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, str]] = []  # (path, user agent)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for p, _ in self.requests if p == path)

    def wait_for(self, path: str, timeout: float = 60.0) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.hits(path):
                return True
            time.sleep(0.05)
        return False

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                path = self.path.split("?", 1)[0]
                with site.lock:
                    site.requests.append((path, self.headers.get("User-Agent", "")))
                    route = site.routes.get(path)
                    flaky = route is not None and route.fail_first > 0
                    if flaky:
                        route.fail_first -= 1
                if route is None:
                    return self._send(404, b"<html><body>Not found</body></html>", "text/html")
                if route.delay:
                    time.sleep(route.delay)
                if flaky:
                    return self._send(503, b"busy", "text/plain", {"Retry-After": "0"})
                self._send(route.status, route.body, route.content_type, route.headers)

            def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args) -> None:
                pass

        return Handler


def rss(site: Site, items: list[tuple[str, str, str]], title: str = "Northern Wire") -> bytes:
    """RSS 2.0 with (guid, path, title) items."""
    entries = "".join(
        f"<item><guid>{escape(guid)}</guid><link>{site.url(path)}</link><title>{escape(t)}</title>"
        "<pubDate>Mon, 06 Mar 2017 08:00:00 GMT</pubDate></item>"
        for guid, path, t in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>{entries}</channel></rss>'.encode()


def atom(site: Site, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f'<entry><id>{escape(i)}</id><link href="{site.url(p)}"/><title>{escape(t)}</title><updated>2017-06-15T10:00:00Z</updated></entry>'
        for i, p, t in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desert Sentinel</title>{entries}</feed>'.encode()


@pytest.fixture
def site():
    s = Site()
    s.thread.start()
    yield s
    s.server.shutdown()
    s.server.server_close()


@pytest.fixture
def news_site(site):
    """Two good feeds (RSS, Atom), a malformed one and a missing one, over pages of every kind."""
    pages = {f"/news/{r['id']}.html": r for r in ARTICLES}
    for path, rec in pages.items():
        site.routes[path] = Route(html_page(rec).encode())
    site.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.routes["/private/leak.html"] = Route(html_page(ARTICLES[0]).encode())
    site.routes["/news/flaky.html"] = Route(html_page(ARTICLES[6]).encode(), fail_first=1)
    site.routes["/files/report.pdf"] = Route(b"%PDF-1.4 ...", content_type="application/pdf")
    rss_items = [(f"nw-{r['id']}", f"/news/{r['id']}.html", r["title"]) for r in ARTICLES[:4]]
    rss_items += [("nw-private", "/private/leak.html", "Leaked"), ("nw-gone", "/news/deleted.html", "Deleted story"),
                  ("nw-pdf", "/files/report.pdf", "Report (PDF)"), ("nw-flaky", "/news/flaky.html", "Flaky")]
    site.routes["/rss.xml"] = Route(rss(site, rss_items), content_type="application/rss+xml")
    atom_items = [(f"urn:ds:{r['id']}", f"/news/{r['id']}.html", r["title"]) for r in ARTICLES[4:6]]
    site.routes["/atom.xml"] = Route(atom(site, atom_items), content_type="application/atom+xml")
    site.routes["/broken.xml"] = Route(b"<?xml version='1.0'?><rss><channel><title>Broken<item></rss", content_type="application/rss+xml")
    return site


@pytest.fixture
def feeds_file(tmp_path, news_site) -> Path:
    path = tmp_path / "feeds.txt"
    path.write_text(
        "# wires\n"
        + "\n".join(news_site.url(p) for p in ("/rss.xml", "/broken.xml", "/missing.xml", "/atom.xml"))
        + "\n",
        encoding="utf-8",
    )
    return path
