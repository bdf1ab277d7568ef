"""The annual refresh: next year's plan from this one, with every change and its reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from safer.strategy import actions
from safer.strategy.enums import PlanChangeKind, PlanStatus
from safer.strategy.models import DeliveryPlan, StrategicAssessment
from safer.test import sign_in
from tests.strategy.conftest import Cycle


def _refresh(cycle: Cycle) -> DeliveryPlan:
    assessment = StrategicAssessment.objects.create(
        agreement=cycle.agreement,
        start_year=2012,
        title="Safer Lancashire Strategic Assessment 2012",
    )
    plan = cycle.agreement.delivery_plans.get(start_year=2011)
    return actions.do_refresh_plan(plan, strategic_assessment=assessment, acting_user=cycle.diana)


def test_it_carries_open_actions_and_records_finished_ones(cycle: Cycle) -> None:
    cycle.action.status = "complete"
    cycle.action.save()
    new_plan = _refresh(cycle)
    assert (new_plan.label, new_plan.status) == ("2012/13", PlanStatus.DRAFT)
    assert new_plan.actions.count() == 18  # 19 less the one completed
    assert new_plan.measures.count() == 22
    assert new_plan.focus_areas.count() == 20
    completed = new_plan.changes.get(kind=PlanChangeKind.COMPLETED)
    assert completed.old_text == cycle.action.text
    assert new_plan.changes.filter(kind=PlanChangeKind.CARRIED).count() == 18
    carried = new_plan.measures.get(theme=cycle.theme, number=1)
    assert carried.carried_from == cycle.reports
    assert carried.direction == cycle.reports.direction


def test_rewording_removing_and_adding_need_a_reason(cycle: Cycle) -> None:
    new_plan = _refresh(cycle)
    action = new_plan.actions.get(theme=cycle.theme, number=2)
    with pytest.raises(ValidationError, match="reason"):
        actions.do_reword_plan_item(action, "Something else.", reason="", acting_user=cycle.diana)
    actions.do_reword_plan_item(
        action,
        "Ensuring consistent recording of ASB, domestic abuse and hate crime in Safer.",
        reason="The strategic assessment found recording still varies",
        acting_user=cycle.diana,
    )
    focus = new_plan.focus_areas.get(theme=cycle.theme, number=5)
    actions.do_remove_plan_item(
        focus, reason="Now part of the sexual violence strategy", acting_user=cycle.diana
    )
    actions.do_add_plan_item(
        new_plan,
        cycle.theme,
        "measure",
        "Number of third-party hate crime reports.",
        reason="Under-reporting persists",
        acting_user=cycle.diana,
    )
    kinds = sorted(
        new_plan.changes.exclude(kind=PlanChangeKind.CARRIED).values_list("kind", flat=True)
    )
    assert kinds == ["added", "removed", "reworded"]
    reworded = new_plan.changes.get(kind=PlanChangeKind.REWORDED)
    assert reworded.old_text.startswith("Ensuring consistent recording and monitoring of all")
    assert reworded.strategic_assessment is not None


def test_a_year_with_a_plan_cannot_be_refreshed_again(cycle: Cycle) -> None:
    _refresh(cycle)
    plan = cycle.agreement.delivery_plans.get(start_year=2011)
    with pytest.raises(ValidationError, match="2012/13 already has a delivery plan"):
        actions.do_refresh_plan(plan, strategic_assessment=None, acting_user=cycle.diana)
    assert cycle.agreement.delivery_plans.count() == 2


def test_the_agreement_ends_after_three_plans(cycle: Cycle) -> None:
    plan = _refresh(cycle)
    actions.do_approve_plan(plan, acting_user=cycle.frank)
    last = actions.do_refresh_plan(plan, strategic_assessment=None, acting_user=cycle.diana)
    actions.do_approve_plan(last, acting_user=cycle.frank)
    with pytest.raises(ValidationError, match="needs a new agreement"):
        actions.do_refresh_plan(last, strategic_assessment=None, acting_user=cycle.diana)


def test_an_approved_plan_is_fixed_until_the_next_refresh(cycle: Cycle) -> None:
    plan = _refresh(cycle)
    with pytest.raises(PermissionDenied):
        actions.do_approve_plan(
            plan, acting_user=cycle.diana
        )  # the Board approves, not the analyst
    actions.do_approve_plan(plan, acting_user=cycle.frank)
    action = plan.actions.first()
    assert action is not None
    with pytest.raises(ValidationError, match="approved"):
        actions.do_reword_plan_item(action, "New words.", reason="Because", acting_user=cycle.diana)


def test_the_page_shows_what_changed_since_last_year(cycle: Cycle, client: Client) -> None:
    new_plan = _refresh(cycle)
    action = new_plan.actions.get(theme=cycle.theme, number=1)
    actions.do_reword_plan_item(
        action, "A new wording.", reason="Findings of 2012", acting_user=cycle.diana
    )
    sign_in(client, "frank")
    page = client.get("/performance/plans/2012/").text
    assert "What changed since 2011/12" in page
    assert "<ins>A new wording.</ins>" in page
    assert "Findings of 2012" in page
    assert "Approve the Delivery Plan 2012/13 for the Board" in page
    response = client.post("/performance/plans/2012/approve/", follow=True)
    assert "Delivery plan 2012/13 is approved." in response.text
