"""The DASH scoring rule (safeguarding/dash.py), without HTTP."""

from __future__ import annotations

import pytest

from safer.safeguarding import dash
from safer.safeguarding.enums import AssessmentStatus, RiskLevel

LEVELS = {"medium": 10, "high": 14}


def answers(yes: int, *, no: int = 0, not_known: int = 0, blank: int = 0) -> list[str]:
    return ["yes"] * yes + ["no"] * no + ["not_known"] * not_known + [""] * blank


@pytest.mark.parametrize(
    ("yes", "level"),
    [
        (0, RiskLevel.STANDARD),
        (9, RiskLevel.STANDARD),
        (10, RiskLevel.MEDIUM),
        (13, RiskLevel.MEDIUM),
        (14, RiskLevel.HIGH),
        (15, RiskLevel.HIGH),
        (24, RiskLevel.HIGH),
    ],
)
def test_it_bands_the_yes_answers(yes: int, level: RiskLevel) -> None:
    result = dash.score(answers(yes, no=24 - yes), LEVELS)
    assert (result.status, result.level, result.yes) == (AssessmentStatus.COMPLETE, level, yes)


def test_not_known_is_an_answer() -> None:
    result = dash.score(answers(3, not_known=21), LEVELS)
    assert (result.status, result.level) == (AssessmentStatus.COMPLETE, RiskLevel.STANDARD)


def test_missing_answers_leave_it_incomplete_never_standard() -> None:
    result = dash.score(answers(2, no=12, blank=10), LEVELS)
    assert (result.status, result.level, result.unanswered) == (
        AssessmentStatus.INCOMPLETE,
        None,
        10,
    )


def test_missing_answers_are_incomplete_even_when_the_yeses_reach_high() -> None:
    # Scoring it "high" would be safe, but the form is not finished: it is shown as incomplete
    # and can still be referred on professional judgement.
    result = dash.score(answers(15, blank=9), LEVELS)
    assert result.status == AssessmentStatus.INCOMPLETE


def test_a_high_if_yes_question_alone_makes_it_high() -> None:
    result = dash.score(
        ["yes", "no", "no"], {"medium": 2, "high": 3}, high_if_yes=[True, False, False]
    )
    assert result.level == RiskLevel.HIGH


def test_judgement_can_raise_a_level() -> None:
    assert dash.check_judgement(RiskLevel.MEDIUM, RiskLevel.HIGH) is None
    assert dash.check_judgement(None, RiskLevel.HIGH) is None


def test_judgement_cannot_lower_a_score_of_14_or_more() -> None:
    problem = dash.check_judgement(RiskLevel.HIGH, RiskLevel.MEDIUM)
    assert problem is not None and "cannot lower" in problem


def test_only_high_meets_the_marac_threshold() -> None:
    assert dash.meets_threshold(RiskLevel.HIGH)
    assert not dash.meets_threshold(RiskLevel.MEDIUM)
    assert not dash.meets_threshold(None)
