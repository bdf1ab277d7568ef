"""RAG follows the measure's direction, with the tolerance as the amber band (docs/rag.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from safer.strategy.enums import ActionStatus, Direction, MilestoneStatus
from safer.strategy.rag import Rag, rag_for_action, rag_for_milestone, rag_for_value

FIVE = Decimal(5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("520", Rag.GREEN),  # above target
        ("500", Rag.GREEN),  # at target
        ("476", Rag.AMBER),  # inside tolerance (band is 25)
        ("475", Rag.AMBER),  # at the edge of tolerance
        ("474", Rag.RED),  # outside tolerance
    ],
)
def test_higher_is_better(value: str, expected: Rag) -> None:
    result = rag_for_value(Decimal(value), Decimal(500), Direction.HIGHER_IS_BETTER, FIVE)
    assert result.status == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("480", Rag.GREEN),  # below target is good
        ("500", Rag.GREEN),
        ("524", Rag.AMBER),
        ("525", Rag.AMBER),
        ("526", Rag.RED),
    ],
)
def test_lower_is_better(value: str, expected: Rag) -> None:
    result = rag_for_value(Decimal(value), Decimal(500), Direction.LOWER_IS_BETTER, FIVE)
    assert result.status == expected


def test_the_same_value_reads_opposite_ways_by_direction() -> None:
    higher = rag_for_value(Decimal(600), Decimal(500), Direction.HIGHER_IS_BETTER, FIVE)
    lower = rag_for_value(Decimal(600), Decimal(500), Direction.LOWER_IS_BETTER, FIVE)
    assert (higher.status, lower.status) == (Rag.GREEN, Rag.RED)


def test_the_reason_says_why_in_words() -> None:
    result = rag_for_value(Decimal(480), Decimal(500), Direction.HIGHER_IS_BETTER, FIVE)
    assert result.reason == "480 is below the target of 500, within the 5% tolerance"
    assert result.label == "Amber"


@pytest.mark.parametrize(
    ("value", "target", "direction", "reason"),
    [
        (None, Decimal(5), Direction.HIGHER_IS_BETTER, "No value yet"),
        (Decimal(5), None, Direction.HIGHER_IS_BETTER, "No target set for this period"),
        (Decimal(5), Decimal(5), "", "No direction set, so the value cannot be judged"),
    ],
)
def test_unknown_is_its_own_state(
    value: Decimal | None, target: Decimal | None, direction: str, reason: str
) -> None:
    result = rag_for_value(value, target, direction, FIVE)
    assert (result.status, result.reason) == (Rag.UNKNOWN, reason)


def test_a_zero_tolerance_leaves_no_amber() -> None:
    result = rag_for_value(Decimal(499), Decimal(500), Direction.HIGHER_IS_BETTER, Decimal(0))
    assert result.status == Rag.RED


QUARTER_END = date(2011, 9, 30)
LATER = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        (MilestoneStatus.COMPLETE, date(2011, 6, 30), Rag.GREEN),
        (MilestoneStatus.IN_PROGRESS, date(2011, 6, 30), Rag.RED),  # past due, not complete
        (MilestoneStatus.IN_PROGRESS, date(2011, 9, 30), Rag.AMBER),  # due this quarter
        (MilestoneStatus.NOT_STARTED, date(2012, 3, 31), Rag.GREEN),  # due later: on track
        (MilestoneStatus.IN_PROGRESS, None, Rag.AMBER),
        ("", date(2012, 3, 31), Rag.UNKNOWN),
    ],
)
def test_milestones_are_rated_by_due_date_and_completion(
    status: str, due: date | None, expected: Rag
) -> None:
    assert rag_for_milestone(status, due, QUARTER_END, LATER).status == expected


def test_a_milestone_due_later_in_the_quarter_is_not_yet_late_today() -> None:
    today = date(2011, 8, 1)
    result = rag_for_milestone(MilestoneStatus.IN_PROGRESS, date(2011, 9, 1), QUARTER_END, today)
    assert result.status == Rag.AMBER


@pytest.mark.parametrize(
    ("status", "due", "expected", "reason"),
    [
        (ActionStatus.COMPLETE, date(2011, 1, 1), Rag.GREEN, "Complete"),
        (ActionStatus.IN_PROGRESS, date(2011, 8, 1), Rag.RED, "Overdue: was due 1 August 2011"),
        (ActionStatus.ON_HOLD, date(2012, 3, 31), Rag.AMBER, "On hold"),
        (
            ActionStatus.IN_PROGRESS,
            date(2011, 9, 30),
            Rag.AMBER,
            "Due 30 September 2011, this quarter",
        ),
        (ActionStatus.NOT_STARTED, date(2012, 3, 31), Rag.GREEN, "On track; due 31 March 2012"),
        (ActionStatus.CANCELLED, date(2011, 1, 1), Rag.UNKNOWN, "Cancelled, not rated"),
    ],
)
def test_actions_are_rated_and_overdue_ones_flagged(
    status: str, due: date, expected: Rag, reason: str
) -> None:
    result = rag_for_action(status, due, QUARTER_END, LATER)
    assert (result.status, result.reason) == (expected, reason)


def test_large_numbers_read_with_separators() -> None:
    result = rag_for_value(Decimal(4496), Decimal(4600), Direction.HIGHER_IS_BETTER, FIVE)
    assert result.reason == "4,496 is below the target of 4,600, within the 5% tolerance"
