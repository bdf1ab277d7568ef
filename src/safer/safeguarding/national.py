"""SafeLives' published MARAC figures that a panel's own are compared with.

Both are quoted from SafeLives' pages and change only when SafeLives publishes again; a new
release is a new value here (with its period), never a setting, so every partnership compares
against the same published figures.

- "Reviewing your Marac data": a MARAC is expected to hear 40 cases a year per 10,000 of the
  adult female population, from SafeLives' work with police reporting rates and the likelihood
  of high-risk victims reporting.
- The Marac national dataset, 12 months 1 October 2023 to 30 September 2024: 276 Maracs,
  119,985 cases, 47 cases per 10,000 adult (16+) females, 31% repeat cases, 36.1% partner agency
  referrals. SafeLives counts every case heard, repeats included, against the adult female
  population the Marac covers.

SafeLives publishes no recommended band for the repeat rate on these pages; a partnership that
has one sets `SAFER_MARAC_REPEAT_BAND` (see `figures.parse_band`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from safer.core.periods import date_range


@dataclass(frozen=True)
class Source:
    title: str
    url: str


@dataclass(frozen=True)
class NationalDataset:
    """Twelve months of the Marac national dataset as SafeLives published them."""

    source: Source
    start: date
    end: date
    maracs: int
    cases: int
    cases_per_10000_women: Decimal
    repeat_rate: Decimal
    partner_agency_referrals: Decimal

    @property
    def period(self) -> str:
        return date_range(self.start, self.end)


REVIEWING_YOUR_MARAC_DATA = Source(
    title="SafeLives, Reviewing your Marac data",
    url=(
        "https://safelives.org.uk/resources-for-professionals/marac-resources/"
        "reviewing-your-marac-data/"
    ),
)

EXPECTED_CASES_PER_10000_WOMEN = Decimal(40)
"""Cases a MARAC is expected to hear in a year per 10,000 women aged 16 and over."""

NATIONAL = NationalDataset(
    source=Source(
        title="SafeLives, Marac national dataset",
        url="https://safelives.org.uk/research-policy/practitioner-datasets/marac-data",
    ),
    start=date(2023, 10, 1),
    end=date(2024, 9, 30),
    maracs=276,
    cases=119_985,
    cases_per_10000_women=Decimal(47),
    repeat_rate=Decimal(31),
    partner_agency_referrals=Decimal("36.1"),
)
