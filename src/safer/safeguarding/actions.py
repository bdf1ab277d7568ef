"""Every write to risk assessments, referrals, conferences and CSE reports: checked, atomic,
audited. Bad input raises ValidationError naming each field, and nothing is saved."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safer.accounts.audit import record_event
from safer.accounts.enums import AuditAction, Purpose
from safer.accounts.models import User
from safer.accounts.permissions import Permission, has_permission
from safer.incidents.models import Incident, Person
from safer.partnership.models import CspArea, Organisation
from safer.safeguarding import dash
from safer.safeguarding.asb_risk import score_asb
from safer.safeguarding.enums import (
    ActionStatus,
    Answer,
    AssessmentStatus,
    CseKind,
    FormKind,
    ReferralConsent,
    ReferralReason,
    ReferralStatus,
    RiskLevel,
)
from safer.safeguarding.models import (
    CaseDiscussion,
    Conference,
    ConferenceAction,
    CseReport,
    Panel,
    Referral,
    Research,
    RiskAnswer,
    RiskAssessment,
    RiskForm,
    RiskQuestion,
)
from safer.safeguarding.repeats import last_referral_within
from safer.safeguarding.risk_form_file import SHIPPED_FORMS, RiskFormFile, read_risk_form


def _recorder(user: User) -> int:
    if not has_permission(user, Permission.RECORD_PERSONAL_DATA) or user.organisation_id is None:
        raise PermissionDenied("Your role does not record risk assessments or referrals.")
    return user.organisation_id


def _coordinator(user: User, conference: Conference) -> None:
    if (
        not has_permission(user, Permission.RUN_CONFERENCES)
        or user.organisation_id != conference.panel.coordinator_id
    ):
        raise PermissionDenied("Only the panel's coordinator runs its conferences.")


# Risk forms -------------------------------------------------------------------------------


@transaction.atomic
def do_load_risk_form(parsed: RiskFormFile, *, acting_user: User | None) -> tuple[RiskForm, bool]:
    """Load a version of a risk form and make it current; (form, False) if it is already there.

    A version is never changed: loading the same version with different questions is refused."""
    existing = RiskForm.objects.filter(kind=parsed.kind, version=parsed.version).first()
    wanted = [(q.number, q.text, q.hint, q.high_if_yes) for q in parsed.questions]
    if existing is not None:
        held = [
            (q.number, q.text, q.hint, q.high_if_yes) for q in existing.questions.order_by("number")
        ]
        if (
            held != wanted
            or existing.levels != parsed.levels
            or existing.review_days != parsed.review_days
        ):
            raise ValidationError(
                f"Version {parsed.version!r} of the {parsed.kind} form is loaded already with "
                "different questions or thresholds; give the new wording a new version."
            )
        return existing, False
    RiskForm.objects.filter(kind=parsed.kind).update(is_current=False)
    form = RiskForm.objects.create(
        kind=parsed.kind,
        version=parsed.version,
        title=parsed.title,
        source=parsed.source,
        wording_note=parsed.wording_note,
        levels=dict(parsed.levels),
        review_days=dict(parsed.review_days),
        is_current=True,
    )
    RiskQuestion.objects.bulk_create(
        RiskQuestion(form=form, number=n, text=text, hint=hint, high_if_yes=high)
        for n, text, hint, high in wanted
    )
    return form, True


def current_risk_form(kind: str) -> RiskForm:
    """The current version of a kind of form; the shipped one is loaded the first time."""
    form = RiskForm.objects.filter(kind=kind, is_current=True).first()
    if form is not None:
        return form
    for path in SHIPPED_FORMS:
        parsed = read_risk_form(path)
        if parsed.kind == kind:
            return do_load_risk_form(parsed, acting_user=None)[0]
    raise ValueError(f"no risk form of kind {kind!r} is loaded or shipped")


@transaction.atomic
def do_create_panel(
    *,
    kind: str,
    area: CspArea,
    coordinator: Organisation,
    acting_user: User | None,
    cutoff_days: int = 8,
) -> Panel:
    """Set up a standing MARAC or ASBRAC for an area, run by a coordinating organisation."""
    if acting_user is not None and not has_permission(acting_user, Permission.RUN_CONFERENCES):
        raise PermissionDenied("Only a conference coordinator sets up a panel.")
    label = "MARAC" if kind == "marac" else "ASBRAC"
    panel, _ = Panel.objects.get_or_create(
        kind=kind,
        area=area,
        defaults={
            "name": f"{area.name} {label}",
            "coordinator": coordinator,
            "cutoff_days": cutoff_days,
        },
    )
    return panel


# Risk assessments -------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    answer: str = ""
    victims_words: str = ""
    notes: str = ""


@transaction.atomic
def do_record_assessment(
    *,
    person: Person,
    form: RiskForm,
    responses: Mapping[int, Response],
    assessed_on: date,
    acting_user: User,
    judged_level: str = "",
    judgement_reason: str = "",
    incident: Incident | None = None,
    previous: RiskAssessment | None = None,
) -> RiskAssessment:
    """Record a victim's answers and score them. Unanswered questions leave it incomplete (not
    scored); professional judgement may raise the level, never lower it."""
    from safer.accounts.access import visible_assessments, visible_people

    organisation_id = _recorder(acting_user)
    errors: dict[str, str] = {}
    if not visible_people(acting_user).filter(pk=person.pk).exists():
        errors["person"] = "You can assess only a person whose record your organisation can see."
    questions = list(form.questions.order_by("number"))
    numbers = {q.number for q in questions}
    unknown = sorted(set(responses) - numbers)
    if unknown:
        errors["answers"] = f"No question numbered {', '.join(map(str, unknown))} on this form."
    for number, response in responses.items():
        if response.answer and response.answer not in Answer.values:
            errors[f"q{number}"] = f"Question {number}: answer yes, no or not known."
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = "The date of the assessment cannot be in the future."
    answers = [responses.get(q.number, Response()).answer for q in questions]
    triggers = [q.high_if_yes for q in questions]
    if form.kind == FormKind.ASB:
        result = score_asb(answers, form.levels, triggers)
    else:
        result = dash.score(answers, form.levels, high_if_yes=triggers)
    if judged_level and judged_level not in RiskLevel.values:
        errors["judged_level"] = "Choose standard, medium or high."
    elif judged_level:
        problem = dash.check_judgement(result.level, judged_level)
        if problem:
            errors["judged_level"] = problem
        elif not judgement_reason.strip():
            errors["judgement_reason"] = "Say why your professional judgement sets this level."
    if previous is not None and (
        previous.person_id != person.pk
        or previous.form.kind != form.kind
        or not visible_assessments(acting_user).filter(pk=previous.pk).exists()
    ):
        errors["previous"] = "A re-assessment follows an earlier one of the same person and form."
    if previous is not None and RiskAssessment.objects.filter(previous=previous).exists():
        errors["previous"] = "That assessment has been re-assessed already; re-assess the newest."
    if errors:
        raise ValidationError(errors)
    same = judged_level == (result.level or "")
    assessment = RiskAssessment.objects.create(
        organisation_id=organisation_id,
        recorded_by=acting_user,
        form=form,
        person=person,
        incident=incident,
        assessed_on=assessed_on,
        status=result.status,
        yes_answers=result.yes,
        unanswered=result.unanswered,
        scored_level=result.level or "",
        judged_level="" if same else judged_level,
        judgement_reason="" if same else judgement_reason.strip(),
        previous=previous,
    )
    RiskAnswer.objects.bulk_create(
        RiskAnswer(
            assessment=assessment,
            question=question,
            answer=responses.get(question.number, Response()).answer,
            victims_words=responses.get(question.number, Response()).victims_words.strip(),
            notes=responses.get(question.number, Response()).notes.strip(),
        )
        for question in questions
    )
    record_event(
        acting_user,
        AuditAction.CREATE,
        assessment,
        purpose=Purpose.SAFEGUARDING,
        detail={"person": person.reference, "status": result.status},
    )
    return assessment


# Referrals --------------------------------------------------------------------------------


@transaction.atomic
def do_refer_case(
    *,
    panel: Panel,
    person: Person,
    reason: str,
    consent: str,
    acting_user: User,
    referred_on: date | None = None,
    concern: str = "",
    no_consent_reason: str = "",
    assessments: Sequence[RiskAssessment] = (),
    incidents: Sequence[Incident] = (),
) -> Referral:
    """Refer a victim to a MARAC or ASBRAC; marks it a repeat when the same victim was referred
    to a panel of the same kind within the previous 12 months (safeguarding/repeats.py)."""
    from safer.accounts.access import visible_assessments, visible_incidents, visible_people

    organisation_id = _recorder(acting_user)
    referred_on = referred_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not visible_people(acting_user).filter(pk=person.pk).exists():
        errors["person"] = (
            "You cannot refer this person: their record is not held by or shared with your "
            "organisation."
        )
    if reason not in ReferralReason.values:
        errors["reason"] = "Choose the reason for the referral."
    if consent not in ReferralConsent.values:
        errors["consent"] = "Say whether the victim consented to the referral."
    elif consent == ReferralConsent.NOT_GIVEN and not no_consent_reason.strip():
        errors["no_consent_reason"] = "Record why you are referring without the victim's consent."
    if reason in (ReferralReason.PROFESSIONAL_JUDGEMENT, ReferralReason.ESCALATION) and not (
        concern.strip()
    ):
        errors["concern"] = (
            "Say what the concern is: a referral on judgement or escalation needs it."
        )
    seen_assessments = set(
        visible_assessments(acting_user)
        .filter(pk__in=[a.pk for a in assessments], person=person)
        .values_list("pk", flat=True)
    )
    if any(a.pk not in seen_assessments for a in assessments):
        errors["assessments"] = "Attach only this person's assessments that you can see."
    if reason == ReferralReason.THRESHOLD and not any(
        dash.meets_threshold(a.scored_level) for a in assessments
    ):
        errors["reason"] = (
            "No attached checklist reaches the high-risk threshold: attach it, or refer on "
            "professional judgement or escalation and say why."
        )
    seen_incidents = set(
        visible_incidents(acting_user)
        .filter(pk__in=[i.pk for i in incidents])
        .values_list("pk", flat=True)
    )
    if any(i.pk not in seen_incidents for i in incidents):
        errors["incidents"] = "Attach only incidents your organisation can see."
    if referred_on > timezone.localdate():
        errors["referred_on"] = "The referral date cannot be in the future."
    if errors:
        raise ValidationError(errors)
    earlier = Referral.objects.filter(
        person=person, panel__kind=panel.kind, referred_on__lte=referred_on
    )
    last = last_referral_within(referred_on, earlier.values_list("referred_on", flat=True))
    repeat_of = (
        earlier.filter(referred_on=last).order_by("-pk").first() if last is not None else None
    )
    referral = Referral.objects.create(
        organisation_id=organisation_id,
        recorded_by=acting_user,
        panel=panel,
        person=person,
        referred_on=referred_on,
        reason=reason,
        concern=concern.strip(),
        consent=consent,
        no_consent_reason=no_consent_reason.strip() if consent == ReferralConsent.NOT_GIVEN else "",
        is_repeat=repeat_of is not None,
        repeat_of=repeat_of,
    )
    referral.assessments.set(assessments)
    referral.incidents.set(incidents)
    record_event(
        acting_user,
        AuditAction.CREATE,
        referral,
        purpose=Purpose.CONFERENCE,
        detail={"person": person.reference, "repeat": referral.is_repeat},
    )
    return referral


# Conferences ------------------------------------------------------------------------------


@transaction.atomic
def do_schedule_conference(
    *,
    panel: Panel,
    meets_on: date,
    chair: str,
    attending: Iterable[Organisation],
    acting_user: User,
) -> Conference:
    """Set a meeting of a panel, with its chair and the agencies that attend."""
    if (
        not has_permission(acting_user, Permission.RUN_CONFERENCES)
        or acting_user.organisation_id != panel.coordinator_id
    ):
        raise PermissionDenied("Only the panel's coordinator schedules its conferences.")
    agencies = list(attending)
    errors = {}
    if not chair.strip():
        errors["chair"] = "Name the chair of the meeting."
    if not agencies:
        errors["attending"] = "Choose the agencies attending."
    if errors:
        raise ValidationError(errors)
    conference = Conference.objects.create(
        organisation_id=panel.coordinator_id,
        recorded_by=acting_user,
        panel=panel,
        meets_on=meets_on,
        chair=chair.strip(),
    )
    conference.attending.set(agencies)
    record_event(acting_user, AuditAction.CREATE, conference, purpose=Purpose.CONFERENCE)
    return conference


@transaction.atomic
def do_build_agenda(conference: Conference, *, acting_user: User) -> list[CaseDiscussion]:
    """Put on the agenda every referral to the panel, not yet heard, received by the cut-off."""
    _coordinator(acting_user, conference)
    waiting = list(
        Referral.objects.select_for_update()
        .filter(
            panel=conference.panel,
            status=ReferralStatus.REFERRED,
            referred_on__lte=conference.agenda_cutoff(),
        )
        .order_by("referred_on", "pk")
    )
    start = conference.cases.count()
    cases = [
        CaseDiscussion(conference=conference, referral=referral, position=start + index + 1)
        for index, referral in enumerate(waiting)
    ]
    CaseDiscussion.objects.bulk_create(cases)
    Referral.objects.filter(pk__in=[r.pk for r in waiting]).update(status=ReferralStatus.LISTED)
    record_event(
        acting_user,
        AuditAction.CHANGE,
        conference,
        purpose=Purpose.CONFERENCE,
        detail={"agenda_added": [r.reference for r in waiting]},
    )
    return cases


@transaction.atomic
def do_record_research(case: CaseDiscussion, *, text: str, acting_user: User) -> Research:
    """An attending agency's research on its own records for a case."""
    conference = case.conference
    if acting_user.organisation_id is None or not (
        conference.attending.filter(pk=acting_user.organisation_id).exists()
        and has_permission(acting_user, Permission.RECORD_PERSONAL_DATA)
    ):
        raise PermissionDenied("Only an agency attending the conference brings research to it.")
    if not text.strip():
        raise ValidationError({"text": "Write what your agency's records show."})
    research = Research.objects.create(
        case=case,
        organisation_id=acting_user.organisation_id,
        text=text.strip(),
        recorded_by=acting_user,
    )
    record_event(
        acting_user,
        AuditAction.CHANGE,
        conference,
        purpose=Purpose.CONFERENCE,
        detail={"research": case.referral.reference},
    )
    return research


