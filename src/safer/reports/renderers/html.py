"""The pack as one self-contained web page (styles inline, charts as inline SVG)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from safer.reports.charts import has_chart, trend_svg
from safer.reports.content import PackContent

STATIC = Path(__file__).resolve().parent.parent / "static" / "reports"


@cache
def stylesheet(name: str) -> str:
    return (STATIC / name).read_text()


def sections(pack: PackContent) -> list[dict[str, Any]]:
    """Each theme with its measures paired with their charts, for the templates."""
    return [
        {
            "theme": theme,
            "measures": [
                {
                    "row": row,
                    "svg": trend_svg(row, f"t{theme.number}m{row.number}") if has_chart(row) else "",
                }
                for row in theme.measures
            ],
        }
        for theme in pack.themes
    ]


def document(pack: PackContent, *, css: str, version: int | None = None) -> str:
    return render_to_string(
        "reports/pack_document.html",
        {"pack": pack, "sections": sections(pack), "css": css, "version": version},
    )


def render(pack: PackContent) -> bytes:
    return document(pack, css=stylesheet("pack.css")).encode()
