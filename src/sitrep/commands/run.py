"""``sitrep run``: ingest with an engine chosen for the size of the job.

    sitrep run INPUT... --db sitrep.db                      # local worker pool, all cores
    sitrep run --workers 4 crawl/*.warc.gz --db sitrep.db
    sitrep run --engine ray --address ray://head:10001 shards/ --db postgresql://...
"""


from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class EngineName(StrEnum):
    local = "local"
    ray = "ray"


WorkersOpt = Annotated[
    int | None,
    typer.Option("--workers", "-w", min=1, help="Worker processes (Ray: actors). Default: all cores."),
]


def register(app: typer.Typer) -> None:
    from sitrep.cli import DbOpt, MaxBytesOpt, PublishedOpt

    @app.command()
    def run(
        paths: Annotated[list[Path], typer.Argument(help="Files or folders: .jsonl, .warc(.gz), .txt, .html; folders are walked.")],
        db: DbOpt = "sitrep.db",
        engine: Annotated[EngineName, typer.Option("--engine", help="local: worker processes on this machine; ray: a Ray cluster.")] = EngineName.local,
        workers: WorkersOpt = None,
        address: Annotated[str | None, typer.Option("--address", help="Ray cluster, e.g. ray://head:10001 or auto (default: start Ray locally).")] = None,
        work_dir: Annotated[str | None, typer.Option("--work-dir", help="Ray: folder or s3:// URI for the Parquet of articles and mentions (default: a temp folder).")] = None,
        published: PublishedOpt = None,
        max_bytes: MaxBytesOpt = None,
    ) -> None:
        """Ingest articles into a store with the local worker pool or Ray; prints what was read, skipped and stored."""
        from sitrep.cli import _fail, _parse_date, _report_problems, err
        from sitrep.errors import SitrepError
        from sitrep.settings import Settings
        from sitrep.store import open_store

        day = _parse_date(published, "--published")
        if address and engine != EngineName.ray:
            raise typer.BadParameter("--address is for the Ray engine; add --engine ray", param_hint="--address")
        settings = Settings.load()
        if max_bytes is not None:
            settings.max_bytes = max_bytes
        try:
            with open_store(db) as store:
                if engine == EngineName.ray:
                    summary = _run_ray(paths, store, settings, workers, address, work_dir, published)
                else:
                    summary = _run_local(paths, store, settings, workers, day)
                counts = store.counts()
        except SitrepError as exc:
            raise _fail(exc) from exc
        except ImportError as exc:
            err.print(f"[bold red]error[/]: the Ray engine needs Ray: {exc}; install it with `pip install 'sitrep[ray]'`")
            raise typer.Exit(2) from exc
        new, skipped, mentions, problems, warc = summary
        _report_problems(problems)
        if warc.records:
            err.print(warc.summary())
        err.print(
            f"{new} new articles ({skipped} already stored), {mentions} mentions; "
            f"store now holds {counts.get('articles', 0)} articles and {counts.get('events', 0)} events"
        )
        if not new and not skipped and problems:
            raise typer.Exit(1)


def _run_local(paths, store, settings, workers, day):
    from sitrep.cli import _progress
    from sitrep.engine.local import ParallelPipeline
    from sitrep.ingest import read_paths
    from sitrep.ingest.warc import WarcStats
    from sitrep.pipeline import ingest_articles, split_input

    warc = WarcStats()
    articles, problems = split_input(read_paths(paths, published=day, max_bytes=settings.max_bytes, warc_stats=warc))
    with ParallelPipeline(settings, workers=workers) as pipe:
        new = sum(1 for a in articles if not store.has_article(a.id))
        with _progress(new, f"extracting ({pipe.workers if new >= pipe.parallel_from else 1} workers)") as tick:
            result = ingest_articles(pipe, store, articles, progress=tick)
    return len(result.articles), result.skipped, len(result.mentions), problems, warc


def _run_ray(paths, store, settings, workers, address, work_dir, published):
    from sitrep.cli import err
    from sitrep.engine.ray_engine import run_ray

    result = run_ray(paths, store, settings=settings, workers=workers, address=address, work_dir=work_dir, published=published)
    if result.work_dir:
        err.print(
            f"ray: {result.partitions} admin1×week partitions fused as {result.partition_groups} groups; "
            f"Parquet of articles and mentions in {result.work_dir}"
        )
    return result.articles, result.skipped, result.mentions, result.problems, result.warc
