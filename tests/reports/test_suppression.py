from __future__ import annotations

from decimal import Decimal

from safer.reports.suppression import SUPPRESSED, count_text, is_suppressed, shown_count


def test_it_suppresses_counts_from_one_to_four() -> None:
    assert [is_suppressed(n) for n in (0, 1, 4, 5, 120)] == [False, True, True, False, False]
    assert count_text(Decimal(3), "3") == SUPPRESSED == "fewer than 5"
    assert count_text(Decimal(5), "5") == "5"


def test_it_shows_zero_and_nothing_as_they_are() -> None:
    assert shown_count(0) == 0
    assert shown_count(None) is None
    assert shown_count(2) is None
