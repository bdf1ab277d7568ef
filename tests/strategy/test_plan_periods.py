from __future__ import annotations

import pytest

from safer.strategy.plan_periods import parse_plan_period


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Blackburn Children, Young People and Families Plan 2011-13", ("2011-13", 2011, 2013)),
        (
            "Lancashire Youth Offending Team: Youth Justice Service Plan 2011/12",
            ("2011/12", 2011, 2012),
        ),
        ("Lancashire Criminal Justice Board Plan 2011", ("2011", 2011, 2011)),
        ("A plan 1998-2002", ("1998-2002", 1998, 2002)),
        ("A decade plan 2095-05", ("2095-05", 2095, 2105)),
    ],
)
def test_it_reads_the_period_at_the_end_of_a_title(
    title: str, expected: tuple[str, int, int]
) -> None:
    assert tuple(parse_plan_period(title)) == expected


@pytest.mark.parametrize(
    "title", ["Police and Crime Plan", "Plan 2011 for Lancashire", "Plan 2014-2011"]
)
def test_it_refuses_a_title_without_a_period(title: str) -> None:
    with pytest.raises(ValueError, match=r"title|ends before"):
        parse_plan_period(title)
