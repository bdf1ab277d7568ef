"""The quarterly cycle in Chromium: a theme lead submits, the analyst reviews, the Board sees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in, sign_out
from tests.browser.test_pages import AXE_OPTIONS
from tests.strategy.conftest import Cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _update_measure(page: Page, text: str, value: str | None, milestone: str | None = None) -> None:
    page.get_by_role("link", name=f"Update {text}").click()
    if value is not None:
        page.get_by_label("Value for the quarter").fill(value)
    if milestone is not None:
        page.get_by_label("How far has it got?").select_option(label=milestone)
    page.get_by_label("Commentary for the Board").fill("From partners' returns for the quarter.")
    page.get_by_label("Or a link to the evidence").fill("https://example.org/evidence/2011-q1")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("is submitted for review")).to_be_visible()


def test_a_quarter_from_submission_to_the_board(
    live_server: Any, cycle: Cycle, page: Page, artifacts: Path
) -> None:
    url = live_server.url
    # Erin, theme lead: her updates due this quarter.
    sign_in(page, url, "erin")
    page.get_by_role("link", name="Performance").click()
    page.goto(f"{url}/performance/my-updates/")
    expect(page.get_by_role("heading", name="2011/12 Q1")).to_be_visible()
    _update_measure(page, cycle.reports.text, "97")
    _update_measure(page, cycle.repeats.text, "130")
    _update_measure(page, cycle.milestone.text, None, milestone="In progress")
    page.get_by_role("link", name=f"Update {cycle.action.text}").click()
    page.get_by_label("Status at the end of the quarter").select_option(label="In progress")
    page.get_by_label("Progress this quarter").fill("Protocol drafted with the council ASB teams.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("progress note is submitted for review")).to_be_visible()
    page.screenshot(path=artifacts / "performance-my-updates.png", full_page=True)
    sign_out(page)

    # Diana, analyst: returns one value, approves the rest, each in place.
    sign_in(page, url, "diana")
    page.goto(f"{url}/performance/review/")
    repeats = page.locator(".safer-card", has_text=cycle.repeats.text)
    repeats.get_by_label("If you return it, what should change?").fill("Is 130 the whole county?")
    repeats.get_by_role("button", name="Return").click()
    expect(repeats.get_by_text("Returned for changes")).to_be_visible()
    for text in (cycle.reports.text, cycle.milestone.text, cycle.action.text):
        card = page.locator(".safer-card", has_text=text)
        card.get_by_role("button", name="Approve").click()
        expect(card.get_by_text("Approved")).to_be_visible()
    page.screenshot(path=artifacts / "performance-review.png", full_page=True)
    sign_out(page)

    # Frank, Board member: the dashboard, with RAG in words.
    sign_in(page, url, "frank")
    page.goto(f"{url}/performance/?quarter=2011-Q1&theme={cycle.theme.slug}")
    theme = page.get_by_role("region", name=f"1. {cycle.theme.title}")
    row = theme.get_by_role("row", name=cycle.reports.text)
    expect(row.get_by_text("Amber", exact=True)).to_be_visible()
    expect(
        row.get_by_text("97 is below the target of 100, within the 5% tolerance")
    ).to_be_visible()
    repeats_row = theme.get_by_role("row", name=cycle.repeats.text)
    expect(repeats_row.get_by_text("Unknown", exact=True)).to_be_visible()  # returned: no value
    milestone_row = theme.get_by_role("row", name=cycle.milestone.text)
    expect(milestone_row.get_by_text("Green", exact=True)).to_be_visible()  # due later: on track
    page.screenshot(path=artifacts / "performance-dashboard.png", full_page=True)
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    sign_out(page)

    # Erin sees the returned value with the analyst's comment.
    sign_in(page, url, "erin")
    page.goto(f"{url}/performance/my-updates/")
    expect(page.get_by_text("Analyst: Is 130 the whole county?")).to_be_visible()


def test_the_annual_refresh_shows_what_changed(
    live_server: Any, cycle: Cycle, page: Page, artifacts: Path
) -> None:
    url = live_server.url
    sign_in(page, url, "diana")
    page.goto(f"{url}/performance/plans/")
    page.get_by_role("button", name="Refresh the Delivery Plan 2011/12").click()
    expect(page.get_by_text("Delivery plan 2012/13 is drafted from 2011/12.")).to_be_visible()
    line = page.locator("tr", has=page.get_by_role("link", name="Reword or remove"))
    line.filter(has_text=cycle.action.text).get_by_role("link").click()
    page.get_by_label("Wording").fill(
        "Building a multi agency response to ASB, domestic abuse and hate crime."
    )
    page.get_by_label("Reason for the change").fill(
        "The 2012 strategic assessment asked for plainer words."
    )
    page.get_by_role("button", name="Save the new wording").click()
    expect(page.get_by_role("heading", name="What changed since 2011/12")).to_be_visible()
    expect(
        page.get_by_text("The 2012 strategic assessment asked for plainer words.")
    ).to_be_visible()
    page.screenshot(path=artifacts / "performance-refresh.png", full_page=True)
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
