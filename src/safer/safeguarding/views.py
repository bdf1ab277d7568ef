"""Risk assessments, referrals, conferences and CSE reports: records come only from the access
layer, every read is audited, and every write goes through safeguarding/actions.py."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safer.accounts.access import (
    access_assessment,
    access_conference,
    access_cse_report,
    access_referral,
    coordinated_conference_actions,
    show_records,
    visible_assessments,
    visible_conference_actions,
    visible_conferences,
    visible_cse_reports,
    visible_incidents,
    visible_people,
    visible_referrals,
)
from safer.accounts.enums import AuditAction, Purpose
from safer.accounts.models import User
from safer.accounts.permissions import Permission, has_permission
from safer.accounts.personal_data import counts_only, personal_data_view
from safer.core.periods import Quarter
from safer.core.suppression import is_disclosive, suppress, suppress_table
from safer.safeguarding import actions, exports, figures, national
from safer.safeguarding.enums import ActionStatus, FormKind, ReferralStatus
from safer.safeguarding.forms import (
    ActionForm,
    ActionStatusForm,
    AssessmentForm,
    ConferenceForm,
    CseForm,
    DiscussionForm,
    ReferralForm,
    ResearchForm,
)
from safer.safeguarding.models import CaseDiscussion, Conference, CseReport, Panel


def _user(request: HttpRequest, permission: Permission = Permission.VIEW_PERSONAL_DATA) -> User:
    user = request.user
    if not isinstance(user, User) or not has_permission(user, permission):
        raise Http404
    return user


def _errors_to_form(form: Any, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# Risk assessments -------------------------------------------------------------------------


@personal_data_view(kind="form", permission="record_personal_data")
def assessment_create(request: HttpRequest) -> HttpResponse:
    """A new assessment on the current version of a form: ?kind=dash (the default) or asb."""
    user = _user(request, Permission.RECORD_PERSONAL_DATA)
    kind = request.GET.get("kind", FormKind.DASH)
    if kind not in FormKind.values:
        raise Http404
    risk_form = actions.current_risk_form(kind)
    people = visible_people(user)
    previous = None
    if request.GET.get("after"):
        previous = access_assessment(user, request.GET["after"], purpose=Purpose.SAFEGUARDING)
    initial: dict[str, Any] = {
        "person": previous.person_id if previous else request.GET.get("person")
    }
    form = AssessmentForm(request.POST or None, risk_form=risk_form, people=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = actions.do_record_assessment(
                person=form.cleaned_data["person"],
                form=risk_form,
                responses=form.responses(),
                assessed_on=form.cleaned_data["assessed_on"],
                judged_level=form.cleaned_data["judged_level"],
                judgement_reason=form.cleaned_data["judgement_reason"],
                previous=previous,
                acting_user=user,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            if assessment.level:
                messages.success(
                    request,
                    f"{assessment.reference} is saved: {assessment.yes_answers} 'yes' answers, "
                    f"{assessment.level_label().lower()} risk.",
                )
            else:
                messages.warning(
                    request,
                    f"{assessment.reference} is saved as incomplete: {assessment.unanswered} "
                    "questions unanswered, so it is not scored.",
                )
            return redirect(assessment)
    return render(
        request,
        "safeguarding/assessment_form.html",
        {"form": form, "risk_form": risk_form, "previous": previous},
    )


@personal_data_view(kind="page", record="assessment")
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    assessment = access_assessment(user, pk, purpose=Purpose.SAFEGUARDING)
    history = visible_assessments(user).filter(
        person_id=assessment.person_id, form__kind=assessment.form.kind
    )
    return render(
        request,
        "safeguarding/assessment_detail.html",
        {
            "assessment": assessment,
            "answers": assessment.answers.select_related("question"),
            "history": history,
            "own": assessment.organisation_id == user.organisation_id,
            "can_reassess": not hasattr(assessment, "next")
            and has_permission(user, Permission.RECORD_PERSONAL_DATA),
        },
    )


@personal_data_view(kind="page")
def review_list(request: HttpRequest) -> HttpResponse:
    """The user's agency's latest assessments, soonest review first, overdue ones flagged."""
    user = _user(request)
    latest = (
        visible_assessments(user)
        .filter(organisation_id=user.organisation_id or 0, next__isnull=True)
        .select_related("form", "person")
    )
    today = timezone.localdate()
    rows = sorted(
        ((a, a.review_due()) for a in latest),
        key=lambda row: (row[1] is None, row[1] or today),
    )
    show_records(
        user, [a for a, _ in rows], purpose=Purpose.SAFEGUARDING, action=AuditAction.SEARCH_RESULT
    )
    return render(request, "safeguarding/review_list.html", {"rows": rows, "today": today})


# Referrals --------------------------------------------------------------------------------


@personal_data_view(kind="form", permission="record_personal_data")
def referral_create(request: HttpRequest) -> HttpResponse:
    user = _user(request, Permission.RECORD_PERSONAL_DATA)
    form = ReferralForm(
        request.POST or None,
        people=visible_people(user),
        assessments=visible_assessments(user).select_related("person", "form"),
        incidents=visible_incidents(user),
        initial={"person": request.GET.get("person")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = actions.do_refer_case(
                panel=data["panel"],
                person=data["person"],
                reason=data["reason"],
                concern=data["concern"],
                consent=data["consent"],
                no_consent_reason=data["no_consent_reason"],
                assessments=list(data["assessments"]),
                incidents=list(data["incidents"]),
                acting_user=user,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            note = " It is a repeat referral." if referral.is_repeat else ""
            messages.success(
                request, f"{referral.reference} is referred to {referral.panel}.{note}"
            )
            return redirect(referral)
    return render(request, "safeguarding/referral_form.html", {"form": form})


@personal_data_view(kind="page", record="referral")
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    referral = access_referral(user, pk, purpose=Purpose.CONFERENCE)
    earlier = referral.repeat_of
    return render(
        request,
        "safeguarding/referral_detail.html",
        {
            "referral": referral,
            "earlier": earlier,
            "earlier_visible": earlier is not None
            and visible_referrals(user).filter(pk=earlier.pk).exists(),
            "assessments": visible_assessments(user).filter(referrals=referral),
            "incidents": visible_incidents(user).filter(referrals=referral),
            "person_visible": visible_people(user).filter(pk=referral.person_id).exists(),
        },
    )


# Conferences ------------------------------------------------------------------------------


@personal_data_view(kind="page")
def conference_list(request: HttpRequest) -> HttpResponse:
    """The conferences the user's organisation attends or coordinates, and the referrals
    waiting for a panel it coordinates."""
    user = _user(request)
    conferences = list(visible_conferences(user).select_related("panel"))
    waiting = list(
        visible_referrals(user)
        .filter(panel__coordinator_id=user.organisation_id, status=ReferralStatus.REFERRED)
        .select_related("panel", "person")
    )
    show_records(user, conferences, purpose=Purpose.CONFERENCE, action=AuditAction.SEARCH_RESULT)
    show_records(user, waiting, purpose=Purpose.CONFERENCE, action=AuditAction.SEARCH_RESULT)
    return render(
        request,
        "safeguarding/conference_list.html",
        {
            "conferences": conferences,
            "waiting": waiting,
            "can_run": has_permission(user, Permission.RUN_CONFERENCES),
            "can_refer": has_permission(user, Permission.RECORD_PERSONAL_DATA),
        },
    )


@personal_data_view(kind="form", permission="run_conferences")
def conference_create(request: HttpRequest) -> HttpResponse:
    user = _user(request, Permission.RUN_CONFERENCES)
    panels = Panel.objects.filter(coordinator_id=user.organisation_id)
    form = ConferenceForm(request.POST or None, panels=panels)
    if request.method == "POST" and form.is_valid():
        try:
            conference = actions.do_schedule_conference(**form.cleaned_data, acting_user=user)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"{conference} is scheduled.")
            return redirect(conference)
    return render(request, "safeguarding/conference_form.html", {"form": form})


def _conference_post(request: HttpRequest, conference: Conference, user: User) -> Any:
    """One change to a conference, named by the form's `do`; returns a form with errors, or
    None when done."""
    step = request.POST.get("do", "")
    case = None
    if "case" in request.POST:
        number = request.POST.get("case", "").strip()
        case = CaseDiscussion.objects.filter(
            conference=conference, pk=int(number) if number.isdigit() else 0
        ).first()
        if case is None:
            raise Http404
    try:
        if step == "build-agenda":
            added = actions.do_build_agenda(conference, acting_user=user)
            messages.success(request, f"{len(added)} referrals added to the agenda.")
        elif step == "research" and case is not None:
            form: Any = ResearchForm(request.POST)
            if not form.is_valid():
                return case.pk, form
            actions.do_record_research(case, text=form.cleaned_data["text"], acting_user=user)
        elif step == "discussion" and case is not None:
            form = DiscussionForm(request.POST)
            if not form.is_valid():
                return case.pk, form
            actions.do_record_discussion(case, **form.cleaned_data, acting_user=user)
        elif step == "action" and case is not None:
            form = ActionForm(request.POST, agencies=conference.attending.all())
            if not form.is_valid():
                return case.pk, form
            actions.do_add_conference_action(case, **form.cleaned_data, acting_user=user)
            messages.success(request, "The action is recorded.")
        else:
            raise Http404
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        return (case.pk if case else None), exc
    return None


@personal_data_view(kind="page", record="conference")
def conference_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda and minutes: cases, each agency's research, risks, actions and outcomes."""
    user = _user(request)
    conference = access_conference(user, pk)
    failed: Any = None
    if request.method == "POST":
        failed = _conference_post(request, conference, user)
        if failed is None:
            return redirect(conference)
        if failed[0] is None:
            messages.error(request, " ".join(failed[1].messages))
            return redirect(conference)
    coordinator = has_permission(user, Permission.RUN_CONFERENCES) and user.organisation_id == (
        conference.panel.coordinator_id
    )
    organisation_id = user.organisation_id or 0
    attending = conference.attending.filter(pk=organisation_id).exists()
    cases = list(
        conference.cases.select_related("referral", "referral__person", "referral__organisation")
        .prefetch_related("research__organisation", "actions__owner")
        .order_by("position")
    )
    agencies = conference.attending.order_by("name")
    today = timezone.localdate()
    rows = []
    for case in cases:
        ids = {step: f"c{case.pk}-{step}-%s" for step in ("research", "discussion", "action")}
        forms: dict[str, Any] = {
            "research": ResearchForm(auto_id=ids["research"]),
            "discussion": DiscussionForm(
                initial={"risks": case.risks, "outcome": case.outcome}, auto_id=ids["discussion"]
            ),
            "action": ActionForm(agencies=agencies, auto_id=ids["action"]),
        }
        if failed is not None and failed[0] == case.pk:
            step = request.POST.get("do", "")
            bound = {
                "research": ResearchForm(request.POST, auto_id=ids["research"]),
                "discussion": DiscussionForm(request.POST, auto_id=ids["discussion"]),
                "action": ActionForm(request.POST, agencies=agencies, auto_id=ids["action"]),
            }[step]
            bound.is_valid()
            if isinstance(failed[1], ValidationError):
                _errors_to_form(bound, failed[1])
            forms[step] = bound
        rows.append((case, forms))
    return render(
        request,
        "safeguarding/conference_detail.html",
        {
            "conference": conference,
            "rows": rows,
            "agencies": agencies,
            "coordinator": coordinator,
            "attending": attending,
            "today": today,
            "cutoff": conference.agenda_cutoff(),
        },
        status=400 if failed is not None else 200,
    )


