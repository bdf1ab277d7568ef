"""The crime picture in Chromium: an analyst uploads a month, watches a worker import it,
filters to Preston, and every crime page (with its charts drawn) passes axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from safer.crimedata.actions import do_import_police_file, do_load_lsoas
from safer.crimedata.importers.sources import file_source
from safer.crimedata.management.commands.load_lsoas import SHIPPED_LSOAS
from safer.crimedata.models import PoliceUpload
from safer.crimedata.tasks import import_police_upload
from safer.test import persona
from tests.browser.conftest import sign_in
from tests.browser.test_pages import AXE_OPTIONS
from tests.conftest import DATA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAMPLES = DATA / "police-uk"
CRIME_PAGES = [
    "/crime/",
    "/crime/?area=Preston&crime=acquisitive-crime",
    "/crime/?area=no+location",
    "/crime/?start=2021-05&end=2021-04",
    "/crime/import/",
    "/crime/assessment/",
]


def sign_in_as_diana(page: Page, base_url: str) -> None:
    persona("diana")
    sign_in(page, base_url, "diana")


def test_an_analyst_uploads_a_month_and_reads_prestons_picture(
    live_server: Any,
    lancashire: None,
    page: Page,
    artifacts: Path,
    settings: Any,
    tmp_path: Path,
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

    do_load_lsoas(SHIPPED_LSOAS, acting_user=None)
    sign_in_as_diana(page, live_server.url)
    page.goto(f"{live_server.url}/crime/import/")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Choose a police.uk CSV or zip file to import").first).to_be_visible()
    check("upload page with an error")
    page.get_by_label("police.uk file").set_input_files(SAMPLES / "2021-04-lancashire-street.csv")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Waiting to start: Waiting for a worker")).to_be_visible()
    expect(page.get_by_role("progressbar")).to_be_visible()
    check("progress")
    record = PoliceUpload.objects.get()
    import_police_upload.call(record.pk)
    # The page polls the progress bar and shows the result once the worker has finished.
    expect(page.get_by_role("heading", name="Imported")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("20 rows read, 20 loaded, 0 refused.")).to_be_visible()
    check("result")
    page.screenshot(path=artifacts / "crime-import-result.png", full_page=True)
    page.get_by_role("link", name="Crime picture").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Crime picture")
    page.get_by_label("Area", exact=True).select_option(label="Preston")
    page.get_by_role("button", name="Show the picture").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Crime picture: Preston")
    preston = page.locator("#area-table tr", has_text="Preston")
    expect(preston).to_be_visible()
    expect(page.get_by_role("img", name="Records by month")).to_be_visible()
    page.screenshot(path=artifacts / "crime-picture-preston.png", full_page=True)
    assert not failures, "\n\n".join(f"{name}\n{report}" for name, report in failures.items())


def test_every_crime_page_passes_axe(live_server: Any, lancashire: None, page: Page) -> None:
    do_load_lsoas(SHIPPED_LSOAS, acting_user=None)
    for sample in sorted(SAMPLES.glob("*.csv")):
        do_import_police_file(file_source(sample), acting_user=None)
    sign_in_as_diana(page, live_server.url)
    axe = Axe()
    failures = {}
    for path in CRIME_PAGES:
        page.goto(f"{live_server.url}{path}")
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[path] = results.generate_report()
    assert not failures, "\n\n".join(f"{path}\n{report}" for path, report in failures.items())
