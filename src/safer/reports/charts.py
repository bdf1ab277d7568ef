"""Trend charts drawn on the server with matplotlib: SVG (vector) for HTML and PDF, PNG for Word.

Every chart carries its alt text (the numbers in words), and every format prints the same numbers
in a table beside it. Suppressed values are gaps in the line, never points.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from html import escape

from matplotlib import rcParams
from matplotlib.figure import Figure

from safer.reports.content import MeasureRow

rcParams["svg.fonttype"] = "none"  # text stays text: smaller files, selectable in the PDF
rcParams["svg.hashsalt"] = "safer"  # the same data draws the same bytes
rcParams["font.family"] = "DejaVu Sans"

_BLUE = "#1d70b8"
_GREY = "#505a5f"


def _figure(row: MeasureRow) -> Figure:
    figure = Figure(figsize=(4.2, 1.6), dpi=100)
    axes = figure.add_subplot()
    labels = [p.quarter.replace("/", "/\u200b") for p in row.trend]
    xs = list(range(len(row.trend)))
    ys = [p.value if p.value is not None else float("nan") for p in row.trend]
    axes.plot(xs, ys, color=_BLUE, marker="o", markersize=3, linewidth=1.5)
    if row.target is not None:
        axes.axhline(row.target, color=_GREY, linestyle="--", linewidth=1, label="Target")
        axes.legend(loc="best", fontsize=6, frameon=False)
    axes.set_xticks(xs, [label.split(" ")[-1] + "\n" + label.split(" ")[0] for label in labels])
    axes.tick_params(labelsize=6, length=2)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if row.unit:
        axes.set_ylabel(row.unit, fontsize=6)
    figure.subplots_adjust(left=0.13, right=0.98, top=0.95, bottom=0.24)
    return figure


_STYLE = re.compile(r'style="([^"]*)"')
_ID = re.compile(r'id="([^"]+)"')


def _attributes(match: re.Match[str]) -> str:
    """style="fill: #fff; stroke: none" → fill="#fff" stroke="none" (allowed under a strict CSP)."""
    pairs = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not name:
            continue
        if name == "font":  # "6px 'DejaVu Sans'"
            size, _, family = value.partition(" ")
            pairs += [("font-size", size), ("font-family", family.strip("'\""))]
        else:
            pairs.append((name, value))
    return " ".join(f'{name}="{escape(value)}"' for name, value in pairs)


def _clean(svg: str, prefix: str) -> str:
    """Inline-ready SVG: no <style> element, no style attributes, ids unique on the page."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.S)
    svg = _STYLE.sub(_attributes, svg)
    for old in set(_ID.findall(svg)):
        new = f"{prefix}-{old}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"')
        svg = svg.replace(f"#{old})", f"#{new})").replace(f'href="#{old}"', f'href="#{new}"')
    return svg


def has_chart(row: MeasureRow) -> bool:
    """A chart only where there is a line to draw: a trend with at least one shown value."""
    return any(point.value is not None for point in row.trend)


def trend_svg(row: MeasureRow, prefix: str = "chart") -> str:
    """An inline <svg> element with role="img", its alt text as <title> and aria-label."""
    return _svg(row.model_dump_json(), prefix)


@lru_cache(maxsize=256)  # the web page and the PDF of one build draw the same charts
def _svg(row_json: str, prefix: str) -> str:
    row = MeasureRow.model_validate_json(row_json)
    buffer = io.StringIO()
    _figure(row).savefig(buffer, format="svg", metadata={"Date": None})
    svg = _clean(buffer.getvalue(), prefix)
    alt = escape(row.chart_alt)
    svg = re.sub(
        r"<svg ",
        f'<svg role="img" aria-label="{alt}" class="safer-chart" ',
        svg,
        count=1,
    )
    return re.sub(r"(<svg[^>]*>)", rf"\1<title>{alt}</title>", svg, count=1)


def trend_png(row: MeasureRow) -> bytes:
    buffer = io.BytesIO()
    _figure(row).savefig(buffer, format="png", dpi=150)
    return buffer.getvalue()
