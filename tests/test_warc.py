"""WARC input: HTML responses become articles; everything else is skipped and counted."""

from __future__ import annotations

import gzip
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scale_corpus import ARTICLES, html_page
from sitrep.ingest import read_paths
from sitrep.ingest.warc import WarcStats, read_warc_file
from sitrep.schema import Article, InputProblem

FRENCH = (
    "<html><head><title>Frappes sur Idleb</title></head><body><article><p>"
    + "Des frappes aériennes ont touché un marché de la ville de Maarat al-Noomane dimanche, tuant au moins "
    "douze civils, selon l'Observatoire syrien des droits de l'homme. Les secouristes ont cherché des "
    "survivants pendant des heures dans les décombres des boutiques. " * 3
    + "</p></article></body></html>"
)
ARABIC = (
    "<html><head><title>غارات</title></head><body><article><p>"
    + "قتل اثنا عشر مدنيا على الأقل في غارات جوية استهدفت سوقا شعبيا في مدينة معرة النعمان بريف إدلب الجنوبي يوم الأحد، "
    "بحسب المرصد السوري لحقوق الإنسان. " * 4
    + "</p></article></body></html>"
)
INDEX = "<html lang='en'><body><nav><a href='/a'>World</a> <a href='/b'>Sport</a></nav></body></html>"


def _response(writer: WARCWriter, url: str, body: bytes, content_type: str, *, status: str = "200 OK", warc_headers: dict | None = None) -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url, "response", payload=BytesIO(body), http_headers=http,
        warc_headers_dict={"WARC-Date": "2017-03-07T04:12:55Z", **(warc_headers or {})},
    )
    writer.write_record(record)


def write_news_warc(path: Path, records: list[dict] | None = None) -> Path:
    """A Common Crawl News style file: request + response pairs, plus the things a crawl also holds."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "sitrep-tests", "format": "WARC File Format 1.1"}))
        for rec in records or ARTICLES:
            req = StatusAndHeaders("GET / HTTP/1.1", [("User-Agent", "CCBot/2.0")], is_http_request=True)
            writer.write_record(writer.create_warc_record(rec["url"], "request", payload=BytesIO(b""), http_headers=req))
            _response(writer, rec["url"], html_page(rec).encode("utf-8"), "text/html; charset=utf-8",
                      warc_headers={"WARC-Identified-Content-Language": "eng"})
        _response(writer, "https://fr.example/idleb", FRENCH.encode("utf-8"), "text/html; charset=utf-8",
                  warc_headers={"WARC-Identified-Content-Language": "fra"})
        _response(writer, "https://ar.example/idlib", ARABIC.encode("utf-8"), "text/html; charset=utf-8")  # no declared language
        _response(writer, "https://files.example/report.pdf", b"%PDF-1.4 binary", "application/pdf")
        _response(writer, "https://api.example/feed.json", b'{"items": []}', "application/json")
        _response(writer, "https://gone.example/story", b"<html><body>Not found</body></html>", "text/html", status="404 Not Found")
        _response(writer, "https://index.example/", INDEX.encode(), "text/html")
    return path


def test_news_warc_articles_and_skips(tmp_path):
    stats = WarcStats()
    items = list(read_warc_file(write_news_warc(tmp_path / "CC-NEWS-test.warc.gz"), stats=stats))
    articles = [i for i in items if isinstance(i, Article)]
    assert not [i for i in items if isinstance(i, InputProblem)]
    assert [a.url for a in articles] == [r["url"] for r in ARTICLES]
    first = articles[0]
    assert first.title == ARTICLES[0]["title"]
    assert "killing at least 12 civilians" in first.text
    assert "newsletter" not in first.text and "Sport" not in first.text
    assert str(first.published) == "2017-03-05"  # from the page, not the crawl date
    assert first.source_path.startswith(str(tmp_path / "CC-NEWS-test.warc.gz") + "@")
    assert stats.articles == len(ARTICLES)
    assert stats.not_english == 2  # French declared by the crawler, Arabic detected in the text
    assert stats.not_html == 2 and stats.bad_status == 1 and stats.no_text == 1
    assert stats.not_response == 1 + len(ARTICLES)  # warcinfo + requests
    assert stats.records == 1 + 2 * len(ARTICLES) + 6
    assert "2 not english" in stats.summary()


def test_warc_found_in_folders_and_extracts_events(tmp_path):
    write_news_warc(tmp_path / "crawl" / "a.warc.gz") if (tmp_path / "crawl").mkdir() is None else None
    items = list(read_paths([tmp_path / "crawl"]))
    assert sum(isinstance(i, Article) for i in items) == len(ARTICLES)

    from sitrep.pipeline import Pipeline

    result = Pipeline().run_articles([i for i in items if isinstance(i, Article)])
    assert any(e.location == "Tabqa" and e.fatalities == 5 for e in result.events)


def test_crawl_date_when_the_page_has_none(tmp_path):
    rec = dict(ARTICLES[2])
    path = tmp_path / "nodate.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        page = html_page(rec).replace('<meta property="article:published_time"', '<meta name="x"')
        _response(writer, rec["url"], page.encode(), "text/html")
    [article] = list(read_warc_file(path))
    # the dateline "HAMA, March 8" has no year; the crawl date (2017-03-07) is the fallback
    assert article.published is not None and article.published.year == 2017


def test_truncated_warc_keeps_the_records_before_the_damage(tmp_path):
    whole = write_news_warc(tmp_path / "whole.warc.gz").read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    items = list(read_warc_file(cut))
    articles = [i for i in items if isinstance(i, Article)]
    problems = [i for i in items if isinstance(i, InputProblem)]
    assert 1 <= len(articles) < len(ARTICLES)
    assert len(problems) == 1 and "truncated WARC" in problems[0].message


@pytest.mark.parametrize("content", [b"this is not a warc at all\n" * 10, gzip.compress(b"plain text, gzipped\n")])
def test_not_a_warc_is_one_problem(tmp_path, content):
    path = tmp_path / "bad.warc.gz"
    path.write_bytes(content)
    items = list(read_paths([path]))
    assert len(items) == 1 and isinstance(items[0], InputProblem)
    assert items[0].path == str(path)
