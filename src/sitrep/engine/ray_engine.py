"""The Ray engine: the same stage functions over a Ray cluster (or a local Ray instance).

    read shards ─► extract (Ray Data map_batches, actor pool) ─► Parquet of mentions
      ─► partitions admin1 × ISO week, merged across borders ─► fuse (one Ray task each)
      ─► load the store

Each input file is a shard (JSON Lines and WARC crawls above all; text and HTML files
work too): shards are read in parallel with the ordinary readers. Each actor builds one
:class:`~sitrep.pipeline.Pipeline` (spaCy and the knowledge bases load once per actor)
and runs ``Pipeline.extract`` on batches of articles. Mentions and articles are written
as Parquet under ``work_dir`` (on a cluster: storage every node can read, e.g. ``s3://``
or NFS). Fusion runs per merged partition (:mod:`sitrep.engine.partition`) and gives the
events one fusion over everything would give.

Loading: new articles and their mentions are added one article per transaction. When
the store held no mentions before, the partitioned events are written as they are;
otherwise the part of the store the new articles reach is re-fused (``refuse_store``) so
new mentions can join the stored events.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.engine.partition import fuse_group, merge_partitions, partition_key, split_by_groups
from sitrep.ingest.warc import WarcStats
from sitrep.schema import Article, ArticleCopy, Event, InputProblem, Mention
from sitrep.settings import Settings

#: Object store for a local Ray instance: the corpus flows through it in blocks, spilling
#: to disk beyond this, so it need not hold the corpus.
LOCAL_OBJECT_STORE_BYTES = 200 * 1024**2


@dataclass
class RayRunResult:
    articles: int = 0  # new articles stored
    skipped: int = 0  # already in the store, or twice in the input
    mentions: int = 0
    events: list[Event] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    warc: WarcStats = field(default_factory=WarcStats)
    partitions: int = 0
    partition_groups: int = 0
    work_dir: str = ""


# --------------------------------------------------------------------------- Ray-side functions


def _read_shard(row: dict, published: str | None, max_bytes: int) -> list[dict]:
    """One input file → rows: one per article or problem, and one with the WARC counts."""
    from datetime import date

    from sitrep.ingest import read_paths

    stats = WarcStats()
    day = date.fromisoformat(published) if published else None
    out = []
    for item in read_paths([row["path"]], published=day, max_bytes=max_bytes, warc_stats=stats):
        kind = "article" if isinstance(item, Article) else "problem"
        out.append({"kind": kind, "article_id": getattr(item, "id", ""), "record": item.model_dump_json()})
    out.append({"kind": "warc_stats", "article_id": "", "record": json.dumps(stats.__dict__)})
    return out


class _Extractor:
    """Ray Data actor: one Pipeline per actor, ``Pipeline.extract`` per batch."""

    def __init__(self, settings_json: str, keep: set[str]):
        from sitrep.pipeline import Pipeline

        self.pipe = Pipeline(Settings.model_validate_json(settings_json))
        self.keep = keep  # new articles; the rest of the rows (problems, counts, stored articles) pass by
        _ = self.pipe.nlp, self.pipe.extractor  # load once, before the first batch

    def __call__(self, batch: dict) -> dict:
        articles = [
            Article.model_validate_json(r)
            for kind, aid, r in zip(batch["kind"], batch["article_id"], batch["record"], strict=True)
            if kind == "article" and aid in self.keep
        ]
        ids, records, mentions = [], [], []
        for article, ms in self.pipe.extract(articles):
            ids.append(article.id)
            records.append(article.model_dump_json())
            mentions.append([m.model_dump_json() for m in ms])
        return {"article_id": ids, "record": records, "mentions": mentions}


def _explode_mentions(row: dict) -> list[dict]:
    out = []
    for text in row["mentions"]:
        m = Mention.model_validate_json(text)
        out.append({"mention_id": m.id, "article_id": m.article_id, "partition": partition_key(m), "record": text})
    return out


def _fuse_task(mention_records: list[str], articles_dir: str, settings_json: str) -> list[str]:
    import pyarrow.compute as pc
    import pyarrow.dataset as pads

    mentions = [Mention.model_validate_json(r) for r in mention_records]
    wanted = sorted({m.article_id for m in mentions})
    table = pads.dataset(articles_dir, format="parquet").to_table(
        columns=["article_id", "record"], filter=pc.field("article_id").isin(wanted)
    )
    articles = {}
    for aid, rec in zip(table.column("article_id").to_pylist(), table.column("record").to_pylist(), strict=True):
        articles.setdefault(aid, Article.model_validate_json(rec))
    _, events = fuse_group(mentions, articles, Settings.model_validate_json(settings_json).fuse)
    return [e.model_dump_json() for e in events]


# --------------------------------------------------------------------------- driver


def shard_paths(paths: Iterable[str | Path]) -> tuple[list[str], list[InputProblem]]:
    """Input files in a deterministic order (folders walked as ``read_paths`` walks them)."""
    from sitrep.ingest import _walk  # the same walk as every other reader

    files: list[str] = []
    problems: list[InputProblem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files.extend(str(p) for p in _walk(path))
        elif path.is_file():
            files.append(str(path))
        else:
            problems.append(InputProblem(path=str(path), message="no such file or folder", hint="check the path"))
    return files, problems


def init_ray(address: str | None = None, workers: int | None = None) -> bool:
    """Connect to ``address`` or start a small local instance; True when this call started Ray."""
    import ray

    if ray.is_initialized():
        return False
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(
            num_cpus=workers,
            include_dashboard=False,
            object_store_memory=LOCAL_OBJECT_STORE_BYTES,
            log_to_driver=False,
            configure_logging=False,
        )
    return True


def run_ray(
    paths: Iterable[str | Path],
    store,
    *,
    settings: Settings | None = None,
    workers: int | None = None,
    address: str | None = None,
    work_dir: str | Path | None = None,
    published: str | None = None,
) -> RayRunResult:
    """Read, extract, fuse and load ``paths`` into ``store`` on Ray."""
    import ray
    import ray.data

    settings = settings or Settings()
    result = RayRunResult()
    shards, result.problems = shard_paths(paths)
    if not shards:
        return result
    work = str(work_dir) if work_dir else tempfile.mkdtemp(prefix="sitrep-ray-")
    result.work_dir = work
    started = init_ray(address, workers)
    try:
        ctx = ray.data.DataContext.get_current()
        ctx.execution_options.preserve_order = True  # input order, as the local engine
        ctx.enable_progress_bars = False
        size = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))

        read = (
            ray.data.from_items([{"path": s} for s in shards], override_num_blocks=len(shards))
            .flat_map(_read_shard, fn_kwargs={"published": published, "max_bytes": settings.max_bytes})
            .materialize()
        )
        articles_ids: list[str] = []
        copies: dict[str, list[ArticleCopy]] = {}  # every address each text was read at, in order
        for row in read.select_columns(["kind", "article_id", "record"]).iter_rows():
            if row["kind"] == "problem":
                result.problems.append(InputProblem.model_validate_json(row["record"]))
            elif row["kind"] == "warc_stats":
                result.warc.add(WarcStats(**json.loads(row["record"])))
            else:
                articles_ids.append(row["article_id"])
                copies.setdefault(row["article_id"], []).append(Article.model_validate_json(row["record"]).as_copy())
        # New articles only, each once (first occurrence), as ingest_articles does.
        keep: set[str] = set()
        for aid in articles_ids:
            if aid not in keep and not store.has_article(aid):
                keep.add(aid)
        result.skipped = len(articles_ids) - len(keep)
        if keep:
            # Filtering inside the actors, not in a task before them: a task operator would need
            # a CPU the actor pool holds, and a pool as large as the cluster would starve it.
            extracted = read.map_batches(
                _Extractor,
                fn_constructor_kwargs={"settings_json": settings.model_dump_json(), "keep": keep},
                compute=ray.data.ActorPoolStrategy(min_size=1, max_size=size),
                batch_size=settings.batch_size,
                batch_format="numpy",
            ).materialize()
            articles_dir, mentions_dir = f"{work}/articles", f"{work}/mentions"
            extracted.select_columns(["article_id", "record"]).write_parquet(articles_dir)
            extracted.flat_map(_explode_mentions).write_parquet(mentions_dir)
            result.events = _fuse_and_load(store, settings, articles_dir, mentions_dir, result)
        copied = _record_copies(store, copies, keep)
        if copied:
            from sitrep.pipeline import FUSION_PENDING, Pipeline, refuse_store

            with store.transaction():  # the copies' outlets and URLs join their events' sources
                result.events = refuse_store(Pipeline(settings), store, copied)
                store.set_meta(FUSION_PENDING, None)
    finally:
        if started:
            ray.shutdown()
    return result


def _record_copies(store, copies: dict[str, list[ArticleCopy]], new: set[str]) -> set[str]:
    """Store the other addresses of texts read more than once, or read again; the articles given one."""
    from sitrep.pipeline import record_copy

    added: set[str] = set()
    for aid, seen in copies.items():
        # a new article was stored from its first copy; a stored one may have been read at a new address
        for copy in seen[1:] if aid in new else seen:
            if record_copy(store, aid, copy):
                added.add(aid)
    return added


def _read_table(directory: str, columns: list[str]):
    import pyarrow.dataset as pads

    try:
        return pads.dataset(directory, format="parquet").to_table(columns=columns)
    except FileNotFoundError:  # no mentions at all: Ray wrote no file
        return None


def _fuse_and_load(store, settings: Settings, articles_dir: str, mentions_dir: str, result: RayRunResult) -> list[Event]:
    import ray

    from sitrep.pipeline import FUSION_PENDING, Pipeline, refuse_store

    table = _read_table(mentions_dir, ["mention_id", "article_id", "record"])
    seen: set[str] = set()
    by_article: dict[str, list[Mention]] = {}
    if table is not None:
        for mid, aid, rec in zip(*(table.column(c).to_pylist() for c in ("mention_id", "article_id", "record")), strict=True):
            if (aid, mid) not in seen:  # an article given twice in one input is one article
                seen.add((aid, mid))
                by_article.setdefault(aid, []).append(Mention.model_validate_json(rec))
    mentions = [m for ms in by_article.values() for m in ms]
    result.mentions = len(mentions)
    had_mentions = bool(store.counts().get("mentions", 0))
    pending_before = store.get_meta(FUSION_PENDING) is not None

    # Fusion per merged partition, as Ray tasks.
    groups = merge_partitions(mentions)
    result.partitions = sum(len(g) for g in groups)
    result.partition_groups = len(groups)
    fuse_remote = ray.remote(_fuse_task)
    settings_json = settings.model_dump_json()
    futures = [
        fuse_remote.remote([m.model_dump_json() for m in part], articles_dir, settings_json)
        for part in split_by_groups(mentions, groups)
    ]
    events = [Event.model_validate_json(e) for batch in ray.get(futures) for e in batch]

    # Load: one article with its mentions per transaction, as ingest_articles does.
    articles = _read_table(articles_dir, ["article_id", "record"])
    loaded: set[str] = set()
    for aid, rec in zip(articles.column("article_id").to_pylist(), articles.column("record").to_pylist(), strict=True):
        if aid in loaded:
            continue
        loaded.add(aid)
        with store.transaction():
            store.add_article(Article.model_validate_json(rec))
            store.add_mentions(by_article.get(aid, []))
            store.set_meta(FUSION_PENDING, "1")
    result.articles = len(loaded)
    with store.transaction():
        if had_mentions:
            # New mentions may join stored events: fuse what they reach (event ids kept), or the
            # whole store when an earlier run was cut off before its fusion.
            events = refuse_store(Pipeline(settings), store, None if pending_before else loaded)
        else:
            store.upsert_events(events)
        store.set_meta(FUSION_PENDING, None)
    from datetime import date

    events.sort(key=lambda e: (e.event_date or date.max, e.event_id))
    return events
