"""Reading files and folders: formats, metadata, bad input, the real seed articles."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.ingest import article_from_text, read_paths
from sitrep.schema import Article, InputProblem

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "samples" / "seeds"

GOOD_TEXT = (
    "Rebels seize checkpoint on Aleppo ring road\n\n"
    "Rebel fighters seized an army checkpoint on the Castello road north of Aleppo on Thursday, "
    "cutting the last supply route into the government-held west of the city for several hours, "
    "a war monitor said.\n\n"
    "State television said the army had retaken the position by nightfall and killed dozens of militants.\n"
)


def split(items) -> tuple[list[Article], list[InputProblem]]:
    articles, problems = [], []
    for item in items:
        (problems if isinstance(item, InputProblem) else articles).append(item)
    return articles, problems


def assert_offsets_exact(article: Article) -> None:
    for i, ch in enumerate(article.text):
        pos = article.offsets.to_raw(i)
        if pos is not None:
            assert article.raw_text[pos] == ch, (article.source_path, i)


# --------------------------------------------------------------------------- the fixture folder


@pytest.fixture(scope="module")
def fixture_items() -> list[Article | InputProblem]:
    return list(read_paths([FIXTURES]))


def by_path(articles: list[Article], name: str) -> Article:
    found = [a for a in articles if a.source_path and Path(a.source_path.split(":")[0]).name == name]
    assert len(found) == 1, name
    return found[0]


def test_folder_reads_every_format_in_sorted_order(fixture_items) -> None:
    articles, problems = split(fixture_items)
    names = [Path(a.source_path.split(":")[0]).name for a in articles]
    assert names == [
        "azaz_car_bomb.html",
        "douma_front_matter.md",
        "hama_wire_hardwrapped.txt",
        "orontes_wire.jsonl",
        "orontes_wire.jsonl",
        "orontes_wire.jsonl",
        "sweida_detainees.txt",
    ]
    # manifest.jsonl is metadata, never an article; the one broken JSONL line is one problem.
    assert len(problems) == 1
    for article in articles:
        assert article.id == Article.make_id(article.title, article.text)
        assert_offsets_exact(article)


def test_reading_is_deterministic_and_ids_are_content_hashes(fixture_items) -> None:
    again = list(read_paths([FIXTURES]))
    assert [getattr(x, "id", str(x)) for x in again] == [getattr(x, "id", str(x)) for x in fixture_items]
    articles, _ = split(fixture_items)
    assert len({a.id for a in articles}) == len(articles)


def test_hard_wrapped_text_with_comment_form(fixture_items) -> None:
    articles, _ = split(fixture_items)
    a = by_path(articles, "hama_wire_hardwrapped.txt")
    assert a.title == "Army advances on rebel pocket north of Hama, monitor says"
    assert a.published == date(2016, 5, 14) and a.published_source == "dateline"
    assert "Leave a Reply" not in a.text and "six + 4" not in a.text and "Email" not in a.text
    assert "were overrun. In a statement" in a.text
    assert a.boilerplate_removed >= 6
    assert a.raw_text.startswith("Army advances")


def test_manifest_metadata_wins_over_the_dateline(fixture_items) -> None:
    articles, _ = split(fixture_items)
    a = by_path(articles, "sweida_detainees.txt")
    assert a.published == date(2020, 6, 10)  # the text's dateline says June 9
    assert a.published_source == "metadata"
    assert a.outlet == "Suwayda 24"
    assert a.external_id == "sw-77"
    assert a.url == "https://suwayda24.example/en/2020/06/10/detainees-protest"
    assert a.title == "Protesters in Sweida call for release of detainees"
    assert "Adjust font size" not in a.text and "Reporting by" not in a.text


def test_front_matter_wins_over_the_manifest_and_offsets_point_past_it(fixture_items) -> None:
    articles, _ = split(fixture_items)
    a = by_path(articles, "douma_front_matter.md")
    assert a.title == "Shelling of Douma kills five as talks on evacuation stall"
    assert a.published == date(2018, 2, 26) and a.published_source == "front_matter"
    assert a.outlet == "Ghouta Monitor"
    assert a.external_id == "gm-2018-0226"
    assert "---" not in a.text and "outlet:" not in a.text
    assert a.raw_text.startswith("---\n")
    start = a.offsets.to_raw(0)
    assert start is not None and a.raw_text[start:].startswith("Government artillery shelled")


def test_html_article_without_widgets(fixture_items) -> None:
    articles, _ = split(fixture_items)
    a = by_path(articles, "azaz_car_bomb.html")
    assert a.title == "Car bomb kills nine at checkpoint near Azaz"
    assert a.published == date(2017, 1, 7)
    assert a.url == "https://shahbapress.example/2017/01/07/azaz-car-bomb"
    assert a.outlet == "Shahba Press (manifest)"  # the manifest beats the page's own site name
    assert "killing at least nine people" in a.text and "Kilis" in a.text
    for junk in ("Related", "Facebook", "Home", "newsletter", "All rights reserved", "Tal Rifaat"):
        assert junk not in a.text
    assert len(a.text.split("\n\n")) == 4


def test_jsonl_records_and_broken_line(fixture_items) -> None:
    articles, problems = split(fixture_items)
    records = [a for a in articles if a.source_path.endswith((".jsonl:1", ".jsonl:3", ".jsonl:4"))]
    assert [a.external_id for a in records] == ["ow-1001", "1003", "ow-1004"]
    first, second, third = records
    assert first.published == date(2018, 2, 20) and first.published_source == "metadata"  # ISO datetime
    assert first.title == "Air strikes hit Ariha market, rescuers say"
    assert second.title == "Turkish army extends operation towards Rajo"  # from the text's first line
    assert second.text.startswith("Turkish troops and allied")
    assert third.published == date(2018, 2, 22) and third.published_source == "dateline"
    (problem,) = problems
    assert problem.path.endswith("orontes_wire.jsonl") and problem.line == 2
    assert "not valid JSON" in problem.message and problem.hint
    assert str(problem).startswith(str(FIXTURES / "orontes_wire.jsonl") + ":2:")


def test_published_flag_fills_only_missing_dates(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text(json.dumps({"file": "b.txt", "published": "2016-08-01"}) + "\n")
    (tmp_path / "b.txt").write_text(GOOD_TEXT.replace("Thursday", "Friday"), encoding="utf-8")
    articles, problems = split(read_paths([tmp_path], published=date(2016, 8, 4)))
    assert not problems
    a, b = articles
    assert (a.published, a.published_source) == (date(2016, 8, 4), "metadata")
    assert (b.published, b.published_source) == (date(2016, 8, 1), "metadata")
    nothing, _ = split(read_paths([tmp_path / "a.txt"]))
    assert nothing[0].published is None and nothing[0].published_source == "none"


def test_same_article_read_twice_has_the_same_id(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "two.txt").write_text(GOOD_TEXT.replace("\n", "\r\n"), encoding="utf-8")
    articles, _ = split(read_paths([tmp_path / "one.txt", tmp_path / "two.txt"]))
    assert articles[0].id == articles[1].id


# --------------------------------------------------------------------------- bad input


def _make_bad_batch(folder: Path) -> None:
    (folder / "a_good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (folder / "b_empty.txt").write_bytes(b"")
    (folder / "c_image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "d_nul.txt").write_bytes(b"abc\x00\x01\x02\x03" * 100)
    (folder / "e_listing.html").write_text(
        "<!DOCTYPE html><html><head><title>News index</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        "<ul><li><a href='/a'>Story one</a></li><li><a href='/b'>Story two</a></li></ul>"
        "<footer>Copyright 2020</footer></body></html>",
        encoding="utf-8",
    )
    lines = [
        json.dumps({"id": "r1", "text": GOOD_TEXT}),
        "{this is not json",
        json.dumps({"id": "r3", "title": "Only a title"}),
        json.dumps({"id": "r4", "content": GOOD_TEXT.replace("Thursday", "Saturday")}),
    ]
    (folder / "f_wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_each_bad_input_is_one_problem_and_the_batch_goes_on(tmp_path: Path) -> None:
    _make_bad_batch(tmp_path)
    missing = tmp_path / "nowhere" / "gone.txt"
    articles, problems = split(read_paths([tmp_path, missing]))
    assert [Path(a.source_path.split(":")[0]).name for a in articles] == ["a_good.txt", "f_wire.jsonl", "f_wire.jsonl"]
    where = {(Path(p.path).name, p.line): p for p in problems}
    assert set(where) == {
        ("b_empty.txt", None),
        ("c_image.txt", None),
        ("d_nul.txt", None),
        ("e_listing.html", None),
        ("f_wire.jsonl", 2),
        ("f_wire.jsonl", 3),
        ("gone.txt", None),
    }
    assert len(problems) == 7
    assert "empty" in where[("b_empty.txt", None)].message
    assert "PNG" in where[("c_image.txt", None)].message
    assert "binary" in where[("d_nul.txt", None)].message
    assert where[("e_listing.html", None)].message == "no article text found"
    assert "JSON" in where[("f_wire.jsonl", 2)].message
    assert '"text"' in where[("f_wire.jsonl", 3)].message
    assert "no such file" in where[("gone.txt", None)].message
    for p in problems:
        assert p.hint, p
        assert p.path in str(p)


def test_latin1_and_cp1252_text_is_read_not_rejected(tmp_path: Path) -> None:
    text = (
        "Clashes near Saraqib leave eight dead\n\n"
        "Fighters of the Front in Ma\u00e2rat al-Nu\u00e2m\u00e2n and Sa\u00efd's men clashed on Monday, "
        "killing eight, the caf\u00e9 owner said.\n"
    )
    (tmp_path / "latin.txt").write_bytes(text.encode("latin-1"))
    (tmp_path / "windows.txt").write_bytes(text.replace("Monday,", "Monday \u2013").encode("cp1252"))
    articles, problems = split(read_paths([tmp_path]))
    assert not problems
    latin, windows = articles
    assert "Sa\u00efd's men" in latin.text and "caf\u00e9" in latin.text
    assert "Monday \u2013 killing" in windows.text
    assert latin.title == "Clashes near Saraqib leave eight dead"


def test_utf16_with_bom_and_utf8_bom_are_read(tmp_path: Path) -> None:
    (tmp_path / "u16.txt").write_bytes(GOOD_TEXT.encode("utf-16"))  # with BOM
    (tmp_path / "u8sig.txt").write_bytes(GOOD_TEXT.encode("utf-8-sig"))
    articles, problems = split(read_paths([tmp_path]))
    assert not problems
    u16, u8 = articles
    assert u16.title == u8.title == "Rebels seize checkpoint on Aleppo ring road"
    assert u16.id == u8.id
    assert not u8.raw_text.startswith("\ufeff")


def test_file_over_max_bytes_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(GOOD_TEXT * 20, encoding="utf-8")
    size = path.stat().st_size
    (problem,) = list(read_paths([path], max_bytes=1000))
    assert f"{size:,} bytes" in problem.message and "1,000-byte limit" in problem.message
    assert "--max-bytes" in problem.hint
    (article,) = list(read_paths([path], max_bytes=size))
    assert isinstance(article, Article)


def test_fifty_megabyte_file_is_one_problem(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:  # sparse: 50 MB on stat, nothing written
        handle.truncate(50 * 1024 * 1024)
    (tmp_path / "small.txt").write_text(GOOD_TEXT, encoding="utf-8")
    articles, problems = split(read_paths([tmp_path]))
    assert len(articles) == 1
    (problem,) = problems
    assert Path(problem.path).name == "huge.txt"
    assert "52,428,800 bytes" in problem.message and "10,000,000-byte limit" in problem.message


def test_jsonl_line_over_the_limit_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "wire.jsonl"
    huge = json.dumps({"id": "big", "text": "Shelling continued. " * 200})
    path.write_text(huge + "\n" + json.dumps({"id": "ok", "text": GOOD_TEXT}) + "\n", encoding="utf-8")
    articles, problems = split(read_paths([path], max_bytes=2000))
    assert [a.external_id for a in articles] == ["ok"]
    assert [(p.line, "limit" in p.message) for p in problems] == [(1, True)]


def test_bad_manifest_line_is_reported_and_other_entries_used(tmp_path: Path) -> None:
    (tmp_path / "manifest.jsonl").write_text(
        '{"file": "a.txt", "published": "2019-13-45"}\n' + json.dumps({"file": "b.txt", "outlet": "Enab Baladi"}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(GOOD_TEXT.replace("Thursday", "Friday"), encoding="utf-8")
    articles, problems = split(read_paths([tmp_path]))
    assert len(articles) == 2 and articles[1].outlet == "Enab Baladi"
    (problem,) = problems
    assert problem.path.endswith("manifest.jsonl") and problem.line == 1


def test_text_named_file_holding_html_is_read_as_html(tmp_path: Path) -> None:
    html = (FIXTURES / "azaz_car_bomb.html").read_text(encoding="utf-8")
    (tmp_path / "saved_page.txt").write_text(html, encoding="utf-8")
    (article,) = list(read_paths([tmp_path]))
    assert article.title == "Car bomb kills nine at checkpoint near Azaz"
    assert "<p>" not in article.text


# --------------------------------------------------------------------------- article_from_text


def test_article_from_text_for_the_api() -> None:
    a = article_from_text(GOOD_TEXT, url="https://example.org/x", outlet="Enab Baladi", external_id="eb-1")
    assert a.title == "Rebels seize checkpoint on Aleppo ring road"
    assert a.text.startswith("Rebel fighters seized an army checkpoint")
    assert (a.external_id, a.outlet, a.url) == ("eb-1", "Enab Baladi", "https://example.org/x")
    assert a.published is None and a.published_source == "none"
    given = article_from_text(GOOD_TEXT, title="Checkpoint on Castello road changes hands", published=date(2016, 7, 28))
    assert given.title == "Checkpoint on Castello road changes hands"
    # The text's own headline is not the given title, so it stays in the body.
    assert given.text.startswith("Rebels seize checkpoint")
    assert (given.published, given.published_source) == (date(2016, 7, 28), "metadata")
    assert article_from_text(GOOD_TEXT).id == a.id


def test_article_from_text_with_only_boilerplate_raises() -> None:
    with pytest.raises(InputError) as err:
        article_from_text("Leave a Reply\n\nYour email address will not be published.\n\neighteen − 5 =\n")
    assert "no article text" in str(err.value)


# --------------------------------------------------------------------------- the real seeds


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/samples/seeds is not present")
    return SEEDS


@pytest.mark.seeds
def test_seed_articles(seeds: Path) -> None:
    manifest = {json.loads(line)["file"]: json.loads(line) for line in (seeds / "manifest.jsonl").read_text().splitlines() if line.strip()}
    articles, problems = split(read_paths([seeds]))
    assert not problems
    assert len(articles) == 5
    by_name = {Path(a.source_path).name: a for a in articles}
    for name, entry in manifest.items():
        a = by_name[name]
        assert a.published == date.fromisoformat(entry["published"]) and a.published_source == "metadata"
        assert a.outlet == entry["outlet"]
        assert_offsets_exact(a)
        for junk in ("Leave a Reply", "Leave a Comment", "Donate today", "eighteen − 5", "Adjust font size",
                     "Related Items", "Source link", "Skip to main content", "Post a Comment", "File photo",
                     "Join our Weekly Newsletter", "by Our Foreign Desk", "Endit", "Days remaining"):
            assert junk not in a.text, (name, junk)
        assert "owned by our readers" not in a.text.lower() and "co-operative" not in a.text
        assert a.boilerplate_removed >= 1
    wrapped = next(a for n, a in by_name.items() if n.startswith("003_"))
    for para in wrapped.text.split("\n\n"):
        assert "\n" not in para
    # Every paragraph of the hard-wrapped seed ends a sentence: no break inside one.
    assert all(p.rstrip().endswith((".", "”", '"')) for p in wrapped.text.split("\n\n"))
    assert "overrun. In eastern Syria" in wrapped.text
    assert "Kasab and restoring government control" in wrapped.text
    assert wrapped.title == ""  # its first line is a wrapped sentence, not a headline
    for prefix in ("000_", "001_", "002_", "004_"):
        a = next(a for n, a in by_name.items() if n.startswith(prefix))
        assert a.title and "\n" not in a.title
        assert not a.text.startswith(a.title)
        assert a.title not in a.text[:300]
