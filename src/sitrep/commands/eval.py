"""``sitrep eval``: score extraction against labelled data (FA-KES, UCDP GED, our gold files)."""

from __future__ import annotations

import importlib
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class EvalFormat(StrEnum):
    fakes = "fakes"
    ucdp = "ucdp"
    gold = "gold"


def register(app: typer.Typer) -> None:
    app.command(name="eval")(eval_command)


def eval_command(
    data: Annotated[Path, typer.Argument(help="Labelled data: FA-KES CSV, UCDP GED JSON Lines, or a gold JSON file/folder.")],
    fmt: Annotated[EvalFormat, typer.Option("--format", "-f", help="fakes, ucdp or gold.")],
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Score only the first N items.")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Write the full JSON report (scores, per-item details) here.")] = None,
) -> None:
    """Measure extraction on labelled data: per-field scores (with targets) and a JSON report."""
    from sitrep.cli import _pipeline, err, out
    from sitrep.errors import SitrepError

    if not data.exists():
        err.print(f"[bold red]error[/]: {data}: no such file or folder; give the labelled data to score against", highlight=False)
        raise typer.Exit(2)
    try:
        module = importlib.import_module(f"sitrep.evaluate.{fmt.value}")
    except ModuleNotFoundError as exc:
        if exc.name != f"sitrep.evaluate.{fmt.value}":
            raise
        err.print(f"[bold red]error[/]: --format {fmt.value} is not available in this installation (no sitrep.evaluate.{fmt.value})", highlight=False)
        raise typer.Exit(2) from exc
    pipe = _pipeline()
    try:
        with _bar() as tick:
            result = module.evaluate(data, limit=limit, pipeline=pipe, progress=tick)
    except SitrepError as exc:
        err.print(f"[bold red]error[/]: {exc}", highlight=False)
        raise typer.Exit(2) from exc
    out.print(scores_table(result))
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(result.model_dump_json(indent=2), encoding="utf-8")
        err.print(f"wrote {report}")


class _bar:
    """A rich progress bar on stderr when it is a terminal; otherwise nothing."""

    def __enter__(self):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from sitrep.cli import err

        if not err.is_terminal:
            self._progress = None
            return None
        self._progress = Progress(TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True)
        self._progress.__enter__()
        task = self._progress.add_task("scoring", total=None)
        return lambda n: self._progress.advance(task, n)

    def __exit__(self, *exc):
        if self._progress is not None:
            self._progress.__exit__(*exc)
        return False


def scores_table(report):
    """The report's scores as a rich table: value, hits/n, target and whether it is met."""
    from rich.table import Table

    table = Table(title=f"sitrep eval --format {report.format}: {report.data} ({report.n_items} items)")
    table.add_column("score")
    table.add_column("value", justify="right")
    table.add_column("hits / n", justify="right")
    table.add_column("target", justify="right")
    table.add_column("", justify="center")
    table.add_column("what")
    for s in report.scores:
        value = "—" if s.value is None else f"{s.value:.3f}"
        hits = f"{s.hits}/{s.n}" if s.hits is not None else str(s.n)
        target = "" if s.target is None else f"{s.target:.2f}"
        met = "" if s.target is None or s.value is None else ("[green]✓[/]" if s.value >= s.target else "[red]✗[/]")
        table.add_row(s.name, value, hits, target, met, s.description)
    if report.counts:
        table.caption = ", ".join(f"{k}: {v}" for k, v in report.counts.items())
    return table
