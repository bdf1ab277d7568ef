"""One renderer per format; each takes the same PackContent and returns the file's bytes.

To add a format: write `renderers/<format>.py` with `render(pack) -> bytes`, then add a line to
FORMATS below (CONTRIBUTING.md, "add a report format").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from safer.reports.content import PackContent


@dataclass(frozen=True)
class Format:
    code: str
    label: str
    extension: str
    content_type: str
    render: Callable[[PackContent], bytes]


def _html(pack: PackContent) -> bytes:
    from safer.reports.renderers import html

    return html.render(pack)


def _pdf(pack: PackContent) -> bytes:
    from safer.reports.renderers import pdf

    return pdf.render(pack)


def _docx(pack: PackContent) -> bytes:
    from safer.reports.renderers import docx

    return docx.render(pack)


def _xlsx(pack: PackContent) -> bytes:
    from safer.reports.renderers import xlsx

    return xlsx.render(pack)


FORMATS: dict[str, Format] = {
    f.code: f
    for f in (
        Format("pdf", "PDF", "pdf", "application/pdf", _pdf),
        Format(
            "docx",
            "Word",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            _docx,
        ),
        Format(
            "xlsx",
            "Excel",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _xlsx,
        ),
        Format("html", "Web page", "html", "text/html; charset=utf-8", _html),
    )
}


def get_format(code: str) -> Format:
    """The format called `code`, or ValueError naming the formats there are."""
    try:
        return FORMATS[code.strip().lower()]
    except KeyError:
        raise ValueError(
            f"There is no format {code!r}: choose one of {', '.join(FORMATS)}"
        ) from None
