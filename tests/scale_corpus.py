"""A small hand-written news corpus for the engine, WARC and watch tests.

Written for these tests (not copied from any outlet or eval set): eight short wire-style
reports about Syria. Two pairs report the same event from different outlets, one pair on
either side of an ISO-week border (a Sunday 2017-03-05 report of the strike, and a Monday
2017-03-06 report that dates only the risen toll, to Monday), so partitioned fusion has
something to merge across partitions.
"""

from __future__ import annotations

import json
from pathlib import Path

ARTICLES: list[dict] = [
    {
        "id": "nw-1",
        "outlet": "Northern Wire",
        "published": "2017-03-05",
        "title": "Air strikes hit market in Idlib town",
        "url": "https://northernwire.example/2017/03/05/idlib-market",
        "text": "IDLIB, March 5 (Northern Wire) - Air strikes hit a crowded vegetable market in the town of "
        "Maarat al-Numan in Idlib province on Sunday, killing at least 12 civilians and wounding dozens, "
        "the Syrian Observatory for Human Rights said.\n\nRescue workers pulled bodies from the rubble of "
        "several shops for hours after the raid. The Observatory said the warplanes were Russian.",
    },
    {
        "id": "ls-1",
        "outlet": "Levant Star",
        "published": "2017-03-06",
        "title": "Death toll rises after Maarat al-Numan market raid",
        "url": "https://levantstar.example/news/maarat-market-toll",
        "text": "BEIRUT, March 6 (Levant Star) - The death toll from an air strike on a market in Maarat "
        "al-Numan in Idlib province rose to 16 civilians on Monday, the Syrian Observatory for Human Rights "
        "said.\n\nLocal medics said many of the wounded were taken to hospitals near the Turkish border.",
    },
    {
        "id": "nw-2",
        "outlet": "Northern Wire",
        "published": "2017-03-08",
        "title": "Rebels and army clash near Hama",
        "url": "https://northernwire.example/2017/03/08/hama-clashes",
        "text": "HAMA, March 8 (Northern Wire) - Syrian government forces clashed with rebels of Jaish al-Izza "
        "near the town of Souran in northern Hama countryside on Wednesday, and at least seven fighters "
        "were killed on both sides, a war monitor said.\n\nThe fighting lasted into the night.",
    },
    {
        "id": "ds-1",
        "outlet": "Desert Sentinel",
        "published": "2017-06-14",
        "title": "Car bomb kills five in Raqqa countryside",
        "url": "https://desertsentinel.example/raqqa-car-bomb",
        "text": "RAQQA, June 14 (Desert Sentinel) - A car bomb exploded at a checkpoint of the Syrian Democratic "
        "Forces in the town of Tabqa in Raqqa province on Wednesday, killing five fighters, the SDF said.\n\n"
        "No group claimed the bombing, but the SDF blamed Islamic State militants.",
    },
    {
        "id": "ls-2",
        "outlet": "Levant Star",
        "published": "2017-06-15",
        "title": "SDF says Islamic State car bomb hit Tabqa checkpoint",
        "url": "https://levantstar.example/news/tabqa-checkpoint",
        "text": "BEIRUT, June 15 (Levant Star) - A car bomb struck a checkpoint in Tabqa in Raqqa province on "
        "Wednesday, killing five members of the Syrian Democratic Forces, the SDF said on Thursday.",
    },
    {
        "id": "ds-2",
        "outlet": "Desert Sentinel",
        "published": "2017-09-20",
        "title": "Shelling kills three in Deir ez-Zor",
        "url": "https://desertsentinel.example/deir-shelling",
        "text": "DEIR EZ-ZOR, Sept 20 (Desert Sentinel) - Islamic State militants shelled the al-Joura "
        "district of Deir ez-Zor city on Tuesday, killing three civilians, state news agency SANA said.",
    },
    {
        "id": "cw-1",
        "outlet": "Coastal Wire",
        "published": "2018-02-10",
        "title": "Protesters rally in Sweida over prices",
        "url": "https://coastalwire.example/sweida-protest",
        "text": "SWEIDA, Feb 10 (Coastal Wire) - Hundreds of people protested peacefully in the city of Sweida "
        "on Saturday against rising prices and fuel shortages, residents said.\n\nNo arrests were reported.",
    },
    {
        "id": "cw-2",
        "outlet": "Coastal Wire",
        "published": "2018-02-20",
        "title": "Government shelling hits Douma",
        "url": "https://coastalwire.example/douma-shelling",
        "text": "DAMASCUS, Feb 20 (Coastal Wire) - Government forces shelled the town of Douma in Eastern "
        "Ghouta on Tuesday, killing at least 20 civilians, rescue workers said. The army said it targeted "
        "positions of Jaish al-Islam.",
    },
]


def write_jsonl(path: Path, records: list[dict] | None = None) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in (records or ARTICLES)), encoding="utf-8")
    return path


def html_page(record: dict, lang: str | None = "en") -> str:
    """A news page around the article: navigation and footer that extraction must drop."""
    paragraphs = "".join(f"<p>{p}</p>" for p in record["text"].split("\n\n"))
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<!DOCTYPE html><html{lang_attr}><head><meta charset=\"utf-8\"><title>{record['title']}</title>"
        f"<meta property=\"article:published_time\" content=\"{record['published']}T09:00:00Z\"></head><body>"
        "<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/sport\">Sport</a></nav>"
        f"<article><h1>{record['title']}</h1>{paragraphs}</article>"
        "<footer>Subscribe to our newsletter. All rights reserved.</footer></body></html>"
    )
