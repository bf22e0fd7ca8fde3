"""The pipeline as a library: read → clean → nlp → extract → fuse (→ store).

Thin CLI commands call these; the same stage functions run under the local and Ray
engines. Nothing heavy happens at construction: the spaCy model and the knowledge
bases load on first use and stay loaded for the process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sitrep.extract.events import EventExtractor
from sitrep.fuse import assign_event_ids, build_event, cluster_mentions, fuse
from sitrep.ingest import read_paths
from sitrep.nlp.pipeline import load_nlp
from sitrep.schema import Article, ArticleCopy, Event, InputProblem, Mention
from sitrep.settings import Settings

Progress = Callable[[int], None]

#: Store meta key set while stored mentions wait for re-fusion.
FUSION_PENDING = "fusion_pending"


@dataclass
class PipelineResult:
    articles: list[Article] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    skipped: int = 0  # articles already in the store


def split_input(items: Iterable[Article | InputProblem]) -> tuple[list[Article], list[InputProblem]]:
    articles: list[Article] = []
    problems: list[InputProblem] = []
    for item in items:
        (problems if isinstance(item, InputProblem) else articles).append(item)
    return unique_articles(articles), problems


def unique_articles(articles: Iterable[Article]) -> list[Article]:
    """Each text once, in first-seen order: the same text again (a mirror, a syndicated copy)
    is one article, its other address and outlet kept in :attr:`Article.copies`."""
    unique: dict[str, Article] = {}
    for a in articles:
        first = unique.setdefault(a.id, a)
        if first is not a:
            first.with_copy(a.as_copy())
    return list(unique.values())


def record_copy(store, article_id: str, copy: ArticleCopy) -> bool:
    """Store that a stored text was also published at ``copy``; True when that is news, in
    which case its events need fusing again (marked, as for new mentions)."""
    with store.transaction():
        if not store.add_article_copy(article_id, copy):
            return False
        store.set_meta(FUSION_PENDING, "1")
    return True


class Pipeline:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self._extractor: EventExtractor | None = None

    @property
    def nlp(self):
        return load_nlp(self.settings.model)

    @property
    def extractor(self) -> EventExtractor:
        if self._extractor is None:
            self._extractor = EventExtractor()
        return self._extractor

    def read(self, paths: Iterable[str | Path], *, published: date | None = None) -> tuple[list[Article], list[InputProblem]]:
        return split_input(read_paths(paths, published=published, max_bytes=self.settings.max_bytes))

    def extract(self, articles: Iterable[Article], progress: Progress | None = None) -> Iterator[tuple[Article, list[Mention]]]:
        """Mentions per article, in input order. Streams through ``nlp.pipe`` in batches."""
        stream = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(stream, as_tuples=True, batch_size=self.settings.batch_size):
            mentions = self.extractor.extract(article, doc)
            if progress:
                progress(1)
            yield article, mentions

    def fuse(self, mentions: Iterable[Mention], articles: Iterable[Article]) -> list[Event]:
        return fuse(mentions, {a.id: a for a in articles}, self.settings.fuse)

    def run(self, paths: Iterable[str | Path], *, published: date | None = None, progress: Progress | None = None) -> PipelineResult:
        """Stateless: files in, fused events out."""
        articles, problems = self.read(paths, published=published)
        return self.run_articles(articles, problems=problems, progress=progress)

    def run_articles(self, articles: list[Article], *, problems: list[InputProblem] | None = None, progress: Progress | None = None) -> PipelineResult:
        articles = unique_articles(articles)
        result = PipelineResult(articles=articles, problems=list(problems or []))
        for _, mentions in self.extract(articles, progress):
            result.mentions.extend(mentions)
        result.events = self.fuse(result.mentions, articles)
        return result


def ingest_articles(pipeline: Pipeline, store, articles: list[Article], *, progress: Progress | None = None) -> PipelineResult:
    """Add new articles and their mentions to ``store`` and re-fuse its events.

    Each article is stored with its mentions in one transaction, so a failure later in the
    batch loses nothing already stored. Articles already in the store are skipped: running
    the same input again changes nothing.
    """
    # A marker left by an interrupted run: what it touched is unknown, so fuse everything.
    interrupted = store.get_meta(FUSION_PENDING) is not None
    new: list[Article] = []
    touched: set[str] = set()  # articles whose events must be fused again
    for a in unique_articles(articles):
        if not store.has_article(a.id):
            new.append(a)
            touched.add(a.id)
            continue
        # Known text at a new address or outlet: one more source for the same events.
        for copy in [a.as_copy(), *a.copies]:
            if record_copy(store, a.id, copy):
                touched.add(a.id)
    result = PipelineResult(articles=new, skipped=len(articles) - len(new))
    for article, mentions in pipeline.extract(new, progress):
        with store.transaction():
            store.add_article(article)
            store.add_mentions(mentions)
            # Cleared only by a completed re-fusion: a run killed before then re-fuses next time.
            store.set_meta(FUSION_PENDING, "1")
        result.mentions.extend(mentions)
    if new or store.get_meta(FUSION_PENDING):
        # One transaction from reading the mentions to writing the events: concurrent ingests
        # queue here, so none overwrites events with a fusion that missed the other's mentions.
        with store.transaction():
            result.events = refuse_store(pipeline, store, None if interrupted else touched)
            store.set_meta(FUSION_PENDING, None)
    return result


def refuse_store(pipeline: Pipeline, store, touched: set[str] | None = None) -> list[Event]:
    """Fuse the stored mentions again and write the events that changed; returns the events fused.

    With ``touched`` (ids of articles added or given new copies), only the part of the store
    those articles can reach is fused: the partitions (governorate × week) their mentions fall
    in, merged with every partition fusion's blocking could link to them
    (:func:`sitrep.engine.partition.merge_partitions`). Fusion never links mentions across
    merged partitions, so the result equals fusing everything, at a cost that grows with the
    news around the new articles, not with the store. Without ``touched`` everything is fused.

    Clustering depends only on the set of mentions, so running it again on the same store
    changes nothing. Stored event ids are carried over to the new clusters
    (:func:`sitrep.fuse.assign_event_ids`): an event keeps its id when later articles join
    it. When new evidence moves a mention to another event, or merges or splits events,
    the change is written to the store's change log with the features that decided it.
    """
    from sitrep.engine.partition import merge_partitions, partition_key

    # Read and write in one transaction: two ingests finishing together fuse one after the
    # other, and neither writes events fused from a store the other has changed since.
    with store.transaction():
        mentions = [m for m in store.mentions() if m.is_event]
        stored = {e.event_id: e.mention_ids for e in store.events()}
        previous, reserved = stored, set()
        if touched is not None:
            key_of = {m.id: partition_key(m) for m in mentions}
            start = {key_of[m.id] for m in mentions if m.article_id in touched}
            reach = {k for keys in merge_partitions(mentions) if start.intersection(keys) for k in keys}
            ids_here = {mid for mid, key in key_of.items() if key in reach}
            # An event lies wholly inside or wholly outside the reached partitions; one fused
            # under other settings or rules may not, so its other mentions come along.
            previous = {eid: mids for eid, mids in stored.items() if ids_here.intersection(mids)}
            ids_here.update(mid for mids in previous.values() for mid in mids)
            mentions = [m for m in mentions if m.id in ids_here]
            reserved = set(stored) - set(previous)
        article_ids = {m.article_id for m in mentions}
        articles = {a.id: a for a in (store.get_article(aid) for aid in sorted(article_ids)) if a is not None}
        clusters = cluster_mentions(mentions, articles, pipeline.settings.fuse)
        ids, changes = assign_event_ids(clusters, previous, reserved)
        events = [build_event(c, articles, event_id=eid) for c, eid in zip(clusters, ids, strict=True)]
        events.sort(key=lambda e: (e.event_date or date.max, e.event_id))
        keep = set(ids)
        stale = [eid for eid in previous if eid not in keep]
        if stale:
            store.delete_events(stale)
        store.upsert_events(events)
        for change in changes:
            store.log_change(change.kind, change.subject_id, change.detail)
    return events
