"""Laying a :class:`~sitrep.report.figures.Brief` out as HTML, PDF or Markdown.

HTML and PDF come from one Jinja2 template (``templates/brief.html.j2``): the HTML inlines
its images as base64 so the file opens offline; the PDF is WeasyPrint's rendering of the
same page (without the evidence section; a numbered source list closes it). Markdown has
its own template and writes the two images as PNG files beside the brief.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from sitrep.errors import SitrepError
from sitrep.report.figures import Brief

if TYPE_CHECKING:
    from sitrep.report.charts import MapResult

Format = Literal["html", "pdf", "md"]
FORMATS: tuple[str, ...] = ("html", "pdf", "md")

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


class ReportError(SitrepError):
    """The brief could not be written."""


def change(value: int, previous: int) -> str:
    """'+3 (+60%)', '−2 (−50%)', 'no change', or '+4' (no percentage from zero)."""
    delta = value - previous
    if delta == 0:
        return "no change"
    sign = "+" if delta > 0 else "−"  # a real minus sign: reads better and survives greyscale print
    if previous == 0:
        return f"{sign}{abs(delta)}"
    return f"{sign}{abs(delta)} ({sign}{round(abs(delta) * 100 / previous)}%)"


def md_escape(text: object) -> str:
    """Article text made inert in Markdown (and in the HTML that Markdown allows): one line, specials escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def md_url(url: object) -> str:
    # Inside <...> autolinks only '<', '>' and spaces break out; percent-encode them.
    return str(url).replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


@lru_cache(maxsize=2)
def _env(markdown: bool = False) -> Environment:
    env = Environment(
        loader=PackageLoader("sitrep.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True),
        undefined=StrictUndefined,
        # Markdown's line breaks are meaningful: there a tag keeps the newline after it.
        trim_blocks=not markdown,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["change"] = change
    env.filters["md"] = md_escape
    env.filters["mdurl"] = md_url
    return env


@lru_cache(maxsize=1)
def _css() -> str:
    return resources.files("sitrep.report").joinpath("templates", "brief.css").read_text(encoding="utf-8")


def keypoints(brief: Brief) -> list[str]:
    """A few generated sentences for the top of the brief (plain text; templates escape them)."""
    points: list[str] = []
    if brief.serious:
        e = brief.serious[0]
        who = f" by {e.actor1}" if e.actor1 else ""
        points.append(f"Deadliest event: {e.sub_event_type.lower()}{who} in {e.place} on {e.event_date}, {e.fatalities} killed.")
    rises = sorted((t for t in brief.by_type if t.events_change > 0), key=lambda t: -t.events_change)
    if rises:
        t = rises[0]
        points.append(f"Largest rise: {t.event_type}, {t.events} events against {t.previous_events} in the previous period.")
    if brief.actors:
        a = brief.actors[0]
        points.append(f"Most active actor: {a.actor}, in {a.events} event{'s' if a.events != 1 else ''}.")
    if brief.territory:
        first = brief.territory[0]
        more = f" and {len(brief.territory) - 1} more" if len(brief.territory) > 1 else ""
        points.append(f"Territory changed hands: {first.taken_by or 'an unidentified actor'} took {first.place}{more}.")
    if brief.new_places:
        names = ", ".join(p.place for p in brief.new_places[:5])
        more = f" and {len(brief.new_places) - 5} more" if len(brief.new_places) > 5 else ""
        points.append(f"Places newly affected: {names}{more}.")
    disputed = sum(1 for e in brief.events if e.disputed)
    if disputed or brief.single_partisan_events:
        points.append(
            f"{disputed} event{'s' if disputed != 1 else ''} with disputed figures; "
            f"{brief.single_partisan_events} resting on a single partisan source."
        )
    return points


@dataclass
class Pictures:
    map: MapResult
    timeline: bytes


def draw(brief: Brief) -> Pictures | None:
    """The map and timeline PNGs, or None for an empty period (nothing to draw)."""
    if brief.empty:
        return None
    from sitrep.report.charts import draw_map, draw_timeline  # matplotlib: imported only when drawing

    return Pictures(map=draw_map(brief), timeline=draw_timeline(brief))


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_html(brief: Brief, pictures: Pictures | None = None, *, pdf: bool = False) -> str:
    """The brief as one self-contained HTML page (``pdf=True``: the page WeasyPrint prints)."""
    if pictures is None and not brief.empty:
        pictures = draw(brief)
    images = {"map": _data_uri(pictures.map.png), "timeline": _data_uri(pictures.timeline)} if pictures else {}
    return _env().get_template("brief.html.j2").render(
        b=brief, css=_css(), images=images, map=pictures.map if pictures else None, pdf=pdf, keypoints=keypoints(brief)
    )


def render_markdown(brief: Brief, pictures: Pictures | None, image_names: dict[str, str]) -> str:
    return _env(markdown=True).get_template("brief.md.j2").render(
        b=brief, images=image_names, map=pictures.map if pictures else None, keypoints=keypoints(brief)
    )


def render_pdf(brief: Brief, pictures: Pictures | None = None) -> bytes:
    from weasyprint import HTML

    html = render_html(brief, pictures, pdf=True)
    try:
        return HTML(string=html).write_pdf()
    except OSError as exc:  # missing Pango/fonts surfaces as OSError from cffi
        raise ReportError(f"PDF rendering failed ({exc}); install Pango (Debian: libpango-1.0-0) or use --format html") from exc


def format_for(path: Path, fmt: str | None) -> str:
    """The format asked for, else the one the file name says (.html/.htm, .pdf, .md); default html."""
    if fmt:
        if fmt not in FORMATS:
            raise ReportError(f"{fmt!r}: unknown brief format; use one of {', '.join(FORMATS)}")
        return fmt
    suffix = path.suffix.lower().lstrip(".")
    return {"htm": "html", "markdown": "md"}.get(suffix, suffix) if suffix in (*FORMATS, "htm", "markdown") else "html"


def write_brief(brief: Brief, path: Path, fmt: str | None = None) -> list[Path]:
    """Write the brief to ``path`` in ``fmt``; returns every file written (Markdown adds its PNGs)."""
    fmt = format_for(path, fmt)
    if not path.parent.exists():
        raise ReportError(f"{path}: folder {path.parent} does not exist (create it first)")
    pictures = draw(brief)
    written = [path]
    try:
        if fmt == "html":
            path.write_text(render_html(brief, pictures), encoding="utf-8")
        elif fmt == "pdf":
            path.write_bytes(render_pdf(brief, pictures))
        else:
            names: dict[str, str] = {}
            if pictures is not None:
                for key, png in (("map", pictures.map.png), ("timeline", pictures.timeline)):
                    image = path.with_name(f"{path.stem}-{key}.png")
                    image.write_bytes(png)
                    names[key] = image.name
                    written.append(image)
            path.write_text(render_markdown(brief, pictures, names), encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"{path}: cannot write the brief ({exc.strerror or exc})") from exc
    return written
