"""Server-rendered SVG charts: the geometry only; templates draw it and a table beside it."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# GOV.UK Design System colours, distinguishable in print and for most colour vision.
PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#505a5f"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "4 4"]


@dataclass
class Series:
    label: str
    colour: str
    dash: str
    points: str  # "x,y x,y ..." for <polyline>
    dots: list[tuple[float, float, str]]


@dataclass
class LineChart:
    width: int
    height: int
    series: list[Series]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    left: int
    bottom: int
    right: int


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = float(10 ** math.floor(math.log10(value)))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


def line_chart(
    months: Sequence[date], series: Sequence[tuple[str, dict[date, int]]], *, width: int = 640
) -> LineChart:
    height, left, right, top, bottom = 300, 56, width - 16, 16, 260
    top_value = _nice_max(max((max(v.values(), default=0) for _, v in series), default=0))
    step = (right - left) / max(len(months) - 1, 1)

    def y(value: float) -> float:
        return round(bottom - (bottom - top) * value / top_value, 1)

    drawn = []
    for index, (label, values) in enumerate(series):
        coords = [
            (
                round(left + step * i, 1),
                y(values.get(month, 0)),
                f"{month:%b %Y}: {values.get(month, 0):,}",
            )
            for i, month in enumerate(months)
        ]
        drawn.append(
            Series(
                label=label,
                colour=PALETTE[index % len(PALETTE)],
                dash=DASHES[index % len(DASHES)],
                points=" ".join(f"{x},{yy}" for x, yy, _ in coords),
                dots=coords,
            )
        )
    every = max(1, math.ceil(len(months) / 12))
    x_labels = [
        (round(left + step * i, 1), f"{month:%b %y}")
        for i, month in enumerate(months)
        if i % every == 0
    ]
    y_ticks = [(y(top_value * k / 4), f"{top_value * k / 4:,.0f}") for k in range(5)]
    return LineChart(width, height, drawn, x_labels, y_ticks, left, bottom, right)


@dataclass
class Bar:
    label: str
    y: float
    width: float
    value: str
    special: bool
    value_x: float


@dataclass
class BarChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]
    bar_height: int


def bar_chart(
    rows: Sequence[tuple[str, Decimal | int | None, str]], *, width: int = 640
) -> BarChart:
    """Horizontal bars, in the order given: (label, value, value as text)."""
    label_width, bar_height, gap = 190, 18, 6
    top_value = max((float(v) for _, v, _ in rows if v is not None), default=0) or 1
    room = width - label_width - 90
    bars = []
    for index, (label, value, text) in enumerate(rows):
        bars.append(
            Bar(
                label=label,
                y=index * (bar_height + gap),
                width=round(room * float(value or 0) / top_value, 1),
                value=text,
                special=value is None,
                value_x=round(label_width + room * float(value or 0) / top_value + 6, 1),
            )
        )
    return BarChart(width, len(rows) * (bar_height + gap) + 4, label_width, bars, bar_height)


@dataclass
class Dot:
    x: float
    y: float
    r: float
    title: str


@dataclass
class PointMap:
    width: int
    height: int
    dots: list[Dot]
    shown: int

    @property
    def circles(self) -> SafeString:
        """The dots as SVG, built here: a template loop over a thousand dots is slow."""
        return mark_safe(  # noqa: S308 - numbers, and titles escaped here
            "".join(
                f'<circle cx="{d.x}" cy="{d.y}" r="{d.r}" fill="#1d70b8" fill-opacity="0.45" '
                f'stroke="#003078" stroke-width="0.5"><title>{escape(d.title)}</title></circle>'
                for d in self.dots
            )
        )


def point_map(points: Sequence[dict[str, object]], *, width: int = 640) -> PointMap:
    """Snapped points on a plain equirectangular projection, scaled to fit; no map tiles."""
    if not points:
        return PointMap(width, 120, [], 0)
    lons = [float(p["longitude"]) for p in points]  # type: ignore[arg-type]
    lats = [float(p["latitude"]) for p in points]  # type: ignore[arg-type]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    squash = math.cos(math.radians((north + south) / 2))
    span_x = max((east - west) * squash, 1e-6)
    span_y = max(north - south, 1e-6)
    margin = 10
    scale = (width - 2 * margin) / span_x
    height = int(min(span_y * scale + 2 * margin, 720))
    scale = min(scale, (height - 2 * margin) / span_y)
    biggest = max(int(p["count"]) for p in points)  # type: ignore[call-overload]
    dots = []
    for point, lon, lat in zip(points, lons, lats, strict=True):
        count = int(point["count"])  # type: ignore[call-overload]
        dots.append(
            Dot(
                x=round(margin + (lon - west) * squash * scale, 1),
                y=round(height - margin - (lat - south) * scale, 1),
                r=round(1.5 + 7 * math.sqrt(count / biggest), 1),
                title=f"{count:,} records at {lat:.4f}, {lon:.4f}",
            )
        )
    dots.sort(key=lambda d: -d.r)
    return PointMap(width, height, dots, len(dots))
