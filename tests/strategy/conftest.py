from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from safer.accounts.models import User
from safer.core.periods import Quarter
from safer.strategy import actions
from safer.strategy.enums import Direction, MeasureKind
from safer.strategy.models import Action, Agreement, Measure, ReportingPeriod, Theme
from safer.test import persona


@dataclass
class Cycle:
    """Theme 1 with Erin as its lead, three kinds of measure defined and 2011/12 Q1 open."""

    agreement: Agreement
    theme: Theme
    erin: User
    diana: User
    frank: User
    reports: Measure  # higher is better, target 100
    repeats: Measure  # lower is better, target 100
    milestone: Measure  # due 30 September 2011
    action: Action
    q1: ReportingPeriod


@pytest.fixture
def cycle(lancashire: None) -> Cycle:
    agreement = Agreement.objects.get()
    theme = agreement.themes.get(number=1)
    erin, diana, frank = persona("erin"), persona("diana"), persona("frank")
    actions.do_set_theme_lead(
        theme, lead=erin, lead_organisation=erin.organisation, acting_user=diana
    )
    reports, _, repeats, _, _, milestone = theme.measures.order_by("number")
    actions.do_define_measure(
        reports,
        kind=MeasureKind.NUMERIC,
        direction=Direction.HIGHER_IS_BETTER,
        unit="reports",
        by_area=True,
        acting_user=diana,
    )
    actions.do_set_target(
        reports, start_year=2011, quarter=None, value=Decimal(100), acting_user=diana
    )
    actions.do_define_measure(
        repeats,
        kind=MeasureKind.NUMERIC,
        direction=Direction.LOWER_IS_BETTER,
        unit="repeat victims",
        acting_user=diana,
    )
    actions.do_set_target(
        repeats, start_year=2011, quarter=None, value=Decimal(100), acting_user=diana
    )
    actions.do_define_measure(
        milestone,
        kind=MeasureKind.MILESTONE,
        direction=Direction.MILESTONE,
        milestone_due=date(2011, 9, 30),
        acting_user=diana,
    )
    action = theme.actions.order_by("number").first()
    assert action is not None
    actions.do_set_action_plan(
        action,
        lead_organisation=erin.organisation,
        lead=None,
        start_date=date(2011, 4, 1),
        due_date=date(2012, 3, 31),
        acting_user=diana,
    )
    q1 = actions.do_open_period(
        agreement, Quarter(2011, 1), deadline=date(2011, 7, 15), acting_user=diana
    )
    return Cycle(agreement, theme, erin, diana, frank, reports, repeats, milestone, action, q1)