@personal_data_view(kind="export", record="conference")
def conference_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda and action list for the meeting: a printable page, or ?format=pdf or docx."""
    user = _user(request)
    file_format = request.GET.get("format", "")
    if file_format not in ("", "pdf", "docx"):
        raise Http404
    conference = access_conference(
        user, pk, action=AuditAction.EXPORT if file_format else AuditAction.VIEW
    )
    content = exports.agenda_content(conference)
    if not file_format:
        return HttpResponse(exports.agenda_html(content))
    if file_format == "pdf":
        response = HttpResponse(exports.agenda_pdf(content), content_type="application/pdf")
    else:
        response = HttpResponse(
            exports.agenda_docx(content),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    response["Content-Disposition"] = (
        f'attachment; filename="agenda-{conference.reference}.{file_format}"'
    )
    return response


# Figures ----------------------------------------------------------------------------------


def _panel_and_quarter(request: HttpRequest) -> tuple[Panel, Quarter]:
    panel = Panel.objects.filter(pk=request.GET.get("panel") or "0").first()
    panel = panel or Panel.objects.order_by("kind", "name").first()
    if panel is None:
        raise Http404("No MARAC or ASBRAC is set up yet.")
    try:
        quarter = Quarter.parse(request.GET.get("quarter", ""))
    except ValueError:
        quarter = Quarter.containing(timezone.localdate())
    return panel, quarter


@counts_only
def panel_figures(request: HttpRequest) -> HttpResponse:
    """A panel's quarter: cases, repeats and the rate against the recommended band, referrals
    by agency; a MARAC's year against SafeLives' figures; counts from 1 to 4 suppressed."""
    user = _user(request, Permission.VIEW_AGGREGATES)
    panel, quarter = _panel_and_quarter(request)
    shown = figures.panel_figures(panel, quarter)
    band = figures.parse_band(settings.SAFER_MARAC_REPEAT_BAND)
    rate_hidden = shown.referrals < 5 or is_disclosive(shown.repeats)
    return render(
        request,
        "safeguarding/panel_figures.html",
        {
            "panels": Panel.objects.all(),
            "panel": panel,
            "quarter": quarter,
            "previous": quarter.previous(),
            "next": quarter.next(),
            "figures": shown,
            "counts": {
                "referrals": suppress(shown.referrals),
                "repeats": suppress(shown.repeats),
                "discussed": suppress(shown.discussed),
                "high_risk": suppress(shown.high_risk),
            },
            "by_agency": suppress_table(shown.by_agency),
            "rate": None if rate_hidden else shown.repeat_rate,
            "band": band,
            "position": "" if rate_hidden else figures.band_position(shown.repeat_rate, band),
            "volume": figures.marac_volume(panel, quarter),
            "national": national.NATIONAL,
            "expected": national.EXPECTED_CASES_PER_10000_WOMEN,
            "expected_source": national.REVIEWING_YOUR_MARAC_DATA,
            "can_return": has_permission(user, Permission.RUN_CONFERENCES)
            and user.organisation_id == panel.coordinator_id,
        },
    )


@counts_only
def data_return(request: HttpRequest) -> HttpResponse:
    """The panel's quarterly data return to SafeLives as CSV, for its coordinator only."""
    user = _user(request, Permission.RUN_CONFERENCES)
    panel, quarter = _panel_and_quarter(request)
    if user.organisation_id != panel.coordinator_id:
        raise Http404
    response = HttpResponse(
        figures.data_return_csv(figures.panel_figures(panel, quarter)),
        content_type="text/csv; charset=utf-8",
    )
    name = f"{panel.name.lower().replace(' ', '-')}-{quarter.code}-data-return.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Actions ----------------------------------------------------------------------------------


