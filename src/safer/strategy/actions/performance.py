"""The quarterly performance cycle: periods, measure definitions, targets, updates, review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from safer.accounts.models import User
from safer.accounts.permissions import Permission, has_permission, require_permission
from safer.core.periods import Quarter
from safer.partnership.models import CspArea, Organisation
from safer.strategy.actions.history import diff, record_change
from safer.strategy.enums import (
    ActionStatus,
    Direction,
    MeasureKind,
    MeasureSourceKind,
    MilestoneStatus,
    PeriodStatus,
    UpdateStatus,
)
from safer.strategy.measure_sources import get_source
from safer.strategy.models import (
    Action,
    ActionUpdate,
    Agreement,
    Measure,
    MeasureValue,
    ReportingPeriod,
    Target,
    Theme,
)
from safer.strategy.reminders import missing_updates
from safer.strategy.responsibility import may_update
from safer.strategy.status import plan_for


def _require_responsible(user: User | None, item: Measure | Action) -> None:
    if user is not None and not may_update(user, item):
        raise PermissionDenied(
            "Only the theme lead, the line's named lead or an analyst may update this."
        )


@transaction.atomic
def do_open_period(
    agreement: Agreement, quarter: Quarter, *, deadline: date, acting_user: User | None
) -> ReportingPeriod:
    require_permission(acting_user, Permission.MANAGE_AGREEMENT)
    if ReportingPeriod.objects.filter(
        agreement=agreement, start_year=quarter.start_year, quarter=quarter.number
    ).exists():
        raise ValidationError({"quarter": f"{quarter.label} is already a reporting period."})
    if deadline < quarter.start:
        raise ValidationError(
            {
                "deadline": "The deadline must be after the quarter starts "
                f"({quarter.start:%-d %B %Y})."
            }
        )
    period = ReportingPeriod.objects.create(
        agreement=agreement,
        start_year=quarter.start_year,
        quarter=quarter.number,
        deadline=deadline,
    )
    record_change(period, f"Opened {quarter.label} for updates", actor=acting_user)
    return period


@transaction.atomic
def do_close_period(period: ReportingPeriod, *, acting_user: User | None) -> ReportingPeriod:
    """Close a quarter: its values then change only through a recorded correction."""
    require_permission(acting_user, Permission.MANAGE_AGREEMENT)
    if not period.is_open:
        raise ValidationError(f"{period} is already closed.")
    period.status = PeriodStatus.CLOSED
    period.closed_at = timezone.now()
    period.closed_by = acting_user
    period.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    record_change(period, f"Closed {period}", actor=acting_user)
    return period


@transaction.atomic
def do_define_measure(
    measure: Measure,
    *,
    kind: str,
    direction: str,
    unit: str = "",
    baseline_value: Decimal | None = None,
    baseline_period: str = "",
    tolerance_percent: Decimal = Decimal(5),
    source: str = MeasureSourceKind.ENTERED,
    source_key: str = "",
    by_area: bool = False,
    milestone_due: date | None = None,
    lead_organisation: Organisation | None = None,
    lead: User | None = None,
    acting_user: User | None,
) -> Measure:
    """Say how a success measure is judged: its kind, direction, baseline, tolerance, source."""
    require_permission(acting_user, Permission.MANAGE_AGREEMENT)
    errors: dict[str, str] = {}
    if (kind == MeasureKind.MILESTONE) != (direction == Direction.MILESTONE):
        errors["direction"] = (
            "A milestone measure has the direction 'Milestone', and only a milestone does."
        )
    if not direction:
        errors["direction"] = "Choose whether higher is better, lower is better, or a milestone."
    if (
        kind == MeasureKind.PERCENTAGE
        and baseline_value is not None
        and not (0 <= baseline_value <= 100)
    ):
        errors["baseline_value"] = "A percentage baseline is between 0 and 100."
    if baseline_value is not None and not baseline_period:
        errors["baseline_period"] = "Say which period the baseline describes, e.g. 2010/11."
    if source == MeasureSourceKind.COMPUTED:
        try:
            get_source(source_key)
        except KeyError as exc:
            errors["source_key"] = str(exc.args[0])
        if kind == MeasureKind.MILESTONE:
            errors["source"] = "A milestone is reported by its lead, not computed."
    elif source_key:
        errors["source_key"] = "Only a computed measure names a calculation."
    if errors:
        raise ValidationError(errors)
    values: dict[str, Any] = {
        "kind": kind,
        "direction": direction,
        "unit": unit,
        "baseline_value": baseline_value,
        "baseline_period": baseline_period,
        "tolerance_percent": tolerance_percent,
        "source": source,
        "source_key": source_key,
        "by_area": by_area,
        "milestone_due": milestone_due,
        "lead_organisation": lead_organisation,
        "lead": lead,
    }
    changes = diff(measure, values)
    if changes:
        for name, value in values.items():
            setattr(measure, name, value)
        measure.full_clean()
        measure.save()
        record_change(measure, "Measure definition changed", actor=acting_user, changes=changes)
    return measure


@transaction.atomic
def do_set_target(
    measure: Measure,
    *,
    start_year: int,
    quarter: int | None,
    value: Decimal,
    acting_user: User | None,
    reason: str = "",
) -> Target:
    require_permission(acting_user, Permission.MANAGE_AGREEMENT)
    if not measure.direction:
        raise ValidationError(
            {"value": "Set the measure's direction (higher or lower is better) before a target."}
        )
    if measure.direction == Direction.MILESTONE:
        raise ValidationError({"value": "A milestone has a due date, not a numeric target."})
    if measure.kind == MeasureKind.PERCENTAGE and not (0 <= value <= 100):
        raise ValidationError({"value": "A percentage target is between 0 and 100."})
    if quarter is not None and quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": "A quarter is 1, 2, 3 or 4."})
    target = Target.objects.filter(measure=measure, start_year=start_year, quarter=quarter).first()
    label = f"{start_year}/{(start_year + 1) % 100:02d}" + (f" Q{quarter}" if quarter else "")
    if target is None:
        target = Target.objects.create(
            measure=measure, start_year=start_year, quarter=quarter, value=value
        )
        record_change(
            measure,
            f"Target for {label} set",
            actor=acting_user,
            changes={"target": [None, f"{value.normalize():f}"]},
            reason=reason,
        )
    elif target.value != value:
        changes = diff(target, {"value": value})
        target.value = value
        target.save(update_fields=["value", "updated_at"])
        record_change(
            measure,
            f"Target for {label} changed",
            actor=acting_user,
            changes={"target": changes["value"]},
            reason=reason,
        )
    return target


def _check_plan(item: Measure | Action, period: ReportingPeriod) -> None:
    """A quarter is reported against the delivery plan in force for it, not another year's."""
    plan = plan_for(period.agreement, period.period)
    if plan is None or item.plan_id != plan.pk:
        raise ValidationError(
            f"This line belongs to the {item.plan}; {period} reports on the "
            f"{plan or 'plan for its year'}."
        )


