"""Situation reports: the brief an analyst sends, computed from the store (``sitrep report``).

    from sitrep.report import Period, Scope, build_brief, write_brief
    brief = build_brief(store, Period(since=date(2016, 4, 6), until=date(2016, 4, 12)))
    write_brief(brief, Path("brief.pdf"))

``figures`` computes every number (typed ``Brief``), ``charts`` draws the map and timeline,
``render`` lays them out as self-contained HTML, PDF (WeasyPrint, same template) or Markdown.
"""

from sitrep.report.figures import Brief, Period, Scope, build_brief, resolve_period
from sitrep.report.render import FORMATS, ReportError, render_html, render_markdown, render_pdf, write_brief

__all__ = [
    "FORMATS",
    "Brief",
    "Period",
    "ReportError",
    "Scope",
    "build_brief",
    "render_html",
    "render_markdown",
    "render_pdf",
    "resolve_period",
    "write_brief",
]
