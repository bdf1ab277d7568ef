"""Bob imports his council's incident extract in Chromium: the progress bar while a worker
runs it, then the result; a broken extract is refused row by row. The pages pass axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from safer.accounts.models import User
from safer.incidents.models import Incident, IncidentImport
from safer.incidents.tasks import import_incident_extract
from tests.browser.conftest import sign_in
from tests.browser.test_pages import AXE_OPTIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DATA = Path(__file__).resolve().parent.parent / "data" / "incidents"


def test_bob_imports_an_extract_and_watches_it_load(
    live_server: Any, bob: User, page: Page, artifacts: Path, settings: Any, tmp_path: Path
) -> None:
    # Production's way: the upload is queued for `safer db_worker`, which the test plays.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    axe = Axe()
    failures = {}

    def check(name: str) -> None:
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[name] = results.generate_report()

    sign_in(page, live_server.url, "bob")
    page.goto(f"{live_server.url}/incidents/")
    page.get_by_role("link", name="Import an extract").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import incidents from an extract")
    check("upload page")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Choose the extract file to import.").first).to_be_visible()
    check("upload page with an error")

    page.get_by_label("Incident extract").set_input_files(DATA / "extract-valid.csv")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Waiting to start: Waiting for a worker")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_be_visible()
    check("progress")
    record = IncidentImport.objects.get()
    import_incident_extract.call(record.pk)
    # The page polls the progress bar and shows the result once the worker has finished.
    expect(page.get_by_role("heading", name="Imported")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("12 rows, every one checked")).to_be_visible()
    assert Incident.objects.count() == 8
    check("result")
    page.screenshot(path=artifacts / "incident-import-result.png", full_page=True)

    page.goto(f"{live_server.url}/incidents/import/")
    page.get_by_label("Incident extract").set_input_files(DATA / "broken-two-roles.csv")
    page.get_by_role("button", name="Import").click()
    refused = IncidentImport.objects.exclude(pk=record.pk).get()
    import_incident_extract.call(refused.pk)
    expect(page.get_by_text("The extract was refused: nothing of it was written")).to_be_visible(
        timeout=15_000
    )
    row = page.get_by_role("row").filter(has_text="cannot be both witness and victim")
    expect(row.get_by_role("cell").nth(0)).to_have_text("6")
    expect(row.get_by_role("cell").nth(1)).to_have_text("role")
    assert Incident.objects.count() == 8
    check("refused")
    page.screenshot(path=artifacts / "incident-import-refused.png", full_page=True)
    assert not failures, "\n\n".join(f"{name}\n{report}" for name, report in failures.items())