def _check_value(measure: Measure, value: Decimal | None, milestone_status: str) -> None:
    if measure.kind == MeasureKind.MILESTONE:
        if value is not None:
            raise ValidationError({"value": "A milestone has no value: say how far it has got."})
        if milestone_status not in MilestoneStatus.values:
            raise ValidationError(
                {
                    "milestone_status": "Say whether the milestone is not started, "
                    "in progress or complete."
                }
            )
        return
    if milestone_status:
        raise ValidationError({"milestone_status": "Only a milestone has a completion status."})
    if value is None:
        raise ValidationError({"value": f"Enter the value in {measure.unit or 'numbers'}."})
    if measure.kind == MeasureKind.PERCENTAGE and not (0 <= value <= 100):
        raise ValidationError({"value": "A percentage is between 0 and 100."})
    if value < 0:
        raise ValidationError({"value": "A count or rate cannot be negative."})


@transaction.atomic
def do_save_measure_value(
    measure: Measure,
    period: ReportingPeriod,
    *,
    value: Decimal | None,
    milestone_status: str = "",
    comment: str = "",
    evidence_file: UploadedFile | None = None,
    evidence_url: str = "",
    area: CspArea | None = None,
    submit: bool = False,
    is_demo: bool = False,
    acting_user: User | None,
) -> MeasureValue:
    """Save a theme lead's value for a quarter as a draft, or submit it for review."""
    _require_responsible(acting_user, measure)
    if not period.is_open:
        raise ValidationError(
            f"{period} is closed: its values change only through a recorded correction."
        )
    if measure.source == MeasureSourceKind.COMPUTED:
        raise ValidationError("This measure is computed from Safer's data; it is not typed in.")
    _check_plan(measure, period)
    if area is not None and not measure.by_area:
        raise ValidationError({"area": "This measure is reported for the partnership as a whole."})
    _check_value(measure, value, milestone_status)
    existing = MeasureValue.objects.filter(measure=measure, period=period, area=area).first()
    if existing is not None and existing.status == UpdateStatus.SUBMITTED:
        raise ValidationError("This value is with the analyst for review; wait for their answer.")
    if submit and not (
        evidence_file
        or evidence_url
        or (existing and existing.evidence_file)
        or (existing and existing.evidence_url)
    ):
        raise ValidationError(
            {"evidence_url": "Add evidence, a file or a link, before submitting a value you typed."}
        )
    fields: dict[str, Any] = {
        "value": value,
        "milestone_status": milestone_status,
        "comment": comment,
        "evidence_url": evidence_url or (existing.evidence_url if existing else ""),
        "status": UpdateStatus.SUBMITTED if submit else UpdateStatus.DRAFT,
        "is_demo": is_demo,
    }
    if submit:
        fields |= {"submitted_by": acting_user, "submitted_at": timezone.now()}
    if existing is None:
        update = MeasureValue(measure=measure, period=period, area=area, **fields)
        changes = {"value": [None, str(value) if value is not None else milestone_status]}
    else:
        update = existing
        changes = diff(update, {k: fields[k] for k in ("value", "milestone_status", "comment")})
        for name, field_value in fields.items():
            setattr(update, name, field_value)
    if evidence_file is not None:
        update.evidence_file = evidence_file
    update.full_clean()
    update.save()
    verb = "submitted" if submit else "saved as a draft"
    record_change(update, f"{period} value {verb}", actor=acting_user, changes=changes)
    return update


