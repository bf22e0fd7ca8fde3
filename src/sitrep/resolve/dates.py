"""Time expressions in one sentence, anchored to the publication date.

A regex front end finds the expression and its span ("on Wednesday", "last November",
"the March 2013 loss of Raqqa"); the date arithmetic is ours, because a free-text date
parser guesses on news prose ("May" the verb, "March" the walk, bare numbers).
``dateparser`` is used only as a fallback to read an explicit date we isolated.

Each expression resolves to a period ``[start, end]`` and a precision as ACLED defines
it (1 day, 2 week or weekend, 3 month; 4 year is ours, for vague history). The coded
``date`` is the period's middle day, so "on Saturday and Sunday" and "over the weekend"
give the Saturday with precision 2, "last week" the Thursday of that week, "in March"
the middle of March (never later than publication). ``is_past_background`` marks
history: a period that ended more than :data:`BACKGROUND_DAYS` before publication, or
the start of a span ("since January", "since 2011").

Choices (documented because a reader could make others):

* a bare or "on" weekday is the most recent such day on or before publication
  ("on Wednesday" in a Wednesday paper is that day); "last Sunday" is strictly before;
* a month without a year is the most recent such month not after the publication month
  ("in March" published in 2015-03 or later in 2015 is March 2015; published in
  February 2015 it is March 2014); "last November" is the most recent November strictly
  before the publication month;
* an expression that needs the publication date and has none gives nothing: we never
  guess a date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from sitrep.schema import TimePrecision

#: A period that ended more than this many days before publication is background history.
BACKGROUND_DAYS = 60

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}
_NUM_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "few": 3, "several": 3, "couple of": 2,
}  # fmt: skip


class TimeRef(BaseModel):
    """A resolved time expression of one sentence."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date
    precision: TimePrecision
    text: str
    span: tuple[int, int]  # [start, end) in the sentence
    is_past_background: bool = False
    start: dt.date | None = None  # the period the expression names
    end: dt.date | None = None


# --------------------------------------------------------------------------- calendar


def _weekday_index(name: str) -> int:
    key = name.strip().lower().removesuffix("'s").removesuffix("’s")
    for i, w in enumerate(WEEKDAYS):
        if key == w or (len(key) >= 3 and w.startswith(key)):
            return i
    raise ValueError(f"not a weekday: {name!r}")


def weekday_before(published: dt.date, weekday_name: str, *, strictly: bool = False) -> dt.date:
    """The most recent ``weekday_name`` on or before ``published`` (strictly before if asked)."""
    back = (published.weekday() - _weekday_index(weekday_name)) % 7
    if back == 0 and strictly:
        back = 7
    return published - dt.timedelta(days=back)


def _weekday_after(published: dt.date, weekday_name: str) -> dt.date:
    ahead = (_weekday_index(weekday_name) - published.weekday()) % 7 or 7
    return published + dt.timedelta(days=ahead)


def _month_number(name: str) -> int:
    key = name.strip().lower().rstrip(".")
    if key in MONTHS:
        return MONTHS.index(key) + 1
    return _MONTH_ABBR[key[:4] if key.startswith("sept") else key[:3]]


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _month_year(month: int, published: dt.date, *, strictly_before: bool = False) -> int:
    """The year of the most recent ``month`` not after the publication month."""
    if month < published.month or (month == published.month and not strictly_before):
        return published.year
    return published.year - 1


def _add_months(d: dt.date, n: int) -> tuple[int, int]:
    k = d.year * 12 + (d.month - 1) + n
    return k // 12, k % 12 + 1


# --------------------------------------------------------------------------- patterns

_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_MON_NO_MAY = _MON.replace("|May", "")
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])"
_NUM = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|several|couple\s+of)"


@dataclass(frozen=True)
class _Period:
    start: dt.date
    end: dt.date
    precision: TimePrecision
    background: bool = False  # forced ("since January")
    point: dt.date | None = None  # coded date when not the middle


_Handler = Callable[[re.Match[str], dt.date | None], _Period | None]


def _day(d: dt.date) -> _Period:
    return _Period(d, d, TimePrecision.DAY)


def _iso(m: re.Match[str], pub: dt.date | None) -> _Period | None:
    try:
        return _day(dt.date(int(m["y"]), int(m["m"]), int(m["d"])))
    except ValueError:
        return None


