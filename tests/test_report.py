"""``sitrep report``: briefs from a store built from the bundled articles, checked against the store.

Figures are recomputed here with plain SQL over the store file (not through sitrep.report) and
compared with what each rendered format shows. Rendered briefs are kept under tests/output/
(git-ignored) for looking at.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

OUTPUT = Path(__file__).resolve().parent / "output" / "report"
#: The busiest month of the bundled articles: Idlib and Aleppo, March-April 2016.
SINCE, UNTIL = date(2016, 3, 14), date(2016, 4, 12)
PREVIOUS = (date(2016, 2, 13), date(2016, 3, 13))


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    """A store made from the bundled example articles, the way `sitrep demo` makes it."""
    from sitrep.examples import example_paths
    from sitrep.pipeline import Pipeline, ingest_articles
    from sitrep.settings import Settings
    from sitrep.store import open_store

    db = tmp_path_factory.mktemp("report") / "sitrep.db"
    pipe = Pipeline(Settings.load())
    articles, problems = pipe.read(example_paths())
    assert not problems
    with open_store(db) as store:
        ingest_articles(pipe, store, articles)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    return db


@pytest.fixture(scope="module")
def sql(store_path):
    conn = sqlite3.connect(store_path)
    yield conn
    conn.close()


def _by_type(conn: sqlite3.Connection, since: date, until: date, admin1: list[str] | None = None) -> dict[str, tuple[int, int]]:
    where, params = "event_date BETWEEN ? AND ?", [since.isoformat(), until.isoformat()]
    if admin1:
        where += f" AND LOWER(admin1) IN ({', '.join('?' * len(admin1))})"
        params += [a.lower() for a in admin1]
    rows = conn.execute(f"SELECT event_type, COUNT(*), SUM(fatalities) FROM events WHERE {where} GROUP BY event_type", params)
    return {t: (n, f) for t, n, f in rows}


def _run(*args: str):
    from sitrep.cli import app

    result = CliRunner().invoke(app, ["report", *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def briefs(store_path) -> dict[str, Path]:
    """The example period in all three formats, written by the command."""
    out = {}
    for fmt in ("html", "pdf", "md"):
        path = OUTPUT / f"brief.{fmt}"
        _run("--db", str(store_path), "--until", UNTIL.isoformat(), "--last", "30d", "--format", fmt, "-o", str(path))
        out[fmt] = path
    return out


# --------------------------------------------------------------------------- parsing what was rendered


class _Cells(HTMLParser):
    """Collects text of elements carrying data-figure, with the data-type/actor/outlet of their row."""

    def __init__(self):
        super().__init__()
        self.row: dict[str, str] = {}
        self.stack: list[str | None] = []
        self.found: list[tuple[dict[str, str], str, str]] = []
        self.text: dict[int, list[str]] = {}
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr":
            self.row = {k: v for k, v in a.items() if k.startswith("data-")}
        if tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        if tag == "img":
            self.images.append(a.get("src", ""))
        if "id" in a:
            self.ids.add(a["id"])
        self.stack.append(a.get("data-figure"))
        if a.get("data-figure"):
            self.text[len(self.stack)] = []

    def handle_endtag(self, tag):
        if not self.stack:
            return
        depth = len(self.stack)
        figure = self.stack.pop()
        if figure:
            self.found.append((dict(self.row), figure, "".join(self.text.pop(depth, [])).strip()))

    def handle_data(self, data):
        for parts in self.text.values():
            parts.append(data)


def _html_cells(path: Path) -> _Cells:
    parser = _Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _md_table(text: str, header: str) -> list[list[str]]:
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip().strip("*") for c in line.strip("|").split(" | ")])
    return rows


# --------------------------------------------------------------------------- period arithmetic


def test_period_from_options():
    from sitrep.report import resolve_period
    from sitrep.report.figures import Period, parse_last

    p = resolve_period(None, date(2016, 4, 12), "30d")
    assert (p.since, p.until, p.days) == (SINCE, UNTIL, 30)
    assert (p.previous().since, p.previous().until) == PREVIOUS
    assert parse_last("2w") == 14
    assert resolve_period(None, None, None, today=date(2024, 1, 7)) == Period(since=date(2024, 1, 1), until=date(2024, 1, 7))
    with pytest.raises(ValueError, match="not --since with --last"):
        resolve_period(date(2024, 1, 1), None, "7d")
    with pytest.raises(ValueError, match="7d or 2w"):
        parse_last("7 days")
    with pytest.raises(ValueError, match="before it starts"):
        Period(since=date(2024, 1, 2), until=date(2024, 1, 1))


# --------------------------------------------------------------------------- figures against the store


def test_brief_figures_equal_the_store(store_path, sql):
    from sitrep.report import Period, build_brief
    from sitrep.store import open_store

    with open_store(store_path) as store:
        brief = build_brief(store, Period(since=SINCE, until=UNTIL))
    now = _by_type(sql, SINCE, UNTIL)
    before = _by_type(sql, *PREVIOUS)
    assert sum(n for n, _ in now.values()) >= 8 and sum(n for n, _ in before.values()) >= 1  # a period worth a brief
    for t in brief.by_type:
        assert (t.events, t.fatalities) == now.get(t.event_type, (0, 0)), t.event_type
        assert (t.previous_events, t.previous_fatalities) == before.get(t.event_type, (0, 0)), t.event_type
    assert brief.events_total == sum(n for n, _ in now.values())
    assert brief.fatalities_total == sum(f for _, f in now.values())

    # most serious: the highest coded fatalities of the period, in order
    top = [r[0] for r in sql.execute(
        "SELECT fatalities FROM events WHERE event_date BETWEEN ? AND ? AND fatalities > 0 ORDER BY fatalities DESC",
        (SINCE.isoformat(), UNTIL.isoformat()))]
    assert [e.fatalities for e in brief.serious] == top[: len(brief.serious)]
    assert brief.serious[0].disputed and len({c.claimant for c in brief.serious[0].claims}) >= 2

    # actors: events per actor from the stored records (civilians excluded as victims)
    counts: dict[str, int] = {}
    for (record,) in sql.execute("SELECT record FROM events WHERE event_date BETWEEN ? AND ?", (SINCE.isoformat(), UNTIL.isoformat())):
        e = json.loads(record)
        names = {e["actor1"], e["actor2"], *(e["assoc_actor_1"] or "").split(";"), *(e["assoc_actor_2"] or "").split(";")}
        for name in {n.strip() for n in names if n and n.strip()}:
            if not name.startswith("Civilians"):
                counts[name] = counts.get(name, 0) + 1
    for a in brief.actors:
        assert a.events == counts[a.actor], a.actor
    assert brief.actors[0].events == max(counts.values())

    # territory: every territory sub-event of the period that changed the holder
    territory = {r[0] for r in sql.execute(
        "SELECT event_id FROM events WHERE event_date BETWEEN ? AND ? AND sub_event_type IN "
        "('Government regains territory', 'Non-state actor overtakes territory', 'Non-violent transfer of territory')",
        (SINCE.isoformat(), UNTIL.isoformat()))}
    assert territory and {t.event_id for t in brief.territory} <= territory

    # places newly affected: a location of the period never named before it
    seen_before = {(a, l) for a, l in sql.execute("SELECT admin1, location FROM events WHERE event_date < ?", (SINCE.isoformat(),))}
    period_places = {(a, l) for a, l in sql.execute(
        "SELECT admin1, location FROM events WHERE event_date BETWEEN ? AND ? AND location IS NOT NULL",
        (SINCE.isoformat(), UNTIL.isoformat()))}
    assert {(p.admin1, p.place) for p in brief.new_places} == period_places - seen_before

    # sources: events per outlet through the store's event-article links
    for s in brief.sources:
        if s.outlet == "outlet not recorded":
            continue
        n = sql.execute(
            "SELECT COUNT(DISTINCT e.event_id) FROM events e JOIN event_articles ea ON ea.event_id = e.event_id "
            "JOIN articles a ON a.id = ea.article_id OR a.external_id = ea.article_id "
            "WHERE e.event_date BETWEEN ? AND ? AND a.outlet = ?",
            (SINCE.isoformat(), UNTIL.isoformat(), s.outlet),
        ).fetchone()[0]
        assert s.events == n, s.outlet


def test_governorate_and_actor_scope(store_path, sql):
    from sitrep.report import Period, Scope, build_brief
    from sitrep.store import open_store

    wide = Period(since=date(2014, 1, 1), until=date(2023, 12, 31))
    with open_store(store_path) as store:
        two = build_brief(store, wide, Scope(admin1=["homs", "Deir ez Zor"]))
        army = build_brief(store, wide, Scope(actor="Islamic State"))
    expected = _by_type(sql, wide.since, wide.until, ["Homs", "Deir ez Zor"])
    assert two.events_total == sum(n for n, _ in expected.values()) > 0
    assert {e.admin1 for e in two.events} == {"Homs", "Deir ez Zor"}
    n = sql.execute(
        "SELECT COUNT(*) FROM events WHERE event_date IS NOT NULL AND actor_search LIKE '%islamic state%'"
    ).fetchone()[0]
    assert army.events_total == n > 0
    assert "Islamic State" in army.actors[0].actor


# --------------------------------------------------------------------------- the three formats


def test_html_shows_the_store_figures_and_links_events_to_evidence(briefs, sql):
    cells = _html_cells(briefs["html"])
    now = _by_type(sql, SINCE, UNTIL)
    shown = {(row.get("data-type"), fig): text for row, fig, text in cells.found if row.get("data-type")}
    for t in ("Battles", "Explosions/Remote violence", "Strategic developments"):
        assert int(shown[(t, "events")]) == now.get(t, (0, 0))[0]
        assert int(shown[(t, "fatalities")]) == now.get(t, (0, 0))[1]
    totals = {fig: text for row, fig, text in cells.found if fig.endswith("-total")}
    assert int(totals["events-total"]) == sum(n for n, _ in now.values())
    # self-contained: both pictures inlined, nothing fetched
    html = briefs["html"].read_text(encoding="utf-8")
    assert len(cells.images) == 2 and all(src.startswith("data:image/png;base64,") for src in cells.images)
    assert not re.search(r'<(img|script|link)[^>]+(src|href)="https?:', html)
    assert "@media print" in html
    # every event of the period links to an evidence block holding its sentences
    event_ids = [r[0] for r in sql.execute("SELECT event_id FROM events WHERE event_date BETWEEN ? AND ?", (SINCE.isoformat(), UNTIL.isoformat()))]
    for eid in event_ids:
        assert f"event-{eid}" in cells.links and f"event-{eid}" in cells.ids
    block = html.split(f'id="event-{event_ids[0]}"', 1)[1].split('<div class="event"', 1)[0]
    record = json.loads(sql.execute("SELECT record FROM events WHERE event_id = ?", (event_ids[0],)).fetchone()[0])
    first_sentence = " ".join(record["evidence"][0]["text"].split())
    from html import escape

    assert escape(first_sentence, quote=False)[:60] in block


def test_markdown_tables_equal_the_store(briefs, sql):
    text = briefs["md"].read_text(encoding="utf-8")
    now, before = _by_type(sql, SINCE, UNTIL), _by_type(sql, *PREVIOUS)
    rows = {r[0]: r for r in _md_table(text, "Event type")}
    for t, (n, f) in now.items():
        assert int(rows[t][1]) == n and int(rows[t][4]) == f
    for t, (n, f) in before.items():
        assert int(rows[t][2]) == n and int(rows[t][5]) == f
    assert int(rows["All types"][1]) == sum(n for n, _ in now.values())
    # pictures written beside the brief and referenced by name
    for name in ("brief-map.png", "brief-timeline.png"):
        assert f"]({name})" in text and (briefs["md"].parent / name).stat().st_size > 10_000
    # closes with the numbered source list, each cited number listed
    tail = text.split("## Sources cited", 1)[1]
    numbers = {int(n) for n in re.findall(r"^(\d+)\. ", tail, re.M)}
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", text.split("## Sources cited", 1)[0])}
    assert cited and cited <= numbers == set(range(1, len(numbers) + 1))


def _pdf_text(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))


def _pdf_images(path: Path) -> list[tuple[int, tuple[float, float, float, float], float]]:
    """(page index, (left, bottom, right, top) in points, page height) of every image in the PDF."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(str(path))
    found = []
    for i in range(len(pdf)):
        page = pdf[i]
        for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
            found.append((i, obj.get_bounds(), page.get_height()))
    return found


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pdf_pages_show_a_map_and_a_chart_with_the_figures(briefs, sql):
    from PIL import Image, ImageStat

    pdf = briefs["pdf"]
    assert pdf.read_bytes().startswith(b"%PDF")
    text = " ".join(_pdf_text(pdf).split())
    now = _by_type(sql, SINCE, UNTIL)
    for t in ("Battles", "Strategic developments"):
        n, f = now[t]
        assert re.search(rf"{re.escape(t)} {n} \d+ \S+(?: \([^)]*\))? {f} ", text), t
    assert "Sources cited" in text and re.search(r"\b1\. ", text)

    images = _pdf_images(pdf)
    assert len(images) == 2  # the map, then the timeline
    dpi = 100
    prefix = OUTPUT / "brief-page"
    for old in OUTPUT.glob("brief-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(prefix)], check=True)
    pages = sorted(OUTPUT.glob("brief-page-*.png"))
    assert len(pages) >= 2
    for page_index, (left, bottom, right, top), height in images:
        page = Image.open(pages[page_index]).convert("L")
        scale = dpi / 72
        box = (int(left * scale), int((height - top) * scale), int(right * scale), int((height - bottom) * scale))
        crop = page.crop(box)
        assert crop.width > 300 and crop.height > 150  # drawn at a readable size
        stat = ImageStat.Stat(crop)
        dark = sum(crop.histogram()[:200]) / (crop.width * crop.height)
        assert stat.stddev[0] > 25 and dark > 0.03, f"image on page {page_index + 1} looks blank"
        crop.save(OUTPUT / f"brief-image-p{page_index + 1}-{int(top)}.png")


# --------------------------------------------------------------------------- empty periods, escaping, flags


def test_empty_period_gives_a_short_brief_in_every_format(store_path):
    for fmt in ("html", "pdf", "md"):
        path = OUTPUT / f"empty.{fmt}"
        result = _run("--db", str(store_path), "--since", "2019-01-01", "--until", "2019-01-07", "-o", str(path))
        assert "0 events" in result.output
    html = (OUTPUT / "empty.html").read_text(encoding="utf-8")
    assert "No events in the store fall in this period" in html and "<img" not in html
    md = (OUTPUT / "empty.md").read_text(encoding="utf-8")
    assert "**0** events" in md and "![" not in md
    assert not (OUTPUT / "empty-map.png").exists()
    assert _pdf_images(OUTPUT / "empty.pdf") == []
    assert "No events in the store fall in this period" in " ".join(_pdf_text(OUTPUT / "empty.pdf").split())


def _event(**kw):
    from sitrep.schema import Claim, Event, Evidence, Span

    base = dict(
        event_id="ev_test0000001",
        event_date=date(2024, 5, 3),
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="Military Forces of Syria (2000-2024)",
        actor2="Civilians (Syria)",
        inter2=7,
        admin1="Idleb",
        location="Ariha",
        latitude=35.81,
        longitude=36.61,
        fatalities=3,
        claims=[Claim(value=3, claimant="SANA", claimant_type="state_media", text="three terrorists were killed", article_id="a_sana")],
        evidence=[Evidence(article_id="a_sana", span=Span(start=0, end=40), text="Army units shelled terrorist hideouts near Ariha.", outlet="SANA")],
    )
    base.update(kw)
    return Event(**base)


def test_single_partisan_source_and_state_media_against_monitors(tmp_path):
    from sitrep.report import Period, build_brief
    from sitrep.schema import Claim, Evidence, Span
    from sitrep.store import open_store

    partisan = _event()
    disputed = _event(
        event_id="ev_test0000002",
        sub_event_type="Air/drone strike",
        location="Maarrat al-Numan",
        fatalities=4,
        fatalities_high=11,
        figures_disputed=True,
        state_media_fatalities=4,
        monitor_fatalities=11,
        claims=[
            Claim(value=4, claimant="SANA", claimant_type="state_media", text="four terrorists", article_id="a_wire"),
            Claim(value=11, claimant="Syrian Observatory for Human Rights", claimant_type="monitor", text="11 civilians", article_id="a_wire"),
        ],
        evidence=[Evidence(article_id="a_wire", span=Span(start=0, end=30), text="Jets struck the town's market on Friday.", outlet="Reuters")],
    )
    with open_store(tmp_path / "s.db") as store:
        store.upsert_events([partisan, disputed])
        brief = build_brief(store, Period(since=date(2024, 5, 1), until=date(2024, 5, 7)))
    lines = {e.event_id: e for e in brief.events}
    assert lines["ev_test0000001"].single_partisan == "SANA"
    assert lines["ev_test0000002"].single_partisan is None  # a monitor disagrees, Reuters reports it
    assert lines["ev_test0000002"].dispute == "state media 4, monitors 11"
    assert brief.single_partisan_events == 1
    sana = next(s for s in brief.sources if s.outlet == "SANA")
    assert sana.partisan and sana.source_type == "state_media"
    assert not next(s for s in brief.sources if s.outlet == "Reuters").partisan


def test_article_text_is_escaped(tmp_path):
    from sitrep.report import Period, build_brief, render_html, write_brief
    from sitrep.schema import Evidence, Span
    from sitrep.store import open_store

    hostile = _event(
        actor1="<script>alert('x')</script> Brigade",
        location="Kafr <b>Nabl</b>",
        notes="Shelling | with a pipe and *stars* [link](http://x)",
        evidence=[Evidence(article_id="a_x", span=Span(start=0, end=10), text='He said "<img src=x onerror=alert(1)>" twice.', outlet="Enab <i>Baladi</i>")],
    )
    with open_store(tmp_path / "s.db") as store:
        store.upsert_events([hostile])
        brief = build_brief(store, Period(since=date(2024, 5, 1), until=date(2024, 5, 7)))
    html = render_html(brief)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<b>Nabl</b>" not in html and "<i>Baladi</i>" not in html
    write_brief(brief, tmp_path / "b.md")
    md = (tmp_path / "b.md").read_text(encoding="utf-8")
    assert "<script>" not in md and r"\<script\>" in md
    assert r"Shelling \| with a pipe and \*stars\* \[link\](http://x)" in md


def test_map_without_outlines_still_shows_the_events(store_path, monkeypatch):
    from PIL import Image, ImageStat

    from sitrep import basemap
    from sitrep.report import Period, build_brief
    from sitrep.report.charts import draw_map
    from sitrep.store import open_store

    with open_store(store_path) as store:
        brief = build_brief(store, Period(since=SINCE, until=UNTIL))

    def missing():
        raise basemap.BasemapMissing(basemap.BASEMAP_DIR / basemap.COUNTRIES_FILE)

    monkeypatch.setattr(basemap, "country_outlines", missing)
    bare = draw_map(brief)
    assert not bare.outlines and "not built" in bare.note
    assert bare.plotted == sum(1 for e in brief.events if e.latitude is not None) > 0
    (OUTPUT / "map-without-outlines.png").write_bytes(bare.png)
    image = Image.open(OUTPUT / "map-without-outlines.png").convert("L")
    assert ImageStat.Stat(image).stddev[0] > 10
    monkeypatch.undo()
    if not (basemap.BASEMAP_DIR / basemap.ADMIN1_FILE).exists():
        pytest.skip("basemap outlines not built: run `python tools/vendor_web.py`")
    drawn = draw_map(brief)
    assert drawn.outlines and drawn.note is None
