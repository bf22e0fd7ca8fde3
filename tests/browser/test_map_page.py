"""The map page in headless Chromium against a real server: markers, filters, brush, evidence, XSS."""

from __future__ import annotations

from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "output"  # git-ignored


def _ready(page, after: int = 0) -> int:
    page.wait_for_function(f"Number(document.body.dataset.ready || 0) > {after}", timeout=30_000)
    return int(page.evaluate("Number(document.body.dataset.ready)"))


def _markers(page) -> int:
    return page.locator("path.ev-marker").count() + page.locator(".ev-cluster").count()


def test_page_loads_offline_with_markers_basemap_and_list(page):
    page.goto("/")
    _ready(page)
    assert _markers(page) > 10
    assert page.locator("#list li").count() > 10
    assert page.locator("#timeline rect").count() > 5
    assert page.locator(".leaflet-overlay-pane path").count() > _markers(page)  # outlines drawn too
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "map_page.png"))
    assert page.outside == [], f"page tried to leave the server: {page.outside}"
    assert page.errors == []


def test_type_filter_changes_map_list_and_url(page):
    page.goto("/")
    n = _ready(page)
    all_items = page.locator("#list li").count()
    all_markers = _markers(page)
    page.check("input[name=event_type][value=Protests]")
    _ready(page, n)
    protests = page.locator("#list li")
    assert 0 < protests.count() < all_items
    assert all("Protests" in t for t in protests.all_inner_texts())
    assert 0 < _markers(page) < all_markers
    assert "event_type=Protests" in page.url
    # Deep link: the same URL in a fresh page restores the filter.
    page.goto(page.url)
    _ready(page)
    assert page.is_checked("input[name=event_type][value=Protests]")
    assert page.locator("#list li").count() == protests.count()


def test_timeline_brush_narrows_dates(page):
    page.goto("/")
    n = _ready(page)
    before = page.locator("#list li").count()
    box = page.locator("#timeline .brush .overlay").bounding_box()
    # Drag over the left third of the timeline (the 2014-2016 events of the examples).
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.33, y, steps=8)
    page.mouse.up()
    _ready(page, n)
    since = page.input_value("input[name=since]")
    until = page.input_value("input[name=until]")
    assert since and until and since < until
    dates = [t.split(" · ")[0] for t in page.locator("#list li").all_inner_texts()]
    assert 0 < len(dates) < before
    assert all(since <= d <= until for d in dates), (since, until, dates)
    assert f"until={until}" in page.url


def test_event_panel_shows_claims_and_highlighted_evidence(page):
    page.goto("/?min_fatalities=100")
    _ready(page)
    page.locator("#list li").first.click()
    page.wait_for_selector("#panel .article mark.evidence")
    panel = page.locator("#panel")
    assert "Fatalities" in panel.inner_text()
    evidence = page.locator("#panel .article mark.evidence").all_inner_texts()
    assert any(len(t) > 40 for t in evidence)
    link = page.locator("#panel .article a").first
    assert link.get_attribute("href").startswith("https://")
    assert "event=" in page.url
    page.screenshot(path=str(OUTPUT / "event_panel.png"))


def test_hostile_article_is_shown_as_text_and_runs_nothing(page, server):
    import httpx

    article = httpx.get(f"{server}/articles/xss-probe").json()
    assert article["event_ids"], "the hostile article should yield an event (seven civilians killed in Saraqib)"
    page.goto(f"/?event={article['event_ids'][0]}")
    page.wait_for_selector("#panel .article[data-article-id='%s']" % article["id"])
    page.wait_for_selector("#panel .article[data-article-id]")
    page.wait_for_timeout(300)  # give any injected handler the chance to fire
    text = page.locator("#panel").inner_text()
    assert "<script>" in text and "onerror" in text  # the markup is shown, as text
    assert page.locator("#panel img").count() == 0 and page.locator("#panel script").count() == 0
    assert page.evaluate("window.__xss") is None
    assert page.locator("#panel a[href^='javascript']").count() == 0
    assert "unsafe link" in text
    assert page.errors == []
    page.screenshot(path=str(OUTPUT / "xss_article.png"))
