"""The API's pages in Chromium: the docs page works under the strict Content-Security-Policy
with assets served by Safer itself, and an administrator issues a token on an accessible page."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page, Request, expect

from safer.accounts.actions import do_create_user
from safer.accounts.enums import Role
from safer.partnership.models import Organisation
from safer.test import PASSWORD
from tests.browser.conftest import sign_in
from tests.browser.test_pages import AXE_OPTIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_renders_from_safer_alone(
    live_server: Any, lancashire: None, page: Page
) -> None:
    problems: list[str] = []
    elsewhere: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    def request(sent: Request) -> None:
        if not sent.url.startswith(live_server.url) and not sent.url.startswith("data:"):
            elsewhere.append(sent.url)

    page.on("console", console)
    page.on("request", request)
    page.goto(f"{live_server.url}/api/v1/docs/")

    expect(page.get_by_role("heading", name="Safer API")).to_be_visible()
    expect(page.get_by_text("/api/v1/incidents/{id}/").first).to_be_visible()
    assert not [p for p in problems if "Content Security Policy" in p], problems
    assert not elsewhere, elsewhere


def test_an_administrator_issues_a_token_on_an_accessible_page(
    live_server: Any, lancashire: None, page: Page
) -> None:
    do_create_user(
        "police-admin",
        first_name="Priya",
        last_name="Shah",
        email="police-admin@example.org",
        organisation=Organisation.objects.get(slug="lancashire-constabulary"),
        roles=[Role.ADMINISTRATOR],
        password=PASSWORD,
        acting_user=None,
    )
    sign_in(page, live_server.url, "police-admin")
    page.goto(f"{live_server.url}/accounts/security/")
    page.get_by_role("link", name="Issue or revoke API tokens").click()
    page.get_by_role("button", name="Issue the token").click()
    expect(
        page.get_by_role("link", name="Which system will use it?: Name the system")
    ).to_be_visible()
    page.get_by_label("Which system will use it?").fill("Niche RMS export")
    page.get_by_role("button", name="Issue the token").click()

    expect(page.get_by_role("heading", name="Copy the token now")).to_be_visible()
    assert page.get_by_label("The new API token").input_value().startswith("safer_")
    results = Axe().run(page, options=AXE_OPTIONS)
    assert not results.violations_count, results.generate_report()
    page.get_by_role("button", name="Revoke the token for Niche RMS export").click()
    expect(page.get_by_text("is revoked: it no longer works")).to_be_visible()
    expect(page.get_by_text("Revoked ", exact=False).last).to_be_visible()
