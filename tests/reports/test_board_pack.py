"""The board pack: its content, every format read back, background builds and frozen versions."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from docx import Document
from openpyxl import load_workbook

from safer.core.periods import Quarter
from safer.partnership.models import CspArea
from safer.reports.actions import do_publish_board_pack, do_request_board_pack
from safer.reports.builders import build_pack
from safer.reports.enums import PackStatus
from safer.reports.models import BoardPack
from safer.reports.renderers import FORMATS
from safer.strategy import actions
from safer.strategy.enums import UpdateStatus
from safer.strategy.models import MeasureValue
from tests.reports.conftest import Q1, Closed, poppler


def _render(closed: Closed, fmt: str) -> bytes:
    """One format of the quarter's pack, rendered straight from its content."""
    return FORMATS[fmt].render(build_pack(closed.cycle.agreement, Q1))


def _pack(closed: Closed) -> BoardPack:
    pack = do_request_board_pack(
        closed.cycle.agreement, Q1, area=None, acting_user=closed.cycle.diana
    )
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY, pack.error
    return pack


def test_it_orders_the_pack_for_the_board(closed: Closed) -> None:
    content = build_pack(closed.cycle.agreement, Q1)
    theme = content.themes[0]
    assert [s.number for s in content.summary] == [1, 2, 3, 4]
    assert (content.summary[0].amber, content.summary[0].green) == (1, 2)  # + milestone
    reports = next(m for m in theme.measures if m.text == closed.cycle.reports.text)
    assert (reports.value_text, reports.target_text, reports.rag.label) == ("97", "100", "Amber")
    assert reports.rag.reason == "97 is below the target of 100, within the 5% tolerance"
    assert reports.commentary == "Reporting dipped over the summer holidays."
    assert [i.text for i in content.off_track] == [closed.cycle.reports.text]
    assert theme.actions[0].progress_note == "Training booked for September."


def test_it_suppresses_a_count_under_five_everywhere_it_would_show(closed: Closed) -> None:
    content = build_pack(closed.cycle.agreement, Q1)
    repeats = next(m for m in content.themes[0].measures if m.text == closed.cycle.repeats.text)
    assert (repeats.value_text, repeats.value, repeats.suppressed) == ("fewer than 5", None, True)
    assert repeats.rag.reason.startswith("Fewer than 5 is at or below the target of 100")
    assert repeats.trend[-1].text == "fewer than 5"
    assert repeats.trend[-1].value is None
    assert "3" not in repeats.chart_alt.split("Q1:")[-1]


def test_it_builds_one_area_with_that_areas_values(closed: Closed) -> None:
    content = build_pack(closed.cycle.agreement, Q1, area=CspArea.objects.get(name="Preston"))
    reports = next(m for m in content.themes[0].measures if m.text == closed.cycle.reports.text)
    assert content.area == "Preston"
    assert content.title == "Board performance report, 2011/12 Q1, Preston"
    assert reports.value_text == "40"


def test_the_pdf_has_contents_page_numbers_and_the_figures(closed: Closed, tmp_path: Path) -> None:
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(_render(closed, "pdf"))
    info = poppler("pdfinfo", pdf)
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert "Tagged:          yes" in info
    assert "Board performance report, 2011/12 Q1" in info
    poppler("pdftoppm", "-r", "40", "-png", pdf, tmp_path / "page")
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages >= 6  # cover and contents, summary, four themes, exceptions
    assert all(image.stat().st_size > 2000 for image in images)  # every page drew something
    text = poppler("pdftotext", "-layout", pdf, "-")
    first = text.split("\f")[0]
    assert "Contents" in first and "1. Protect and support vulnerable people" in first
    assert f"Page 1 of {pages}" in first
    assert "97 is below the target of 100" in text
    assert "fewer than 5" in text
    assert "Exceptions for the Board" in text.split("\f")[-2]