@transaction.atomic
def do_save_action_update(
    action: Action,
    period: ReportingPeriod,
    *,
    action_status: str,
    progress_note: str,
    submit: bool = False,
    is_demo: bool = False,
    acting_user: User | None,
) -> ActionUpdate:
    _require_responsible(acting_user, action)
    if not period.is_open:
        raise ValidationError(f"{period} is closed: its updates can no longer change.")
    _check_plan(action, period)
    if action_status not in ActionStatus.values:
        raise ValidationError({"action_status": "Choose the action's status."})
    if not progress_note.strip():
        raise ValidationError({"progress_note": "Write a progress note for the quarter."})
    update = ActionUpdate.objects.filter(action=action, period=period).first()
    if update is not None and update.status == UpdateStatus.SUBMITTED:
        raise ValidationError("This update is with the analyst for review; wait for their answer.")
    values = {"action_status": action_status, "progress_note": progress_note.strip()}
    changes = diff(update, values) if update else {"action_status": [None, action_status]}
    update = update or ActionUpdate(action=action, period=period)
    for name, value in values.items():
        setattr(update, name, value)
    update.is_demo = is_demo
    update.status = UpdateStatus.SUBMITTED if submit else UpdateStatus.DRAFT
    if submit:
        update.submitted_by = acting_user
        update.submitted_at = timezone.now()
    update.full_clean()
    update.save()
    verb = "submitted" if submit else "saved as a draft"
    record_change(update, f"{period} progress {verb}", actor=acting_user, changes=changes)
    return update


