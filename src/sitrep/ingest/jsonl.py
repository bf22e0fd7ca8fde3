"""JSON Lines (.jsonl, .ndjson): one article per line.

Fields: ``text`` (or ``content`` / ``body``) required; optional ``id`` (kept as
``Article.external_id``), ``title``, ``url``, ``published`` (date or ISO datetime),
``outlet`` (or ``source``), ``language``. A bad line is one problem naming file:line;
the other lines are still read. The file is streamed, so ``max_bytes`` limits one line
(one article), not the file.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from sitrep.ingest.text import Meta, build_article, decode_bytes, parse_published
from sitrep.schema import Article, InputProblem

log = logging.getLogger(__name__)

TEXT_FIELDS = ("text", "content", "body")
_HINT = 'each line must be one JSON object with a "text" field, e.g. {"id": "a1", "published": "2016-04-12", "text": "..."}'


def read_jsonl_file(path: Path, *, published: date | None, max_bytes: int) -> Iterator[Article | InputProblem]:
    where = str(path)
    try:
        size = path.stat().st_size
        handle = path.open("rb")
    except OSError as exc:
        yield InputProblem(path=where, message=f"cannot read: {exc.strerror or exc}", hint="check the path and permissions")
        return
    if size == 0:
        handle.close()
        yield InputProblem(path=where, message="empty file", hint="remove it or add one JSON object per line")
        return
    seen_any = False
    with handle:
        n = 0
        while True:
            line = handle.readline(max_bytes + 1)
            if not line:
                break
            n += 1
            if len(line) > max_bytes and not line.endswith(b"\n"):
                _skip_rest_of_line(handle)
                yield InputProblem(
                    path=where,
                    line=n,
                    message=f"record is over the {max_bytes:,}-byte limit",
                    hint="split the article, or raise the limit with --max-bytes",
                )
                continue
            if n == 1 and b"\x00" in line:
                yield InputProblem(path=where, line=1, message="binary file, not JSON Lines", hint=_HINT)
                return
            if not line.strip():
                continue
            seen_any = True
            yield _read_record(line, where, n, published)
    if not seen_any:
        yield InputProblem(path=where, message="empty file", hint="remove it or add one JSON object per line")


def _skip_rest_of_line(handle) -> None:
    while True:
        chunk = handle.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return


def _read_record(line: bytes, where: str, n: int, published: date | None) -> Article | InputProblem:
    text, why = decode_bytes(line)
    if text is None:
        return InputProblem(path=where, line=n, message=f"line is not text: {why}", hint=_HINT)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return InputProblem(path=where, line=n, message=f"line is not valid JSON: {exc.msg.removesuffix(' at')} at column {exc.colno}", hint=_HINT)
    if not isinstance(record, dict):
        return InputProblem(path=where, line=n, message=f"line is a JSON {type(record).__name__}, not an object", hint=_HINT)
    body = next((record[k] for k in TEXT_FIELDS if isinstance(record.get(k), str) and record[k].strip()), None)
    if body is None:
        return InputProblem(path=where, line=n, message='record has no "text" (or "content"/"body") field with text in it', hint=_HINT)
    meta = _record_meta(record, where, n)
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    article = build_article(
        body,
        meta,
        published_default=published,
        source_path=f"{where}:{n}",
        detect_title=meta.title is None,
    )
    if article is None:
        return InputProblem(path=where, line=n, message="no article text found (only boilerplate)", hint=_HINT)
    return article


def _record_meta(record: dict, where: str, n: int) -> Meta:
    day = None
    raw_date = record.get("published", record.get("date"))
    if raw_date is not None:
        try:
            day = parse_published(raw_date)
        except ValueError:
            # A bad date costs the date, not the article: the text may carry a dateline.
            log.warning("%s:%d: published %r is not a date; ignored", where, n, raw_date)
    rid = record.get("id")
    return Meta(
        title=_str(record.get("title")),
        url=_str(record.get("url")),
        outlet=_str(record.get("outlet") or record.get("source")),
        published=day,
        published_source="metadata" if day else "none",
        language=_str(record.get("language")),
        external_id=str(rid) if rid is not None and rid != "" else None,
    )


def _str(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
