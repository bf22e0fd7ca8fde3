"""The brief's two pictures, drawn with matplotlib (Agg, no display): the map and the timeline.

Both must read in greyscale (briefs get printed and photocopied), so every event type has a
marker shape and a hatch besides its colour. Outlines come from :mod:`sitrep.basemap`
(Natural Earth, vendored at build time); without them the map still draws the events and
says that outlines are missing.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display on servers and in CI

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, Polygon  # noqa: E402
from matplotlib import patheffects  # noqa: E402

from sitrep.report.figures import EVENT_TYPES, Brief, EventLine  # noqa: E402
from sitrep.schema import EventType  # noqa: E402

DPI = 160
_HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]


@dataclass(frozen=True)
class TypeStyle:
    label: str
    color: str
    marker: str
    hatch: str


# Colours differ in lightness as well as hue (Okabe-Ito based), markers and hatches in shape.
STYLES: dict[str, TypeStyle] = {
    EventType.BATTLES.value: TypeStyle("Battles", "#b2182b", "o", "///"),
    EventType.EXPLOSIONS.value: TypeStyle("Explosions/Remote violence", "#e69f00", "^", "xx"),
    EventType.VIOLENCE_AGAINST_CIVILIANS.value: TypeStyle("Violence against civilians", "#542788", "s", "\\\\\\"),
    EventType.PROTESTS.value: TypeStyle("Protests", "#56b4e9", "D", ".."),
    EventType.RIOTS.value: TypeStyle("Riots", "#8c510a", "v", "--"),
    EventType.STRATEGIC.value: TypeStyle("Strategic developments", "#7f7f7f", "P", "oo"),
}

#: Syria with a margin (lon_min, lon_max, lat_min, lat_max): the default frame of the map.
SYRIA_FRAME = (35.4, 42.6, 32.0, 37.6)
#: Degrees of margin around the events, and the smallest height of the frame (about 280 km).
MARGIN = 0.6
MIN_SPAN = 2.5
#: How many places (the deadliest) get their name written beside the point.
PLACE_LABELS = 8


@dataclass(frozen=True)
class MapResult:
    png: bytes
    outlines: bool
    note: str | None
    plotted: int
    unplotted: int


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return buf.getvalue()


def marker_area(fatalities: int) -> float:
    """Marker area in points²: grows with the square root so one massacre does not hide the rest."""
    return 24.0 + 32.0 * math.sqrt(max(fatalities, 0))


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [poly[0] for poly in geometry["coordinates"]]
    return []


def _overlaps(ring: list[list[float]], frame: tuple[float, float, float, float]) -> bool:
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    x0, x1, y0, y1 = frame
    return min(xs) <= x1 and max(xs) >= x0 and min(ys) <= y1 and max(ys) >= y0


def _outlines() -> tuple[dict[str, Any] | None, dict[str, Any] | None, str | None]:
    """(countries, governorates, note): the vendored outlines, or a note saying why there are none."""
    try:
        from sitrep import basemap

        return basemap.country_outlines(), basemap.admin1_outlines(), None
    except ImportError:
        return None, None, "Outlines unavailable: this installation has no sitrep.basemap module."
    except Exception as exc:  # BasemapMissing or an unreadable file: draw points only, say so
        return None, None, f"Outlines not drawn: {exc}"


def _frame(points: Sequence[EventLine]) -> tuple[float, float, float, float]:
    """The events' extent with a margin (at least MIN_SPAN degrees tall), else Syria's frame."""
    if not points:
        return SYRIA_FRAME
    lons = [p.longitude for p in points]
    lats = [p.latitude for p in points]
    x0, x1 = min(lons) - MARGIN, max(lons) + MARGIN  # type: ignore[type-var, operator]
    y0, y1 = min(lats) - MARGIN, max(lats) + MARGIN  # type: ignore[type-var, operator]
    if y1 - y0 < MIN_SPAN:
        mid = (y0 + y1) / 2
        y0, y1 = mid - MIN_SPAN / 2, mid + MIN_SPAN / 2
    if x1 - x0 < MIN_SPAN * 1.2:
        mid = (x0 + x1) / 2
        x0, x1 = mid - MIN_SPAN * 0.6, mid + MIN_SPAN * 0.6
    return x0, x1, y0, y1


def _label_places(ax: Any, points: Sequence[EventLine]) -> None:
    """Name the deadliest places (then the busiest) beside their points."""
    by_place: dict[tuple[float, float], list[EventLine]] = {}
    for e in points:
        by_place.setdefault((e.longitude, e.latitude), []).append(e)  # type: ignore[arg-type]
    ranked = sorted(by_place.items(), key=lambda kv: (-sum(e.fatalities for e in kv[1]), -len(kv[1])))
    done: list[tuple[float, float]] = []
    names: set[str] = set()
    for (lon, lat), group in ranked:
        # One label per name, none crowding another: a label must be legible or absent.
        if len(done) == PLACE_LABELS or group[0].place in names:
            continue
        if any(abs(lon - x) < 0.25 and abs(lat - y) < 0.12 for x, y in done):
            continue
        done.append((lon, lat))
        names.add(group[0].place)
        label = group[0].place + (f" ({len(group)})" if len(group) > 1 else "")  # stacked points: say how many
        ax.annotate(label, (lon, lat), xytext=(7, 5), textcoords="offset points", fontsize=8,
                    color="black", zorder=5, path_effects=_HALO)


def _governorate_labels() -> list[tuple[str, float, float]]:
    from sitrep.resolve.gazetteer import load_governorates

    return [(g.name, g.lon, g.lat) for g in load_governorates()]


def draw_map(brief: Brief) -> MapResult:
    """Events of the period as points (colour and shape by type, area by fatalities) on outlines."""
    points = [e for e in brief.events if e.latitude is not None and e.longitude is not None]
    countries, admin1, note = _outlines()
    fig, ax = plt.subplots(figsize=(7.2, 5.2))
    x0, x1, y0, y1 = _frame(points)
    ax.set_facecolor("#eef3f7" if countries else "white")
    if countries:
        for feature in countries["features"]:
            syria = feature["properties"].get("name") == "Syria"
            for ring in _rings(feature["geometry"]):
                if not _overlaps(ring, (x0, x1, y0, y1)):
                    continue  # the world has 241 countries; draw only what the frame shows
                ax.add_patch(
                    Polygon(ring, closed=True, facecolor="white" if syria else "#e4e4e4", edgecolor="#555555", linewidth=0.8, zorder=1)
                )
    if admin1:
        for feature in admin1["features"]:
            for ring in _rings(feature["geometry"]):
                ax.add_patch(Polygon(ring, closed=True, fill=False, edgecolor="#9a9a9a", linewidth=0.5, linestyle="--", zorder=2))
    for name, lon, lat in _governorate_labels():
        if x0 <= lon <= x1 and y0 <= lat <= y1:
            ax.text(lon, lat, name.upper(), fontsize=6.5, color="#8a8a8a", ha="center", va="center", zorder=3,
                    path_effects=_HALO)
    # Big markers first so small ones stay on top and visible.
    for event in sorted(points, key=lambda e: -e.fatalities):
        style = STYLES[event.event_type]
        ax.scatter(
            [event.longitude],
            [event.latitude],
            s=marker_area(event.fatalities),
            c=style.color,
            marker=style.marker,
            edgecolors="black",
            linewidths=0.6,
            alpha=0.85,
            zorder=4,
        )
    _label_places(ax, points)
    present = [t.value for t in EVENT_TYPES if any(e.event_type == t.value for e in points)]
    handles: list[Any] = [
        Line2D([], [], linestyle="", marker=STYLES[t].marker, markerfacecolor=STYLES[t].color, markeredgecolor="black", markersize=7, label=STYLES[t].label)
        for t in present
    ]
    sizes = [n for n in (1, 10, 50) if n <= max((e.fatalities for e in points), default=0)]
    handles += [
        Line2D([], [], linestyle="", marker="o", markerfacecolor="white", markeredgecolor="black", markersize=math.sqrt(marker_area(n)), label=f"{n} killed")
        for n in sizes
    ]
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False,
                  labelspacing=1.2, borderaxespad=0.0, title="event type / killed", title_fontsize=8)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1.0 / math.cos(math.radians((y0 + y1) / 2)))  # equirectangular, true shape at mid-latitude
    ax.tick_params(labelsize=7)
    ax.set_xlabel("longitude", fontsize=7)
    ax.set_ylabel("latitude", fontsize=7)
    unplotted = len(brief.events) - len(points)
    title = f"Events {brief.period.label()}"
    ax.set_title(title, fontsize=10)
    if note:
        # Short in the picture; the full reason (and the fix) goes in the caption.
        ax.text(0.5, 0.015, "No outlines: basemap data not built (see caption)", transform=ax.transAxes, fontsize=7,
                ha="center", va="bottom", bbox={"facecolor": "#fff3cd", "edgecolor": "#b58900", "boxstyle": "round"}, zorder=6)
    return MapResult(png=_png(fig), outlines=countries is not None, note=note, plotted=len(points), unplotted=unplotted)


def draw_timeline(brief: Brief) -> bytes:
    """Events (top) and fatalities (bottom) per day, stacked by type, with hatches for greyscale."""
    days = brief.period.dates()
    present = [t.value for t in EVENT_TYPES if any(t.value in v for v in brief.daily.values())]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.5, 3.8), sharex=True, gridspec_kw={"height_ratios": [1, 1]})
    width = 0.8 if len(days) <= 120 else 1.0
    for ax, index, ylabel in ((top, 0, "events"), (bottom, 1, "fatalities")):
        base = [0] * len(days)
        for t in present:
            values = [brief.daily.get(d.isoformat(), {}).get(t, (0, 0))[index] for d in days]
            if not any(values):
                continue
            style = STYLES[t]
            ax.bar(days, values, bottom=base, width=width, color=style.color, hatch=style.hatch, edgecolor="black",
                   linewidth=0.4, label=style.label)
            base = [b + v for b, v in zip(base, values)]
        ax.set_ylabel(ylabel, fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(axis="y", color="#dddddd", linewidth=0.5)
        ax.set_axisbelow(True)
        ax.yaxis.get_major_locator().set_params(integer=True)
    bottom.set_xlim(_day_num(days[0]) - 0.6, _day_num(days[-1]) + 0.6)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    bottom.xaxis.set_major_locator(locator)
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    handles = [Patch(facecolor=STYLES[t].color, hatch=STYLES[t].hatch, edgecolor="black", label=STYLES[t].label) for t in present]
    if handles:
        fig.legend(handles=handles, loc="lower center", ncol=min(3, len(handles)), fontsize=7, frameon=False,
                   bbox_to_anchor=(0.5, -0.02))
    top.set_title(f"Events and fatalities per day, {brief.period.label()}", fontsize=10)
    fig.tight_layout(rect=(0, 0.08 if handles else 0, 1, 1))
    return _png(fig)


def _day_num(d: date) -> float:
    return float(mdates.date2num(d))
