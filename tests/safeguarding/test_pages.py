"""The safeguarding pages as their users see them."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from docx import Document

from safer.accounts.models import AuditEvent
from safer.core.periods import Quarter
from safer.incidents.actions import do_record_person
from safer.partnership.models import Organisation
from safer.safeguarding import actions
from safer.safeguarding.enums import ActionStatus, ReferralReason
from safer.safeguarding.models import (
    CaseDiscussion,
    Conference,
    CseReport,
    RiskAssessment,
    RiskForm,
)
from safer.test import persona, sign_in
from tests.safeguarding.conftest import Marac, assess


def _client(username: str) -> Client:
    client = Client()
    sign_in(client, username)
    return client


def _conference(marac: Marac) -> tuple[Conference, CaseDiscussion]:
    today = timezone.localdate()
    assessment = assess(marac, marac.grace, 15, today - timedelta(days=12))
    actions.do_refer_case(
        panel=marac.panel,
        person=marac.grace,
        reason=ReferralReason.THRESHOLD,
        consent="given",
        assessments=[assessment],
        referred_on=today - timedelta(days=12),
        acting_user=marac.ivy,
    )
    persona("alice")
    police = Organisation.objects.get(slug="lancashire-constabulary")
    conference = actions.do_schedule_conference(
        panel=marac.panel,
        meets_on=today,
        chair="DCI Moss",
        attending=[police, marac.idva, marac.csp],
        acting_user=marac.cora,
    )
    (case,) = actions.do_build_agenda(conference, acting_user=marac.cora)
    actions.do_add_conference_action(
        case,
        owner=police,
        text="Flag the address.",
        due_on=today - timedelta(days=1),
        acting_user=marac.cora,
    )
    return conference, case


def test_an_unfinished_checklist_is_saved_incomplete_through_the_page(marac: Marac) -> None:
    data = {"person": marac.grace.pk, "assessed_on": timezone.localdate().isoformat()}
    data |= {f"q{n}": "yes" for n in range(1, 11)}
    response = _client("ivy").post("/safeguarding/assessments/new/?kind=dash", data, follow=True)
    text = response.content.decode()
    assert "saved as incomplete: 14 questions unanswered" in text
    assert "Not scored: incomplete" in text
    assert RiskAssessment.objects.get().level == ""


def test_the_page_refuses_judgement_that_lowers_and_keeps_the_answers(marac: Marac) -> None:
    data = {"person": marac.grace.pk, "assessed_on": timezone.localdate().isoformat()}
    data |= {f"q{n}": "yes" if n <= 16 else "no" for n in range(1, 25)}
    data |= {"judged_level": "standard", "judgement_reason": "Seems fine.", "q3_words": "Him."}
    response = _client("ivy").post("/safeguarding/assessments/new/?kind=dash", data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "cannot lower the checklist" in text
    assert ">Him.</textarea>" in text
    assert not RiskAssessment.objects.exists()


def test_the_asb_form_scores_standard_medium_high(marac: Marac) -> None:
    bob = persona("bob")
    janet = do_record_person(given_name="Janet", family_name="Holden", acting_user=bob)
    form = actions.current_risk_form("asb")
    low = actions.do_record_assessment(
        person=janet,
        form=form,
        responses={n: actions.Response("yes" if n in (1, 2) else "no") for n in range(1, 13)},
        assessed_on=timezone.localdate(),
        acting_user=bob,
    )
    fears = actions.do_record_assessment(
        person=janet,
        form=form,
        responses={n: actions.Response("yes" if n == 4 else "no") for n in range(1, 13)},
        assessed_on=timezone.localdate(),
        acting_user=bob,
    )
    assert (low.level, fears.level) == ("standard", "high")


def test_each_agency_updates_its_own_actions_and_sees_overdue(marac: Marac) -> None:
    _conference(marac)
    alice = _client("alice")
    page = alice.get("/safeguarding/actions/").content.decode()
    assert "Flag the address." in page and "Overdue" in page
    action = CaseDiscussion.objects.get().actions.get()
    alice.post("/safeguarding/actions/", {"action": action.pk, "status": ActionStatus.DONE})
    action.refresh_from_db()
    assert (action.status, action.completed_on) == (ActionStatus.DONE, timezone.localdate())
    # Ivy's agency does not own it: the page knows nothing of it.
    response = _client("ivy").post(
        "/safeguarding/actions/", {"action": action.pk, "status": ActionStatus.OPEN}
    )
    assert response.status_code == 404


def test_the_coordinator_sees_completion_by_agency(marac: Marac) -> None:
    _conference(marac)
    page = _client("cora").get("/safeguarding/actions/completion/").content.decode()
    assert "Lancashire Constabulary" in page
    assert _client("ivy").get("/safeguarding/actions/completion/").status_code == 404


def test_the_agenda_exports_as_word_and_pdf_for_attending_agencies_only(marac: Marac) -> None:
    conference, _ = _conference(marac)
    cora = _client("cora")
    url = f"/safeguarding/conferences/{conference.pk}/agenda/"
    word = cora.get(url + "?format=docx")
    assert word["Content-Disposition"].endswith(f'agenda-{conference.reference}.docx"')
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert "Case 1: Grace Okafor" in text
    table = Document(io.BytesIO(word.content)).tables[0]
    assert table.rows[1].cells[2].text == "Flag the address."
    pdf = cora.get(url + "?format=pdf")
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(actor__username="cora", action="export").count() == 2
    persona("bob")
    assert _client("bob").get(url + "?format=pdf").status_code == 404


def test_the_figures_page_suppresses_and_the_return_is_the_coordinators(marac: Marac) -> None:
    _conference(marac)
    persona("diana")
    quarter = "?quarter=" + Quarter.containing(timezone.localdate()).code
    page = _client("diana").get("/safeguarding/figures/" + quarter).content.decode()
    assert "fewer than 5" in page and "Not shown: too few cases" in page
    assert (
        _client("diana").get("/safeguarding/figures/data-return.csv" + quarter).status_code == 404
    )
    csv = _client("cora").get("/safeguarding/figures/data-return.csv" + quarter)
    assert "cases referred,1" in csv.content.decode()


def test_cse_counts_by_agency_and_quarter_are_suppressed(marac: Marac) -> None:
    persona("alice")
    police = Organisation.objects.get(slug="lancashire-constabulary")
    for _ in range(6):
        actions.do_submit_cse_report(
            kind="intelligence",
            what="Lifts from the children's home.",
            who="Two girls aged 14.",
            where="Fishergate",
            lead_agency=police,
            acting_user=marac.ivy,
        )
    persona("diana")
    page = _client("diana").get("/safeguarding/cse/counts/").content.decode()
    assert "Lancashire IDVA Service" in page and ">6<" in page
    # The lead agency sees what was routed to it.
    alice = _client("alice")
    assert "Lifts from the children" not in alice.get("/safeguarding/cse/").content.decode()
    routed = CseReport.objects.first()
    assert routed is not None
    assert alice.get(f"/safeguarding/cse/{routed.pk}/").status_code == 200


def test_assessments_come_up_for_review_by_risk_level(marac: Marac) -> None:
    today = timezone.localdate()
    high = assess(marac, marac.grace, 15, today - timedelta(days=30))
    assert high.review_due() == today - timedelta(days=2)  # high: 28 days
    medium = assess(marac, marac.grace, 11, today)
    assert medium.review_due() == today + timedelta(days=56)
    page = _client("ivy").get("/safeguarding/assessments/").content.decode()
    assert page.index(high.reference) < page.index(medium.reference)
    assert "Overdue" in page


def test_the_referral_page_refuses_a_person_not_shared_and_names_each_field(
    marac: Marac,
) -> None:
    persona("bob")
    response = _client("bob").post(
        "/safeguarding/referrals/new/",
        {"panel": marac.panel.pk, "person": marac.grace.pk, "reason": "", "consent": ""},
    )
    text = response.content.decode()
    assert "Victim: You cannot refer this person" in text
    assert "Reason for the referral: Choose the reason for the referral." in text
    assert "Did the victim consent to the referral?: Say whether the victim consented." in text
    assert not marac.grace.referrals.exists()


def test_load_risk_form_says_what_is_wrong_with_a_file(tmp_path: Path, lancashire: None) -> None:
    bad = tmp_path / "ours.yaml"
    bad.write_text("format: safer.riskform/1\nkind: dash\nversion: v\ntitle: T\nlevels: {}\n")
    with pytest.raises(CommandError, match="questions: Field required"):
        call_command("load_risk_form", str(bad))
    assert not RiskForm.objects.exists()
    call_command("load_risk_form", verbosity=0)
    assert RiskForm.objects.filter(is_current=True).count() == 2


def test_htmx_updates_one_action_row(marac: Marac) -> None:
    _conference(marac)
    action = CaseDiscussion.objects.get().actions.get()
    response = _client("alice").post(
        "/safeguarding/actions/",
        {"action": action.pk, "status": ActionStatus.DONE},
        HTTP_HX_REQUEST="true",
    )
    row = response.content.decode()
    assert row.strip().startswith(f'<tr class="govuk-table__row" id="action-{action.pk}">')
    assert '<option value="done" selected>' in row
    assert "Overdue" not in row
