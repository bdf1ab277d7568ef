"""What is still missing for a quarter, and from whom."""

from __future__ import annotations

from collections import defaultdict

from safer.accounts.models import User
from safer.strategy.enums import ActionStatus, MeasureSourceKind, UpdateStatus
from safer.strategy.models import Action, ActionUpdate, Measure, MeasureValue, ReportingPeriod
from safer.strategy.status import plan_for

_DONE = (UpdateStatus.SUBMITTED, UpdateStatus.APPROVED)


def missing_updates(period: ReportingPeriod) -> dict[User, list[str]]:
    """Each responsible person, with the measures and actions they have not yet submitted."""
    plan_filter = {"plan": plan_for(period.agreement, period.period)}
    done_measures = set(
        MeasureValue.objects.filter(period=period, area=None, status__in=_DONE).values_list(
            "measure_id", flat=True
        )
    )
    done_actions = set(
        ActionUpdate.objects.filter(period=period, status__in=_DONE).values_list(
            "action_id", flat=True
        )
    )
    owed: dict[User, list[str]] = defaultdict(list)
    measures = Measure.objects.filter(**plan_filter, source=MeasureSourceKind.ENTERED)
    for measure in measures.select_related("lead", "theme__lead"):
        person = measure.responsible
        if person is not None and measure.pk not in done_measures:
            owed[person].append(f"Measure: {measure.text}")
    actions = Action.objects.filter(**plan_filter).exclude(
        status__in=[ActionStatus.COMPLETE, ActionStatus.CANCELLED]
    )
    for action in actions.select_related("lead", "theme__lead"):
        person = action.responsible
        if person is not None and action.pk not in done_actions:
            owed[person].append(f"Action: {action.text}")
    return dict(owed)
