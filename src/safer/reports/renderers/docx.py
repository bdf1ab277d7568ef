"""The pack as a Word document (python-docx): real headings, real tables, charts with alt text."""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt
from docx.table import Table

from safer.reports.charts import has_chart, trend_png
from safer.reports.content import PackContent


def _table(doc: DocumentType, header: list[str], rows: list[list[str]]) -> Table:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    # Repeat the header row on every page, as Word's "Repeat as header row" does.
    from docx.oxml import OxmlElement

    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header_flag = OxmlElement("w:tblHeader")
    tr_pr.append(header_flag)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    result: Table = table
    return result


def render(pack: PackContent) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.left_margin = section.right_margin = Cm(2)
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = pack.title
    doc.core_properties.author = pack.board
    doc.core_properties.subject = pack.agreement
    section.header.paragraphs[0].text = f"{pack.title} · {pack.board}"

    doc.add_heading(pack.title, level=0)
    doc.add_paragraph(f"{pack.agreement}{f' · {pack.plan}' if pack.plan else ''}")
    doc.add_paragraph(
        f"Quarter: {pack.quarter} ({pack.months}). "
        f"{'Area: ' + pack.area if pack.area else 'The whole partnership'}. "
        f"Built {pack.built_at:%-d %B %Y, %H:%M}. "
        "Counts of fewer than 5 are not shown, so that no one can be identified."
    )
    if pack.demo:
        doc.add_paragraph(
            "Demonstration data: these values were made up to show how Safer works. "
            "They are not Lancashire’s real performance."
        )

    doc.add_heading("Summary", level=1)
    totals = pack.totals
    _table(
        doc,
        ["Theme", "Red", "Amber", "Green", "Unknown", "Actions", "Overdue"],
        [
            [f"{t.number}. {t.title}" if t.number else t.title]
            + [str(n) for n in (t.red, t.amber, t.green, t.unknown, t.actions, t.overdue)]
            for t in [*pack.summary, totals]
        ],
    )
    doc.add_heading("Off track", level=2)
    if pack.off_track:
        _table(
            doc,
            ["Status", "Measure or action", "Theme", "Why"],
            [[i.rag.label, f"{i.kind}: {i.text}", i.theme, i.rag.reason] for i in pack.off_track],
        )
    else:
        doc.add_paragraph("Nothing is Red or Amber this quarter.")
    doc.add_heading(f"What changed since {pack.previous_quarter}", level=2)
    if pack.changes:
        _table(
            doc,
            ["Measure", "Theme", "Was", "Now"],
            [[c.text, c.theme, c.before, c.after] for c in pack.changes],
        )
    else:
        doc.add_paragraph("No measure changed status since the previous quarter.")

    for theme in pack.themes:
        doc.add_page_break()  # type: ignore[no-untyped-call]
        doc.add_heading(f"{theme.number}. {theme.title}", level=1)
        doc.add_paragraph(f"Theme lead: {theme.lead}")
        doc.add_heading("Success measures", level=2)
        _table(
            doc,
            ["Measure", "Value", "Target", "Direction", "Status", "Why"],
            [
                [m.text, m.value_text, m.target_text, m.direction, m.rag.label, m.rag.reason]
                for m in theme.measures
            ],
        )
        for measure in theme.measures:
            doc.add_heading(measure.text, level=3)
            if has_chart(measure):
                doc.add_picture(io.BytesIO(trend_png(measure)), width=Cm(12))
                picture = doc.inline_shapes[-1]
                picture._inline.docPr.set("descr", measure.chart_alt)
                picture._inline.docPr.set("title", f"Trend: {measure.text}")
            if measure.trend:
                _table(
                    doc,
                    [p.quarter for p in measure.trend],
                    [[p.text for p in measure.trend]],
                )
            doc.add_paragraph(f"Theme lead’s commentary: {measure.commentary or 'None given.'}")
        doc.add_heading("Actions", level=2)
        _table(
            doc,
            ["Action", "Lead", "Due", "Status", "RAG", "Progress"],
            [
                [
                    a.text,
                    a.lead,
                    a.due + (" (overdue)" if a.overdue else ""),
                    a.status,
                    a.rag.label,
                    a.progress_note,
                ]
                for a in theme.actions
            ],
        )

    doc.add_page_break()  # type: ignore[no-untyped-call]
    doc.add_heading("Exceptions for the Board", level=1)
    if pack.exceptions:
        _table(
            doc,
            ["Item", "Theme", "Why", "Decision asked"],
            [[e.text, e.theme, e.why, e.decision] for e in pack.exceptions],
        )
    else:
        doc.add_paragraph("There are no exceptions this quarter.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