def _explicit(m: re.Match[str], pub: dt.date | None) -> _Period | None:
    month, day = _month_number(m["mon"]), int(m["d"])
    if m["y"]:
        year = int(m["y"])
    elif pub is not None:
        year = pub.year if (month, day) <= (pub.month, pub.day) else pub.year - 1
    else:
        return None
    try:
        return _day(dt.date(year, month, day))
    except ValueError:
        return _dateparser_fallback(m.group(), pub)


def _dateparser_fallback(text: str, pub: dt.date | None) -> _Period | None:
    """Let dateparser read an explicit date our patterns isolated but could not build."""
    try:
        import dateparser  # imported late: slow to load and rarely needed
    except ImportError:  # pragma: no cover - dateparser is a dependency
        return None
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    if pub is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(pub, dt.time())
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return _day(parsed.date()) if parsed else None


def _weekday_range(m: re.Match[str], pub: dt.date | None) -> _Period | None:
    if pub is None:
        return None
    last = weekday_before(pub, m["b"])
    first = weekday_before(last, m["a"])
    return _Period(first, last, TimePrecision.WEEK)


def _weekend(m: re.Match[str], pub: dt.date | None) -> _Period | None:
    if pub is None:
        return None
    strictly = bool(m["last"])
    if pub.weekday() == 5 and not strictly:
        return _Period(pub, pub, TimePrecision.WEEK)
    sunday = weekday_before(pub, "sunday", strictly=strictly and pub.weekday() == 6)
    return _Period(sunday - dt.timedelta(days=1), sunday, TimePrecision.WEEK)


_PART = {"early": (1, 10), "beginning": (1, 10), "start": (1, 10), "mid": (11, 20), "middle": (11, 20), "late": (21, 31), "end": (21, 31)}


def _part_of_month(m: re.Match[str], pub: dt.date | None) -> _Period | None:
    whole = _month(m, pub)
    if whole is None:
        return None
    part = next(k for k in _PART if k in m["part"].lower())
    a, b = _PART[part]
    end = min(whole.end, whole.start.replace(day=min(b, whole.end.day)))
    return _Period(whole.start.replace(day=a), end, TimePrecision.MONTH, whole.background)


def _month(m: re.Match[str], pub: dt.date | None) -> _Period | None:
    month = _month_number(m["mon"])
    rel = (m.groupdict().get("rel") or "").lower()
    if m.groupdict().get("y"):
        year = int(m["y"])
    elif pub is None:
        return None
    elif rel == "next":
        year = pub.year if month > pub.month else pub.year + 1
    else:
        year = _month_year(month, pub, strictly_before=rel in ("last", "past"))
    prep = (m.groupdict().get("prep") or "").lower()
    return _Period(dt.date(year, month, 1), _month_end(year, month), TimePrecision.MONTH, background=prep == "since")


def _relative_day(m: re.Match[str], pub: dt.date | None) -> _Period | None:
    if pub is None:
        return None
    w = re.sub(r"\s+", " ", m.group().lower())
    if "day before yesterday" in w:
        return _day(pub - dt.timedelta(days=2))
    if "yesterday" in w or "last night" in w or "overnight" in w:
        return _day(pub - dt.timedelta(days=1))
    return _day(pub)


def _weekday(m: re.Match[str], pub: dt.date | None) -> _Period | None:
    if pub is None:
        return None
    rel = (m["rel"] or "").lower()
    if m["poss"] == "s" and rel:
        return None  # "on Saturdays": every Saturday; a bare "Saturdays blast" lost its apostrophe
    if rel == "next":
        return _day(_weekday_after(pub, m["wd"]))
    return _day(weekday_before(pub, m["wd"], strictly=rel in ("last", "past")))


