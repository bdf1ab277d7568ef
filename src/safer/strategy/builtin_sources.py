"""Calculations over the agreement's own data, offered to computed measures.

Later parts add theirs the same way (incidents, conferences, offenders, police.uk data): see
`safer.strategy.measure_sources`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from safer.partnership.models import CspArea
from safer.strategy.enums import ActionStatus, UpdateStatus
from safer.strategy.measure_sources import MeasureSource, register
from safer.strategy.models import ActionUpdate, LinkedPlan


def actions_completed(start: date, end: date, area: CspArea | None) -> Decimal | None:
    """Actions reported complete in an approved update for a quarter within the dates."""
    updates = ActionUpdate.objects.filter(
        status=UpdateStatus.APPROVED,
        action_status=ActionStatus.COMPLETE,
        period__start_year__gte=start.year - 1,
    ).select_related("period")
    count = sum(1 for u in updates if start <= u.period.period.start and u.period.period.end <= end)
    return Decimal(count)


def linked_plans_current(start: date, end: date, area: CspArea | None) -> Decimal | None:
    """Partner plans whose period covers the calendar year the dates start in."""
    return Decimal(
        LinkedPlan.objects.filter(start_year__lte=start.year, end_year__gte=start.year).count()
    )


def register_builtin_sources() -> None:
    register(
        MeasureSource(
            key="strategy.actions_completed",
            label="Delivery plan actions completed",
            unit="actions",
            compute=actions_completed,
            by_area=False,
        )
    )
    register(
        MeasureSource(
            key="strategy.linked_plans_current",
            label="Linked partner plans in force",
            unit="plans",
            compute=linked_plans_current,
            by_area=False,
        )
    )
