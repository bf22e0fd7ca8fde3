"""A generated wire-report corpus for the concurrency, fault and benchmark ingests.

Written for these tests (not copied from any outlet or eval set): a handful of report
templates filled with different towns, dates, tolls and outlets, so every article is distinct
and most yield events, some of which fuse across articles (same town, same day).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

_PLACES = [
    ("Saraqeb", "Idlib"),
    ("Maarat al-Numan", "Idlib"),
    ("Jisr al-Shughur", "Idlib"),
    ("Douma", "Rif Dimashq"),
    ("Harasta", "Rif Dimashq"),
    ("Tabqa", "Raqqa"),
    ("al-Bab", "Aleppo"),
    ("Mayadin", "Deir ez-Zor"),
    ("Daraa al-Balad", "Daraa"),
    ("Latamneh", "Hama"),
]
_OUTLETS = ["Northern Wire", "Levant Star", "Desert Sentinel", "Orontes Daily"]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_NUMBERS = ["three", "four", "five", "six", "seven", "eight", "nine", "eleven", "twelve", "fifteen"]

_TEMPLATES = [
    (
        "Air strikes hit {town} market",
        "{town_upper}, {month_day} ({outlet}) - Air strikes hit a crowded market in the town of {town} in "
        "{gov} province on {weekday}, killing at least {n} civilians and wounding dozens, the Syrian "
        "Observatory for Human Rights said.\n\nRescue workers searched the rubble of several shops for hours "
        "after the raid.",
    ),
    (
        "Government forces and rebels clash near {town}",
        "{town_upper}, {month_day} ({outlet}) - Syrian government forces clashed with rebel fighters near "
        "{town} in {gov} province on {weekday}, and {n} fighters were killed on both sides, a war monitor "
        "said.\n\nThe fighting continued into the night, residents said.",
    ),
    (
        "Car bomb explodes at checkpoint in {town}",
        "{town_upper}, {month_day} ({outlet}) - A car bomb exploded at a checkpoint in {town} in {gov} "
        "province on {weekday}, killing {n} people, local officials said.\n\nNo group immediately claimed "
        "responsibility for the bombing.",
    ),
    (
        "Shelling kills civilians in {town}",
        "{town_upper}, {month_day} ({outlet}) - Artillery shelling killed {n} civilians, including two "
        "children, in {town} in {gov} province on {weekday}, according to the Syrian Observatory for Human "
        "Rights.\n\nSeveral houses were destroyed, witnesses said.",
    ),
    (
        "Residents protest in {town}",
        "{town_upper}, {month_day} ({outlet}) - Hundreds of residents protested in the main square of {town} "
        "in {gov} province on {weekday}, demanding the release of detainees, local activists said.\n\n"
        "The protest ended peacefully in the evening.",
    ),
]


def corpus(count: int, *, start: int = 0) -> list[dict]:
    """Articles ``start`` .. ``start+count-1`` of the generated corpus (stable for a given index)."""
    rows = []
    for i in range(start, start + count):
        town, gov = _PLACES[i % len(_PLACES)]
        title, body = _TEMPLATES[(i // len(_PLACES)) % len(_TEMPLATES)]
        day = date(2017, 3, 1) + timedelta(days=i // 2)  # pairs of articles on the same day
        published = day + timedelta(days=1)
        outlet = _OUTLETS[i % len(_OUTLETS)]
        fields = {
            "town": town,
            "town_upper": town.upper(),
            "gov": gov,
            "weekday": _WEEKDAYS[day.weekday()],
            "month_day": published.strftime("%B %-d"),
            "outlet": outlet,
            "n": _NUMBERS[(i * 7) % len(_NUMBERS)],
        }
        rows.append(
            {
                "id": f"gen-{i:04d}",
                "title": title.format(**fields),
                "text": body.format(**fields),
                "published": published.isoformat(),
                "outlet": outlet,
                "url": f"https://{outlet.lower().replace(' ', '')}.example/{published.isoformat()}/{i}",
            }
        )
    return rows


def write_corpus(path: Path, count: int, *, start: int = 0) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in corpus(count, start=start)), encoding="utf-8")
    return path