@personal_data_view(kind="page")
def action_list(request: HttpRequest) -> HttpResponse:
    """The user's agency's conference actions: open ones first, overdue ones flagged."""
    user = _user(request)
    if request.method == "POST":
        action = (
            visible_conference_actions(user).filter(pk=request.POST.get("action") or "0").first()
        )
        form = ActionStatusForm(request.POST)
        if action is None or not form.is_valid():
            raise Http404
        try:
            actions.do_set_action_status(
                action, status=form.cleaned_data["status"], acting_user=user
            )
        except PermissionDenied:
            raise Http404 from None
        if request.headers.get("HX-Request"):
            # htmx swaps just the row; the table keeps its place on the page.
            return render(
                request,
                "safeguarding/partials/action_row.html",
                {
                    "a": action,
                    "overdue": action.is_overdue(timezone.localdate()),
                    "statuses": ActionStatus.choices,
                },
            )
        messages.success(request, f"The action is marked {action.get_status_display().lower()}.")
        return redirect("safeguarding:action-list")
    rows = list(
        visible_conference_actions(user)
        .select_related("case__conference__panel", "case__referral")
        .order_by("status", "due_on")
    )
    conferences = list({row.case.conference for row in rows})
    show_records(user, conferences, purpose=Purpose.CONFERENCE, action=AuditAction.SEARCH_RESULT)
    today = timezone.localdate()
    return render(
        request,
        "safeguarding/action_list.html",
        {
            "rows": [(row, row.is_overdue(today)) for row in rows],
            "overdue": sum(1 for row in rows if row.is_overdue(today)),
            "statuses": ActionStatus.choices,
        },
    )