@transaction.atomic
def do_submit_update(
    update: MeasureValue | ActionUpdate, *, acting_user: User | None
) -> MeasureValue | ActionUpdate:
    item = update.measure if isinstance(update, MeasureValue) else update.action
    _require_responsible(acting_user, item)
    if update.status not in (UpdateStatus.DRAFT, UpdateStatus.RETURNED):
        raise ValidationError(f"This update is {update.get_status_display().lower()} already.")
    if not update.period.is_open:
        raise ValidationError(f"{update.period} is closed.")
    if isinstance(update, MeasureValue) and not (update.evidence_file or update.evidence_url):
        raise ValidationError("Add evidence, a file or a link, before submitting.")
    update.status = UpdateStatus.SUBMITTED
    update.submitted_by = acting_user
    update.submitted_at = timezone.now()
    update.save()
    record_change(update, f"{update.period} update submitted", actor=acting_user)
    return update


def _reviewable(update: MeasureValue | ActionUpdate, acting_user: User | None) -> None:
    require_permission(acting_user, Permission.REVIEW_PERFORMANCE)
    if update.status != UpdateStatus.SUBMITTED:
        raise ValidationError("Only a submitted update can be reviewed.")


@transaction.atomic
def do_approve_update(
    update: MeasureValue | ActionUpdate, *, acting_user: User | None
) -> MeasureValue | ActionUpdate:
    _reviewable(update, acting_user)
    update.status = UpdateStatus.APPROVED
    update.reviewed_by = acting_user
    update.reviewed_at = timezone.now()
    update.review_comment = ""
    update.save()
    if isinstance(update, ActionUpdate) and update.action.status != update.action_status:
        action = update.action
        changes = diff(action, {"status": update.action_status})
        action.status = update.action_status
        action.save(update_fields=["status", "updated_at"])
        record_change(
            action, f"Status from {update.period} update", actor=acting_user, changes=changes
        )
    record_change(update, f"{update.period} update approved", actor=acting_user)
    return update


@transaction.atomic
def do_return_update(
    update: MeasureValue | ActionUpdate, *, comment: str, acting_user: User | None
) -> MeasureValue | ActionUpdate:
    _reviewable(update, acting_user)
    if not comment.strip():
        raise ValidationError({"comment": "Say what the theme lead should change."})
    update.status = UpdateStatus.RETURNED
    update.reviewed_by = acting_user
    update.reviewed_at = timezone.now()
    update.review_comment = comment.strip()
    update.save()
    record_change(
        update, f"{update.period} update returned", actor=acting_user, reason=comment.strip()
    )
    return update


@transaction.atomic
def do_correct_measure_value(
    update: MeasureValue,
    *,
    value: Decimal | None,
    milestone_status: str = "",
    reason: str,
    acting_user: User | None,
) -> MeasureValue:
    """Correct a value of a closed quarter: allowed, but only with a reason on the record."""
    require_permission(acting_user, Permission.REVIEW_PERFORMANCE)
    if update.period.is_open:
        raise ValidationError(f"{update.period} is still open: edit the value instead.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the value of a closed quarter is corrected."})
    _check_value(update.measure, value, milestone_status)
    changes = diff(update, {"value": value, "milestone_status": milestone_status})
    if not changes:
        raise ValidationError({"value": "The corrected value is the same as the recorded one."})
    update.value = value
    update.milestone_status = milestone_status
    update.save(update_fields=["value", "milestone_status", "updated_at"])
    record_change(
        update,
        f"{update.period} value corrected",
        actor=acting_user,
        changes=changes,
        reason=reason.strip(),
    )
    return update