def _relative_period(m: re.Match[str], pub: dt.date | None) -> _Period | None:
    if pub is None:
        return None
    which, unit = m["which"].lower(), m["unit"].lower()
    earlier = bool(m["earlier"])
    if unit == "week":
        monday = pub - dt.timedelta(days=pub.weekday())
        if which in ("last", "past", "previous") and not m["the_past"]:
            return _Period(monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), TimePrecision.WEEK)
        if which in ("last", "past", "previous"):  # "the past week": the seven days before publication
            return _Period(pub - dt.timedelta(days=7), pub - dt.timedelta(days=1), TimePrecision.WEEK)
        return _Period(monday, max(monday, pub - dt.timedelta(days=1)) if earlier else pub, TimePrecision.WEEK)
    if unit == "month":
        if which in ("last", "past", "previous") and not m["the_past"]:
            y, mo = _add_months(pub, -1)
            return _Period(dt.date(y, mo, 1), _month_end(y, mo), TimePrecision.MONTH)
        if which in ("last", "past", "previous"):
            return _Period(pub - dt.timedelta(days=30), pub - dt.timedelta(days=1), TimePrecision.MONTH)
        return _Period(pub.replace(day=1), pub, TimePrecision.MONTH)
    # year
    if which in ("last", "past", "previous") and not m["the_past"]:
        return _Period(dt.date(pub.year - 1, 1, 1), dt.date(pub.year - 1, 12, 31), TimePrecision.YEAR)
    if which in ("last", "past", "previous"):
        return _Period(pub - dt.timedelta(days=365), pub - dt.timedelta(days=1), TimePrecision.YEAR)
    return _Period(dt.date(pub.year, 1, 1), pub, TimePrecision.YEAR)


def _recent(m: re.Match[str], pub: dt.date | None) -> _Period | None:
    if pub is None:
        return None
    unit = m["unit"].lower()
    if "hour" in unit:
        return _day(pub)
    if unit.startswith("day"):
        return _Period(pub - dt.timedelta(days=7), pub - dt.timedelta(days=1), TimePrecision.WEEK)
    return _Period(pub - dt.timedelta(days=30), pub - dt.timedelta(days=1), TimePrecision.MONTH)


def _ago(m: re.Match[str], pub: dt.date | None) -> _Period | None:
    if pub is None:
        return None
    raw = re.sub(r"\s+", " ", m["n"].lower())
    n = int(raw) if raw.isdigit() else _NUM_WORDS.get(raw, 1)
    unit = m["unit"].lower()
    if unit.startswith("day"):
        return _day(pub - dt.timedelta(days=n))
    if unit.startswith("week"):
        d = pub - dt.timedelta(weeks=n)
        return _Period(d - dt.timedelta(days=3), d + dt.timedelta(days=3), TimePrecision.WEEK)
    if unit.startswith("month"):
        y, mo = _add_months(pub, -n)
        return _Period(dt.date(y, mo, 1), _month_end(y, mo), TimePrecision.MONTH)
    y = pub.year - n
    return _Period(dt.date(y, 1, 1), dt.date(y, 12, 31), TimePrecision.YEAR)


#: A bare four-digit number that counts something: "more than 2000 people", "some 1500 fighters"
#: (scraped text often loses the thousands comma)
_QUANTITY_BEFORE = re.compile(r"\b(?:more|fewer|less|over|about|nearly|almost|around|some|least|up to|than|roughly|approximately|estimated|total of)\s+$", re.I)
_COUNTED_AFTER = re.compile(r"\s+(?:[a-z]+\s+)?(?:people|persons|civilians|residents|fighters|militants|soldiers|troops|rebels|families|children|refugees|evacuees|members|bodies|casualties|deaths|dead|killed|wounded|injured|displaced|homes|buildings|prisoners|detainees|airstrikes|air strikes|raids|strikes|barrel bombs|shells|rockets|missiles|tonnes|tons|km|kilometres|kilometers|metres|meters|dollars|\$)\b", re.I)


def _year(m: re.Match[str], pub: dt.date | None) -> _Period | None:
    year = int(m["y"])
    if pub is not None and year > pub.year + 1:
        return None
    prep = (m["prep"] or "").lower()
    counted = _COUNTED_AFTER.match(m.string, m.end("y"))
    if (not prep and (_QUANTITY_BEFORE.search(m.string, 0, m.start("y")) or counted)) or (prep == "of" and counted):
        return None
    return _Period(dt.date(year, 1, 1), dt.date(year, 12, 31), TimePrecision.YEAR, background=prep == "since")


