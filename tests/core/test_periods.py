from __future__ import annotations

from datetime import date

import pytest

from safer.core.periods import FinancialYear, Quarter


def test_a_financial_year_runs_april_to_march() -> None:
    year = FinancialYear.parse("2011/12")
    assert (year.start, year.end, year.label) == (date(2011, 4, 1), date(2012, 3, 31), "2011/12")
    assert FinancialYear.containing(date(2012, 3, 31)) == year
    assert FinancialYear.containing(date(2012, 4, 1)) == year.next()


@pytest.mark.parametrize(
    ("day", "label", "start", "end"),
    [
        (date(2011, 4, 1), "2011/12 Q1", date(2011, 4, 1), date(2011, 6, 30)),
        (date(2011, 9, 30), "2011/12 Q2", date(2011, 7, 1), date(2011, 9, 30)),
        (date(2011, 12, 25), "2011/12 Q3", date(2011, 10, 1), date(2011, 12, 31)),
        (date(2012, 2, 29), "2011/12 Q4", date(2012, 1, 1), date(2012, 3, 31)),
    ],
)
def test_quarters_follow_the_financial_year(day: date, label: str, start: date, end: date) -> None:
    quarter = Quarter.containing(day)
    assert (quarter.label, quarter.start, quarter.end) == (label, start, end)


def test_quarters_step_across_years() -> None:
    assert Quarter(2011, 4).next() == Quarter(2012, 1)
    assert Quarter(2012, 1).previous() == Quarter(2011, 4)
    assert FinancialYear(2011).quarters[-1].code == "2011-Q4"


@pytest.mark.parametrize("text", ["2012-Q2", "2012/13 Q2", "2012q2"])
def test_it_reads_quarters_as_people_write_them(text: str) -> None:
    assert Quarter.parse(text) == Quarter(2012, 2)


@pytest.mark.parametrize(
    ("text", "message"),
    [("2012-Q5", "written like"), ("2012/14 Q1", "not a financial year"), ("Q2", "written like")],
)
def test_it_names_what_is_wrong_with_a_period(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Quarter.parse(text)
