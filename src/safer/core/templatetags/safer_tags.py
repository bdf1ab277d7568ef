"""Template helpers: RAG tags that always carry their word, and small trend charts."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def number(value: Decimal | int | str | None) -> str:
    """412.00 → 412; 12.50 → 12.5; 4210 → 4,210; nothing → —."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        whole, _, fraction = text.partition(".")
        return f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    return f"{value:,}"


@register.inclusion_tag("core/partials/rag.html")
def rag(result: Any, show_reason: bool = False) -> dict[str, Any]:
    return {"result": result, "show_reason": show_reason}


@register.simple_tag
def sparkline(
    trend: Sequence[tuple[Any, Decimal | None]], width: int = 160, height: int = 40
) -> SafeString:
    """A small line chart of a measure's last quarters, with its numbers as its accessible name."""
    known = [(i, float(v)) for i, (_, v) in enumerate(trend) if v is not None]
    words = "; ".join(f"{q.label}: {number(v)}" for q, v in trend if v is not None)
    if not known:
        return mark_safe('<span class="govuk-body-s">No values yet</span>')
    low = min(v for _, v in known)
    high = max(v for _, v in known)
    span = (high - low) or 1.0
    step = (width - 8) / max(len(trend) - 1, 1)

    def point(i: int, v: float) -> tuple[float, float]:
        return 4 + i * step, height - 4 - (v - low) / span * (height - 8)

    points = [(f"{x:.1f}", f"{y:.1f}") for x, y in (point(i, v) for i, v in known)]
    path = " ".join(f"{x},{y}" for x, y in points)
    last_x, last_y = points[-1]
    return format_html(
        '<svg class="safer-sparkline" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-label="Trend: {}" xmlns="http://www.w3.org/2000/svg">'
        '<polyline class="safer-sparkline__line" points="{}" fill="none"/>{}'
        '<circle class="safer-sparkline__last" cx="{}" cy="{}" r="3"/></svg>',
        width,
        height,
        width,
        height,
        words,
        path,
        format_html_join(
            "", '<circle class="safer-sparkline__point" cx="{}" cy="{}" r="1.5"/>', points[:-1]
        ),
        last_x,
        last_y,
    )
