"""A quarter's cycle: theme leads submit, the analyst reviews, the period closes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safer.core.periods import Quarter
from safer.partnership.models import CspArea
from safer.strategy import actions
from safer.strategy.enums import Direction, MeasureKind, MeasureSourceKind, UpdateStatus
from safer.strategy.models import ChangeRecord, MeasureValue, Target
from safer.strategy.rag import Rag
from safer.strategy.status import theme_summaries
from safer.test import persona
from tests.strategy.conftest import Cycle

EVIDENCE = "https://example.org/evidence/q1.xlsx"


def _submit(cycle: Cycle, measure: object, value: str) -> MeasureValue:
    return actions.do_save_measure_value(
        measure,  # type: ignore[arg-type]
        cycle.q1,
        value=Decimal(value),
        comment="Q1 figures from the force's system.",
        evidence_url=EVIDENCE,
        submit=True,
        acting_user=cycle.erin,
    )


def test_it_takes_a_value_from_submission_to_the_dashboard(cycle: Cycle) -> None:
    update = _submit(cycle, cycle.reports, "97")
    assert update.status == UpdateStatus.SUBMITTED
    summary = theme_summaries(
        cycle.agreement, Quarter(2011, 1), today=date(2026, 1, 1), themes=[cycle.theme]
    )[0]
    status = next(s for s in summary.measures if s.measure == cycle.reports)
    assert status.rag.status == Rag.UNKNOWN  # not approved yet: not on the dashboard
    actions.do_approve_update(update, acting_user=cycle.diana)
    summary = theme_summaries(
        cycle.agreement, Quarter(2011, 1), today=date(2026, 1, 1), themes=[cycle.theme]
    )[0]
    status = next(s for s in summary.measures if s.measure == cycle.reports)
    assert (status.rag.status, status.rag.reason) == (
        Rag.AMBER,
        "97 is below the target of 100, within the 5% tolerance",
    )


def test_a_returned_value_goes_back_to_the_lead_with_the_comment(cycle: Cycle) -> None:
    update = _submit(cycle, cycle.repeats, "130")
    actions.do_return_update(update, comment="Is this the whole county?", acting_user=cycle.diana)
    update.refresh_from_db()
    assert (update.status, update.review_comment) == (
        UpdateStatus.RETURNED,
        "Is this the whole county?",
    )
    again = _submit(cycle, cycle.repeats, "104")
    assert again.pk == update.pk
    assert again.status == UpdateStatus.SUBMITTED


def test_returning_needs_a_comment(cycle: Cycle) -> None:
    update = _submit(cycle, cycle.repeats, "130")
    with pytest.raises(ValidationError, match="Say what the theme lead should change"):
        actions.do_return_update(update, comment="  ", acting_user=cycle.diana)
    update.refresh_from_db()
    assert update.status == UpdateStatus.SUBMITTED


def test_a_typed_value_needs_evidence_to_be_submitted(cycle: Cycle) -> None:
    with pytest.raises(ValidationError, match="Add evidence"):
        actions.do_save_measure_value(
            cycle.reports, cycle.q1, value=Decimal(90), submit=True, acting_user=cycle.erin
        )
    assert not MeasureValue.objects.exists()
    upload = SimpleUploadedFile("q1.csv", b"area,reports\nPreston,12\n", content_type="text/csv")
    update = actions.do_save_measure_value(
        cycle.reports,
        cycle.q1,
        value=Decimal(90),
        evidence_file=upload,
        submit=True,
        acting_user=cycle.erin,
    )
    assert update.evidence_file.name.endswith(".csv")


@pytest.mark.parametrize(
    ("field", "kwargs", "message"),
    [
        ("reports", {"value": None}, "Enter the value"),
        ("reports", {"value": Decimal(-3)}, "cannot be negative"),
        ("reports", {"value": Decimal(5), "milestone_status": "complete"}, "Only a milestone"),
        ("milestone", {"value": Decimal(1)}, "A milestone has no value"),
        ("milestone", {"value": None, "milestone_status": "nearly"}, "not started, in progress"),
    ],
)
def test_values_of_the_wrong_kind_are_refused(
    cycle: Cycle, field: str, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        actions.do_save_measure_value(
            getattr(cycle, field), cycle.q1, acting_user=cycle.erin, **kwargs
        )
    assert not MeasureValue.objects.exists()


def test_a_percentage_stays_between_0_and_100(cycle: Cycle) -> None:
    satisfaction = cycle.theme.measures.get(number=2)
    actions.do_define_measure(
        satisfaction,
        kind=MeasureKind.PERCENTAGE,
        direction=Direction.HIGHER_IS_BETTER,
        acting_user=cycle.diana,
    )
    with pytest.raises(ValidationError, match="between 0 and 100"):
        actions.do_save_measure_value(
            satisfaction, cycle.q1, value=Decimal(104), acting_user=cycle.erin
        )
    with pytest.raises(ValidationError, match="between 0 and 100"):
        actions.do_set_target(
            satisfaction, start_year=2011, quarter=None, value=Decimal(140), acting_user=cycle.diana
        )


def test_a_closed_period_changes_only_by_a_recorded_correction(cycle: Cycle) -> None:
    update = _submit(cycle, cycle.reports, "97")
    actions.do_approve_update(update, acting_user=cycle.diana)
    actions.do_close_period(cycle.q1, acting_user=cycle.diana)
    with pytest.raises(
        ValidationError, match="closed: its values change only through a recorded correction"
    ):
        _submit(cycle, cycle.reports, "120")
    with pytest.raises(ValidationError, match="Say why"):
        actions.do_correct_measure_value(
            update, value=Decimal(103), reason="", acting_user=cycle.diana
        )
    actions.do_correct_measure_value(
        update, value=Decimal(103), reason="Preston's figures arrived late", acting_user=cycle.diana
    )
    update.refresh_from_db()
    assert update.value == 103
    correction = ChangeRecord.objects.get(
        record_type="strategy.measurevalue", summary__contains="corrected"
    )
    assert correction.changes["value"] == ["97", "103"]
    assert (correction.actor, correction.reason) == (cycle.diana, "Preston's figures arrived late")


def test_a_target_needs_a_direction(cycle: Cycle) -> None:
    undefined = cycle.theme.measures.get(number=5)
    with pytest.raises(ValidationError, match="direction"):
        actions.do_set_target(
            undefined, start_year=2011, quarter=None, value=Decimal(400), acting_user=cycle.diana
        )
    assert not Target.objects.filter(measure=undefined).exists()


def test_a_milestone_must_say_it_is_one(cycle: Cycle) -> None:
    with pytest.raises(ValidationError, match="milestone"):
        actions.do_define_measure(
            cycle.reports,
            kind=MeasureKind.MILESTONE,
            direction=Direction.HIGHER_IS_BETTER,
            acting_user=cycle.diana,
        )
    cycle.reports.refresh_from_db()
    assert cycle.reports.kind == MeasureKind.NUMERIC


def test_a_computed_measure_must_name_a_registered_calculation(cycle: Cycle) -> None:
    measure = cycle.theme.measures.get(number=5)
    with pytest.raises(ValidationError, match=r"no measure source 'nowhere\.count'"):
        actions.do_define_measure(
            measure,
            kind=MeasureKind.NUMERIC,
            direction=Direction.HIGHER_IS_BETTER,
            source=MeasureSourceKind.COMPUTED,
            source_key="nowhere.count",
            acting_user=cycle.diana,
        )


def test_computed_measures_fill_themselves_when_the_quarter_closes(cycle: Cycle) -> None:
    measure = cycle.theme.measures.get(number=5)
    actions.do_define_measure(
        measure,
        kind=MeasureKind.NUMERIC,
        direction=Direction.HIGHER_IS_BETTER,
        source=MeasureSourceKind.COMPUTED,
        source_key="strategy.linked_plans_current",
        acting_user=cycle.diana,
    )
    with pytest.raises(ValidationError, match="computed"):
        actions.do_save_measure_value(measure, cycle.q1, value=Decimal(3), acting_user=cycle.erin)
    actions.do_close_period(cycle.q1, acting_user=cycle.diana)
    (value,) = actions.do_compute_measure_values(cycle.q1, acting_user=cycle.diana)
    # Every linked plan in force in 2011: all but West Lancashire's plan of 2010.
    assert (value.value, value.status, value.computed) == (Decimal(23), UpdateStatus.APPROVED, True)


def test_only_the_theme_lead_or_an_analyst_may_update(cycle: Cycle) -> None:
    alice = persona("alice")
    with pytest.raises(PermissionDenied):
        actions.do_save_measure_value(cycle.reports, cycle.q1, value=Decimal(5), acting_user=alice)
    with pytest.raises(PermissionDenied):
        actions.do_approve_update(_submit(cycle, cycle.reports, "5"), acting_user=cycle.erin)


def test_area_values_feed_the_area_filter(cycle: Cycle) -> None:
    preston = CspArea.objects.get(name="Preston")
    update = actions.do_save_measure_value(
        cycle.reports,
        cycle.q1,
        area=preston,
        value=Decimal(11),
        evidence_url=EVIDENCE,
        submit=True,
        acting_user=cycle.erin,
    )
    actions.do_approve_update(update, acting_user=cycle.diana)
    summary = theme_summaries(
        cycle.agreement,
        Quarter(2011, 1),
        today=date(2026, 1, 1),
        area=preston,
        themes=[cycle.theme],
    )[0]
    status = next(s for s in summary.measures if s.measure == cycle.reports)
    assert status.value is not None and status.value.value == 11
    with pytest.raises(ValidationError, match="as a whole"):
        actions.do_save_measure_value(
            cycle.repeats, cycle.q1, area=preston, value=Decimal(1), acting_user=cycle.erin
        )


def test_action_progress_updates_the_action_when_approved(cycle: Cycle) -> None:
    update = actions.do_save_action_update(
        cycle.action,
        cycle.q1,
        action_status="in_progress",
        progress_note="Protocol drafted.",
        submit=True,
        acting_user=cycle.erin,
    )
    actions.do_approve_update(update, acting_user=cycle.diana)
    cycle.action.refresh_from_db()
    assert cycle.action.status == "in_progress"
    with pytest.raises(ValidationError, match="progress note"):
        actions.do_save_action_update(
            cycle.action,
            cycle.q1,
            action_status="complete",
            progress_note=" ",
            acting_user=cycle.erin,
        )


def test_every_change_is_in_the_history(cycle: Cycle) -> None:
    update = _submit(cycle, cycle.reports, "97")
    actions.do_approve_update(update, acting_user=cycle.diana)
    summaries = list(
        ChangeRecord.objects.filter(record_type="strategy.measurevalue", record_id=update.pk)
        .order_by("at", "pk")
        .values_list("summary", "actor__username")
    )
    assert summaries == [
        ("2011/12 Q1 value submitted", "erin"),
        ("2011/12 Q1 update approved", "diana"),
    ]
    assert (
        ChangeRecord.objects.filter(
            record_type="strategy.measure", summary__startswith="Target"
        ).count()
        == 2
    )


def test_reminders_go_to_whoever_still_owes_an_update(cycle: Cycle) -> None:
    _submit(cycle, cycle.reports, "97")
    sent = actions.do_send_reminders(cycle.q1, acting_user=cycle.diana)
    assert sent == 1
    (message,) = mail.outbox
    assert message.to == [cycle.erin.email]
    assert "Reduced number of anti-social behaviour" in message.body
    assert "Increased reported incidences" not in message.body  # submitted already


def test_a_period_cannot_be_opened_twice(cycle: Cycle) -> None:
    with pytest.raises(ValidationError, match="already a reporting period"):
        actions.do_open_period(
            cycle.agreement, Quarter(2011, 1), deadline=date(2011, 7, 1), acting_user=cycle.diana
        )


@time_machine.travel(date(2011, 10, 5))
def test_an_overdue_milestone_turns_red(cycle: Cycle) -> None:
    q2 = actions.do_open_period(
        cycle.agreement, Quarter(2011, 2), deadline=date(2011, 10, 15), acting_user=cycle.diana
    )
    update = actions.do_save_measure_value(
        cycle.milestone,
        q2,
        value=None,
        milestone_status="in_progress",
        evidence_url=EVIDENCE,
        submit=True,
        acting_user=cycle.erin,
    )
    actions.do_approve_update(update, acting_user=cycle.diana)
    summary = theme_summaries(
        cycle.agreement, Quarter(2011, 2), today=date(2011, 10, 5), themes=[cycle.theme]
    )[0]
    status = next(s for s in summary.measures if s.measure == cycle.milestone)
    assert status.rag.status == Rag.AMBER  # due 30 September: rated at the quarter's end
    summary = theme_summaries(
        cycle.agreement, Quarter(2011, 3), today=date(2011, 10, 5), themes=[cycle.theme]
    )[0]
    status = next(s for s in summary.measures if s.measure == cycle.milestone)
    assert status.rag.status == Rag.UNKNOWN  # no Q3 update yet


def test_a_quarter_reports_on_its_own_years_plan(cycle: Cycle) -> None:
    plan = cycle.agreement.delivery_plans.get(start_year=2011)
    new_plan = actions.do_refresh_plan(plan, strategic_assessment=None, acting_user=cycle.diana)
    q1_2012 = actions.do_open_period(
        cycle.agreement, Quarter(2012, 1), deadline=date(2012, 7, 15), acting_user=cycle.diana
    )
    with pytest.raises(ValidationError, match="belongs to the Delivery Plan 2011/12"):
        actions.do_save_measure_value(
            cycle.reports, q1_2012, value=Decimal(5), acting_user=cycle.erin
        )
    carried = new_plan.measures.get(carried_from=cycle.reports)
    update = actions.do_save_measure_value(
        carried, q1_2012, value=Decimal(5), acting_user=cycle.erin
    )
    assert update.measure.plan == new_plan