_I = re.IGNORECASE
#: (name, pattern, handler), most specific first; a later match overlapping an earlier one is dropped.
_RULES: tuple[tuple[str, re.Pattern[str], _Handler], ...] = (
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\b"), _iso),
    (
        "day_month",
        re.compile(rf"(?:\b{_WD},?\s+)?(?:the\s+)?\b(?P<d>{_DAYNUM})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})(?:,?\s+(?P<y>{_YEAR}))?\b"),
        _explicit,
    ),
    (
        "month_day",
        re.compile(rf"(?:\b{_WD},?\s+)?\b(?P<mon>{_MON})\s+(?P<d>{_DAYNUM})(?:st|nd|rd|th)?\b(?!,\d)(?:,?\s+(?P<y>{_YEAR})\b)?"),
        _explicit,
    ),
    (
        "weekday_range",
        re.compile(rf"\b(?:(?:on|between|from|over)\s+)?(?P<a>{_WD})\s*(?:and|to|-|–|through|until|till|or)\s*(?P<b>{_WD})\b"),
        _weekday_range,
    ),
    ("weekend", re.compile(r"\b(?:(?:over|at|during|on)\s+the|this(?:\s+past)?|(?P<last>last)|the)\s+weekend\b", _I), _weekend),
    (
        "part_of_month",
        re.compile(
            rf"\b(?:(?P<prep>in|since|during|by|until|from)\s+)?(?P<part>early|mid|late|the\s+(?:end|beginning|start|middle)\s+of)[\s-]+(?P<mon>{_MON})\b(?:,?\s+(?P<y>{_YEAR})\b)?"
        ),
        _part_of_month,
    ),
    ("rel_month", re.compile(rf"\b(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Pp]ast)\s+(?P<mon>{_MON})\b"), _month),
    ("month_year", re.compile(rf"\b(?:(?P<prep>in|since|during|by|until|from|of)\s+)?(?P<mon>{_MON}),?\s+(?P<y>{_YEAR})\b"), _month),
    ("prep_month", re.compile(rf"\b(?P<prep>in|since|during|by|until|from|through|throughout)\s+(?P<mon>{_MON})\b"), _month),
    (
        "relative_day",
        re.compile(
            r"\b(?:the\s+day\s+before\s+yesterday|yesterday|today|tonight|last\s+night|overnight"
            r"|(?:earlier|later)\s+today|this\s+(?:morning|afternoon|evening))\b",
            _I,
        ),
        _relative_day,
    ),
    (
        "weekday",
        re.compile(rf"\b(?:(?P<rel>[Ll]ast|[Pp]ast|[Nn]ext|[Tt]his|[Oo]n|[Ee]arly|[Ll]ate)\s+)?(?P<wd>{_WD})(?P<poss>['’]s|s(?=\s+[a-z]))?\b"),
        _weekday,
    ),
    (
        "relative_period",
        re.compile(
            r"\b(?P<earlier>(?:earlier|later|late|early)\s+)?(?P<the_past>the\s+)?(?P<which>this|last|past|previous|next)\s+(?P<unit>week|month|year)\b",
            _I,
        ),
        _relative_period,
    ),
    (
        "recent",
        re.compile(
            r"\b(?:in|over|during|within)\s+(?:recent|the\s+(?:past|last)(?:\s+(?:few|couple\s+of|several|two|three|\d+))?)\s+(?P<unit>days|weeks|24\s+hours|hours)\b",
            _I,
        ),
        _recent,
    ),
    ("ago", re.compile(rf"\b(?P<n>{_NUM})\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b", _I), _ago),
    ("bare_month", re.compile(rf"\b(?P<mon>{_MON_NO_MAY})\b(?!\.\w)"), _month),
    ("year", re.compile(rf"(?:\b(?P<prep>in|since|during|by|until|from|of|throughout)\s+)?(?<![\d,.$-])\b(?P<y>{_YEAR})\b(?![\d,]|-\d)", _I), _year),
)


# --------------------------------------------------------------------------- public


def _background(p: _Period, pub: dt.date | None) -> bool:
    if p.background:
        return True
    ref = pub
    return ref is not None and p.end < ref - dt.timedelta(days=BACKGROUND_DAYS)


def _coded_date(p: _Period, pub: dt.date | None) -> dt.date:
    if p.point is not None:
        return p.point
    if p.background and p.precision != TimePrecision.DAY:
        return p.start  # "since January": the span's start
    end = p.end
    if pub is not None and p.start <= pub < end:
        end = pub  # the part of the period that had happened by publication
    return p.start + (end - p.start) // 2


