"""The pages people use, in Chromium: sign in, read a theme, and no accessibility violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from safer.accounts.models import User
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# WCAG 2.2 A and AA, which public sector services must meet, plus axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def test_alice_signs_in_and_opens_a_theme(
    live_server: Any, lancashire: None, alice: User, page: Page, artifacts: Path
) -> None:
    sign_in(page, live_server.url, "alice")
    page.get_by_role("link", name="1. Protect and support vulnerable people").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Protect and support vulnerable people"
    )
    expect(
        page.get_by_text(
            "Number of intelligence submissions and referrals from all partners "
            "regarding child sexual exploitation."
        )
    ).to_be_visible()
    page.screenshot(path=artifacts / "theme-protect-and-support.png", full_page=True)
    # The theme's target areas lead on to the themes it shares them with.
    page.get_by_role("link", name="Next theme : Change attitudes and behaviours").click()
    expect(page).to_have_url(f"{live_server.url}/agreement/themes/change-attitudes-and-behaviours/")


def test_the_linked_plans_filter_updates_in_place(
    live_server: Any, lancashire: None, alice: User, page: Page
) -> None:
    sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/agreement/linked-plans/")
    expect(page.get_by_text("All 24 plans")).to_be_visible()
    page.get_by_label("Organisation").select_option(label="Lancashire Youth Offending Team")
    expect(page.get_by_text("2 of 24 plans")).to_be_visible()
    assert "organisation=lancashire-yot" in page.url  # htmx kept the address shareable
    page.get_by_label("Theme").select_option(label="Reduce alcohol and drug misuse")
    expect(page.get_by_text("No linked plans match these filters.")).to_be_visible()


PUBLIC_PAGES = ["/", "/accessibility/", "/accounts/sign-in/", "/reports/public/"]
SIGNED_IN_PAGES = [
    "/agreement/",
    "/agreement/text/",
    "/agreement/themes/protect-and-support-vulnerable-people/",
    "/agreement/themes/change-attitudes-and-behaviours/",
    "/agreement/themes/reduce-alcohol-and-drug-misuse/",
    "/agreement/themes/reduce-reoffending/",
    "/agreement/linked-plans/",
    "/agreement/linked-plans/?theme=nonsense&current_in=soon",
    "/partnership/board/",
    "/partnership/organisations/",
    "/partnership/organisations/chorley-and-south-ribble-csp/",
    "/partnership/areas/",
    "/agreement/themes/no-such-theme/",
    "/performance/",
    "/performance/?quarter=2011-Q9",
    "/performance/my-updates/",
    "/performance/periods/",
    "/performance/plans/",
    "/performance/plans/2011/",
    "/crime/",
    "/reports/",
]
ADMIN_PAGES = [
    "/admin/",
    "/admin/strategy/measure/",
    "/admin/strategy/theme/1/change/",
    "/admin/strategy/changerecord/",
    "/admin/reports/boardpack/",
]


def test_every_page_passes_axe(live_server: Any, lancashire: None, alice: User, page: Page) -> None:
    axe = Axe()
    failures = {}

    def check(path: str) -> None:
        page.goto(f"{live_server.url}{path}")
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[path] = results.generate_report()

    for path in PUBLIC_PAGES:
        check(path)
    sign_in(page, live_server.url, "alice")
    for path in SIGNED_IN_PAGES:
        check(path)
    User.objects.filter(username="alice").update(is_staff=True, is_superuser=True)
    for path in ADMIN_PAGES:
        check(path)
    assert not failures, "\n\n".join(f"{path}\n{report}" for path, report in failures.items())
