"""Actor accuracy against the development splits in ../shared/eval (measure only, never build from them).

    .venv/bin/python benchmarks/actor_categories.py [--fakes N] [--ucdp N]

FA-KES: each article is labelled with the category of its main event's perpetrator
('syrian government or russian troops', 'isis', 'armed opposition groups', ...). We take
the article's main event (most fatalities, then most mentions, then first) and map its
actor1 to that category through the actor knowledge base (side and id); no event or no
actor1 counts as 'unknown'. Reported: accuracy over all articles, over articles whose
label is not 'unknown', and a confusion count.

UCDP GED: each headline (deduplicated) is run alone, dated by ``date_start``; the sides
of its events (actor1 and actor2) are mapped to coarse sides (government, opposition,
nusra, islamic_state, kurdish, turkey, civilians, ...) and compared with the coded
side_a/side_b of the rows sharing the headline. Reported: the share of headlines whose
first event's actor1 side is one of the gold sides, and side precision/recall over all
events.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"

FAKES_LABELS = {
    "government": "syrian government or russian troops",
    "islamic_state": "the organization of the islamic state in iraq and the levant - isis",
    "coalition": "international coalition forces",
    "opposition": "armed opposition groups",
    "kurdish": "self administration forces",
    "nusra": "al-nusra front",
}

# UCDP's side names as coarse sides (names listed are UCDP's own spellings of the parties).
UCDP_SIDES = {
    "government of syria": "government",
    "government of russia (soviet union)": "government",
    "government of russia": "government",
    "government of iran": "government",
    "hezbollah": "government",
    "is": "islamic_state",
    "sdf": "kurdish",
    "pyd": "kurdish",
    "ypg": "kurdish",
    "civilians": "civilians",
    "government of turkey": "turkey",
    "government of united states of america": "coalition",
    "government of iraq": "other",
    "government of israel": "israel",
    "hts": "nusra",
    "jabhat fateh al-sham": "nusra",
    "jabhat al-nusra": "nusra",
}


def coarse_side(ref, kb) -> str | None:
    """A resolved ActorRef as a coarse side, via the actor knowledge base."""
    if ref is None:
        return None
    actor = kb.get(ref.actor_id) if ref.actor_id else None
    if actor is None:
        return "unknown"
    aid = actor.id
    if aid == "nusra-hts":
        return "nusra"
    if aid in ("islamic-state", "khalid-ibn-al-walid"):
        return "islamic_state"
    if aid in ("anti-is-coalition", "us-forces", "uk-forces", "france-forces", "jordan-forces"):
        return "coalition"
    if aid == "turkey-forces":
        return "turkey"
    if aid == "israel-forces":
        return "israel"
    if actor.side == "government" or (actor.side == "foreign" and actor.aligned_with == "government"):
        return "government"
    if actor.side in ("opposition", "jihadist"):
        return "opposition"
    if actor.side == "kurdish":
        return "kurdish"
    if actor.side == "civilian":
        return "civilians"
    return "unknown"


def _main_event(events):
    if not events:
        return None
    return max(enumerate(events), key=lambda ie: (ie[1].fatalities or 0, ie[1].mentions or 0, -ie[0]))[1]


def eval_fakes(n: int) -> dict:
    from sitrep.ingest import article_from_text
    from sitrep.pipeline import Pipeline
    from sitrep.resolve.actors import default_actor_kb

    kb = default_actor_kb()
    csv.field_size_limit(10**8)
    rows = list(csv.DictReader((EVAL / "fakes_dev.csv").open(encoding="utf-8", errors="replace")))[:n]
    articles, golds = [], []
    for i, r in enumerate(rows):
        try:
            art = article_from_text(r["article_content"], title=r["article_title"], outlet=r["source"], external_id=f"fakes-{i}")
        except Exception:  # noqa: BLE001 - an empty article counts as a miss
            continue
        articles.append(art)
        golds.append(r["actor"].strip())
    pipe = Pipeline()
    confusion: Counter = Counter()
    ok = ok_known = known = 0
    for (art, mentions), gold in zip(pipe.extract(articles), golds, strict=True):
        event = _main_event(pipe.fuse(mentions, [art]))
        side = None
        if event is not None and event.actor1:
            # the event carries names; find the mention ref of its actor1 for the id
            ref = next((m.actor1 for m in mentions if m.actor1 and m.actor1.name == event.actor1), None)
            side = coarse_side(ref, kb)
        pred = FAKES_LABELS.get(side or "", "unknown")
        confusion[(gold, pred)] += 1
        ok += pred == gold
        if gold != "unknown":
            known += 1
            ok_known += pred == gold
    return {
        "articles": len(articles),
        "accuracy": round(ok / max(len(articles), 1), 3),
        "accuracy_labelled_known": round(ok_known / max(known, 1), 3),
        "known": known,
        "confusion": {f"{g[:20]} -> {p[:20]}": c for (g, p), c in confusion.most_common(12)},
    }


def _gold_side(name: str) -> str:
    low = name.strip().lower()
    if low in UCDP_SIDES:
        return UCDP_SIDES[low]
    # 'Syrian insurgents' and lists of rebel factions / coalitions
    return "opposition"


def eval_ucdp(n: int) -> dict:
    from sitrep.ingest import article_from_text
    from sitrep.pipeline import Pipeline
    from sitrep.resolve.actors import default_actor_kb

    kb = default_actor_kb()
    by_headline: dict[str, dict] = {}
    for line in (EVAL / "ucdp_ged_syria_dev.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        h = r["source_headline"].strip()
        if not h:
            continue
        g = by_headline.setdefault(h, {"date": r["date_start"], "sides": set()})
        for s in (r["side_a"], r["side_b"]):
            for part in [s] if s.lower().startswith("government") else s.split(", "):
                g["sides"].add(_gold_side(part))
        if len(by_headline) > n:
            del by_headline[h]
            break
    articles, golds = [], []
    for i, (h, g) in enumerate(by_headline.items()):
        try:
            art = article_from_text(h, title="", outlet="SOHR", external_id=f"ucdp-{i}", published=date.fromisoformat(g["date"]))
        except Exception:  # noqa: BLE001
            continue
        articles.append(art)
        golds.append(g["sides"])
    pipe = Pipeline()
    first_ok = with_actor = 0
    tp = fp = fn = 0
    for (art, mentions), gold in zip(pipe.extract(articles), golds, strict=True):
        refs = [r for m in mentions for r in (m.actor1, m.actor2) if r is not None]
        pred = {coarse_side(r, kb) for r in refs} - {None, "unknown"}
        first = next((m.actor1 for m in mentions if m.actor1 is not None), None)
        if first is not None:
            with_actor += 1
            first_ok += coarse_side(first, kb) in gold
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
    total = len(articles)
    return {
        "headlines": total,
        "with_actor1": round(with_actor / max(total, 1), 3),
        "actor1_side_correct_of_with_actor1": round(first_ok / max(with_actor, 1), 3),
        "side_precision": round(tp / max(tp + fp, 1), 3),
        "side_recall": round(tp / max(tp + fn, 1), 3),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fakes", type=int, default=200)
    ap.add_argument("--ucdp", type=int, default=500)
    args = ap.parse_args()
    if not EVAL.is_dir():
        raise SystemExit(f"{EVAL} is not present")
    if args.fakes:
        print("FA-KES dev actor category:", json.dumps(eval_fakes(args.fakes)))
    if args.ucdp:
        print("UCDP GED dev sides:", json.dumps(eval_ucdp(args.ucdp)))


if __name__ == "__main__":
    main()