#: What each rule cannot match without (a month name, a weekday, a year, a key word): one
#: quick search for it stands in for the rule in the many sentences that lack it.
_MON_RX = re.compile(_MON)
_WD_RX = re.compile(_WD)
_YEARISH_RX = re.compile(r"(?:19|20)\d\d")
_NEEDS: dict[str, re.Pattern[str]] = {
    **dict.fromkeys(("day_month", "month_day", "part_of_month", "rel_month", "month_year", "prep_month", "bare_month"), _MON_RX),
    **dict.fromkeys(("weekday_range", "weekday"), _WD_RX),
    **dict.fromkeys(("iso", "year"), _YEARISH_RX),
    "weekend": re.compile("weekend", _I),
    "relative_day": re.compile("yesterday|today|night|morning|afternoon|evening", _I),
    "relative_period": re.compile("week|month|year", _I),
    "recent": re.compile("days|weeks|hours", _I),
    "ago": re.compile("ago", _I),
}


def find_times(sentence: str, published: dt.date | None) -> list[TimeRef]:
    """Every datable time expression in the sentence, in text order."""
    taken: list[tuple[int, int]] = []
    out: list[TimeRef] = []
    present: dict[re.Pattern[str], bool] = {}
    for name, rx, handler in _RULES:
        need = _NEEDS.get(name)
        if need is not None:
            if need not in present:
                present[need] = need.search(sentence) is not None
            if not present[need]:
                continue
        for m in rx.finditer(sentence):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            period = handler(m, published)
            if period is None:
                continue
            taken.append((s, e))
            out.append(
                TimeRef(
                    date=_coded_date(period, published),
                    precision=period.precision,
                    text=m.group().strip(),
                    span=(s, e),
                    is_past_background=_background(period, published),
                    start=period.start,
                    end=period.end,
                )
            )
    return sorted(out, key=lambda t: t.span)


def resolve_time(sentence: str, published: dt.date | None) -> TimeRef | None:
    """The sentence's time of event: news before history, then the finest precision, then the first.

    Among equally precise times, a possessive one ("Sunday's air strike") is the event's
    own and wins; the publication date opening the text (a dateline) and a time that dates
    the report ("the Observatory said on Monday") lose.
    "On Wednesday, jets struck the town the rebels took in March 2013" gives Wednesday;
    a sentence whose only time is background ("since January") gives that, flagged.
    None when the sentence has no time expression that can be dated.
    """
    times = find_times(sentence, published)
    if not times:
        return None
    return min(
        times,
        key=lambda t: (
            t.is_past_background,
            t.precision,
            not _possessive(sentence, t),
            _dateline(sentence, t, published),
            _of_report(sentence, t),
            t.span[0],
        ),
    )


def _dateline(sentence: str, t: TimeRef, published: dt.date | None) -> bool:
    """'Wed 05 Apr 2017 Air strikes hit the town on Tuesday': the date that opens the text is the report's."""
    return published is not None and t.date == published and bool(_DATELINE_LEAD.fullmatch(sentence[: t.span[0]]))


#: What may precede a dateline's date: nothing, or a weekday ("Wed", "Wednesday,")
_DATELINE_LEAD = re.compile(r"\s*(?:[A-Z][a-z]{2,8}\.?,?\s+)?")


_POSSESSIVE = re.compile(r"^['’]s?\b")
#: "said on Monday", "reported Tuesday", "told AFP on Sunday": the time of the report, not of the event
_REPORT_BEFORE = re.compile(
    r"\b(?:said|says|reported|reports|announced|added|told\s+\S+|stated|confirmed|claimed|declared|quoted\s+as\s+saying)\s*(?:on\s+)?$",
    re.I,
)


def _possessive(sentence: str, t: TimeRef) -> bool:
    """'Sunday's air strike', 'yesterday's attack': the time is the event's own."""
    text = t.text.lower()
    # "Saturdays blast": scraped text that lost the apostrophe
    return bool(_POSSESSIVE.match(sentence[t.span[1] :])) or text.endswith(("'s", "’s")) or (text.endswith("days") and not text.startswith("on "))


def _of_report(sentence: str, t: TimeRef) -> bool:
    """The time follows a reporting verb: when it was said, which is later than what was said."""
    return bool(_REPORT_BEFORE.search(sentence[: t.span[0]]))
