"""The repeat rule for MARAC and ASBRAC referrals.

Source: SafeLives, "Definition of a repeat Marac" (safelives.org.uk/definition-repeat-marac):
a case is a repeat when there is a further incident within 12 months of its last referral to a
Marac; one more than 12 months after the last referral is a new referral. Safer applies it
to referrals: a referral is a repeat when the same victim was referred to a panel of the same
kind (MARAC or ASBRAC) on a date no more than 12 months before it. Exactly 12 months before
(the same date a year earlier) is still within 12 months, so still a repeat.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

WINDOW_MONTHS = 12


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (29 February goes to the 28th in a short year)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def repeat_window_start(referred_on: date) -> date:
    return months_before(referred_on, WINDOW_MONTHS)


def is_repeat_referral(referred_on: date, earlier: Iterable[date]) -> bool:
    """Whether a referral on `referred_on` repeats any of the victim's earlier referrals."""
    return last_referral_within(referred_on, earlier) is not None


def last_referral_within(referred_on: date, earlier: Iterable[date]) -> date | None:
    """The victim's latest earlier referral within the 12 months before, if any."""
    start = repeat_window_start(referred_on)
    inside = [day for day in earlier if start <= day <= referred_on]
    return max(inside, default=None)


def repeat_rate(repeats: int, cases: int) -> Decimal | None:
    """Repeat cases as a percentage of cases, one decimal place; None without cases."""
    if cases == 0:
        return None
    return (Decimal(100) * repeats / cases).quantize(Decimal("0.1"))
