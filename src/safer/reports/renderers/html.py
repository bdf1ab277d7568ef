"""The pack as one self-contained web page (styles inline, charts as inline SVG)."""

from __future__ import annotations

import base64
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from safer.reports.charts import has_chart, trend_svg
from safer.reports.content import MeasureRow, PackContent

STATIC = Path(__file__).resolve().parent.parent / "static" / "reports"


@cache
def stylesheet(name: str) -> str:
    return (STATIC / name).read_text()


def _as_image(svg: str, alt: str) -> str:
    """The chart as an <img> (WeasyPrint draws it without running the page's CSS over it)."""
    data = base64.b64encode(svg.encode()).decode()
    source = f"data:image/svg+xml;base64,{data}"
    return f'<img class="pack-chart__image" src="{source}" alt="{escape(alt)}">'


def sections(pack: PackContent, *, images: bool = False) -> list[dict[str, Any]]:
    """Each theme with its measures paired with their charts, for the templates."""

    def chart(row: MeasureRow, prefix: str) -> str:
        if not has_chart(row):
            return ""
        svg = trend_svg(row, prefix)
        return _as_image(svg, row.chart_alt) if images else svg

    return [
        {
            "theme": theme,
            "measures": [
                {"row": row, "svg": chart(row, f"t{theme.number}m{row.number}")}
                for row in theme.measures
            ],
        }
        for theme in pack.themes
    ]


def document(
    pack: PackContent, *, css: str, version: int | None = None, images: bool = False
) -> str:
    return render_to_string(
        "reports/pack_document.html",
        {
            "pack": pack,
            "sections": sections(pack, images=images),
            "css": css,
            "version": version,
        },
    )


def render(pack: PackContent) -> bytes:
    return document(pack, css=stylesheet("pack.css")).encode()