def test_the_word_file_has_real_headings_and_tables(closed: Closed) -> None:
    doc = Document(io.BytesIO(_render(closed, "docx")))
    headings = [
        (p.style.name, p.text)  # type: ignore[union-attr]
        for p in doc.paragraphs
        if p.style.name.startswith(("Head", "Title"))  # type: ignore[union-attr]
    ]
    assert headings[0] == ("Title", "Board performance report, 2011/12 Q1")
    assert ("Heading 1", "Summary") in headings
    assert ("Heading 1", "1. Protect and support vulnerable people") in headings
    assert ("Heading 1", "Exceptions for the Board") in headings
    summary = doc.tables[0]
    assert [c.text for c in summary.rows[0].cells] == [
        "Theme", "Red", "Amber", "Green", "Unknown", "Actions", "Overdue",
    ]  # fmt: skip
    measures = next(t for t in doc.tables if t.rows[0].cells[0].text == "Measure")
    row = next(r for r in measures.rows if r.cells[0].text == closed.cycle.reports.text)
    assert [c.text for c in row.cells[1:5]] == ["97", "100", "Higher is better", "Amber"]
    assert len(doc.inline_shapes) == 1  # the one chart with a value to draw, with alt text
    assert doc.inline_shapes[0]._inline.docPr.get("descr").startswith("Trend of")


