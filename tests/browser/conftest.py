"""A store built from the bundled examples plus a hostile article, served by ``sitrep serve`` on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx
import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
OUTPUT = Path(__file__).resolve().parents[1] / "output"

# A hostile article: markup and script URLs in the title, the text and the source URL. The page must
# show all of it as text and run none of it (each payload would set window.__xss).
XSS_TITLE = 'Shelling hits Saraqib market <script>window.__xss = "title-script"</script><img src=x onerror="window.__xss=\'title-img\'">'
XSS_TEXT = (
    "Government shelling killed seven civilians in the town of Saraqib in Idlib province on Monday, "
    "the Syrian Observatory for Human Rights said <img src=x onerror=\"window.__xss='text-img'\"> "
    "<script>window.__xss='text-script'</script>.\n\n"
    "Residents posted photographs of the damaged market stalls. <a href=\"javascript:window.__xss='text-link'\">Watch the video</a> "
    "was shared widely by local activists, who said rescue teams worked through the night."
)
XSS_URL = "javascript:window.__xss='url'"


def _skip_or_fail(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (browser tests must run in CI)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser_store(tmp_path_factory) -> Path:
    from sitrep.examples import example_paths
    from sitrep.ingest import article_from_text
    from sitrep.pipeline import Pipeline, ingest_articles
    from sitrep.store import open_store

    db = tmp_path_factory.mktemp("browser") / "sitrep.db"
    pipe = Pipeline()
    articles, problems = pipe.read(example_paths())
    assert not problems
    hostile = article_from_text(XSS_TEXT, title=XSS_TITLE, url=XSS_URL, outlet="Probe <b>Daily</b>", published=date(2020, 3, 3), external_id="xss-probe")
    with open_store(db) as store:
        ingest_articles(pipe, store, [*articles, hostile])
    return db


@pytest.fixture(scope="session")
def server(browser_store):
    from sitrep.api.app import VENDOR_DIR

    if not (VENDOR_DIR / "leaflet" / "leaflet.js").is_file():
        _skip_or_fail("the page's npm libraries are not vendored: run `python tools/vendor_web.py`")
    port = _free_port()
    log = (OUTPUT / "server.log") if OUTPUT.exists() else None
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitrep.cli", "serve", "--db", str(browser_store), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/config.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None:
                pytest.fail(f"sitrep serve exited: {proc.stderr.read()}")
            if time.monotonic() > deadline:
                pytest.fail("sitrep serve did not answer within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        del log


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        _skip_or_fail(f"chromium not found at {CHROMIUM} (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    # bypass_csp: the page's Content-Security-Policy would stop injected scripts on its own; without it
    # the XSS test proves the escaping itself (and Playwright's wait_for_function needs eval).
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=server, bypass_csp=True)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    pg.errors = errors
    # Offline by design: any request leaving 127.0.0.1 is a bug (CDN, tiles, fonts).
    outside: list[str] = []
    pg.route("**/*", lambda route: (outside.append(route.request.url), route.abort()) if not route.request.url.startswith(server) and not route.request.url.startswith("data:") else route.continue_())
    pg.outside = outside
    yield pg
    context.close()
