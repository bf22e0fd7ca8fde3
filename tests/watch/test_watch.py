"""The feed watcher against a local news site: good, broken, slow and flaky feeds and pages."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ARTICLES, Route, rss

from sitrep.pipeline import Pipeline
from sitrep.store import open_store
from sitrep.watch import USER_AGENT, Fetcher, SeenState, Watcher, read_feed_list
from sitrep.watch.feeds import FeedError, parse_feed

SITREP = [str(Path(sys.executable).with_name("sitrep"))]  # the installed entry point


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline()


def _watch(feeds_file: Path, db: Path, pipeline, **fetcher_args) -> tuple:
    args = {"per_host_delay": 0.0, "backoff": 0.0, "timeout": 5.0} | fetcher_args
    with open_store(db) as store, SeenState(db.with_suffix(".watch.sqlite")) as seen, Fetcher(**args) as fetcher:
        report = Watcher(read_feed_list(feeds_file), store, pipeline, seen, fetcher).poll()
        return report, store.counts(), seen.counts(), None


def test_poll_stores_new_articles_and_skips_the_rest(tmp_path, feeds_file, news_site, pipeline):
    report, counts, seen, _ = _watch(feeds_file, tmp_path / "w.db", pipeline)
    # 4 RSS articles + the flaky one (503 once, then fine) + 2 Atom articles
    assert report.stored == 7 and counts["articles"] == 7
    assert counts["events"] >= 5
    assert seen == {"stored": 7, "disallowed": 1, "gone": 1, "not_html": 1}
    assert set(report.feeds_failed) == {news_site.url("/broken.xml"), news_site.url("/missing.xml")}
    assert "malformed" in report.feeds_failed[news_site.url("/broken.xml")]
    assert news_site.hits("/private/leak.html") == 0  # robots.txt honoured
    assert news_site.hits("/robots.txt") == 1  # once per host
    assert news_site.hits("/news/flaky.html") == 2  # retried after the 503
    assert {ua for _, ua in news_site.requests} == {USER_AGENT}


def test_second_poll_and_restart_ingest_nothing_twice(tmp_path, feeds_file, news_site, pipeline):
    db = tmp_path / "w.db"
    _watch(feeds_file, db, pipeline)
    page_hits = news_site.hits("/news/nw-1.html")
    report, counts, _, _ = _watch(feeds_file, db, pipeline)  # a new process, the same files
    assert report.stored == 0 and counts["articles"] == 7
    assert news_site.hits("/news/nw-1.html") == page_hits  # seen items are not fetched again
    # a new item appears in the feed: only it is fetched and stored
    rec = dict(ARTICLES[7], id="cw-2b")
    from conftest import html_page

    news_site.routes["/news/new.html"] = Route(html_page(rec).encode())
    news_site.routes["/rss.xml"] = Route(rss(news_site, [("nw-new", "/news/new.html", rec["title"])]))
    report, counts, _, _ = _watch(feeds_file, db, pipeline)
    assert report.stored == 1 and counts["articles"] == 8


def test_same_article_under_two_guids_is_stored_once(tmp_path, site, pipeline):
    from conftest import html_page

    site.routes["/a.html"] = Route(html_page(ARTICLES[3]).encode())
    site.routes["/a-amp.html"] = Route(html_page(ARTICLES[3]).encode())
    site.routes["/rss.xml"] = Route(rss(site, [("g1", "/a.html", ARTICLES[3]["title"]), ("g2", "/a-amp.html", ARTICLES[3]["title"])]))
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(site.url("/rss.xml") + "\n")
    report, counts, seen, _ = _watch(feeds, tmp_path / "w.db", pipeline)
    assert report.stored == 1 and report.duplicates == 1 and counts["articles"] == 1
    assert seen == {"stored": 1, "duplicate": 1}
    with open_store(tmp_path / "w.db") as store:  # the second address is kept as a copy and cited
        (article,) = [store.get_article(e.article_ids[0]) for e in store.events()][:1]
        assert article.urls == [site.url("/a.html"), site.url("/a-amp.html")]
        assert all(site.url("/a-amp.html") in e.source_urls for e in store.events())


def test_slow_server_times_out_and_is_retried_next_poll(tmp_path, site, pipeline):
    from conftest import html_page

    site.routes["/slow.html"] = Route(html_page(ARTICLES[5]).encode(), delay=3.0)
    site.routes["/fast.html"] = Route(html_page(ARTICLES[4]).encode())
    site.routes["/rss.xml"] = Route(rss(site, [("slow", "/slow.html", "Slow"), ("fast", "/fast.html", "Fast")]))
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(site.url("/rss.xml") + "\n")
    report, counts, seen, _ = _watch(feeds, tmp_path / "w.db", pipeline, timeout=0.5, retries=1)
    assert report.stored == 1 and report.skipped == {"failed": 1}
    assert seen == {"stored": 1, "failed": 1}
    assert site.hits("/slow.html") == 2  # first try + one retry
    site.routes["/slow.html"].delay = 0.0  # the server recovers
    report, counts, seen, _ = _watch(feeds, tmp_path / "w.db", pipeline, timeout=0.5, retries=1)
    assert report.stored == 1 and counts["articles"] == 2 and seen == {"stored": 2}


def test_rate_limit_and_backoff_wait_between_requests(site):
    site.routes["/a"] = Route(b"a", fail_first=2)
    site.routes["/b"] = Route(b"b")
    now = [0.0]
    sleeps: list[float] = []

    def sleep(s: float) -> None:
        sleeps.append(round(s, 3))
        now[0] += s

    with Fetcher(per_host_delay=2.0, backoff=1.0, retries=3, clock=lambda: now[0], sleep=sleep) as f:
        assert f.fetch(site.url("/a")).ok  # robots.txt (404), 503, 503, 200
        assert f.fetch(site.url("/b")).ok
    # after robots.txt: 2 s gap; then backoff 1 s + 1 s more to honour the 2 s gap, 2 s backoff ...
    assert sleeps == [2.0, 1.0, 1.0, 2.0, 2.0]
    assert site.hits("/a") == 3


def test_feed_parsing_rejects_what_is_not_a_feed():
    with pytest.raises(FeedError):
        parse_feed(b"<html><body>Just a page</body></html>", "https://example.org/")
    with pytest.raises(FeedError, match="malformed"):
        parse_feed(b"<?xml version='1.0'?><rss><channel><title>Broken<item></rss", "https://example.org/rss")
    # cut off mid-item: the items before the damage are kept
    cut = b"<?xml version='1.0'?><rss version='2.0'><channel><title>W</title><item><title>A</title><link>https://example.org/a</link></item><item><title>B"
    assert [i.url for i in parse_feed(cut, "https://example.org/rss")] == ["https://example.org/a"]


def test_feed_list_errors_name_the_line(tmp_path):
    from sitrep.errors import InputError

    bad = tmp_path / "feeds.txt"
    bad.write_text("# feeds\nhttps://example.org/rss\nftp://example.org/feed\n")
    with pytest.raises(InputError, match=r"feeds.txt:3: 'ftp://example.org/feed' is not an http\(s\) URL"):
        read_feed_list(bad)


def test_cli_ctrl_c_finishes_the_current_article_and_exits_cleanly(tmp_path, site):
    from conftest import html_page

    paths = ["/one.html", "/slow.html", "/three.html"]
    for path, rec in zip(paths, ARTICLES[3:6], strict=True):
        site.routes[path] = Route(html_page(rec).encode())
    site.routes["/slow.html"].delay = 2.0
    site.routes["/rss.xml"] = Route(rss(site, [(p, p, p) for p in paths]))
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(site.url("/rss.xml") + "\n")
    db = tmp_path / "w.db"
    cmd = [*SITREP, "watch", str(feeds), "--db", str(db), "--every", "1s", "--delay", "0"]
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert site.wait_for("/slow.html", timeout=240), "the watcher never reached the slow page"
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=240)
    finally:
        proc.kill()
    assert proc.returncode == 0, stderr
    assert "stopped cleanly" in stderr and "Traceback" not in stderr
    assert site.hits("/three.html") == 0  # nothing after the current article
    with open_store(db) as store:
        urls = {store.get_article(a).url for a in {m.article_id for m in store.mentions()}}
        assert store.counts()["articles"] == 2  # one.html and the slow one it was fetching
        assert store.counts()["events"] >= 2  # events fused before exiting
    assert site.url("/slow.html") in urls
    # the next run takes up where it stopped, without storing anything twice
    done = subprocess.run([*cmd, "--once"], stderr=subprocess.PIPE, text=True, env=env, timeout=240)
    assert done.returncode == 0, done.stderr
    with open_store(db) as store:
        assert store.counts()["articles"] == 3
    assert site.hits("/one.html") == 1 and site.hits("/slow.html") == 1
