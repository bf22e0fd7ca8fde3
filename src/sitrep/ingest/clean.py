"""Cleaning scraped article text: boilerplate out, hard wraps re-joined, run-ons split.

``clean(raw)`` returns the headline (when the text starts with one), the cleaned body as
"\\n\\n"-separated paragraphs, an :class:`~sitrep.schema.OffsetMap` back to ``raw``, the
number of boilerplate lines dropped and a dateline date found in the text.

Characters are copied verbatim (curly quotes and dashes stay as they are) so every copied
character maps back to the same character in ``raw``; only whitespace is collapsed, and
the spaces/paragraph breaks we insert map to nothing. Boilerplate patterns live in
``kb/boilerplate.yaml`` as named tables (see :func:`load_boilerplate`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sitrep.errors import KnowledgeError
from sitrep.ingest.dateline import date_only_line, inline_dateline
from sitrep.schema import OffsetMap, OffsetSegment

# --------------------------------------------------------------------------- boilerplate tables

KB_DIR = Path(__file__).resolve().parents[1] / "kb"
DEFAULT_PATH = KB_DIR / "boilerplate.yaml"

TableKind = Literal["line", "suffix", "tail", "inline"]


class _TableSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: TableKind
    description: str = ""
    max_chars: int = Field(default=200, gt=0)
    patterns: list[str] = Field(min_length=1)


class _FileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    tables: dict[str, dict]


@dataclass(frozen=True)
class Table:
    name: str
    kind: TableKind
    max_chars: int
    regexes: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class BoilerplateRules:
    """Compiled tables. ``line_match`` / ``suffix_start`` answer per line; no state."""

    tables: tuple[Table, ...]

    def line_match(self, line: str) -> tuple[str, TableKind] | None:
        """(table name, kind) of the first line or tail table whose pattern matches the whole line."""
        for table in self.tables:
            if table.kind in ("suffix", "inline") or len(line) > table.max_chars:
                continue
            if any(rx.fullmatch(line) for rx in table.regexes):
                return table.name, table.kind
        return None

    def suffix_start(self, line: str) -> int | None:
        """Where a glued-on widget suffix starts in ``line`` (None when there is none)."""
        for table in self.tables:
            if table.kind != "suffix":
                continue
            for rx in table.regexes:
                m = rx.search(line)
                if m:
                    return m.start()
        return None

    def inline_spans(self, line: str) -> list[tuple[int, int]]:
        """Spans of ``line`` (sorted, not overlapping) that inline tables cut out mid-line."""
        spans: list[tuple[int, int]] = []
        for table in self.tables:
            if table.kind != "inline":
                continue
            for rx in table.regexes:
                for m in rx.finditer(line):
                    if m.end() - m.start() <= table.max_chars and m.end() > m.start():
                        spans.append(m.span())
        spans.sort()
        merged: list[tuple[int, int]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        return merged


def _compile(path: Path, name: str, spec: _TableSpec) -> Table:
    regexes = []
    for i, pattern in enumerate(spec.patterns):
        # Suffixes must sit at the end of the line after whitespace (or be the whole line);
        # inline patterns carry their own anchors.
        if spec.kind == "suffix":
            source = rf"(?:(?<=\s)|^)(?:{pattern})\s*$"
        else:
            source = rf"(?:{pattern})"
        try:
            regexes.append(re.compile(source, re.IGNORECASE))
        except re.error as exc:
            raise KnowledgeError(str(path), f"table {name!r}, pattern {i} {pattern!r}: invalid regex: {exc}") from exc
    return Table(name=name, kind=spec.kind, max_chars=spec.max_chars, regexes=tuple(regexes))


def parse_rules(data: object, path: Path) -> BoilerplateRules:
    """Validate already-loaded YAML data (separate from I/O so tests can feed bad data)."""
    try:
        spec = _FileSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise KnowledgeError(str(path), f"entry {loc}: {first['msg']}") from exc
    if not spec.tables:
        raise KnowledgeError(str(path), "no tables")
    tables = []
    for name, raw in spec.tables.items():
        try:
            table = _TableSpec.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise KnowledgeError(str(path), f"table {name!r}: {loc}: {first['msg']}") from exc
        tables.append(_compile(path, name, table))
    return BoilerplateRules(tables=tuple(tables))


@lru_cache(maxsize=4)
def load_boilerplate(path: Path = DEFAULT_PATH) -> BoilerplateRules:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(str(path), f"cannot read: {exc}") from exc
    return parse_rules(data, path)


# --------------------------------------------------------------------------- cleaning


@dataclass(frozen=True)
class Cleaned:
    title: str
    text: str
    offsets: OffsetMap
    removed_lines: int
    dateline: date | None
    #: raw position of the headline's first character (None when no headline was found)
    title_raw_start: int | None = None


# Zero-width spaces and stray BOMs vanish; whitespace runs become one space.
_TOKEN_RE = re.compile(r"(?P<space>\s+)|(?P<zero>[\u200b\ufeff]+)|[^\s\u200b\ufeff]+")
_STRIP = " \t\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000\ufeff"
# A sentence end glued to the next sentence: "overrun.In", 'said."The'. The letters before
# must be lowercase (or digits / a bracket) so "U.S.Army", "3.5" and initials never split.
_RUNON_RE = re.compile(r"(?:(?<=[a-z]{2})|(?<=\d{2})|(?<=[)\]]))[.!?]+[\"'”’)]*(?=[“‘]?[A-Z][a-z])")
_URLISH_RE = re.compile(r"://|www\.|@|\.(?:com|org|net|gov|int)\b", re.IGNORECASE)
_TERMINAL_RE = re.compile(r"[.!?…][\"'”’»)\]]*$")
_ABBREV_END_RE = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Brig|Capt|Sgt|Cpl|Adm|Sen|Rep|Gov|Pres|St|No"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|approx|est)\.|\b(?:[A-Z]\.){2,})$"
)
_FUNCTION_WORD_END_RE = re.compile(
    r"\b(?:the|a|an|of|in|on|at|to|for|and|or|but|by|with|from|as|that|which|who|its|their|his|her)$",
    re.IGNORECASE,
)
_SHORT_WIDGET_WORDS = 4
_SHORT_WIDGET_CHARS = 40
_TAIL_MIN_CONTENT = 150  # characters of article text needed before an end marker counts
_HEAD_LINES = 8  # date-only lines count as datelines among the first / last lines
_TAIL_LINES = 5

Status = Literal["blank", "keep", "removed", "title"]


@dataclass
class _Line:
    index: int
    start: int  # raw position of the first non-space character
    end: int  # raw position after the last kept character
    status: Status = "keep"
    reason: str | None = None
    #: raw ranges inside [start, end) cut out of the line (inline tag lists, related links)
    gaps: list[tuple[int, int]] = field(default_factory=list)

    def pieces(self) -> list[tuple[int, int]]:
        """Raw ranges of the line that are kept, in order."""
        out, pos = [], self.start
        for a, b in self.gaps:
            if a > pos:
                out.append((pos, a))
            pos = max(pos, b)
        if self.end > pos:
            out.append((pos, self.end))
        return out

    def text(self, raw: str) -> str:
        if not self.gaps:
            return raw[self.start : self.end]
        return " ".join(raw[a:b].strip() for a, b in self.pieces() if raw[a:b].strip())


@dataclass
class _Builder:
    """Accumulates cleaned text and the offset segments that map it back to raw."""

    raw: str
    parts: list[str] = field(default_factory=list)
    segments: list[OffsetSegment] = field(default_factory=list)
    length: int = 0

    def copy(self, start: int, end: int) -> None:
        if end <= start:
            return
        last = self.segments[-1] if self.segments else None
        if last and last.clean_start + last.length == self.length and last.raw_start + last.length == start:
            last.length += end - start  # contiguous in both texts: extend
        else:
            self.segments.append(OffsetSegment(clean_start=self.length, raw_start=start, length=end - start))
        self.parts.append(self.raw[start:end])
        self.length += end - start

    def insert(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def ends_with_space(self) -> bool:
        return bool(self.parts) and self.parts[-1][-1:] == " "

    def text(self) -> str:
        return "".join(self.parts)


def clean(
    raw: str,
    *,
    title_hint: str | None = None,
    detect_title: bool = True,
    rules: BoilerplateRules | None = None,
) -> Cleaned:
    """Clean one article's raw text.

    ``title_hint``: a title known from metadata; a first line repeating it is taken as the
    headline (and kept out of the body) even when ``detect_title`` is False.
    ``detect_title``: take a headline-looking first line as the title.
    """
    rules = rules or load_boilerplate()
    lines = _split_lines(raw)
    dateline = _classify(raw, lines, rules)
    title_line = _find_title(raw, lines, title_hint=title_hint, detect_title=detect_title)
    paragraphs = _paragraphs(raw, lines)
    paragraphs = _drop_short_widgets(raw, paragraphs)

    builder = _Builder(raw)
    for n, para in enumerate(paragraphs):
        if n:
            builder.insert("\n\n")
        _emit_paragraph(builder, raw, para)
    text = builder.text()

    if dateline is None:
        for para in paragraphs[:3]:
            dateline = inline_dateline(_plain(raw, para))
            if dateline:
                break

    title = " ".join(title_line.text(raw).split()) if title_line else ""
    removed = sum(1 for ln in lines if ln.status == "removed")
    return Cleaned(
        title=title,
        text=text,
        offsets=OffsetMap(segments=builder.segments),
        removed_lines=removed,
        dateline=dateline,
        title_raw_start=title_line.start if title_line else None,
    )


# --------------------------------------------------------------------------- steps


def _split_lines(raw: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for i, piece in enumerate(raw.split("\n")):
        stripped = piece.strip(_STRIP)
        if stripped:
            start = pos + piece.index(stripped)
            lines.append(_Line(i, start, start + len(stripped)))
        else:
            lines.append(_Line(i, pos, pos, status="blank"))
        pos += len(piece) + 1
    return lines


def _is_terminal(text: str) -> bool:
    return bool(_TERMINAL_RE.search(text)) and not _ABBREV_END_RE.search(text)


def _starts_lower(text: str) -> bool:
    return bool(text) and text[0].islower()


def _classify(raw: str, lines: list[_Line], rules: BoilerplateRules) -> date | None:
    """Mark boilerplate lines removed (in place); return a date-only dateline when seen."""
    dateline: date | None = None
    nonblank = [ln for ln in lines if ln.status != "blank"]
    head = {ln.index for ln in nonblank[:_HEAD_LINES]} | {ln.index for ln in nonblank[-_TAIL_LINES:]}
    first = nonblank[0].index if nonblank else -1
    wrapped = _looks_hard_wrapped(raw, nonblank)
    content_chars = 0
    prev: _Line | None = None  # previous non-blank line, when directly above
    for n, line in enumerate(lines):
        if line.status == "blank":
            prev = None
            continue
        text = line.text(raw)
        # A line continuing a sentence from the line above is never boilerplate: "by
        # rebels." is no byline and "March 3, 2016" no dateline in the middle of a sentence.
        # (In a hard-wrapped text a continuation may start uppercase; the first line may
        # be a headline, so a line right under a headline-like first line is checked as usual.)
        if (
            prev is not None
            and prev.status == "keep"
            and not _is_terminal(prev.text(raw))
            and (_starts_lower(text) or (wrapped and not (prev.index == first and _looks_like_headline(prev.text(raw)))))
        ):
            content_chars += len(text)
            prev = line
            continue
        cut = rules.suffix_start(text)
        while cut is not None:
            text = text[:cut].rstrip()
            line.end = line.start + len(text)
            line.reason = "glued_suffix"
            cut = rules.suffix_start(text) if text else None
        # Tag lists and related-links blocks glued inside a line (one-line scrapes) are cut
        # out mid-line; the line keeps its pieces around them.
        spans = rules.inline_spans(text) if text else []
        if spans:
            line.gaps = [(line.start + a, line.start + b) for a, b in spans]
            line.reason = "inline_block"
            text = line.text(raw)
        match = rules.line_match(text) if text else ("glued_suffix", "line")
        if match is not None:
            name, kind = match
            line.status, line.reason = "removed", name
            if kind == "tail" and content_chars >= _TAIL_MIN_CONTENT:
                for later in lines[n + 1 :]:
                    if later.status != "blank":
                        later.status, later.reason = "removed", name
                break
        else:
            found = date_only_line(text)
            if found is not None:
                line.status, line.reason = "removed", "dateline"
                if dateline is None and line.index in head:
                    dateline = found
            else:
                content_chars += len(text)
        prev = line
    return dateline


def _find_title(raw: str, lines: list[_Line], *, title_hint: str | None, detect_title: bool) -> _Line | None:
    kept = [ln for ln in lines if ln.status == "keep"]
    if len(kept) < 2:
        return None  # a lone line is the body, never a headline
    first, second = kept[0], kept[1]
    text = first.text(raw)
    is_title = False
    if title_hint and _norm(text) == _norm(title_hint):
        is_title = True
    elif detect_title and _looks_like_headline(text):
        adjacent = second.index == first.index + 1
        is_title = not (adjacent and _starts_lower(second.text(raw)))
    if is_title:
        first.status = "title"
        return first
    return None


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def _looks_like_headline(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 25 or len(text) > 250:
        return False
    if text[-1] in ".,;:" or _FUNCTION_WORD_END_RE.search(text):
        return False
    if _starts_lower(text) or inline_dateline(text):
        return False
    return True


def _paragraphs(raw: str, lines: list[_Line]) -> list[list[_Line]]:
    """Group kept lines into paragraphs, re-joining hard-wrapped lines."""
    kept = [ln for ln in lines if ln.status == "keep"]
    wrapped = _looks_hard_wrapped(raw, kept)
    paragraphs: list[list[_Line]] = []
    for line in kept:
        if paragraphs and _continues(raw, paragraphs[-1][-1], line, lines, wrapped):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return paragraphs


def _looks_hard_wrapped(raw: str, kept: list[_Line]) -> bool:
    """True when many adjacent lines break mid-sentence (a fixed-width wrapped text)."""
    pairs = [(a, b) for a, b in zip(kept, kept[1:], strict=False) if b.index == a.index + 1]
    open_ends = sum(1 for a, _ in pairs if not _is_terminal(a.text(raw)))
    return open_ends >= 2 and open_ends >= 0.25 * len(pairs)


def _continues(raw: str, prev: _Line, line: _Line, lines: list[_Line], wrapped: bool) -> bool:
    between = lines[prev.index + 1 : line.index]
    prev_text, text = prev.text(raw), line.text(raw)
    open_end = not _is_terminal(prev_text)
    if any(ln.status == "blank" for ln in between):
        return False  # a blank line always ends the paragraph
    if between:  # only removed lines between: join a sentence clearly running on
        return open_end and _starts_lower(text)
    if _starts_lower(text) and (open_end or wrapped):
        return True
    if open_end and wrapped:
        return True
    # One paragraph per line: only a trailing comma, dash or open bracket says the line goes on.
    return bool(re.search(r"[,\-–—(]$", prev_text))


def _drop_short_widgets(raw: str, paragraphs: list[list[_Line]]) -> list[list[_Line]]:
    """Drop one-line paragraphs that are a few words with no sentence end ("ARA News").

    Only beside real paragraphs: a short text on its own is the text, not a widget.
    """
    short = [
        len(para) == 1
        and len(text := _plain(raw, para)) <= _SHORT_WIDGET_CHARS
        and len(text.split()) <= _SHORT_WIDGET_WORDS
        and not _TERMINAL_RE.search(text)
        for para in paragraphs
    ]
    if all(short):
        return paragraphs
    kept = []
    for para, is_short in zip(paragraphs, short, strict=True):
        if is_short:
            para[0].status, para[0].reason = "removed", "short_widget"
        else:
            kept.append(para)
    return kept


def _plain(raw: str, para: list[_Line]) -> str:
    return " ".join(" ".join(ln.text(raw).split()) for ln in para)


def _emit_paragraph(builder: _Builder, raw: str, para: list[_Line]) -> None:
    for n, line in enumerate(para):
        if n:
            prev_text = para[n - 1].text(raw)
            # "pro-\nregime" -> "pro-regime": a word broken at a hyphen joins without space.
            if not (re.search(r"[^\W\d_]-$", prev_text) and line.text(raw)[:1].isalpha()):
                builder.insert(" ")
        for k, (a, b) in enumerate(line.pieces()):
            if k and not builder.ends_with_space():
                builder.insert(" ")
            _emit_line(builder, raw, a, b)


def _emit_line(builder: _Builder, raw: str, start: int, end: int) -> None:
    for m in _TOKEN_RE.finditer(raw, start, end):
        a, b = m.span()
        if m.group("zero"):
            continue
        if m.group("space"):
            if builder.ends_with_space():
                continue
            space = raw.find(" ", a, b)
            if space >= 0:
                builder.copy(space, space + 1)  # keep a real space so it still maps to raw
            else:
                builder.insert(" ")
            continue
        token = m.group()
        cuts = [] if _URLISH_RE.search(token) else [r.end() for r in _RUNON_RE.finditer(token)]
        pos = a
        for cut in cuts:
            builder.copy(pos, a + cut)
            builder.insert(" ")
            pos = a + cut
        builder.copy(pos, b)