def test_the_excel_file_matches_the_database(closed: Closed) -> None:
    book = load_workbook(io.BytesIO(_render(closed, "xlsx")))
    assert book.sheetnames == ["Measures", "Actions"]
    rows = list(book["Measures"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    col = {name: i for i, name in enumerate(header)}
    current = {
        (r[col["Theme"]], r[col["Measure number"]]): r[col["Value"]]
        for r in body
        if r[col["Is report quarter"]] and r[col["Quarter"]] == Q1.label
    }
    approved = MeasureValue.objects.filter(
        period=closed.cycle.q1, area=None, status=UpdateStatus.APPROVED, value__isnull=False
    )
    for value in approved:
        assert value.value is not None
        expected = "fewer than 5" if value.value < 5 else float(value.value)
        assert current[(value.measure.theme.title, value.measure.number)] == expected
    assert len(approved) == 2
    actions_sheet = list(book["Actions"].iter_rows(values_only=True))
    assert actions_sheet[0][:5] == ("Theme", "Action number", "Action", "Lead", "Status")
    assert any(r[9] == "Training booked for September." for r in actions_sheet[1:])


def test_a_published_pack_is_frozen_and_a_correction_makes_the_next_version(
    published: BoardPack, closed: Closed
) -> None:
    files = {f.format: (f.sha256, f.read()) for f in published.files.all()}
    actions.do_correct_measure_value(
        closed.reports,
        value=Decimal("104"),
        reason="The force re-ran its figures.",
        acting_user=closed.cycle.diana,
    )
    published.refresh_from_db()
    assert {f.format: (f.sha256, f.read()) for f in published.files.all()} == files
    assert published.pack_content().themes[0].measures[0].value_text == "97"  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="already published"):
        do_publish_board_pack(published, acting_user=closed.cycle.diana)
    second = _pack(closed)
    assert second.version == published.version + 1
    measures = second.pack_content().themes[0].measures  # type: ignore[union-attr]
    assert next(m for m in measures if m.text == closed.cycle.reports.text).value_text == "104"
    book = load_workbook(io.BytesIO(second.files_by_format()["xlsx"].read()))
    rows = book["Measures"].iter_rows(values_only=True)
    assert any(r[2] == closed.cycle.reports.text and r[8] == 104 for r in rows)


def test_building_and_publishing_need_their_permissions(closed: Closed) -> None:
    erin = closed.cycle.erin  # a theme lead
    with pytest.raises(PermissionDenied):
        do_request_board_pack(closed.cycle.agreement, Q1, area=None, acting_user=erin)
    pack = BoardPack.objects.create(
        agreement=closed.cycle.agreement, start_year=2011, quarter=1, version=1,
        status=PackStatus.READY,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        do_publish_board_pack(pack, acting_user=erin)


def test_a_quarter_without_a_reporting_period_is_refused(closed: Closed) -> None:
    with pytest.raises(ValidationError, match="no reporting period for 2019/20 Q1"):
        do_request_board_pack(
            closed.cycle.agreement, Quarter(2019, 1), area=None, acting_user=closed.cycle.diana
        )
    assert not BoardPack.objects.exists()


def test_the_page_builds_a_pack_and_shows_its_progress_and_files(
    closed: Closed, diana_client: Client
) -> None:
    response = diana_client.post("/reports/", {"quarter": "2011-Q1", "area": ""})
    pack = BoardPack.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{pack.pk}/"
    page = diana_client.get(f"/reports/{pack.pk}/").content.decode()
    assert "Download the PDF file" in page and "Publish this version" in page
    progress = diana_client.get(f"/reports/{pack.pk}/progress/").content.decode()
    assert "hx-trigger" not in progress  # finished: the polling stops
    download = diana_client.get(f"/reports/{pack.pk}/file/xlsx/")
    assert download["Content-Disposition"].startswith("attachment")
    view = diana_client.get(f"/reports/{pack.pk}/view/").content.decode()
    assert "Exceptions for the Board" in view and 'role="img"' in view
    assert "style=" not in view.split("<main")[1]  # charts carry no inline styles (CSP)
    response = diana_client.post(f"/reports/{pack.pk}/publish/")
    pack.refresh_from_db()
    assert pack.is_published


def test_a_pack_still_building_polls_for_progress(closed: Closed, diana_client: Client) -> None:
    pack = BoardPack.objects.create(
        agreement=closed.cycle.agreement, start_year=2011, quarter=1, version=1, progress=40,
        status=PackStatus.BUILDING, progress_message="Writing the PDF file",
    )  # fmt: skip
    html = diana_client.get(f"/reports/{pack.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'value="40"' in html and "Writing the PDF file" in html


def test_the_build_form_names_a_bad_quarter(closed: Closed, diana_client: Client) -> None:
    response = diana_client.post("/reports/", {"quarter": "2011-Q9"})
    assert "Select a valid choice" in response.content.decode()
    assert not BoardPack.objects.exists()


def test_a_theme_lead_may_read_packs_but_not_build_them(closed: Closed) -> None:
    client = Client()
    client.force_login(closed.cycle.erin)
    assert client.get("/reports/").status_code == 200
    assert client.post("/reports/", {"quarter": "2011-Q1"}).status_code == 403


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a task
def test_the_database_backend_queues_the_build_for_the_worker(
    closed: Closed, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    pack = do_request_board_pack(
        closed.cycle.agreement, Q1, area=None, acting_user=closed.cycle.diana
    )
    pack.refresh_from_db()
    assert pack.status == PackStatus.QUEUED
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    pack.refresh_from_db()
    assert pack.status == PackStatus.READY
    assert sorted(pack.files_by_format()) == ["docx", "html", "pdf", "xlsx"]


def test_the_command_writes_a_pack_file(closed: Closed, tmp_path: Path) -> None:
    out = tmp_path / "pack.xlsx"
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "board_pack",
        quarter="2011-Q1",
        format="xlsx",
        output=str(out),
        stdout=stdout,
        stderr=stderr,
    )
    assert "Excel written to" in stdout.getvalue()
    assert "100% Done" in stderr.getvalue()
    assert load_workbook(out).sheetnames == ["Measures", "Actions"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"quarter": "2011-Q9", "format": "pdf"}, "--quarter: a quarter is written like"),
        ({"quarter": "2019-Q1", "format": "pdf"}, "--quarter: there is no reporting period"),
        ({"quarter": "2011-Q1", "format": "odt"}, "--format: There is no format 'odt'"),
        ({"quarter": "2011-Q1", "format": "pdf", "area": "Narnia"}, "--area: there is no area"),
        ({"quarter": "2011-Q1", "format": "pdf", "output": "/no/such/x.pdf"}, "--output: the fo"),
    ],
)
def test_the_command_names_what_is_wrong(
    closed: Closed, options: dict[str, str], message: str
) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("board_pack", **options)


def test_a_published_pack_says_when_values_were_corrected_since(
    published: BoardPack, closed: Closed, diana_client: Client
) -> None:
    actions.do_correct_measure_value(
        closed.reports, value=Decimal("104"), reason="Re-run.", acting_user=closed.cycle.diana
    )
    page = diana_client.get(f"/reports/{published.pk}/").content.decode()
    assert "1 value corrected since this version was built" in page
    assert "Build the next version" in page
    assert "Publish this version" not in page
