"""Bad input to the safeguarding actions: a clear message naming what is wrong, nothing saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safer.accounts.models import AuditEvent
from safer.incidents.actions import do_record_person
from safer.partnership.models import Organisation
from safer.safeguarding import actions
from safer.safeguarding.actions import Response
from safer.safeguarding.enums import AssessmentStatus, ReferralReason, RiskLevel
from safer.safeguarding.models import (
    CaseDiscussion,
    Conference,
    ConferenceAction,
    CseReport,
    Referral,
    RiskAssessment,
    RiskForm,
)
from safer.safeguarding.risk_form_file import RiskFormFileError, read_risk_form
from safer.test import persona
from tests.safeguarding.conftest import Marac, assess, dash_answers

TODAY = date(2026, 1, 1)


def test_a_checklist_with_missing_answers_is_saved_incomplete_not_low(marac: Marac) -> None:
    responses = dash_answers(3)
    for n in range(20, 25):
        responses[n] = Response()
    assessment = actions.do_record_assessment(
        person=marac.grace,
        form=marac.dash,
        responses=responses,
        assessed_on=timezone.localdate(),
        acting_user=marac.ivy,
    )
    assert (assessment.status, assessment.level, assessment.unanswered) == (
        AssessmentStatus.INCOMPLETE,
        "",
        5,
    )
    assert assessment.level_label() == "Not scored: incomplete"


def test_judgement_cannot_lower_a_high_score_and_nothing_is_saved(marac: Marac) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.do_record_assessment(
            person=marac.grace,
            form=marac.dash,
            responses=dash_answers(15),
            assessed_on=timezone.localdate(),
            judged_level=RiskLevel.MEDIUM,
            judgement_reason="She seemed calmer.",
            acting_user=marac.ivy,
        )
    assert "cannot lower" in caught.value.message_dict["judged_level"][0]
    assert not RiskAssessment.objects.exists()


def test_judgement_raises_a_medium_score_with_a_reason(marac: Marac) -> None:
    with pytest.raises(ValidationError, match="Say why"):
        actions.do_record_assessment(
            person=marac.grace,
            form=marac.dash,
            responses=dash_answers(11),
            assessed_on=timezone.localdate(),
            judged_level=RiskLevel.HIGH,
            acting_user=marac.ivy,
        )
    assessment = actions.do_record_assessment(
        person=marac.grace,
        form=marac.dash,
        responses=dash_answers(11),
        assessed_on=timezone.localdate(),
        judged_level=RiskLevel.HIGH,
        judgement_reason="Non-fatal strangulation last week.",
        acting_user=marac.ivy,
    )
    assert (assessment.scored_level, assessment.level) == (RiskLevel.MEDIUM, RiskLevel.HIGH)


def test_a_reassessment_keeps_the_history(marac: Marac) -> None:
    first = assess(marac, marac.grace, 9, timezone.localdate() - timedelta(days=30))
    second = actions.do_record_assessment(
        person=marac.grace,
        form=marac.dash,
        responses=dash_answers(15),
        assessed_on=timezone.localdate(),
        previous=first,
        acting_user=marac.ivy,
    )
    assert second.previous == first
    assert RiskAssessment.objects.filter(person=marac.grace).count() == 2
    with pytest.raises(ValidationError, match="re-assessed already"):
        actions.do_record_assessment(
            person=marac.grace,
            form=marac.dash,
            responses=dash_answers(2),
            assessed_on=timezone.localdate(),
            previous=first,
            acting_user=marac.ivy,
        )


def test_a_referral_for_a_person_the_user_cannot_see_is_refused(marac: Marac) -> None:
    bob = persona("bob")
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        actions.do_refer_case(
            panel=marac.panel,
            person=marac.grace,
            reason=ReferralReason.PROFESSIONAL_JUDGEMENT,
            concern="Threats to kill.",
            consent="given",
            acting_user=bob,
        )
    assert "cannot refer this person" in caught.value.message_dict["person"][0]
    assert not Referral.objects.exists()
    assert AuditEvent.objects.count() == before


def test_a_threshold_referral_needs_a_high_checklist(marac: Marac) -> None:
    medium = assess(marac, marac.grace, 12, timezone.localdate())
    with pytest.raises(ValidationError) as caught:
        actions.do_refer_case(
            panel=marac.panel,
            person=marac.grace,
            reason=ReferralReason.THRESHOLD,
            consent="given",
            assessments=[medium],
            acting_user=marac.ivy,
        )
    assert "threshold" in caught.value.message_dict["reason"][0]
    assert not Referral.objects.exists()


def test_judgement_needs_the_concern_and_no_consent_needs_a_reason(marac: Marac) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.do_refer_case(
            panel=marac.panel,
            person=marac.grace,
            reason=ReferralReason.PROFESSIONAL_JUDGEMENT,
            consent="not_given",
            acting_user=marac.ivy,
        )
    assert set(caught.value.message_dict) == {"concern", "no_consent_reason"}
    assert not Referral.objects.exists()


def test_an_action_without_an_owner_or_due_date_is_refused(marac: Marac) -> None:
    _conference, case = _a_case(marac)
    with pytest.raises(ValidationError) as caught:
        actions.do_add_conference_action(
            case, owner=None, text="Target hardening.", due_on=None, acting_user=marac.cora
        )
    assert set(caught.value.message_dict) == {"owner", "due_on"}
    assert not ConferenceAction.objects.exists()


def test_an_action_for_an_agency_not_attending_is_refused(marac: Marac) -> None:
    _conference, case = _a_case(marac)
    probation = Organisation.objects.get(slug="lancashire-probation-trust")
    with pytest.raises(ValidationError, match="not attending"):
        actions.do_add_conference_action(
            case,
            owner=probation,
            text="Check licence conditions.",
            due_on=timezone.localdate(),
            acting_user=marac.cora,
        )


def test_only_the_coordinator_adds_actions(marac: Marac) -> None:
    _, case = _a_case(marac)
    with pytest.raises(PermissionDenied):
        actions.do_add_conference_action(
            case,
            owner=marac.idva,
            text="Safety plan.",
            due_on=timezone.localdate(),
            acting_user=marac.ivy,
        )


def test_a_cse_report_names_each_missing_part(marac: Marac) -> None:
    with pytest.raises(ValidationError) as caught:
        actions.do_submit_cse_report(
            kind="intelligence", what=" ", who="", where="", lead_agency=None, acting_user=marac.ivy
        )
    assert set(caught.value.message_dict) == {"what", "who", "where", "lead_agency"}
    assert not CseReport.objects.exists()


def test_a_loaded_form_version_is_never_changed(marac: Marac, tmp_path: object) -> None:
    from pathlib import Path

    from safer.safeguarding.risk_form_file import SHIPPED_FORMS

    text = SHIPPED_FORMS[0].read_text().replace("Are you very frightened?", "Frightened?")
    changed = Path(str(tmp_path)) / "changed.yaml"
    changed.write_text(text)
    with pytest.raises(ValidationError, match="new version"):
        actions.do_load_risk_form(read_risk_form(changed), acting_user=None)
    renamed = Path(str(tmp_path)) / "ours.yaml"
    renamed.write_text(text.replace("version: safer-paraphrase-1", "version: preston-2026"))
    form, created = actions.do_load_risk_form(read_risk_form(renamed), acting_user=None)
    assert created and form.is_current
    assert not RiskForm.objects.get(version="safer-paraphrase-1").is_current


def test_a_bad_form_file_says_what_is_wrong(tmp_path: object) -> None:
    from pathlib import Path

    bad = Path(str(tmp_path)) / "bad.yaml"
    bad.write_text(
        "format: safer.riskform/1\nkind: dash\nversion: x\ntitle: X\nlevels: {high: 30}\n"
        "questions:\n  - {number: 1, text: One}\n  - {number: 3, text: Three}\n"
    )
    with pytest.raises(RiskFormFileError, match="numbered 1, 2, 3"):
        read_risk_form(bad)


def _a_case(marac: Marac) -> tuple[Conference, CaseDiscussion]:
    assessment = assess(marac, marac.grace, 15, timezone.localdate())
    actions.do_refer_case(
        panel=marac.panel,
        person=marac.grace,
        reason=ReferralReason.THRESHOLD,
        consent="given",
        assessments=[assessment],
        referred_on=timezone.localdate() - timedelta(days=10),
        acting_user=marac.ivy,
    )
    conference = actions.do_schedule_conference(
        panel=marac.panel,
        meets_on=timezone.localdate(),
        chair="DI Rachel Moss",
        attending=[marac.idva, marac.csp],
        acting_user=marac.cora,
    )
    (case,) = actions.do_build_agenda(conference, acting_user=marac.cora)
    return conference, case


def test_a_person_recorded_elsewhere_is_not_assessable(marac: Marac) -> None:
    alice = persona("alice")
    other = do_record_person(given_name="Dana", family_name="Shaw", acting_user=alice)
    with pytest.raises(ValidationError) as caught:
        assess(marac, other, 3, timezone.localdate())
    assert "person" in caught.value.message_dict
