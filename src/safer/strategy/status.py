"""Where each measure and action stands in a quarter: value, target, RAG and trend.

Everything the dashboard, the theme pages and (later) the board pack show about performance is
built here, from approved values only, with a handful of queries however many measures there are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from safer.core.periods import Quarter
from safer.partnership.models import CspArea
from safer.strategy.enums import ActionStatus, Direction, UpdateStatus
from safer.strategy.models import (
    Action,
    ActionUpdate,
    Agreement,
    DeliveryPlan,
    Measure,
    MeasureValue,
    ReportingPeriod,
    Target,
    Theme,
)
from safer.strategy.rag import (
    Rag,
    RagResult,
    is_overdue,
    rag_for_action,
    rag_for_milestone,
    rag_for_value,
)

TREND_QUARTERS = 8


@dataclass
class MeasureStatus:
    measure: Measure
    value: MeasureValue | None
    target: Decimal | None
    rag: RagResult
    trend: list[tuple[Quarter, Decimal | None]]

    @property
    def is_milestone(self) -> bool:
        return self.measure.direction == Direction.MILESTONE


@dataclass
class ActionState:
    action: Action
    update: ActionUpdate | None
    rag: RagResult
    overdue: bool


@dataclass
class ThemeSummary:
    theme: Theme
    measures: list[MeasureStatus] = field(default_factory=list)
    actions: list[ActionState] = field(default_factory=list)

    def rag_counts(self) -> dict[Rag, int]:
        counts = dict.fromkeys(Rag, 0)
        for status in self.measures:
            counts[status.rag.status] += 1
        return counts

    def action_counts(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for state in self.actions:
            counts[state.action.get_status_display()] += 1
        return dict(counts)

    @property
    def overdue_actions(self) -> int:
        return sum(1 for state in self.actions if state.overdue)


def plan_for(agreement: Agreement, quarter: Quarter) -> DeliveryPlan | None:
    """The delivery plan that governs a quarter: that year's, or the latest before it."""
    return (
        agreement.delivery_plans.filter(start_year__lte=quarter.start_year)
        .order_by("-start_year")
        .first()
    )


def default_quarter(agreement: Agreement, today: date) -> Quarter:
    """The quarter a dashboard opens on: the latest closed one, else the latest, else today's."""
    periods = agreement.reporting_periods.order_by("-start_year", "-quarter")
    period = periods.filter(status="closed").first() or periods.first()
    return period.period if period else Quarter.containing(today)


def _chain(measure: Measure) -> list[Measure]:
    """The measure and the measures it was carried from in earlier years' plans."""
    chain = [measure]
    while chain[-1].carried_from_id is not None:
        chain.append(chain[-1].carried_from)  # type: ignore[arg-type]
    return chain


def target_for(targets: list[Target], quarter: Quarter) -> Decimal | None:
    """The quarter's own target when one is set, otherwise the financial year's."""
    by_period = {(t.start_year, t.quarter): t.value for t in targets}
    own = by_period.get((quarter.start_year, quarter.number))
    return own if own is not None else by_period.get((quarter.start_year, None))


def theme_summaries(
    agreement: Agreement,
    quarter: Quarter,
    *,
    today: date,
    area: CspArea | None = None,
    themes: list[Theme] | None = None,
) -> list[ThemeSummary]:
    plan = plan_for(agreement, quarter)
    themes = themes if themes is not None else list(agreement.themes.order_by("number"))
    summaries = {theme.pk: ThemeSummary(theme) for theme in themes}
    if plan is None:
        return list(summaries.values())

    measures = list(
        plan.measures.filter(theme__in=themes)
        .select_related("theme", "lead", "carried_from__carried_from")
        .prefetch_related("targets")
        .order_by("theme__number", "number")
    )
    chains = {m.pk: _chain(m) for m in measures}
    all_ids = {ancestor.pk for chain in chains.values() for ancestor in chain}
    earliest = quarter
    for _ in range(TREND_QUARTERS - 1):
        earliest = earliest.previous()
    values: dict[tuple[int, Quarter], MeasureValue] = {}
    for value in MeasureValue.objects.filter(
        measure_id__in=all_ids,
        area=area,
        status=UpdateStatus.APPROVED,
        period__start_year__gte=earliest.start_year,
    ).select_related("period"):
        values[(value.measure_id, value.period.period)] = value

    quarters = [earliest]
    while quarters[-1] < quarter:
        quarters.append(quarters[-1].next())
    for measure in measures:
        ids = [m.pk for m in chains[measure.pk]]

        def value_in(q: Quarter, ids: list[int] = ids) -> MeasureValue | None:
            return next((values[(i, q)] for i in ids if (i, q) in values), None)

        current = value_in(quarter)
        target = target_for(list(measure.targets.all()), quarter)
        if measure.direction == Direction.MILESTONE:
            rag = rag_for_milestone(
                current.milestone_status if current else "",
                measure.milestone_due,
                quarter.end,
                today,
            )
        else:
            rag = rag_for_value(
                current.value if current else None,
                target,
                measure.direction,
                measure.tolerance_percent,
            )
        trend = [(q, v.value if (v := value_in(q)) else None) for q in quarters]
        summaries[measure.theme_id].measures.append(
            MeasureStatus(measure, current, target, rag, trend)
        )

    period = ReportingPeriod.objects.filter(
        agreement=agreement, start_year=quarter.start_year, quarter=quarter.number
    ).first()
    updates = (
        {u.action_id: u for u in ActionUpdate.objects.filter(period=period, action__plan=plan)}
        if period
        else {}
    )
    for action in plan.actions.filter(theme__in=themes).select_related(
        "theme", "lead", "lead_organisation"
    ):
        update = updates.get(action.pk)
        status = action.status
        rag = rag_for_action(status, action.due_date, quarter.end, today)
        overdue = is_overdue(status, action.due_date, min(today, quarter.end))
        summaries[action.theme_id].actions.append(ActionState(action, update, rag, overdue))
    return list(summaries.values())


def off_track(summaries: list[ThemeSummary]) -> list[MeasureStatus | ActionState]:
    """Red first, then amber: what the Board should look at first."""
    items: list[MeasureStatus | ActionState] = [
        s for summary in summaries for s in summary.measures if s.rag.status in (Rag.RED, Rag.AMBER)
    ] + [
        a
        for summary in summaries
        for a in summary.actions
        if a.rag.status in (Rag.RED, Rag.AMBER) and a.action.status != ActionStatus.CANCELLED
    ]
    return sorted(items, key=lambda item: item.rag.status.severity)
