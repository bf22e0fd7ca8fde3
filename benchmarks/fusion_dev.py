"""Measure fusion against hand-judged article pairs from FA-KES dev (../shared/eval, measurement only).

    .venv/bin/python benchmarks/fusion_dev.py [--cache /tmp/fakes_mentions.jsonl] [--sweep]

Gold: tests/data/fusion_pairs_fakes_dev.csv — candidate pairs (same labelled date, governorate
and cause) plus a few same-event pairs labelled on neighbouring days, each judged same/different
by reading both articles (pairs judged 'unsure' or repeating one article are left out).

Two ways to call a pair "fused", both reported:
- main: a row's *main event* is the fused event citing the row's article that best fits the
  row's label (governorate, date within a day, type family of the cause; then most mentions);
  the pair is "same" when both rows have the same main event.
- any: the two articles share some fused event that fits either row's label (their reports of
  the labelled occurrence were joined, even where the article's main event is mis-extracted). Reports pairwise precision, recall and
F1; events before fusion (one per eventful mention), after within-article fusion and after
cross-article fusion; the largest clusters; and three fused events with their claims.
``--sweep`` re-fuses at several thresholds (extraction is done once) to show why the defaults.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import time
from collections import Counter
from datetime import date, datetime
from pathlib import Path

from sitrep.extract.casualties import is_cumulative
from sitrep.fuse import FuseSettings, cluster_mentions, fuse
from sitrep.schema import Article, Event, EventType, Mention

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
GOLD = ROOT / "tests" / "data" / "fusion_pairs_fakes_dev.csv"
FAKES_GOV = {
    "aleppo": "Aleppo", "damascus": "Damascus", "idlib": "Idleb", "deir ezzor": "Deir ez Zor", "raqqa": "Ar Raqqa",
    "homs": "Homs", "hasakeh": "Al Hasakeh", "hama": "Hama", "daraa": "Dar'a", "lattakia": "Lattakia",
    "quneitra": "Quneitra", "tartous": "Tartous",
}
CAUSE_FAMILY = {
    "shelling": {EventType.EXPLOSIONS}, "explosion": {EventType.EXPLOSIONS}, "chemical and toxic gases": {EventType.EXPLOSIONS},
    "shooting": {EventType.BATTLES, EventType.VIOLENCE_AGAINST_CIVILIANS}, "execution": {EventType.VIOLENCE_AGAINST_CIVILIANS},
}


def load_rows() -> list[dict]:
    csv.field_size_limit(10**8)
    with (EVAL / "fakes_dev.csv").open(encoding="utf-8", errors="replace") as f:
        return list(csv.DictReader(f))


_HEAD_DATES = (
    re.compile(r"\b\d{1,2}[.-]\d{1,2}[.-]\d{4}(?!\d)"),  # 21.08.2013, 27-07-2016, "21.08.2013Get short URL" (glued)
    re.compile(r"\b\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4}\b"),  # 05 Apr 2017, 4 April 2017
    re.compile(r"\b[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+\d{4}\b"),  # April 4 2017
)
_GLUED = re.compile(r"\bupdated at ([A-Z][a-z]{2,8})\.?\s+(\d{1,2})((?:19|20)\d\d)\b")  # "updated at Aug 142016": comma stripped
_HEAD_CHARS = 400  # some outlets put the agency dateline after the title and standfirst


def head_date(text: str) -> date | None:
    """The publication date an FA-KES article opens with (its commas were stripped, so the
    dateline is not on a line of its own and ingest cannot see it). Read from the text, not the label."""
    from sitrep.ingest.dateline import parse_date_text

    head = text[:_HEAD_CHARS]
    glued = _GLUED.search(head)
    if glued:
        head = head[: glued.start(1)] + f"{glued.group(1)} {glued.group(2)} {glued.group(3)}" + head[glued.end(3) :]
    found = sorted((m.start(), m.group()) for rx in _HEAD_DATES for m in rx.finditer(head))
    for _, txt in found:
        if txt[0].isdigit() and not txt.split()[0].isdigit():
            d, m, y = (int(x) for x in re.split(r"[.-]", txt))  # these outlets write day first
            try:
                return date(y, m, d)
            except ValueError:
                continue
        day = parse_date_text(txt)
        if day is not None:
            return day
    return None


def extract(rows: list[dict], cache: Path | None, *, dated: bool = True) -> tuple[dict[int, str], dict[str, Article], list[Mention]]:
    """Row → article id, the articles and their mentions; cached as JSON lines when asked."""
    if cache and cache.exists():
        row_article, articles, mentions = {}, {}, []
        for line in cache.open(encoding="utf-8"):
            rec = json.loads(line)
            if rec["kind"] == "row":
                row_article[rec["row"]] = rec["article_id"]
            elif rec["kind"] == "article":
                a = Article.model_validate(rec["article"])
                articles[a.id] = a
            else:
                mentions.append(Mention.model_validate(rec["mention"]))
        return row_article, articles, mentions
    from sitrep.ingest import article_from_text
    from sitrep.pipeline import Pipeline

    row_article, articles = {}, {}
    for i, r in enumerate(rows):
        try:
            published = head_date(r["article_content"]) if dated else None
            a = article_from_text(r["article_content"], title=r["article_title"], outlet=r["source"], external_id=f"fakes-{i}", published=published)
        except Exception:  # noqa: BLE001 - an empty article has no events
            continue
        row_article[i] = a.id
        articles.setdefault(a.id, a)  # identical text under two rows is one article
    pipe = Pipeline()
    mentions = [m for _, ms in pipe.extract(list(articles.values())) for m in ms]
    if cache:
        with cache.open("w", encoding="utf-8") as f:
            for i, aid in row_article.items():
                f.write(json.dumps({"kind": "row", "row": i, "article_id": aid}) + "\n")
            for a in articles.values():
                f.write(json.dumps({"kind": "article", "article": a.model_dump(mode="json")}) + "\n")
            for m in mentions:
                f.write(json.dumps({"kind": "mention", "mention": m.model_dump(mode="json")}) + "\n")
    return row_article, articles, mentions


def _fit(row: dict, article_id: str, mention_article: dict[str, str]):
    gov = FAKES_GOV.get(row["location"].strip().lower())
    day = datetime.strptime(row["date"], "%m/%d/%y").date() if row["date"] else None
    fams = CAUSE_FAMILY.get(row["cause_of_death"].strip().lower())

    def fit(e: Event) -> tuple:
        own = sum(1 for m in e.mention_ids if mention_article.get(m) == article_id)
        return (
            bool(gov and e.admin1 == gov),
            bool(day and e.event_date and abs((e.event_date - day).days) <= 1),
            bool(fams is None or e.event_type in fams),
            own,
            e.fatalities,
        )

    return fit


def main_event(row: dict, article_id: str, events_of: dict[str, list[Event]], mention_article: dict[str, str]) -> Event | None:
    candidates = events_of.get(article_id, [])
    return max(candidates, key=_fit(row, article_id, mention_article)) if candidates else None


def fits_label(e: Event, row: dict, article_id: str, mention_article: dict[str, str]) -> bool:
    """The event matches the row's label: governorate, date within a day, type family."""
    return all(_fit(row, article_id, mention_article)(e)[:3])