@transaction.atomic
def do_record_discussion(
    case: CaseDiscussion, *, risks: str, outcome: str, acting_user: User
) -> CaseDiscussion:
    """The risks the meeting discussed for a case, and its outcome."""
    _coordinator(acting_user, case.conference)
    if not risks.strip():
        raise ValidationError({"risks": "Record the risks discussed."})
    case.risks, case.outcome = risks.strip(), outcome.strip()
    case.save(update_fields=["risks", "outcome"])
    if case.outcome:
        Referral.objects.filter(pk=case.referral_id).update(status=ReferralStatus.DISCUSSED)
    record_event(
        acting_user,
        AuditAction.CHANGE,
        case.conference,
        purpose=Purpose.CONFERENCE,
        detail={"discussed": case.referral.reference},
    )
    return case


@transaction.atomic
def do_add_conference_action(
    case: CaseDiscussion,
    *,
    owner: Organisation | None,
    text: str,
    due_on: date | None,
    acting_user: User,
) -> ConferenceAction:
    """An action agreed for a case; refused without an owning agency or a due date."""
    _coordinator(acting_user, case.conference)
    errors = {}
    if owner is None:
        errors["owner"] = "Choose the agency that owns the action."
    elif not case.conference.attending.filter(pk=owner.pk).exists():
        errors["owner"] = f"{owner} is not attending this conference: choose an attending agency."
    if due_on is None:
        errors["due_on"] = "Enter the date the action is due."
    if not text.strip():
        errors["text"] = "Say what is to be done."
    if errors:
        raise ValidationError(errors)
    assert owner is not None and due_on is not None  # noqa: S101 - checked above, for mypy
    action = ConferenceAction.objects.create(
        case=case, owner=owner, text=text.strip(), due_on=due_on
    )
    record_event(
        acting_user,
        AuditAction.CHANGE,
        case.conference,
        purpose=Purpose.CONFERENCE,
        detail={"action_for": owner.slug, "case": case.referral.reference},
    )
    return action


