"""The annual refresh: next year's delivery plan made from this one, every change on record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safer.accounts.models import User
from safer.accounts.permissions import Permission, require_permission
from safer.strategy.actions.history import record_change
from safer.strategy.enums import ActionStatus, PlanChangeKind, PlanItemKind, PlanStatus
from safer.strategy.models import (
    Action,
    DeliveryPlan,
    FocusArea,
    Measure,
    PlanChange,
    StrategicAssessment,
    Target,
    Theme,
)

PlanItem = FocusArea | Action | Measure
_ITEM_KIND = {
    FocusArea: PlanItemKind.FOCUS_AREA,
    Action: PlanItemKind.ACTION,
    Measure: PlanItemKind.MEASURE,
}
_MODEL: dict[PlanItemKind, type[FocusArea] | type[Action] | type[Measure]] = {
    PlanItemKind.FOCUS_AREA: FocusArea,
    PlanItemKind.ACTION: Action,
    PlanItemKind.MEASURE: Measure,
}


def _require_draft(plan: DeliveryPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(
            f"The {plan} is approved; it changes only at the next annual refresh."
        )


def _reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for the change, for the record."})
    return reason.strip()


@transaction.atomic
def do_refresh_plan(
    plan: DeliveryPlan,
    *,
    strategic_assessment: StrategicAssessment | None,
    acting_user: User | None,
) -> DeliveryPlan:
    """Make next year's plan (a draft) from `plan`: open actions and every measure carried over.

    Focus areas and measures are carried with their wording and next year's targets; open
    actions are carried and recorded as such; completed and cancelled ones are recorded as not
    carried. Rewording, removing and adding then happen on the draft, each with a reason.
    """
    require_permission(acting_user, Permission.REFRESH_PLAN)
    agreement = plan.agreement
    next_year = plan.start_year + 1
    if DeliveryPlan.objects.filter(agreement=agreement, start_year=next_year).exists():
        raise ValidationError(
            f"{plan.financial_year.next().label} already has a delivery plan: refresh it, "
            "not this one."
        )
    if next_year >= agreement.end_year:
        raise ValidationError(
            f"The {agreement.title} ends in {agreement.end_year}: "
            f"{plan.financial_year.next().label} needs a new agreement, not a refresh."
        )
    if plan.status != PlanStatus.APPROVED:
        raise ValidationError(f"The {plan} is still a draft: approve it before refreshing it.")
    if strategic_assessment is not None and strategic_assessment.agreement_id != agreement.pk:
        raise ValidationError({"strategic_assessment": "That assessment is another agreement's."})
    new_plan = DeliveryPlan.objects.create(
        agreement=agreement,
        start_year=next_year,
        status=PlanStatus.DRAFT,
        refreshed_from=plan,
        strategic_assessment=strategic_assessment,
    )

    def note(kind: str, item_kind: str, theme: Theme, old: str, new: str, reason: str) -> None:
        PlanChange.objects.create(
            plan=new_plan,
            kind=kind,
            item_kind=item_kind,
            theme=theme,
            old_text=old,
            new_text=new,
            reason=reason,
            strategic_assessment=strategic_assessment,
            actor=acting_user,
        )

    for focus_area in plan.focus_areas.all():
        FocusArea.objects.create(
            plan=new_plan, theme=focus_area.theme, number=focus_area.number, text=focus_area.text
        )
    number: dict[int, int] = {}
    for action in plan.actions.select_related("theme").order_by("theme__number", "number"):
        finished = action.status in (ActionStatus.COMPLETE, ActionStatus.CANCELLED)
        if finished:
            note(
                PlanChangeKind.COMPLETED,
                PlanItemKind.ACTION,
                action.theme,
                action.text,
                "",
                f"{action.get_status_display()} in {plan.label}",
            )
            continue
        number[action.theme_id] = number.get(action.theme_id, 0) + 1
        Action.objects.create(
            plan=new_plan,
            theme=action.theme,
            number=number[action.theme_id],
            text=action.text,
            lead_organisation=action.lead_organisation,
            lead=action.lead,
            start_date=action.start_date,
            due_date=action.due_date,
            status=action.status,
            carried_from=action,
        )
        note(
            PlanChangeKind.CARRIED,
            PlanItemKind.ACTION,
            action.theme,
            action.text,
            action.text,
            f"{action.get_status_display()} at the end of {plan.label}",
        )
    for measure in plan.measures.all():
        copy = Measure.objects.create(
            plan=new_plan,
            theme=measure.theme,
            number=measure.number,
            text=measure.text,
            kind=measure.kind,
            direction=measure.direction,
            unit=measure.unit,
            baseline_value=measure.baseline_value,
            baseline_period=measure.baseline_period,
            tolerance_percent=measure.tolerance_percent,
            source=measure.source,
            source_key=measure.source_key,
            by_area=measure.by_area,
            milestone_due=measure.milestone_due,
            lead_organisation=measure.lead_organisation,
            lead=measure.lead,
            carried_from=measure,
        )
        for target in measure.targets.filter(start_year__gte=next_year):
            Target.objects.create(
                measure=copy,
                start_year=target.start_year,
                quarter=target.quarter,
                value=target.value,
            )
    record_change(
        new_plan,
        f"Delivery plan {new_plan.label} made from {plan.label}",
        actor=acting_user,
        reason="Annual refresh"
        + (f" after the {strategic_assessment}" if strategic_assessment else ""),
    )
    return new_plan


@transaction.atomic
def do_reword_plan_item(
    item: PlanItem, text: str, *, reason: str, acting_user: User | None
) -> PlanItem:
    require_permission(acting_user, Permission.REFRESH_PLAN)
    _require_draft(item.plan)
    reason = _reason(reason)
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": "The new wording cannot be empty."})
    if text == item.text:
        raise ValidationError({"text": "The new wording is the same as the old."})
    old = item.text
    item.text = text
    item.save(update_fields=["text", "updated_at"])
    PlanChange.objects.create(
        plan=item.plan,
        kind=PlanChangeKind.REWORDED,
        item_kind=_ITEM_KIND[type(item)],
        theme=item.theme,
        old_text=old,
        new_text=text,
        reason=reason,
        strategic_assessment=item.plan.strategic_assessment,
        actor=acting_user,
    )
    record_change(item, "Reworded", actor=acting_user, changes={"text": [old, text]}, reason=reason)
    return item


@transaction.atomic
def do_remove_plan_item(item: PlanItem, *, reason: str, acting_user: User | None) -> None:
    require_permission(acting_user, Permission.REFRESH_PLAN)
    _require_draft(item.plan)
    reason = _reason(reason)
    PlanChange.objects.create(
        plan=item.plan,
        kind=PlanChangeKind.REMOVED,
        item_kind=_ITEM_KIND[type(item)],
        theme=item.theme,
        old_text=item.text,
        reason=reason,
        strategic_assessment=item.plan.strategic_assessment,
        actor=acting_user,
    )
    # A carried action's "carried forward" note no longer holds once it is removed.
    PlanChange.objects.filter(
        plan=item.plan, kind=PlanChangeKind.CARRIED, new_text=item.text, theme=item.theme
    ).delete()
    record_change(item, "Removed from the plan", actor=acting_user, reason=reason)
    item.delete()


@transaction.atomic
def do_add_plan_item(
    plan: DeliveryPlan,
    theme: Theme,
    item_kind: str,
    text: str,
    *,
    reason: str,
    acting_user: User | None,
) -> PlanItem:
    require_permission(acting_user, Permission.REFRESH_PLAN)
    _require_draft(plan)
    reason = _reason(reason)
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": "Write the new line's wording."})
    if theme.agreement_id != plan.agreement_id:
        raise ValidationError({"theme": "That theme belongs to another agreement."})
    model = _MODEL[PlanItemKind(item_kind)]
    last = model._default_manager.filter(plan=plan, theme=theme).order_by("-number").first()
    item: PlanItem = model._default_manager.create(
        plan=plan, theme=theme, number=(last.number + 1 if last else 1), text=text
    )
    PlanChange.objects.create(
        plan=plan,
        kind=PlanChangeKind.ADDED,
        item_kind=item_kind,
        theme=theme,
        new_text=text,
        reason=reason,
        strategic_assessment=plan.strategic_assessment,
        actor=acting_user,
    )
    record_change(item, "Added to the plan", actor=acting_user, reason=reason)
    return item


@transaction.atomic
def do_approve_plan(plan: DeliveryPlan, *, acting_user: User | None) -> DeliveryPlan:
    """The Board approves the refreshed plan; from then on it changes only at the next refresh."""
    require_permission(acting_user, Permission.APPROVE_PLAN)
    _require_draft(plan)
    plan.status = PlanStatus.APPROVED
    plan.approved_by = acting_user
    plan.approved_at = timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at", "updated_at"])
    record_change(plan, f"Delivery plan {plan.label} approved", actor=acting_user)
    return plan
