"""Plain-text articles (.txt, .md, no extension) and the pieces every reader shares.

Shared here: decoding bytes of unknown encoding, metadata (manifest.jsonl beside the
files, front matter at the top of a file), and :func:`build_article`, which cleans raw
text and fills an :class:`~sitrep.schema.Article`.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from sitrep.errors import InputError
from sitrep.ingest.clean import clean
from sitrep.ingest.dateline import parse_date_text
from sitrep.schema import Article, InputProblem, OffsetMap, OffsetSegment

log = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.jsonl"
SUPPORTED_HINT = "sitrep reads text (.txt, .md), HTML (.html, .htm) and JSON Lines (.jsonl, .ndjson) files"

PublishedSource = str  # one of Article.published_source's literals

# --------------------------------------------------------------------------- metadata


@dataclass(frozen=True)
class Meta:
    """What metadata says about one article; None means 'not given'."""

    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: date | None = None
    published_source: PublishedSource = "none"
    language: str | None = None
    external_id: str | None = None

    def merged(self, other: Meta) -> Meta:
        """``other``'s given fields win over ours."""
        changes = {k: v for k, v in other.__dict__.items() if v is not None and k != "published_source"}
        if other.published is not None:
            changes["published_source"] = other.published_source
        return replace(self, **changes)


class _ManifestEntry(BaseModel):
    # Unknown keys are allowed: manifests carry bookkeeping fields we do not use.
    model_config = ConfigDict(extra="ignore")

    file: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | date | None = None
    language: str | None = None
    id: str | int | None = None


def parse_published(value: object) -> date | None:
    """A date from metadata: date, ISO date or datetime string, or a written-out date.

    Raises ValueError when a value is given but is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"published {value!r} is not a date")
    text = value.strip()
    try:
        return date.fromisoformat(text[:10]) if re.match(r"\d{4}-\d{2}-\d{2}", text) else _parse_loose(text)
    except ValueError as exc:
        raise ValueError(f"published {value!r} is not a date (use YYYY-MM-DD)") from exc


def _parse_loose(text: str) -> date:
    found = parse_date_text(text)
    if found is None:
        raise ValueError(text)
    return found


def load_manifest(folder: Path) -> tuple[dict[str, Meta], list[InputProblem]]:
    """Metadata per file name from ``folder/manifest.jsonl`` (empty when there is none)."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}, []
    entries: dict[str, Meta] = {}
    problems: list[InputProblem] = []
    hint = 'each line must be a JSON object like {"file": "a.txt", "published": "2016-04-12", "outlet": "..."}'
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [InputProblem(path=str(path), message=f"cannot read manifest: {exc}", hint="save it as UTF-8 JSON Lines")]
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = _ManifestEntry.model_validate(json.loads(line))
            published = parse_published(entry.published)
        except (json.JSONDecodeError, ValidationError, ValueError) as exc:
            problems.append(InputProblem(path=str(path), line=n, message=f"bad manifest entry: {_short(exc)}", hint=hint))
            continue
        entries[entry.file] = Meta(
            title=entry.title or None,
            url=entry.url or None,
            outlet=entry.outlet or None,
            published=published,
            published_source="metadata" if published else "none",
            language=entry.language or None,
            external_id=str(entry.id) if entry.id is not None else None,
        )
    return entries, problems


_FRONT_MATTER_RE = re.compile(r"\A\ufeff?---[ \t]*\n(?P<body>(?:.*\n){0,40}?)---[ \t]*(?:\n|\Z)")
_FRONT_KEYS = {"title", "url", "outlet", "published", "date", "id", "language", "source"}


def split_front_matter(text: str) -> tuple[dict[str, str], int]:
    """YAML-ish ``key: value`` lines between ``---`` lines at the top; (fields, body start).

    Parsed by hand (not yaml.safe_load) so a colon in a title or an odd value never
    fails the whole file.
    """
    m = _FRONT_MATTER_RE.match(text)
    if not m:
        return {}, 0
    fields: dict[str, str] = {}
    for line in m.group("body").splitlines():
        kv = re.match(r"\s*([A-Za-z_]+)\s*:\s*(.*?)\s*$", line)
        if not kv or kv.group(1).lower() not in _FRONT_KEYS:
            continue
        value = kv.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        fields[kv.group(1).lower()] = value
    if not fields:
        return {}, 0  # a horizontal rule, not front matter
    return fields, m.end()


def front_matter_meta(fields: dict[str, str]) -> Meta:
    published = None
    raw_date = fields.get("published") or fields.get("date")
    if raw_date:
        try:
            published = parse_published(raw_date)
        except ValueError:
            log.warning("front matter date %r is not a date; ignored", raw_date)
    return Meta(
        title=fields.get("title") or None,
        url=fields.get("url") or None,
        outlet=fields.get("outlet") or fields.get("source") or None,
        published=published,
        published_source="front_matter" if published else "none",
        language=fields.get("language") or None,
        external_id=fields.get("id") or None,
    )


