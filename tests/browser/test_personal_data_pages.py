"""The pages about people, the sign-in security pages and the DPO's pages, in Chromium with axe."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from safer.accounts import two_factor
from safer.accounts.actions import do_create_user, do_record_subject_request
from safer.accounts.enums import Role, SubjectRight
from safer.accounts.models import User
from safer.partnership.models import Organisation
from safer.test import PASSWORD, alices_case, fresh_code, lancashire_sharing_agreement, share_with
from tests.browser.test_pages import AXE_OPTIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _password(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_pages_about_people_pass_axe(
    live_server: Any, lancashire: None, alice: User, page: Page, artifacts: Path
) -> None:
    agreement = lancashire_sharing_agreement()
    person, incident = alices_case(alice)
    share_with(person, "preston-city-council", by=alice, agreement=agreement)
    dpo = do_create_user(
        "tom",
        first_name="Tom",
        last_name="Whitaker",
        email="tom@example.org",
        organisation=Organisation.objects.get(slug="lancashire-constabulary"),
        roles=[Role.DATA_PROTECTION_OFFICER],
        password=PASSWORD,
        acting_user=None,
    )
    axe = Axe()
    failures = {}

    def check(path: str | None = None) -> None:
        if path is not None:
            page.goto(f"{live_server.url}{path}")
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[path or page.url] = results.generate_report()

    # Alice's first sign-in: set up the app.
    _password(page, live_server.url, "alice")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    check()
    # The code Alice's app shows once she has typed in the key on the page.
    unconfirmed = two_factor.authenticator(alice, confirmed=False)
    assert unconfirmed is not None
    page.get_by_label("Code", exact=True).fill(two_factor.current_code(unconfirmed))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    check()
    for path in (
        "/incidents/",
        "/incidents/people/",
        f"/incidents/people/{person.pk}/",
        f"/incidents/{incident.pk}/",
        "/incidents/people/new/",
        "/incidents/new/",
        f"/incidents/people/{person.pk}/share/",
        "/incidents/counts/",
        "/incidents/repeat-victims/",
        "/incidents/?occurred_from=yesterday",
        "/accounts/security/",
        "/accounts/sharing-agreements/",
        f"/accounts/sharing-agreements/{agreement.pk}/",
    ):
        check(path)
    page.goto(f"{live_server.url}/incidents/people/{person.pk}/")
    page.screenshot(path=artifacts / "person-detail.png", full_page=True)
    page.goto(f"{live_server.url}/incidents/people/new/")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check()
    page.goto(f"{live_server.url}/incidents/new/")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Choose what kind of incident it is.")).to_have_count(2)
    check()
    page.get_by_label("Hate crime", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hate crime")
    expect(page.get_by_text("Types of abuse")).to_have_count(0)
    check()
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Choose at least one strand")).to_have_count(2)
    page.screenshot(path=artifacts / "incident-form-errors.png", full_page=True)
    check()

    # The data protection officer: the code page, then the audit log and subject access.
    page.context.clear_cookies()
    fresh_code(dpo)
    _password(page, live_server.url, "tom")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    check()
    page.get_by_label("Code", exact=True).fill(fresh_code(dpo))
    page.get_by_role("button", name="Continue").click()
    for right in (SubjectRight.RECTIFICATION, SubjectRight.ERASURE):
        do_record_subject_request(
            person, right=right, received_on=date(2026, 1, 5), details="", acting_user=dpo
        )
    for path in (
        "/accounts/audit/",
        f"/accounts/audit/?person={person.pk}",
        "/accounts/subject-access/?name=Okafor",
        f"/accounts/subject-access/{person.pk}/",
        "/accounts/sharing-agreements/new/",
        "/accounts/audit/unusual/",
    ):
        check(path)
    page.goto(f"{live_server.url}/accounts/audit/?person={person.pk}")
    expect(page.get_by_text("alice").first).to_be_visible()
    page.screenshot(path=artifacts / "audit-log.png", full_page=True)
    assert not failures, "\n\n".join(f"{path}\n{report}" for path, report in failures.items())