@transaction.atomic
def do_set_theme_lead(
    theme: Theme,
    *,
    lead: User | None,
    lead_organisation: Organisation | None,
    acting_user: User | None,
) -> Theme:
    """Name the theme lead and the lead agency, who answer for the theme each quarter."""
    require_permission(acting_user, Permission.MANAGE_AGREEMENT)
    if lead is not None and not has_permission(lead, Permission.SUBMIT_PERFORMANCE):
        raise ValidationError({"lead": f"{lead} does not hold the theme lead role."})
    values: dict[str, Any] = {"lead": lead, "lead_organisation": lead_organisation}
    changes = diff(theme, values)
    if changes:
        theme.lead = lead
        theme.lead_organisation = lead_organisation
        theme.save(update_fields=["lead", "lead_organisation", "updated_at"])
        record_change(theme, "Theme lead changed", actor=acting_user, changes=changes)
    return theme


@transaction.atomic
def do_set_action_plan(
    action: Action,
    *,
    lead_organisation: Organisation | None,
    lead: User | None,
    start_date: date | None,
    due_date: date | None,
    acting_user: User | None,
) -> Action:
    """Name who leads an action and when it runs."""
    require_permission(acting_user, Permission.MANAGE_AGREEMENT)
    if start_date and due_date and due_date < start_date:
        raise ValidationError({"due_date": "The due date must be on or after the start date."})
    values: dict[str, Any] = {
        "lead_organisation": lead_organisation,
        "lead": lead,
        "start_date": start_date,
        "due_date": due_date,
    }
    changes = diff(action, values)
    if changes:
        for name, value in values.items():
            setattr(action, name, value)
        action.save()
        record_change(action, "Lead and dates changed", actor=acting_user, changes=changes)
    return action


@transaction.atomic
def do_compute_measure_values(
    period: ReportingPeriod, *, acting_user: User | None
) -> list[MeasureValue]:
    """Fill in every computed measure's value for the quarter from the data Safer holds."""
    quarter = period.period
    computed: list[MeasureValue] = []
    plan = plan_for(period.agreement, quarter)
    measures = Measure.objects.filter(source=MeasureSourceKind.COMPUTED, plan=plan)
    for measure in measures:
        source = get_source(measure.source_key)
        areas: list[CspArea | None] = [None]
        if measure.by_area and source.by_area:
            areas += list(CspArea.objects.all())
        for area in areas:
            value = source.compute(quarter.start, quarter.end, area)
            update, _ = MeasureValue.objects.update_or_create(
                measure=measure,
                period=period,
                area=area,
                defaults={
                    "value": value,
                    "computed": True,
                    "status": UpdateStatus.APPROVED,
                    "comment": f"Computed by Safer: {source.label}",
                    "reviewed_at": timezone.now(),
                },
            )
            computed.append(update)
        record_change(measure, f"{period} values computed", actor=acting_user)
    return computed


def do_send_reminders(period: ReportingPeriod, *, acting_user: User | None) -> int:
    """E-mail each responsible person the updates they still owe for the quarter."""
    require_permission(acting_user, Permission.REVIEW_PERFORMANCE)
    sent = 0
    for person, lines in missing_updates(period).items():
        if not person.email:
            continue
        body = "\n".join(f"- {line}" for line in lines)
        send_mail(
            subject=(
                f"Safer: {len(lines)} update(s) due for {period} by {period.deadline:%-d %B %Y}"
            ),
            message=(
                f"Dear {person.get_full_name() or person.username},\n\n"
                f"These updates for {period} are still to do:\n\n{body}\n\n"
                "Sign in to Safer and open 'My updates' to submit them.\n"
            ),
            from_email=None,
            recipient_list=[person.email],
        )
        sent += 1
    if period.pk:
        record_change(period, f"Reminders sent to {sent} people", actor=acting_user)
    return sent
