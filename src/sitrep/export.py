"""Writing events out: ACLED-style CSV, JSON Lines, GeoJSON, Parquet, and a terminal table.

CSV, GeoJSON and Parquet share one flat row (``event_row``): ACLED's columns in ACLED's
order, then sitrep's (``schema.EXTRA_COLUMNS``). JSON Lines carries the full ``Event``
with its claims and evidence. Writers stream: events are never all held in memory,
except Parquet's current row group.
"""

from __future__ import annotations

import csv
import json
import logging
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import IO, Literal

from rich.table import Table
from rich.text import Text

from sitrep.errors import SitrepError
from sitrep.schema import ACLED_COLUMNS, EXTRA_COLUMNS, Event

log = logging.getLogger(__name__)

Format = Literal["csv", "jsonl", "geojson", "parquet"]
FORMATS: tuple[str, ...] = ("csv", "jsonl", "geojson", "parquet")

#: Every flat column, in output order.
COLUMNS: tuple[str, ...] = ACLED_COLUMNS + EXTRA_COLUMNS

#: ACLED joins several values in one cell with "; ".
LIST_SEPARATOR = "; "

#: Rows per Parquet row group (bounds memory on large exports).
PARQUET_BATCH = 10_000


class ExportError(SitrepError):
    """The events could not be written in the requested form."""


# --------------------------------------------------------------------------- rows


def _flat(value: object) -> object:
    """One cell: enums as their values, dates ISO, lists joined; None kept (callers decide)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(_flat(v)) for v in value)
    return value


def event_row(event: Event) -> dict[str, object]:
    """The event as one flat row: ACLED columns, then sitrep's; None → ""."""
    row: dict[str, object] = {}
    for column in COLUMNS:
        value = _flat(getattr(event, column))
        row[column] = "" if value is None else value
    return row


def geojson_feature(event: Event) -> dict[str, object] | None:
    """A GeoJSON Point feature for the event, or None when it has no coordinates."""
    if event.latitude is None or event.longitude is None:
        return None
    return {
        "type": "Feature",
        "id": event.event_id,
        # GeoJSON (RFC 7946) orders coordinates longitude, latitude.
        "geometry": {"type": "Point", "coordinates": [event.longitude, event.latitude]},
        "properties": event_row(event),
    }


# --------------------------------------------------------------------------- writers


