"""Measure extraction against the development splits in ../shared/eval (never used to build anything).

    .venv/bin/python benchmarks/eval_dev.py [--fakes N] [--ucdp N]

FA-KES (one labelled main event per article): share of articles with at least one event;
governorate agreement (any extracted event in the labelled governorate, and the article's
most frequent event governorate); date agreement (an event within ±1 day of the label).
UCDP GED headlines: share of headlines whose coded place resolves, governorate agreement
and distance to UCDP's coordinates for precise (where_prec 1-2) rows.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from collections import Counter
from datetime import date, datetime
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
FAKES_GOV = {
    "aleppo": "Aleppo", "damascus": "Damascus", "idlib": "Idleb", "deir ezzor": "Deir ez Zor", "raqqa": "Ar Raqqa",
    "homs": "Homs", "hasakeh": "Al Hasakeh", "hama": "Hama", "daraa": "Dar'a", "lattakia": "Lattakia",
    "quneitra": "Quneitra", "tartous": "Tartous", "damascus countryside": "Rural Damascus", "sweida": "As-Sweida",
}


def _km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def eval_fakes(n: int) -> dict:
    from sitrep.ingest import article_from_text
    from sitrep.pipeline import Pipeline

    csv.field_size_limit(10**8)
    rows = list(csv.DictReader((EVAL / "fakes_dev.csv").open(encoding="utf-8", errors="replace")))[:n]
    articles, golds = [], []
    for i, r in enumerate(rows):
        try:
            art = article_from_text(r["article_content"], title=r["article_title"], outlet=r["source"], external_id=f"fakes-{i}")
        except Exception:  # noqa: BLE001 - an empty article counts as a miss
            continue
        articles.append(art)
        golds.append(r)
    pipe = Pipeline()
    by_article = {a.id: [] for a in articles}
    for art, mentions in pipe.extract(articles):
        by_article[art.id] = pipe.fuse(mentions, [art])
    any_event = gov_any = gov_top = date_hit = dated = 0
    for art, gold in zip(articles, golds):
        events = by_article[art.id]
        gov = FAKES_GOV.get(gold["location"].strip().lower())
        gold_date = datetime.strptime(gold["date"], "%m/%d/%y").date() if gold["date"] else None
        if events:
            any_event += 1
        admin1s = [e.admin1 for e in events if e.admin1]
        if gov and gov in admin1s:
            gov_any += 1
        if gov and admin1s and Counter(admin1s).most_common(1)[0][0] == gov:
            gov_top += 1
        if gold_date and art.published:
            dated += 1
            if any(e.event_date and abs((e.event_date - gold_date).days) <= 1 for e in events):
                date_hit += 1
    total = len(articles)
    return {
        "articles": total,
        "with_event": round(any_event / total, 3),
        "admin1_any": round(gov_any / total, 3),
        "admin1_top": round(gov_top / total, 3),
        "date_within_1d_of_dated": round(date_hit / max(dated, 1), 3),
        "dated_articles": dated,
    }


def eval_ucdp(n: int) -> dict:
    from sitrep.resolve.places import default_resolver

    resolver = default_resolver()
    rows = [json.loads(line) for line in (EVAL / "ucdp_ged_syria_dev.jsonl").open(encoding="utf-8")]
    rows = [r for r in rows if r.get("where_prec") in (1, 2)][:n]
    resolved = gov_ok = within10 = 0
    for r in rows:
        name = r["where_coordinates"].rsplit(" ", 1)[0] if r["where_coordinates"].split()[-1] in ("village", "town", "city", "district", "area") else r["where_coordinates"]
        ref = resolver.resolve(name)
        if ref is None or ref.latitude is None:
            continue
        resolved += 1
        gold_gov = r["adm_1"].replace(" Governorate", "").replace(" governorate", "")
        if ref.admin1 and (ref.admin1.lower()[:4] == gold_gov.lower()[:4] or ref.admin1.replace("'", "").lower() == gold_gov.lower()):
            gov_ok += 1
        if _km((ref.latitude, ref.longitude), (r["latitude"], r["longitude"])) <= 10:
            within10 += 1
    total = len(rows)
    return {"rows": total, "resolved": round(resolved / total, 3), "admin1_agree_of_all": round(gov_ok / total, 3), "within_10km_of_all": round(within10 / total, 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fakes", type=int, default=535)
    ap.add_argument("--ucdp", type=int, default=2000)
    args = ap.parse_args()
    if not EVAL.is_dir():
        raise SystemExit(f"{EVAL} is not present")
    print("FA-KES dev:", json.dumps(eval_fakes(args.fakes)))
    print("UCDP GED dev place names (where_prec 1-2):", json.dumps(eval_ucdp(args.ucdp)))


if __name__ == "__main__":
    main()
