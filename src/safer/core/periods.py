"""Reporting periods: UK financial years and their quarters.

UK public bodies report by financial year, 1 April to 31 March: "2011/12" runs from
1 April 2011 to 31 March 2012. Q1 is April–June, Q2 July–September, Q3 October–December and
Q4 January–March (of the following calendar year). Every reporting date in Safer comes from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER_TEXT = re.compile(
    r"^(?P<year>\d{4})(?:/(?P<end>\d{2}))?[- ]?Q(?P<q>[1-4])$", re.IGNORECASE
)
_YEAR_TEXT = re.compile(r"^(?P<year>\d{4})(?:/(?P<end>\d{2}))?$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    start_year: int

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Read "2011/12" (or "2011"); raise ValueError naming the expected form."""
        match = _YEAR_TEXT.match(text.strip())
        if match is None:
            raise ValueError(f"a financial year is written like 2011/12; got {text!r}")
        year = cls(int(match["year"]))
        if match["end"] is not None and int(match["end"]) != (year.start_year + 1) % 100:
            raise ValueError(f"{text!r} is not a financial year: 2011/12 runs April to March")
        return year

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def quarters(self) -> list[Quarter]:
        return [Quarter(self.start_year, number) for number in (1, 2, 3, 4)]

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class Quarter:
    """A quarter of a financial year: Quarter(2011, 1) is April–June 2011."""

    start_year: int
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise ValueError(f"a quarter is numbered 1 to 4; got {self.number}")

    @classmethod
    def containing(cls, day: date) -> Quarter:
        year = FinancialYear.containing(day)
        return cls(year.start_year, (day.month - 4) % 12 // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read "2012-Q2", "2012/13 Q2" or "2012Q2" (the financial year's start, then Q1-Q4)."""
        match = _QUARTER_TEXT.match(text.strip())
        if match is None:
            raise ValueError(f"a quarter is written like 2012-Q2 or 2012/13 Q2; got {text!r}")
        year = FinancialYear.parse(match["year"] + (f"/{match['end']}" if match["end"] else ""))
        return cls(year.start_year, int(match["q"]))

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.start_year)

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.number - 1)
        return date(self.start_year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.financial_year.label} Q{self.number}"

    @property
    def code(self) -> str:
        """The compact form commands take: 2012-Q2."""
        return f"{self.start_year}-Q{self.number}"

    @property
    def months(self) -> str:
        return f"{self.start:%B}–{self.end:%B %Y}"

    def next(self) -> Quarter:
        return Quarter(self.start_year + (self.number == 4), self.number % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.start_year - (self.number == 1), (self.number - 2) % 4 + 1)

    def __str__(self) -> str:
        return self.label


def date_range(start: date, end: date) -> str:
    """A span of days as people read it: "1 October 2023 to 30 September 2024"."""
    return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"


def sentence(text: str) -> str:
    """A message as a sentence: its first letter capitalised, the rest as written."""
    return text[:1].upper() + text[1:]