def _write_csv(events: Iterable[Event], stream: IO[str]) -> int:
    writer = csv.DictWriter(stream, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    n = 0
    for event in events:
        writer.writerow(event_row(event))
        n += 1
    return n


def _write_jsonl(events: Iterable[Event], stream: IO[str]) -> int:
    n = 0
    for event in events:
        stream.write(json.dumps(event.model_dump(mode="json"), ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_geojson(events: Iterable[Event], stream: IO[str]) -> int:
    """A FeatureCollection written feature by feature; events without coordinates are left out."""
    written = skipped = 0
    stream.write('{"type": "FeatureCollection", "features": [')
    for event in events:
        feature = geojson_feature(event)
        if feature is None:
            skipped += 1
            continue
        stream.write(("," if written else "") + "\n" + json.dumps(feature, ensure_ascii=False))
        written += 1
    stream.write("\n]}\n")
    if skipped:
        log.warning("geojson: %d event(s) without coordinates left out, %d written", skipped, written)
    return written


def parquet_schema():
    """Arrow types of the flat columns: ints, floats, dates, booleans, lists of strings."""
    import pyarrow as pa

    types = {
        "event_date": pa.date32(),
        "time_precision": pa.int8(),
        "inter1": pa.int8(),
        "inter2": pa.int8(),
        "interaction": pa.int16(),
        "latitude": pa.float64(),
        "longitude": pa.float64(),
        "geo_precision": pa.int8(),
        "fatalities": pa.int64(),
        "fatalities_low": pa.int64(),
        "fatalities_best": pa.int64(),
        "fatalities_high": pa.int64(),
        "figures_disputed": pa.bool_(),
        "mentions": pa.int64(),
        "article_ids": pa.list_(pa.string()),
        "source_urls": pa.list_(pa.string()),
    }
    return pa.schema([pa.field(c, types.get(c, pa.string())) for c in COLUMNS])


def _typed(event: Event, column: str) -> object:
    """The value for an Arrow column: native types, None kept as null."""
    value = getattr(event, column)
    if isinstance(value, Enum):
        return value.value
    return value


def _write_parquet(events: Iterable[Event], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        for batch in _batches(events, PARQUET_BATCH):
            columns = {c: [_typed(e, c) for e in batch] for c in COLUMNS}
            writer.write_table(pa.Table.from_pydict(columns, schema=schema))
            n += len(batch)
        if n == 0:  # still a valid file with the columns, so readers see the schema
            writer.write_table(schema.empty_table())
    return n


def _batches(events: Iterable[Event], size: int) -> Iterator[list[Event]]:
    batch: list[Event] = []
    for event in events:
        batch.append(event)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


_TEXT_WRITERS = {"csv": _write_csv, "jsonl": _write_jsonl, "geojson": _write_geojson}


@contextmanager
def _text_target(path: Path | None, stream: IO[str] | None) -> Iterator[IO[str]]:
    if path is None:
        # Looked up at call time so redirected stdout (tests, the CLI runner) is honoured.
        yield stream if stream is not None else sys.stdout
        return
    try:
        handle = path.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise ExportError(f"{path}: cannot write ({exc.strerror}); check the folder exists and is writable") from exc
    with handle:
        yield handle


def write_events(
    events: Iterable[Event],
    path: str | Path | None,
    fmt: Format | str,
    stream: IO[str] | None = None,
) -> int:
    """Write ``events`` to ``path`` (None or "-": ``stream``, default stdout) as ``fmt``.

    Returns the number of events written; for GeoJSON, events without coordinates are
    left out and not counted.
    """
    target = None if path is None or str(path) == "-" else Path(path)
    if fmt == "parquet":
        if target is None:
            raise ExportError("parquet is a binary file format and cannot go to the terminal; give an output file (-o events.parquet)")
        try:
            return _write_parquet(events, target)
        except OSError as exc:
            raise ExportError(f"{target}: cannot write ({exc}); check the folder exists and is writable") from exc
    writer = _TEXT_WRITERS.get(str(fmt))
    if writer is None:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    with _text_target(target, stream) as out:
        return writer(events, out)


# --------------------------------------------------------------------------- terminal


def _sources(event: Event) -> str:
    if event.source:
        return event.source
    n = len(event.article_ids)
    return f"{n} article{'s' if n != 1 else ''}" if n else ""


def events_table(events: Iterable[Event], *, title: str | None = None) -> Table:
    """A rich table of events for the terminal (one row per event)."""
    table = Table(title=title, header_style="bold")
    # Long names fold rather than end in "…": the table is for reading, not a preview.
    table.add_column("date", no_wrap=True, min_width=10)
    table.add_column("sub-event type", overflow="fold")
    table.add_column("actor1", overflow="fold")
    table.add_column("actor2", overflow="fold")
    table.add_column("location", overflow="fold")
    table.add_column("admin1", overflow="fold")
    table.add_column("fatalities", justify="right", no_wrap=True)
    table.add_column("modality", no_wrap=True)
    table.add_column("sources", overflow="fold")
    for e in events:
        fatalities = str(e.fatalities)
        if e.figures_disputed and e.fatalities_high is not None and e.fatalities_high != e.fatalities:
            fatalities += f" (≤{e.fatalities_high})"  # disputed: show the highest claim beside the conservative figure
        cells = (
            e.event_date.isoformat() if e.event_date else "?",
            e.sub_event_type.value,
            e.actor1 or "",
            e.actor2 or "",
            e.location or "",
            e.admin1 or "",
            fatalities,
            e.modality.value,
            _sources(e),
        )
        # Text(), not str: names from news text may contain "[...]", which rich reads as markup.
        table.add_row(*(Text(c) for c in cells))
    return table
