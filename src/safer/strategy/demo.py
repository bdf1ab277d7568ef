"""Demonstration performance data for the Lancashire agreement, so a new user sees it working.

`make run` (through `safer load-demo`) fills 2011/12 to 2013/14 with quarterly values, targets,
progress notes and two annual refreshes, made through the same actions people use, by the demo
theme leads and analyst. Everything is marked `is_demo` and the dashboard says so. The directions
and kinds given to the 22 measures are Safer's reading of their wording; the numbers are invented.
Only in a local demo (SAFER_DEMO), and only once: a database with reporting periods is left alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from safer.accounts.models import User
from safer.core.periods import FinancialYear, Quarter
from safer.partnership.models import CspArea
from safer.strategy import actions
from safer.strategy.enums import (
    ActionStatus,
    Direction,
    MeasureKind,
    MeasureSourceKind,
    MilestoneStatus,
)
from safer.strategy.models import (
    Agreement,
    DeliveryPlan,
    Measure,
    MeasureValue,
    ReportingPeriod,
    StrategicAssessment,
    Theme,
)

EVIDENCE = "https://example.org/safer-demo/evidence"
THEME_LEADS = {1: "theme-lead", 2: "lead-attitudes", 3: "lead-substance", 4: "lead-reoffending"}


@dataclass(frozen=True)
class Definition:
    kind: str
    direction: str
    unit: str = ""
    baseline: float | None = None
    targets: tuple[float, float, float] = (0, 0, 0)
    # Value as a share of target, quarter by quarter (cycled): > 1 beats a "higher" target.
    profile: tuple[float, ...] = (1.0,)
    due: date | None = None
    done_by: date | None = None
    by_area: bool = False
    # A computed measure (strategy/measure_sources.py): values come from Safer's records.
    source_key: str = ""


N, P, M = MeasureKind.NUMERIC, MeasureKind.PERCENTAGE, MeasureKind.MILESTONE
UP, DOWN, MS = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER, Direction.MILESTONE

DEFINITIONS: dict[tuple[int, int], Definition] = {
    (1, 1): Definition(
        N,
        UP,
        "reported incidents",
        4210,
        (4300, 4450, 4600),
        (0.97, 1.01, 1.03, 0.99, 1.02),
        by_area=True,
    ),
    (1, 2): Definition(P, UP, "% satisfied", 78, (80, 82, 84), (0.99, 1.0, 0.97, 1.01)),
    (1, 3): Definition(N, DOWN, "repeat victims", 960, (920, 880, 840), (1.02, 0.99, 1.08, 1.0)),
    # Computed from the demo MARAC's referrals (safeguarding/demo.py).
    (1, 4): Definition(
        N, DOWN, "repeat cases", 8, (7, 6, 6), source_key="safeguarding.repeat_cases"
    ),
    (1, 5): Definition(N, UP, "offenders", 410, (420, 430, 440), (1.01, 0.96, 1.04)),
    (1, 6): Definition(
        N, UP, "submissions and referrals", 85, (100, 120, 140), (0.9, 1.0, 1.05, 1.1)
    ),
    (2, 1): Definition(M, MS, due=date(2012, 3, 31), done_by=date(2012, 2, 10)),
    (2, 2): Definition(N, UP, "staff trained", 300, (350, 400, 450), (0.8, 1.0, 1.1, 0.97)),
    (2, 3): Definition(
        N, UP, "reported incidents", 4210, (4300, 4450, 4600), (0.97, 1.01, 1.03, 0.99, 1.02)
    ),
    (2, 4): Definition(N, UP, "restorative solutions", 120, (140, 170, 200), (0.95, 1.02, 0.9)),
    (3, 1): Definition(M, MS, due=date(2012, 9, 30), done_by=date(2012, 11, 20)),
    (3, 2): Definition(M, MS, due=date(2013, 3, 31), done_by=date(2013, 3, 1)),
    (3, 3): Definition(M, MS, due=date(2012, 6, 30), done_by=date(2012, 6, 15)),
    (3, 4): Definition(M, MS, due=date(2014, 3, 31)),
    (4, 1): Definition(P, DOWN, "% reoffending", 27.5, (27, 26.5, 26), (1.01, 0.99, 1.03, 1.0)),
    (4, 2): Definition(M, MS, due=date(2012, 3, 31), done_by=date(2012, 3, 20)),
    (4, 3): Definition(M, MS, due=date(2013, 3, 31), done_by=date(2013, 1, 15)),
    (4, 4): Definition(N, UP, "referrals", 150, (170, 190, 210), (0.92, 1.0, 1.04, 0.97)),
    (4, 5): Definition(N, UP, "organisations engaged", 14, (16, 18, 20), (1.0, 0.94, 1.06)),
    (4, 6): Definition(M, MS, due=date(2013, 9, 30)),
    (4, 7): Definition(M, MS, due=date(2013, 3, 31), done_by=date(2013, 5, 30)),
    (4, 8): Definition(N, UP, "restorative approaches", 90, (110, 130, 150), (0.96, 1.05, 0.99)),
}

NOTES = {
    ActionStatus.NOT_STARTED: "Scoping with partners; work starts next quarter.",
    ActionStatus.IN_PROGRESS: "On track: partners met this quarter and agreed next steps.",
    ActionStatus.COMPLETE: "Completed and reported to the Board.",
    ActionStatus.ON_HOLD: "Paused while funding for next year is confirmed.",
}


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 1 if value < 100 else 0)))


class _Demo:
    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        self.rng = random.Random(2011)  # noqa: S311 - demonstration numbers, not security
        self.analyst = User.objects.get(username="analyst")
        self.board = User.objects.get(username="board-member")
        self.areas = list(CspArea.objects.order_by("name"))
        self.population = sum(a.population or 0 for a in self.areas) or 1

    def lead(self, theme: Theme) -> User:
        return User.objects.get(username=THEME_LEADS[theme.number])

    def define(self, plan: DeliveryPlan) -> None:
        for theme in self.agreement.themes.all():
            lead = self.lead(theme)
            if theme.lead_id is None:
                actions.do_set_theme_lead(
                    theme, lead=lead, lead_organisation=lead.organisation, acting_user=self.analyst
                )
        for measure in plan.measures.select_related("theme"):
            definition = DEFINITIONS.get((measure.theme.number, measure.number))
            if definition is None or measure.direction:
                continue
            actions.do_define_measure(
                measure,
                kind=definition.kind,
                direction=definition.direction,
                unit=definition.unit,
                baseline_value=_money(definition.baseline) if definition.baseline else None,
                baseline_period="2010/11" if definition.baseline else "",
                by_area=definition.by_area,
                milestone_due=definition.due,
                source=MeasureSourceKind.COMPUTED
                if definition.source_key
                else MeasureSourceKind.ENTERED,
                source_key=definition.source_key,
                acting_user=self.analyst,
            )
            for offset, target in enumerate(definition.targets if definition.kind != M else ()):
                actions.do_set_target(
                    measure,
                    start_year=self.agreement.start_year + offset,
                    quarter=None,
                    value=_money(target),
                    acting_user=self.analyst,
                )
        for index, action in enumerate(plan.actions.select_related("theme").order_by("pk")):
            if action.due_date is None:
                year = self.agreement.start_year + 1 + index % 3
                actions.do_set_action_plan(
                    action,
                    lead_organisation=self.lead(action.theme).organisation,
                    lead=None,
                    start_date=date(self.agreement.start_year, 4, 1),
                    due_date=date(year, 3, 31),
                    acting_user=self.analyst,
                )

    def quarter(self, plan: DeliveryPlan, quarter: Quarter, *, last: bool) -> None:
        period = actions.do_open_period(
            self.agreement,
            quarter,
            deadline=quarter.end + timedelta(days=15),
            acting_user=self.analyst,
        )
        index = (quarter.start_year - self.agreement.start_year) * 4 + quarter.number - 1
        measures = list(plan.measures.select_related("theme").order_by("theme__number", "number"))
        for position, measure in enumerate(measures):
            definition = DEFINITIONS.get((measure.theme.number, measure.number))
            if definition is None or definition.source_key:
                continue
            lead = self.lead(measure.theme)
            # In the open quarter: some in, some with the analyst, some still to do.
            stage = position % 3 if last else 0
            if last and stage == 2:
                continue
            value, milestone_status, comment = self.value_of(measure, definition, quarter, index)
            update = actions.do_save_measure_value(
                measure,
                period,
                evidence_url=f"{EVIDENCE}/{quarter.code}/measure-{measure.theme.number}-{measure.number}",
                submit=True,
                is_demo=True,
                acting_user=lead,
                value=value,
                milestone_status=milestone_status,
                comment=comment,
            )
            if stage == 0:
                actions.do_approve_update(update, acting_user=self.analyst)
            if definition.by_area and value is not None:
                self.area_values(measure, period, value, lead, approve=stage == 0)
        for position, action in enumerate(plan.actions.select_related("theme").order_by("pk")):
            if action.status in (ActionStatus.COMPLETE, ActionStatus.CANCELLED):
                continue
            if last and position % 3 == 2:
                continue
            status = self.action_status(action.due_date, quarter, position)
            progress = actions.do_save_action_update(
                action,
                period,
                action_status=status,
                progress_note=NOTES[ActionStatus(status)],
                submit=True,
                is_demo=True,
                acting_user=self.lead(action.theme),
            )
            if not last or position % 3 == 0:
                actions.do_approve_update(progress, acting_user=self.analyst)
        actions.do_compute_measure_values(period, acting_user=self.analyst)
        if not last:
            actions.do_close_period(period, acting_user=self.analyst)

    def value_of(
        self, measure: Measure, definition: Definition, quarter: Quarter, index: int
    ) -> tuple[Decimal | None, str, str]:
        """The value (or milestone status) and commentary a lead would give for the quarter."""
        if definition.kind == M:
            done = definition.done_by is not None and definition.done_by <= quarter.end
            started = index >= 1
            status = (
                MilestoneStatus.COMPLETE
                if done
                else MilestoneStatus.IN_PROGRESS
                if started
                else MilestoneStatus.NOT_STARTED
            )
            return None, status, "Demonstration data."
        year_index = min(quarter.start_year - self.agreement.start_year, 2)
        target = definition.targets[year_index]
        share = definition.profile[index % len(definition.profile)]
        if definition.direction == DOWN:
            share = 2 - share  # beating a "lower" target means coming in under it
        value = target * share * (1 + self.rng.uniform(-0.01, 0.01))
        amount = _money(min(value, 100)) if definition.kind == P else Decimal(round(value))
        return amount, "", f"Demonstration data: {share:.0%} of the target for {quarter.label}."

    def area_values(
        self,
        measure: Measure,
        period: ReportingPeriod,
        total: Decimal,
        lead: User,
        *,
        approve: bool,
    ) -> None:
        for area in self.areas:
            share = Decimal((area.population or 0) / self.population) * Decimal(
                str(1 + self.rng.uniform(-0.1, 0.1))
            )
            update = actions.do_save_measure_value(
                measure,
                period,
                area=area,
                value=(total * share).quantize(Decimal(1)),
                comment="Demonstration data.",
                evidence_url=f"{EVIDENCE}/{period.code}/areas",
                submit=True,
                is_demo=True,
                acting_user=lead,
            )
            if approve:
                actions.do_approve_update(update, acting_user=self.analyst)

    def action_status(self, due: date | None, quarter: Quarter, position: int) -> str:
        if due is None:
            return ActionStatus.IN_PROGRESS
        if quarter.start < date(self.agreement.start_year, 7, 1):
            return ActionStatus.NOT_STARTED if position % 2 else ActionStatus.IN_PROGRESS
        # Most finish in the quarter they are due; one in five runs late.
        if quarter.end >= due and position % 5 != 3:
            return ActionStatus.COMPLETE
        if position % 7 == 4:
            return ActionStatus.ON_HOLD
        return ActionStatus.IN_PROGRESS

    def refresh(self, plan: DeliveryPlan) -> DeliveryPlan:
        year = plan.start_year + 1
        assessment, _ = StrategicAssessment.objects.get_or_create(
            agreement=self.agreement,
            start_year=year,
            defaults={
                "title": f"Safer Lancashire Strategic Assessment {year} (demonstration)",
                "summary": "Demonstration record: the year's strategic assessment.",
                "published_on": date(year, 2, 28),
            },
        )
        new_plan = actions.do_refresh_plan(
            plan, strategic_assessment=assessment, acting_user=self.analyst
        )
        reason = f"Demonstration: the {assessment.title} found this"
        first_action = (
            new_plan.actions.select_related("theme").order_by("theme__number", "number").first()
        )
        if first_action is not None:
            actions.do_reword_plan_item(
                first_action,
                first_action.text.rstrip(".") + ", including online reporting.",
                reason=f"{reason}: online reporting has grown",
                acting_user=self.analyst,
            )
        theme = self.agreement.themes.get(number=2)
        actions.do_add_plan_item(
            new_plan,
            theme,
            "focus_area",
            f"Promoting third-party reporting centres for hate crime ({new_plan.label}).",
            reason=f"{reason}: under-reporting of hate crime persists",
            acting_user=self.analyst,
        )
        actions.do_approve_plan(new_plan, acting_user=self.board)
        self.define(new_plan)
        return new_plan


@transaction.atomic
def do_load_demo_performance(agreement: Agreement) -> bool:
    """Fill the agreement's three years with demonstration performance; False if already there."""
    if not settings.SAFER_DEMO:
        raise ImproperlyConfigured(
            "Demonstration data is only made in a local demo (SAFER_DEMO=1), never in production."
        )
    if (
        ReportingPeriod.objects.filter(agreement=agreement).exists()
        or MeasureValue.objects.filter(is_demo=True).exists()
    ):
        return False
    demo = _Demo(agreement)
    plan = agreement.delivery_plans.order_by("start_year").first()
    if plan is None:
        raise ImproperlyConfigured(
            "The agreement has no delivery plan: run `safer load-agreement`."
        )
    demo.define(plan)
    last_year = FinancialYear(agreement.end_year - 1)
    year = FinancialYear(plan.start_year)
    while True:
        for quarter in year.quarters:
            demo.quarter(plan, quarter, last=(year == last_year and quarter.number == 4))
        if year == last_year:
            break
        plan = demo.refresh(plan)
        year = year.next()
    return True
