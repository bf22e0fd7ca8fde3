"""WARC crawls (.warc, .warc.gz; Common Crawl News style): HTML responses in, articles out.

Each ``response`` (or ``resource``) record with status 200 and an HTML content type is
run through trafilatura (:func:`sitrep.ingest.html.extract_html`) and the usual cleaning.
Everything else is skipped and counted in :class:`WarcStats`: request/metadata records,
non-HTML payloads (PDF, images, JSON), error statuses, pages with no article text, and
pages that are not in English (the crawler's ``WARC-Identified-Content-Language`` header,
then ``Content-Language``, then ``<html lang>``, then a function-word check of the text).

A file that is not a WARC, or is truncated, becomes one :class:`InputProblem`; the
records read before the damage are kept.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path

from sitrep.ingest.html import MIN_WORDS, extract_html
from sitrep.ingest.text import Meta, build_article, decode_bytes
from sitrep.schema import Article, InputProblem

log = logging.getLogger(__name__)

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HINT = "give a WARC file (.warc or .warc.gz) as written by a crawler or warcio"
_HTML_LANG = re.compile(rb"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
#: Frequent English function words: English news prose has ~25-40% of its tokens among
#: them, other Latin-script languages under 5%, other scripts none.
_ENGLISH_WORDS = frozenset(
    "the of and to in a is that for on was with as by at from were have has had said were it its "
    "be are been not an this which who they their after killed".split()
)
_MIN_ENGLISH_SHARE = 0.12


@dataclass
class WarcStats:
    """Counts of what a WARC file held and what was skipped, and why."""

    records: int = 0
    articles: int = 0
    not_response: int = 0  # request, metadata, warcinfo ... records
    not_html: int = 0
    bad_status: int = 0
    not_english: int = 0
    no_text: int = 0
    too_large: int = 0

    def add(self, other: WarcStats) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def summary(self) -> str:
        skipped = [
            f"{getattr(self, f.name)} {f.name.replace('_', ' ')}"
            for f in fields(self)
            if f.name not in ("records", "articles") and getattr(self, f.name)
        ]
        return f"{self.records} WARC records, {self.articles} articles" + (f"; skipped {', '.join(skipped)}" if skipped else "")


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def read_warc_file(
    path: Path,
    *,
    published: date | None = None,
    max_bytes: int = 10_000_000,
    stats: WarcStats | None = None,
) -> Iterator[Article | InputProblem]:
    """Articles (and problems) from one WARC file, streamed record by record."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    own = stats if stats is not None else WarcStats()
    where = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputProblem(path=where, message=f"cannot read: {exc.strerror or exc}", hint="check the path and permissions")
        return
    with handle:
        if not _starts_like_warc(handle.read(65536)):
            yield InputProblem(path=where, message="not a WARC file (no WARC/1.x header at the start)", hint=_HINT)
            return
        handle.seek(0)
        records = ArchiveIterator(handle)
        try:
            for record in records:
                own.records += 1
                item = _read_record(record, records, where, published, max_bytes, own)
                records.read_to_end(record)
                if getattr(record.raw_stream, "limit", 0) > 0:  # the file ended inside this record
                    yield InputProblem(path=where, message=f"truncated WARC: record {own.records} is cut short", hint=_HINT)
                    return
                if item is not None:
                    yield item
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            # gzip/zlib errors are OSError/EOFError; warcio raises ArchiveLoadFailed on bad headers
            yield InputProblem(path=where, line=None, message=f"not a readable WARC after {own.records} records: {exc}", hint=_HINT)
    if stats is None:
        log.info("%s: %s", where, own.summary())


def _read_record(record, records, where: str, published: date | None, max_bytes: int, stats: WarcStats) -> Article | None:
    if record.rec_type not in ("response", "resource"):
        stats.not_response += 1
        return None
    http = record.http_headers
    if http is not None and http.get_statuscode() not in ("200", None):
        stats.bad_status += 1
        return None
    content_type = (http.get_header("Content-Type") if http is not None else None) or record.rec_headers.get_header("Content-Type") or ""
    if not content_type.lower().startswith(_HTML_TYPES):
        stats.not_html += 1
        return None
    payload = record.content_stream().read(max_bytes + 1)
    if len(payload) > max_bytes:
        stats.too_large += 1
        return None
    offset = records.get_record_offset()  # only after the payload is read: it reads to the record's end
    declared = _declared_language(record, payload)
    if declared is not None and declared != "en":
        stats.not_english += 1
        return None
    html = _decode(payload, content_type)
    url = record.rec_headers.get_header("WARC-Target-URI")
    try:
        extracted = extract_html(html, url=url) if html else None
    except Exception:  # noqa: BLE001 - lxml/trafilatura raise many kinds on broken markup
        log.debug("%s@%d: unparsable HTML", where, offset, exc_info=True)
        extracted = None
    if extracted is None:
        stats.no_text += 1
        return None
    text, meta = extracted
    if len(text.split()) < MIN_WORDS:  # a listing or error page: too little to judge its language
        stats.no_text += 1
        return None
    if not _looks_english(text):
        stats.not_english += 1
        return None
    article = build_article(
        text,
        Meta(title=meta.title, url=url or meta.url, outlet=meta.outlet, published=meta.published,
             published_source=meta.published_source, language="en"),
        published_default=published,
        source_path=f"{where}@{offset}",
        detect_title=meta.title is None,
    )
    if article is None or len(article.text.split()) < MIN_WORDS:
        stats.no_text += 1
        return None
    if article.published is None:
        # Crawl date as the last resort: news crawls fetch pages within a day or two.
        crawled = _warc_date(record.rec_headers.get_header("WARC-Date"))
        if crawled is not None:
            article = article.model_copy(update={"published": crawled, "published_source": "metadata"})
    stats.articles += 1
    return article


def _starts_like_warc(head: bytes) -> bool:
    if head.startswith(b"\x1f\x8b"):  # gzip: each record is its own member; look inside the first
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 64)
        except zlib.error:
            return False
    return head.startswith((b"WARC/", b"filedesc://"))


def _declared_language(record, payload: bytes) -> str | None:
    """Two-letter language the crawl or page declares, or None when none is declared."""
    # Common Crawl: "eng" or "eng,ara" (ISO 639-3, most of the text first)
    identified = record.rec_headers.get_header("WARC-Identified-Content-Language")
    if identified:
        return "en" if identified.split(",")[0].strip().lower() in ("eng", "en") else identified[:3].lower()
    http = record.http_headers
    content_language = http.get_header("Content-Language") if http is not None else None
    if content_language:
        return content_language.split(",")[0].strip()[:2].lower()
    m = _HTML_LANG.search(payload[:4096])
    return m.group(1)[:2].decode("ascii").lower() if m else None


def _looks_english(text: str) -> bool:
    words = re.findall(r"\w+", text[:5000].lower())
    if not words:
        return False
    return sum(1 for w in words if w in _ENGLISH_WORDS) / len(words) >= _MIN_ENGLISH_SHARE


def _decode(payload: bytes, content_type: str) -> str | None:
    m = _CHARSET.search(content_type)
    if m:
        try:
            return payload.decode(m.group(1))
        except (LookupError, UnicodeDecodeError):
            pass
    text, _ = decode_bytes(payload)
    return text


def _warc_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None
