"""The pack as a workbook (openpyxl): a sheet of measures and values, a sheet of actions.

One row per measure per quarter of its trend (long format), so a pivot table needs no reshaping.
Suppressed counts are the words "fewer than 5", never a number.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from safer.reports.content import PackContent

MEASURE_COLUMNS = [
    "Theme",
    "Measure number",
    "Measure",
    "Kind",
    "Unit",
    "Direction",
    "Quarter",
    "Is report quarter",
    "Value",
    "Target",
    "RAG",
    "RAG reason",
    "Commentary",
]
ACTION_COLUMNS = [
    "Theme",
    "Action number",
    "Action",
    "Lead",
    "Status",
    "Due",
    "Overdue",
    "RAG",
    "RAG reason",
    "Progress note",
]


def _sheet(ws: Worksheet, name: str, columns: list[str], rows: list[list[object]]) -> None:
    ws.append(columns)
    for row in rows:
        ws.append(row)
    ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    ws.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        width = 50 if column in {"Measure", "Action", "RAG reason", "Commentary"} else 16
        ws.column_dimensions[get_column_letter(index)].width = width


def render(pack: PackContent) -> bytes:
    book = Workbook()
    measures = book.create_sheet("Measures", 0)
    book.remove(book.worksheets[1])
    measures.title = "Measures"
    rows: list[list[object]] = []
    for theme in pack.themes:
        for m in theme.measures:
            points = m.trend or []
            if not points:  # milestones: one row for the report quarter
                rows.append(
                    [
                        theme.title,
                        m.number,
                        m.text,
                        m.kind,
                        m.unit,
                        m.direction,
                        pack.quarter,
                        True,
                        m.value_text,
                        m.target_text,
                        m.rag.label,
                        m.rag.reason,
                        m.commentary,
                    ]
                )
            for point in points:
                current = point.quarter == pack.quarter
                value: object = point.value if point.value is not None else None
                if point.text == "fewer than 5":
                    value = point.text
                rows.append(
                    [
                        theme.title,
                        m.number,
                        m.text,
                        m.kind,
                        m.unit,
                        m.direction,
                        point.quarter,
                        current,
                        value,
                        m.target if current else None,
                        m.rag.label if current else None,
                        m.rag.reason if current else None,
                        m.commentary if current else None,
                    ]
                )
    _sheet(measures, "Measures", MEASURE_COLUMNS, rows)
    actions = book.create_sheet("Actions")
    _sheet(
        actions,
        "Actions",
        ACTION_COLUMNS,
        [
            [
                theme.title,
                a.number,
                a.text,
                a.lead,
                a.status,
                a.due,
                a.overdue,
                a.rag.label,
                a.rag.reason,
                a.progress_note,
            ]
            for theme in pack.themes
            for a in theme.actions
        ],
    )
    book.properties.title = pack.title
    book.properties.creator = pack.board
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
