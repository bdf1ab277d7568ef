"""The review queue and the victim's timeline in Chromium: htmx decisions, axe on each state."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from safer.accounts.models import User
from safer.incidents.actions import do_record_incident, do_record_person
from safer.incidents.enums import AsbCategory, IncidentCategory, InvolvementRole, MatchStatus
from safer.incidents.models import PersonMatch
from safer.test import lancashire_sharing_agreement, persona, share_with
from tests.browser.conftest import sign_in, sign_out
from tests.browser.test_pages import AXE_OPTIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_bob_confirms_a_match_and_alice_sees_the_timeline(
    live_server: Any, lancashire: None, bob: User, page: Page, tasks_at_once: None
) -> None:
    alice = persona("alice")
    agreement = lancashire_sharing_agreement()
    janet = do_record_person(
        given_name="Janet",
        family_name="Holden",
        date_of_birth=date(1949, 11, 2),
        address="12 Ribbleton Avenue\nPreston",
        postcode="PR1 6QT",
        acting_user=bob,
    )
    today = date.today()  # noqa: DTZ011 - the live server's today, as the page sees it
    for number, days_ago in enumerate((55, 30, 2), start=1):
        incident = do_record_incident(
            category=IncidentCategory.ASB,
            asb_category=AsbCategory.PERSONAL,
            agency_reference=f"PCC-ASB-000{number}",
            occurred_on=today - timedelta(days=days_ago),
            summary="Youths throwing stones at her windows.",
            people=[(janet, InvolvementRole.VICTIM)],
            acting_user=bob,
        )
        share_with(incident, "lancashire-constabulary", by=bob, agreement=agreement)
    jannet = do_record_person(
        given_name="Jannet",
        family_name="Holden",
        date_of_birth=date(1949, 11, 2),
        acting_user=alice,
    )
    match = PersonMatch.objects.get()
    axe = Axe()
    failures = {}

    def check(label: str) -> None:
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[label] = results.generate_report()

    sign_in(page, live_server.url, "bob")
    page.goto(f"{live_server.url}/incidents/matches/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible matches")
    row = page.locator(f"#match-{match.pk}")
    expect(row).to_contain_text(f"Lancashire Constabulary’s record {jannet.reference}")
    expect(row).to_contain_text("Date of birth")
    check("queue")
    # Rejecting without a reason: htmx swaps the row with the error in it.
    row.get_by_role("button", name="Reject: not the same person").click()
    expect(row.locator(".govuk-error-summary")).to_contain_text(
        "Say why these records are not the same person."
    )
    check("queue with an error")
    row.get_by_label("Reason (needed to reject)").fill("Same date of birth and address.")
    row.get_by_role("button", name="Confirm: the same person").click()
    expect(row).to_contain_text("Confirmed: the same person by Bob Barton")
    check("queue after confirming")
    assert page.url.endswith("/incidents/matches/")  # swapped in place, not reloaded
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED
    sign_out(page)

    sign_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/incidents/people/{jannet.pk}/")
    page.get_by_role("link", name="Timeline across agencies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Timeline: Jannet Holden")
    table = page.get_by_role("table")
    for number in (1, 2, 3):
        expect(table).to_contain_text(f"PCC-ASB-000{number}")
    expect(table).to_contain_text("Repeat victim of anti-social behaviour")
    check("timeline")
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
