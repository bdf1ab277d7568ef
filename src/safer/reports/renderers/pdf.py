"""The pack as a tagged PDF (WeasyPrint): contents with page numbers, running headers, bookmarks.

WeasyPrint tags the structure (headings, tables, lists, figures with their alt text) when asked
for PDF/UA; the document language and title come from the HTML.
"""

from __future__ import annotations

import logging

# WeasyPrint reports each layout step at INFO and every unsupported CSS declaration as a warning.
for _name in ("weasyprint", "weasyprint.progress", "fontTools"):
    logging.getLogger(_name).setLevel(logging.ERROR)

from weasyprint import HTML  # type: ignore[import-untyped]  # noqa: E402

from safer.reports.content import PackContent  # noqa: E402
from safer.reports.renderers.html import document, stylesheet  # noqa: E402


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)  # type: ignore[no-any-return]


def render(pack: PackContent) -> bytes:
    css = stylesheet("pack.css") + stylesheet("pack-pdf.css")
    return html_to_pdf(document(pack, css=css, images=True))
