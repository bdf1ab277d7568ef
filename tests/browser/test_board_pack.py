"""Diana builds and publishes a board pack in Chromium; the pages pass axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_pages import AXE_OPTIONS
from tests.reports.conftest import Closed, _immediate_tasks, closed  # noqa: F401
from tests.strategy.conftest import cycle  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_diana_builds_publishes_and_the_public_sees_it(
    live_server: Any,
    closed: Closed,  # noqa: F811
    page: Page,
    artifacts: Path,
) -> None:
    axe = Axe()
    failures = {}

    def check(name: str) -> None:
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[name] = results.generate_report()

    sign_in(page, live_server.url, "diana")
    page.get_by_role("link", name="Board packs").click()
    check("list")
    page.get_by_label("Quarter").select_option("2011-Q1")
    with page.expect_navigation(timeout=60_000):  # the build runs in the request here
        page.get_by_role("button", name="Build the pack").click()
    expect(page.get_by_role("link", name="Download the PDF file")).to_be_visible()
    check("detail")
    page.get_by_role("link", name="Read the pack in Safer").click()
    expect(page.get_by_role("heading", name="Exceptions for the Board")).to_be_visible()
    check("pack page")
    page.screenshot(path=artifacts / "board-pack-page.png", full_page=True)
    page.go_back()
    page.get_by_role("button", name="Publish this version").click()
    expect(page.get_by_text("is published: it is frozen from now on")).to_be_visible()
    page.goto(f"{live_server.url}/reports/public/")
    expect(page.get_by_text("Performance in 2011/12 Q1")).to_be_visible()
    expect(page.get_by_role("cell", name="fewer than 5", exact=True)).to_be_visible()
    check("public report")
    page.screenshot(path=artifacts / "public-report.png", full_page=True)
    assert not failures, "\n\n".join(f"{name}\n{report}" for name, report in failures.items())