@transaction.atomic
def do_set_action_status(
    action: ConferenceAction, *, status: str, acting_user: User
) -> ConferenceAction:
    """The owning agency (or the coordinator) marks an action done, cancelled or open again."""
    conference = action.case.conference
    owns = acting_user.organisation_id == action.owner_id and has_permission(
        acting_user, Permission.RECORD_PERSONAL_DATA
    )
    coordinates = has_permission(
        acting_user, Permission.RUN_CONFERENCES
    ) and acting_user.organisation_id == (conference.panel.coordinator_id)
    if not (owns or coordinates):
        raise PermissionDenied("Only the owning agency or the coordinator updates an action.")
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Choose open, done or cancelled."})
    action.status = status
    action.completed_on = timezone.localdate() if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "completed_on", "updated_at"])
    record_event(
        acting_user,
        AuditAction.CHANGE,
        conference,
        purpose=Purpose.CONFERENCE,
        detail={"action": action.pk, "status": status},
    )
    return action


# CSE --------------------------------------------------------------------------------------


@transaction.atomic
def do_submit_cse_report(
    *,
    kind: str,
    what: str,
    who: str,
    where: str,
    lead_agency: Organisation | None,
    acting_user: User,
    area: CspArea | None = None,
    person: Person | None = None,
    submitted_on: date | None = None,
) -> CseReport:
    """Submit CSE intelligence or a referral, routed to the lead agency."""
    from safer.accounts.access import visible_people

    organisation_id = _recorder(acting_user)
    errors = {}
    if kind not in CseKind.values:
        errors["kind"] = "Say whether this is intelligence or a referral."
    for field, value, message in (
        ("what", what, "Say what the concern or intelligence is."),
        ("who", who, "Say who it is about: the child or young person, and anyone of concern."),
        ("where", where, "Say where: a place, address or area."),
    ):
        if not value.strip():
            errors[field] = message
    if lead_agency is None:
        errors["lead_agency"] = "Choose the lead agency it goes to."
    if person is not None and not visible_people(acting_user).filter(pk=person.pk).exists():
        errors["person"] = "You can link only a person whose record your organisation can see."
    submitted_on = submitted_on or timezone.localdate()
    if submitted_on > timezone.localdate():
        errors["submitted_on"] = "The date cannot be in the future."
    if errors:
        raise ValidationError(errors)
    assert lead_agency is not None  # noqa: S101 - checked above, for mypy
    report = CseReport.objects.create(
        organisation_id=organisation_id,
        recorded_by=acting_user,
        kind=kind,
        what=what.strip(),
        who=who.strip(),
        where=where.strip(),
        area=area,
        lead_agency=lead_agency,
        person=person,
        submitted_on=submitted_on,
    )
    record_event(
        acting_user,
        AuditAction.CREATE,
        report,
        purpose=Purpose.SAFEGUARDING,
        detail={"lead_agency": lead_agency.slug},
    )
    return report


__all__ = [
    "AssessmentStatus",
    "Response",
    "current_risk_form",
    "do_add_conference_action",
    "do_build_agenda",
    "do_create_panel",
    "do_load_risk_form",
    "do_record_assessment",
    "do_record_discussion",
    "do_record_research",
    "do_refer_case",
    "do_schedule_conference",
    "do_set_action_status",
    "do_submit_cse_report",
]