# --------------------------------------------------------------------------- bytes


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"PAR1", "a Parquet file"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes) -> tuple[str | None, str | None]:
    """(text, None) or (None, why it is not text).

    UTF-8 first; a BOM picks UTF-8/16/32; NUL bytes mean UTF-16 without BOM or binary;
    anything else that is not UTF-8 is read as cp1252 (a superset of latin-1's printable
    range), then latin-1, which never fails. Newlines come back as "\\n".
    """
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None, f"starts with a {encoding} byte-order mark but is not valid {encoding}"
            break
    if text is None:
        for magic, what in _MAGIC:
            if data.startswith(magic):
                return None, f"binary file ({what}), not text"
        if b"\x00" in data[:65536]:
            text = _utf16_without_bom(data)
            if text is None:
                return None, "binary file (contains NUL bytes), not text"
    if text is None:
        text = _decode_8bit(data)
    if _control_ratio(text) > 0.01:
        return None, "binary file (control characters), not text"
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    odd_nuls = sample[1::2].count(0) / (len(sample) // 2)
    even_nuls = sample[0::2].count(0) / ((len(sample) + 1) // 2)
    for encoding, ok in (("utf-16-le", odd_nuls > 0.4 and even_nuls < 0.05), ("utf-16-be", even_nuls > 0.4 and odd_nuls < 0.05)):
        if ok:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _decode_8bit(data: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _control_ratio(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc")
    return bad / len(sample)


def read_text_bytes(path: Path, max_bytes: int) -> tuple[str | None, InputProblem | None]:
    """Size check, read, decode; one problem when the file cannot be used."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, InputProblem(path=str(path), message=f"cannot read: {exc.strerror or exc}", hint="check the path and permissions")
    if size > max_bytes:
        return None, InputProblem(
            path=str(path),
            message=f"file is {size:,} bytes, over the {max_bytes:,}-byte limit",
            hint=f"split it, or raise the limit with --max-bytes {size + 1}",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, InputProblem(path=str(path), message=f"cannot read: {exc.strerror or exc}", hint="check the path and permissions")
    if not data.strip():
        return None, InputProblem(path=str(path), message="empty file", hint="remove it or add the article text")
    text, why = decode_bytes(data)
    if text is None:
        return None, InputProblem(path=str(path), message=why or "not text", hint=SUPPORTED_HINT)
    if not text.strip():
        return None, InputProblem(path=str(path), message="empty file", hint="remove it or add the article text")
    return text, None


# --------------------------------------------------------------------------- articles


def build_article(
    raw_text: str,
    meta: Meta,
    *,
    body_start: int = 0,
    published_default: date | None = None,
    source_path: str | None = None,
    detect_title: bool = True,
) -> Article | None:
    """Clean ``raw_text[body_start:]`` and fill an Article; None when no text is left.

    The offset map points into ``raw_text`` (front matter included). Publication date:
    metadata, else the caller's default (``--published``), else a dateline in the text.
    """
    cleaned = clean(raw_text[body_start:], title_hint=meta.title, detect_title=detect_title)
    if not cleaned.text.strip():
        return None
    offsets = cleaned.offsets
    if body_start:
        offsets = OffsetMap(
            segments=[
                OffsetSegment(clean_start=s.clean_start, raw_start=s.raw_start + body_start, length=s.length)
                for s in offsets.segments
            ]
        )
    title = meta.title.strip() if meta.title else cleaned.title
    if meta.published is not None:
        published, source = meta.published, meta.published_source
    elif published_default is not None:
        published, source = published_default, "metadata"
    elif cleaned.dateline is not None:
        published, source = cleaned.dateline, "dateline"
    else:
        published, source = None, "none"
    return Article(
        id=Article.make_id(title, cleaned.text),
        external_id=meta.external_id,
        url=meta.url,
        title=title,
        outlet=meta.outlet,
        published=published,
        published_source=source,
        language=meta.language or "en",
        source_path=source_path,
        raw_text=raw_text,
        text=cleaned.text,
        offsets=offsets,
        boilerplate_removed=cleaned.removed_lines,
    )


def article_from_text(
    raw: str,
    *,
    title: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    published: date | None = None,
    external_id: str | None = None,
    source_path: str | None = None,
    language: str | None = None,
) -> Article:
    """One article from text in memory (the API's POST /articles uses this too).

    Raises :class:`~sitrep.errors.InputError` when nothing but boilerplate is left.
    """
    meta = Meta(
        title=title,
        url=url,
        outlet=outlet,
        published=published,
        published_source="metadata" if published else "none",
        language=language,
        external_id=external_id,
    )
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    article = build_article(text, meta, source_path=source_path, detect_title=title is None)
    if article is None:
        raise InputError(source_path or "<text>", "no article text found", hint="the text is empty or only boilerplate")
    return article


def read_text_file(path: Path, meta: Meta, *, published: date | None, max_bytes: int) -> Article | InputProblem:
    text, problem = read_text_bytes(path, max_bytes)
    if problem is not None:
        return problem
    assert text is not None
    fields, body_start = split_front_matter(text)
    if fields:
        meta = meta.merged(front_matter_meta(fields))
    article = build_article(text, meta, body_start=body_start, published_default=published, source_path=str(path))
    if article is None:
        return InputProblem(path=str(path), message="no article text found", hint="the file holds only boilerplate or a headline")
    return article


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc).splitlines()[0]
