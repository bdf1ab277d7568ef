"""The DASH checklist and a conference agenda in Chromium, with axe on each state."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from safer.incidents.actions import do_record_person
from safer.partnership.models import CspArea, Organisation
from safer.safeguarding import actions
from safer.safeguarding.enums import ReferralReason
from safer.safeguarding.models import RiskAssessment
from safer.test import persona
from tests.browser.conftest import sign_in
from tests.browser.test_pages import AXE_OPTIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_dash_checklist_and_the_agenda_pass_axe(
    live_server: Any, lancashire: None, page: Page, artifacts: Path
) -> None:
    ivy, cora = persona("ivy"), persona("cora")
    grace = do_record_person(given_name="Grace", family_name="Okafor", acting_user=ivy)
    panel = actions.do_create_panel(
        kind="marac",
        area=CspArea.objects.get(name="Preston"),
        coordinator=Organisation.objects.get(slug="preston-csp"),
        acting_user=cora,
    )
    axe = Axe()
    failures = {}

    def check(label: str) -> None:
        results = axe.run(page, options=AXE_OPTIONS)
        if results.violations_count:
            failures[label] = results.generate_report()

    sign_in(page, live_server.url, "ivy")
    page.goto(f"{live_server.url}/safeguarding/assessments/new/?kind=dash")
    expect(page.get_by_role("heading", level=1)).to_have_text("DASH risk checklist (24 questions)")
    check("DASH form")
    page.get_by_label("Victim", exact=True).select_option(label=str(grace))
    for number in range(1, 25):
        page.locator(f"#id_q{number}_{0 if number <= 15 else 1}").check()
    page.locator("#id_q14_words").fill("He said he would kill me if I left.")
    page.get_by_label("Does your professional judgement raise the risk level?").select_option(
        "medium"
    )
    page.get_by_label("Why", exact=False).fill("She seemed calmer.")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot lower")
    check("DASH form with an error")
    page.get_by_label("Does your professional judgement raise the risk level?").select_option("")
    page.get_by_label("Why", exact=False).fill("")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "15 'yes' answers, high risk"
    )
    check("assessment")
    assessment = RiskAssessment.objects.get()
    today = timezone.localdate()
    actions.do_refer_case(
        panel=panel,
        person=grace,
        reason=ReferralReason.THRESHOLD,
        consent="given",
        assessments=[assessment],
        referred_on=today - timedelta(days=10),
        acting_user=ivy,
    )
    conference = actions.do_schedule_conference(
        panel=panel,
        meets_on=today,
        chair="DCI Rachel Moss",
        attending=Organisation.objects.filter(slug__in=["preston-csp", "lancashire-idva-service"]),
        acting_user=cora,
    )
    page.context.clear_cookies()
    sign_in(page, live_server.url, "cora")
    page.goto(f"{live_server.url}{conference.get_absolute_url()}")
    page.get_by_role("button", name="Build the agenda from referrals received in time").click()
    expect(page.get_by_role("heading", level=3)).to_contain_text("Case 1: Grace Okafor")
    check("agenda")
    page.get_by_text("Add an action").click()
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose the agency that owns the action."
    )
    check("agenda with an action refused")
    page.screenshot(path=str(artifacts / "safeguarding-agenda.png"), full_page=True)
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
