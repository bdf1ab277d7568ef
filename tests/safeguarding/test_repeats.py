"""The 12-month repeat rule (safeguarding/repeats.py), without HTTP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from safer.safeguarding.repeats import (
    is_repeat_referral,
    last_referral_within,
    months_before,
    repeat_rate,
)


def test_a_referral_10_months_after_the_last_is_a_repeat() -> None:
    assert is_repeat_referral(date(2012, 11, 14), [date(2012, 1, 14)])


def test_exactly_12_months_later_is_still_within_12_months() -> None:
    assert is_repeat_referral(date(2013, 1, 14), [date(2012, 1, 14)])


def test_a_day_more_than_12_months_later_is_a_new_referral() -> None:
    assert not is_repeat_referral(date(2013, 1, 15), [date(2012, 1, 14)])


def test_it_is_measured_from_the_last_referral() -> None:
    earlier = [date(2011, 3, 1), date(2012, 2, 1)]
    assert last_referral_within(date(2013, 1, 20), earlier) == date(2012, 2, 1)


def test_a_later_referral_is_not_an_earlier_one() -> None:
    assert not is_repeat_referral(date(2012, 1, 1), [date(2012, 6, 1)])


def test_months_before_keeps_the_day_or_the_end_of_a_short_month() -> None:
    assert months_before(date(2013, 2, 28), 12) == date(2012, 2, 28)
    assert months_before(date(2012, 2, 29), 12) == date(2011, 2, 28)
    assert months_before(date(2012, 3, 31), 1) == date(2012, 2, 29)


def test_the_repeat_rate_is_a_percentage_of_cases() -> None:
    assert repeat_rate(6, 20) == Decimal("30.0")
    assert repeat_rate(0, 0) is None