@counts_only
def action_completion(request: HttpRequest) -> HttpResponse:
    """For a coordinator: actions on their panels' conferences, by owning agency and status."""
    user = _user(request, Permission.RUN_CONFERENCES)
    today = timezone.localdate()
    table: dict[str, Counter[str]] = {}
    for action in coordinated_conference_actions(user).select_related("owner"):
        counts = table.setdefault(action.owner.name, Counter())
        counts[action.status] += 1
        counts["overdue"] += action.is_overdue(today)
    rows = []
    for agency, counts in sorted(table.items()):
        total = sum(counts[status] for status in ActionStatus.values)
        done = counts[ActionStatus.DONE]
        rows.append(
            {
                "agency": agency,
                "total": total,
                "open": counts[ActionStatus.OPEN],
                "overdue": counts["overdue"],
                "done": done,
                "percent": round(100 * done / total) if total else None,
            }
        )
    return render(request, "safeguarding/action_completion.html", {"rows": rows})


# CSE --------------------------------------------------------------------------------------


@personal_data_view(kind="form", permission="record_personal_data")
def cse_create(request: HttpRequest) -> HttpResponse:
    user = _user(request, Permission.RECORD_PERSONAL_DATA)
    form = CseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = actions.do_submit_cse_report(**form.cleaned_data, acting_user=user)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, f"{report.reference} is submitted to {report.lead_agency}.")
            return redirect(report)
    return render(request, "safeguarding/cse_form.html", {"form": form})


