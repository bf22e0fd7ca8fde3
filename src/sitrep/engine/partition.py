"""Partitioned fusion: admin1 × ISO week partitions, a merge pass across their borders.

Fusion compares every pair of candidate groups, so one big fusion does not spread over a
cluster. Mentions are split into partitions by governorate and ISO week of their event
date; then a merge pass joins partitions that fusion could link across a border:

- mentions of one article (fusion first groups an article's mentions together);
- mentions of two articles that fusion's blocking could pair: same blocking family
  (attacks on civilians count with explosions), dates within the wider precision window
  (a Sunday strike reported on Monday crosses a week border), and the same governorate,
  one side without one, or neighbouring grid cells across a governorate line; an undated
  report with every report of its family in its governorate.

The test is looser than fusion's own blocking (it looks at every mention, not at the
group fusion builds from them), so no pair fusion would link is ever split. Fusion's
clustering only merges clusters joined by scored pairs, so fusing each merged partition
on its own gives exactly the clusters of one fusion over everything; the partitions can
run anywhere (a process, a Ray task).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sitrep.fuse import _WINDOW_DAYS, BlockIndex, Cluster, FuseSettings, _block_family, _cell, build_event, cluster_mentions
from sitrep.schema import Article, Event, EventType, Mention, TimePrecision

UNDATED = "undated"


def partition_key(m: Mention) -> str:
    """``admin1|YYYY-Www`` (``-`` for no governorate, ``undated`` for no date)."""
    admin1 = (m.place.admin1 if m.place else None) or "-"
    if m.event_date is None:
        return f"{admin1}|{UNDATED}"
    year, week, _ = m.event_date.isocalendar()
    return f"{admin1}|{year}-W{week:02d}"


@dataclass(frozen=True)
class _Sig:
    """One combination of what fusion's blocking looks at."""

    family: EventType
    admin1: str | None
    cell: tuple[int, int] | None
    day: int | None
    window: int


def _article_sigs(ms: list[Mention]) -> set[_Sig]:
    """Every combination of its mentions' families, places and dates.

    Fusion's group for several mentions takes its type from one, its date from another
    and its place from a third, so the combinations, not the mentions, bound what it can pair.
    """
    families = {_block_family(m.sub_event_type) for m in ms}
    places = {(m.place.admin1, _cell(m.place)) if m.place else (None, None) for m in ms}
    days: set[tuple[int | None, int]] = {
        (m.event_date.toordinal(), _WINDOW_DAYS[TimePrecision(m.time_precision)]) for m in ms if m.event_date
    }
    if any(m.event_date is None for m in ms):
        days.add((None, 0))
    return {_Sig(f, a, c, d, w) for f in families for a, c in places for d, w in days}


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def merge_partitions(mentions: Iterable[Mention]) -> list[list[str]]:
    """Partition keys grouped so that no pair fusion could link spans two groups.

    Fusion's own blocking (:class:`sitrep.fuse.BlockIndex`) applied to every signature of
    each article, so the two cannot drift apart.
    """
    uf = _UnionFind()
    by_article: dict[str, list[Mention]] = defaultdict(list)
    first_key_of_article: dict[str, str] = {}
    for m in mentions:
        if not m.is_event:
            continue
        key = partition_key(m)
        uf.find(key)
        if m.article_id in first_key_of_article:
            uf.union(first_key_of_article[m.article_id], key)
        else:
            first_key_of_article[m.article_id] = key
        by_article[m.article_id].append(m)
    article_sigs = {aid: _article_sigs(ms) for aid, ms in by_article.items()}
    index = BlockIndex()
    for aid, sigs in article_sigs.items():
        for s in sigs:
            index.add(aid, s.family, s.admin1, s.cell, s.day)
    for aid, sigs in article_sigs.items():
        mine = first_key_of_article[aid]
        for s in sigs:
            for other in index.near(s.family, s.admin1, s.cell, s.day, s.window):
                if other != aid:
                    uf.union(mine, first_key_of_article[other])
    groups: dict[str, list[str]] = defaultdict(list)
    for key in list(uf.parent):
        groups[uf.find(key)].append(key)
    return sorted((sorted(keys) for keys in groups.values()), key=lambda ks: ks[0])


def split_by_groups(mentions: Iterable[Mention], groups: list[list[str]]) -> list[list[Mention]]:
    """The event mentions of each merged partition group."""
    index = {key: i for i, keys in enumerate(groups) for key in keys}
    out: list[list[Mention]] = [[] for _ in groups]
    for m in mentions:
        if m.is_event:
            out[index[partition_key(m)]].append(m)
    return out


def fuse_group(mentions: list[Mention], articles: dict[str, Article], settings: FuseSettings | None = None) -> tuple[list[Cluster], list[Event]]:
    """Fuse one merged partition: its clusters and their events (ids named after the anchors)."""
    clusters = cluster_mentions(mentions, articles, settings)
    return clusters, [build_event(c, articles) for c in clusters]


def fuse_partitioned(
    mentions: list[Mention],
    articles: dict[str, Article],
    settings: FuseSettings | None = None,
    *,
    map_groups: Callable[[Callable, list], Iterable] = map,
) -> tuple[list[Cluster], list[Event]]:
    """Partition, merge across borders, fuse each group (``map_groups`` may spread them); events by date."""
    groups = merge_partitions(mentions)
    parts = split_by_groups(mentions, groups)

    def one(ms: list[Mention]) -> tuple[list[Cluster], list[Event]]:
        return fuse_group(ms, {aid: articles[aid] for aid in {m.article_id for m in ms} if aid in articles}, settings)

    clusters: list[Cluster] = []
    events: list[Event] = []
    for cs, es in map_groups(one, parts):
        clusters.extend(cs)
        events.extend(es)
    events.sort(key=lambda e: (e.event_date or date.max, e.event_id))
    return clusters, events