def load_gold() -> list[tuple[int, int, bool]]:
    with GOLD.open(encoding="utf-8") as f:
        return [(int(r["row_a"]), int(r["row_b"]), r["judgement"] == "same") for r in csv.DictReader(f) if r["judgement"] in ("same", "different")]


def _index(events: list[Event]) -> tuple[dict[str, str], dict[str, list[Event]]]:
    mention_article = {m: aid for e in events for m, aid in zip(e.mention_ids, _mention_articles(e), strict=True)}
    events_of: dict[str, list[Event]] = {}
    for e in events:
        for aid in dict.fromkeys(mention_article[m] for m in e.mention_ids):
            events_of.setdefault(aid, []).append(e)
    return mention_article, events_of


def extracted_rows(per_article_events: list[Event], rows: list[dict], row_article: dict[int, str]) -> set[int]:
    """Rows whose article yields (before cross-article fusion) an event fitting the row's label."""
    mention_article, events_of = _index(per_article_events)
    return {r for r, aid in row_article.items() if any(fits_label(e, rows[r], aid, mention_article) for e in events_of.get(aid, []))}


def pairwise(events: list[Event], rows: list[dict], row_article: dict[int, str], gold: list[tuple[int, int, bool]], only: set[int] | None = None) -> dict:
    """Pair counts and P/R/F1; ``only``: score just the pairs whose two rows are both in it."""
    mention_article, events_of = _index(events)
    counts = {"main": Counter(), "any": Counter()}
    for a, b, same in gold:
        if only is not None and not (a in only and b in only):
            continue
        ea = main_event(rows[a], row_article[a], events_of, mention_article) if a in row_article else None
        eb = main_event(rows[b], row_article[b], events_of, mention_article) if b in row_article else None
        preds = {"main": ea is not None and eb is not None and ea.event_id == eb.event_id}
        shared = [e for e in events_of.get(row_article.get(a, ""), []) if e in events_of.get(row_article.get(b, ""), [])]
        preds["any"] = any(fits_label(e, rows[a], row_article[a], mention_article) or fits_label(e, rows[b], row_article[b], mention_article) for e in shared)
        for mode, pred in preds.items():
            counts[mode]["tp" if pred and same else "fp" if pred else "fn" if same else "tn"] += 1
    out = {}
    for mode, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        out[mode] = {"tp": c["tp"], "fp": c["fp"], "fn": c["fn"], "tn": c["tn"], "precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3)}
    return out


def _mention_articles(e: Event) -> list[str]:
    # mention ids are m_<article hash>_...: the article id is recoverable without the mentions
    return ["a_" + m.split("_")[1] for m in e.mention_ids]


def show_event(e: Event) -> None:
    print(f"  {e.event_id} {e.event_date} {e.sub_event_type.value} @ {e.location} ({e.admin1}); {len(e.article_ids)} articles, {e.mentions} mentions")
    print(f"    source: {e.source} [{e.source_scale}]; fatalities {e.fatalities} (low/best/high {e.fatalities_low}/{e.fatalities_best}/{e.fatalities_high}); disputed={e.figures_disputed}"
          + (f" state media {e.state_media_fatalities} vs monitors {e.monitor_fatalities}" if e.state_media_fatalities is not None else ""))
    print(f"    notes: {e.notes}")
    for c in e.claims:
        if c.kind == "fatalities":
            print(f"    claim: {c.claimant} ({c.claimant_type.value}) {c.qualifier or ''} {c.value} {c.victims or ''} [{c.article_id}]")
    cross = [lk for lk in e.fusion if lk.stage == "cross"]
    if cross:
        lk = max(cross, key=lambda k: k.score)
        print(f"    why (best cross-article link): score {lk.score} {lk.features}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, help="JSON lines file to keep extracted mentions between runs")
    ap.add_argument("--sweep", action="store_true", help="also fuse at several thresholds")
    ap.add_argument("--undated", action="store_true", help="do not read publication dates from the article heads")
    args = ap.parse_args()
    if not EVAL.is_dir():
        raise SystemExit(f"{EVAL} is not present")
    rows = load_rows()
    gold = load_gold()
    row_article, articles, mentions = extract(rows, args.cache, dated=not args.undated)
    print(f"articles with a publication date: {sum(a.published is not None for a in articles.values())} of {len(articles)}")
    eventful = [m for m in mentions if m.is_event]
    settings = FuseSettings()
    started = time.perf_counter()
    events = fuse(eventful, articles, settings)
    took = time.perf_counter() - started
    within = sum(len(cluster_mentions([m for m in eventful if m.article_id == aid], articles, settings)) for aid in articles)
    print(f"articles {len(articles)} (rows {len(rows)}); eventful mentions (events before fusion) {len(eventful)}; "
          f"after within-article fusion {within}; after cross-article fusion {len(events)} ({took:.1f} s to fuse)")
    print(f"gold pairs {len(gold)} ({sum(s for *_, s in gold)} same) from {GOLD.relative_to(ROOT)}")
    base = pairwise(fuse(eventful, articles, settings.model_copy(update={"min_score": 99.0})), rows, row_article, gold)
    print("no cross-article fusion:", json.dumps(base))
    print(f"default settings {settings.model_dump()}:", json.dumps(pairwise(events, rows, row_article, gold)))
    # extraction misses cap recall: score fusion alone on the pairs whose two articles both yield the labelled event
    found = extracted_rows(fuse(eventful, articles, settings.model_copy(update={"min_score": 99.0})), rows, row_article)
    n_same = sum(1 for a, b, s in gold if s and a in found and b in found)
    n_diff = sum(1 for a, b, s in gold if not s and a in found and b in found)
    print(f"rows whose article yields an event fitting its label: {len(found)} of {len(row_article)}; "
          f"pairs with both rows extracted: {n_same} same, {n_diff} different")
    print("  fusion on those pairs:", json.dumps(pairwise(events, rows, row_article, gold, only=found)))
    if args.sweep:
        # one setting varied at a time from the defaults (extraction is done once)
        grid = [("min_score", (0.4, 0.45, 0.5, 0.55, 0.6)), ("same_article_penalty", (None, 0.0, 0.1, 0.2, 0.3)),
                ("undated_penalty", (None, 0.0, 0.1)), ("corroborating_text", (0.5, 0.7, 1.0)), ("text_weight", (0.0, 0.3, 0.5)),
                ("article_min_score", (0.35, 0.45, 0.55))]
        print("sweep (main criterion; 'extracted' = pairs whose two articles yield the labelled event):")
        for name, values in grid:
            for v in values:
                s = settings.model_copy(update={name: v})
                evs = fuse(eventful, articles, s)
                mark = " (default)" if v == getattr(settings, name) else ""
                print(f"  {name}={v}{mark}: events {len(evs)}; all", json.dumps(pairwise(evs, rows, row_article, gold)["main"]),
                      "extracted", json.dumps(pairwise(evs, rows, row_article, gold, only=found)["main"]))
    multi = sorted((e for e in events if len(e.article_ids) > 1), key=lambda e: (-len(e.article_ids), -e.mentions, e.event_id))
    sizes = Counter(len(e.article_ids) for e in events)
    print("events by number of articles:", dict(sorted(sizes.items())))
    print("largest clusters:")
    for e in multi[:5]:
        print(f"  {len(e.article_ids)} articles, {e.mentions} mentions: {e.event_date} {e.sub_event_type.value} @ {e.location} ({e.admin1}); {e.source}")
    print("three fused events with their claims:")
    shown = 0
    for e in multi:
        if shown == 3:
            break
        # events whose own figures (not war tolls) come from at least two outlets show the claims best
        if len({c.article_id for c in e.claims if c.kind == "fatalities" and c.value and not is_cumulative(c)}) >= 2:
            show_event(e)
            shown += 1


if __name__ == "__main__":
    main()
