"""Datelines and publication dates written inside article text.

Used only when metadata gives no publication date. Recognised forms:

* a line that is only a date, maybe after an outlet or a label:
  ``Xinhua, September 3, 2015``, ``Wed 05 Apr 2017``, ``Published: 12/03/2016``;
* a wire dateline opening a paragraph: ``Damascus, Nov. 12, 2014 (Xinhua) --``,
  ``BEIRUT, March 3, 2016 (Reuters) -``.

A date without a year (``BEIRUT, March 3 (Reuters) -``) gives nothing: guessing the year
would put events in the wrong year. Place-only datelines (``Aleppo – ...``) give nothing.
Relative expressions ("yesterday") are never parsed here: there is nothing to anchor them to.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\.?,?"
_DAY = r"(?:[012]?\d|3[01])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*(?:gmt|utc|[a-z]{2,4}t|[+-]\d{2}:?\d{2}))?)"

#: A date with a year, written out or numeric.
DATE_WITH_YEAR = (
    rf"(?:{_WEEKDAY}\s*)?(?:"
    rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"  # September 3, 2015
    rf"|{_DAY}\s+{_MONTH},?\s+{_YEAR}"  # 05 Apr 2017
    rf"|\d{{1,2}}[/.-]\d{{1,2}}[/.-]{_YEAR}"  # 12/03/2016
    rf"|{_YEAR}-\d{{2}}-\d{{2}}"  # 2016-03-12
    rf"){_TIME}?"
)
_DATE_NO_YEAR = rf"(?:{_MONTH}\s+{_DAY}|{_DAY}\s+{_MONTH})"

_LABEL = r"(?:(?:first\s+)?(?:published|posted|updated|last updated|date)(?:\s+on)?\s*:?\s*)"
# An outlet or place name before the date: one to five capitalised-ish words.
_PREFIX = r"(?:[A-Z][\w&.'’-]*(?:\s+[\w&.'’-]+){0,4}\s*[,:|–—-]\s*)"

_DATE_ONLY_RE = re.compile(
    rf"\s*(?:{_LABEL}|{_PREFIX})?(?P<date>{DATE_WITH_YEAR})\s*(?:\|.*)?",
    re.IGNORECASE,
)
# "Damascus, Nov. 12, 2014 (Xinhua) --" / "BEIRUT, March 3 (Reuters) -" / "ALEPPO, Syria, 3 May 2016:"
_INLINE_RE = re.compile(
    rf"\s*(?P<place>[A-Z][\w'’.-]*(?:[ ,]+[A-Z][\w'’.-]*){{0,3}}),\s*"
    rf"(?P<date>{DATE_WITH_YEAR}|{_DATE_NO_YEAR})\s*(?:\([^()]{{1,40}}\)\s*)?(?:--|[-–—:])",
    re.IGNORECASE,
)

_EARLIEST = date(1990, 1, 1)


@lru_cache(maxsize=4096)
def parse_date_text(text: str) -> date | None:
    """An absolute calendar date with day, month and year, or None.

    dateparser does the parsing; relative dates are switched off (only absolute parsers run)
    and all three parts are required, so "March 2016" or "yesterday" give None.
    """
    import dateparser  # imported lazily: it takes a moment and most inputs carry metadata

    cleaned = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", text.strip(), flags=re.IGNORECASE)
    cleaned = re.sub(r"\bsept\b", "sep", cleaned, flags=re.IGNORECASE)
    parsed = dateparser.parse(
        cleaned,
        languages=["en"],
        settings={
            "PARSERS": ["absolute-time"],
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PREFER_DATES_FROM": "past",
        },
    )
    if parsed is None:
        return None
    day = parsed.date()
    if day < _EARLIEST or day.year > date.today().year + 1:
        return None
    return day


def date_only_line(line: str) -> date | None:
    """The date when the whole line is a dateline (outlet/label + date [+ time]), else None."""
    if len(line) > 100:
        return None
    m = _DATE_ONLY_RE.fullmatch(line)
    if not m:
        return None
    return parse_date_text(_strip_time(m.group("date")))


def inline_dateline(paragraph: str) -> date | None:
    """The date of a wire dateline opening the paragraph, when it has a year."""
    m = _INLINE_RE.match(paragraph[:120])
    if not m:
        return None
    if not re.search(_YEAR, m.group("date")):
        return None  # "BEIRUT, March 3 (Reuters) -": no year, no date
    return parse_date_text(_strip_time(m.group("date")))


def find_dateline(lines: list[str], *, head: int = 6, tail: int = 4) -> date | None:
    """The first dateline among the first ``head`` and last ``tail`` non-empty lines.

    Date-only lines count anywhere in that window; wire datelines only in the head, where
    they open the story.
    """
    nonblank = [ln.strip() for ln in lines if ln.strip()]
    for ln in nonblank[:head]:
        found = date_only_line(ln) or inline_dateline(ln)
        if found:
            return found
    for ln in nonblank[-tail:] if len(nonblank) > head else []:
        found = date_only_line(ln)
        if found:
            return found
    return None


def _strip_time(text: str) -> str:
    return re.sub(_TIME + r"\s*$", "", text, flags=re.IGNORECASE).strip() or text