@personal_data_view(kind="page", record="cse")
def cse_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = access_cse_report(user, pk, purpose=Purpose.SAFEGUARDING)
    return render(request, "safeguarding/cse_detail.html", {"report": report})


@counts_only
def cse_counts(request: HttpRequest) -> HttpResponse:
    """CSE submissions by submitting agency and quarter: counts only, fewer than 5 suppressed."""
    _user(request, Permission.VIEW_AGGREGATES)
    raw: Counter[tuple[str, Quarter]] = Counter()
    for name, day in CseReport.objects.values_list("organisation__name", "submitted_on"):
        raw[(name, Quarter.containing(day))] += 1
    quarters = sorted({quarter for _, quarter in raw}, reverse=True)[:4]
    agencies = sorted({name for name, _ in raw})
    table = []
    for quarter in quarters:
        cells = suppress_table({a: raw[(a, quarter)] for a in agencies})
        table.append((quarter, [cells[a] for a in agencies]))
    return render(request, "safeguarding/cse_counts.html", {"agencies": agencies, "table": table})


@personal_data_view(kind="page")
def cse_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    reports = list(visible_cse_reports(user).select_related("organisation", "lead_agency"))
    show_records(user, reports, purpose=Purpose.SAFEGUARDING, action=AuditAction.SEARCH_RESULT)
    return render(
        request,
        "safeguarding/cse_list.html",
        {"reports": reports, "can_submit": has_permission(user, Permission.RECORD_PERSONAL_DATA)},
    )
