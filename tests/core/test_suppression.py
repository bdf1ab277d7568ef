from __future__ import annotations

from safer.core.suppression import Count, suppress, suppress_table, suppressed_total


def test_it_hides_counts_from_one_to_four() -> None:
    assert [suppress(n).value for n in (0, 1, 4, 5, 12)] == [0, None, None, 5, 12]
    assert str(suppress(3)) == "fewer than 5"
    assert str(suppress(1234)) == "1,234"


def test_it_hides_a_second_cell_when_a_total_would_give_one_away() -> None:
    table = suppress_table({"ASB": 40, "Domestic abuse": 12, "Hate crime": 3})
    assert table == {"ASB": Count(40), "Domestic abuse": Count(None), "Hate crime": Count(None)}


def test_it_leaves_a_table_without_a_total_alone() -> None:
    table = suppress_table({"ASB": 40, "Hate crime": 3}, with_total=False)
    assert table == {"ASB": Count(40), "Hate crime": Count(None)}


def test_a_total_is_suppressed_too_when_small() -> None:
    assert suppressed_total({"a": 1, "b": 2}).suppressed
