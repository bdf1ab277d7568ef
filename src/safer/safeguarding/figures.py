"""A panel's figures for a quarter: cases, repeats and the repeat rate, referrals by agency,
and the other counts a MARAC's quarterly data return to SafeLives asks for.

The return carries exact counts, because it goes to SafeLives as a statistical return and only
the panel's coordinator makes it; the partnership's page shows the same figures with counts
from 1 to 4 suppressed (`safer.core.suppression`).

A MARAC is also set against SafeLives' published figures (`safeguarding/national.py`): its
cases in the 12 months ending with the quarter per 10,000 women aged 16 and over in its area,
beside the expected 40 and the national figure, as SafeLives counts them (every case, repeats
included, over a year). A partnership's own repeat-rate band, if it has one, is the setting
`SAFER_MARAC_REPEAT_BAND`; SafeLives publishes none on those pages, so none is assumed.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from safer.core.periods import Quarter, date_range
from safer.core.suppression import Count, can_show_total, is_disclosive
from safer.crimedata.aggregates import nearest_year
from safer.crimedata.models import AreaPopulation
from safer.safeguarding.enums import ConferenceKind, ReferralConsent, RiskLevel
from safer.safeguarding.models import CaseDiscussion, Panel, Referral
from safer.safeguarding.repeats import repeat_rate


@dataclass(frozen=True)
class PanelFigures:
    panel: str
    quarter: str
    referrals: int
    repeats: int
    repeat_rate: Decimal | None
    discussed: int
    high_risk: int
    without_consent: int
    by_agency: dict[str, int]


def panel_figures(panel: Panel, quarter: Quarter) -> PanelFigures:
    referrals = Referral.objects.filter(
        panel=panel, referred_on__range=(quarter.start, quarter.end)
    )
    count = referrals.count()
    repeats = referrals.filter(is_repeat=True).count()
    by_agency = Counter(referrals.values_list("organisation__name", flat=True))
    return PanelFigures(
        panel=panel.name,
        quarter=quarter.label,
        referrals=count,
        repeats=repeats,
        repeat_rate=repeat_rate(repeats, count),
        discussed=CaseDiscussion.objects.filter(
            conference__panel=panel,
            conference__meets_on__range=(quarter.start, quarter.end),
        ).count(),
        high_risk=referrals.filter(assessments__scored_level=RiskLevel.HIGH).distinct().count(),
        without_consent=referrals.filter(consent=ReferralConsent.NOT_GIVEN).count(),
        by_agency=dict(sorted(by_agency.items())),
    )


@dataclass(frozen=True)
class MaracVolume:
    """A MARAC's cases over the 12 months ending with a quarter, per 10,000 adult women.

    `cases` is suppressed when it is 1 to 4 or, with `hidden_by_quarters`, when a quarter's
    small count could be worked back from it; `per_10000_women` is None then and when the area
    has no adult female population loaded. `women` is the estimate used."""

    start: date
    end: date
    cases: Count
    hidden_by_quarters: bool
    women: AreaPopulation | None
    per_10000_women: Decimal | None

    @property
    def period(self) -> str:
        return date_range(self.start, self.end)


def twelve_months_to(quarter: Quarter) -> list[Quarter]:
    """The quarter and the three before it, earliest first."""
    quarters = [quarter]
    while len(quarters) < 4:
        quarters.insert(0, quarters[0].previous())
    return quarters


def adult_women(area_id: int, year: int) -> AreaPopulation | None:
    """The area's estimate of women aged 16 and over for `year`, chosen as every rate chooses
    its population (`crimedata.aggregates.nearest_year`); None when none is loaded."""
    loaded = {
        row.year: row
        for row in AreaPopulation.objects.filter(area_id=area_id, adult_women__isnull=False)
    }
    return loaded[nearest_year(loaded, year)] if loaded else None


def cases_per_10000_women(cases: int, women: int) -> Decimal:
    """Cases per 10,000 women aged 16 and over, to one decimal place."""
    return (Decimal(cases) * 10_000 / Decimal(women)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def marac_volume(panel: Panel, quarter: Quarter) -> MaracVolume | None:
    """A MARAC's cases over the 12 months ending with `quarter` against its area's adult
    women (the estimate for the year the 12 months start in, as crime rates use a financial
    year's first year); None for an ASBRAC, which SafeLives' figures do not cover."""
    if panel.kind != ConferenceKind.MARAC:
        return None
    quarters = twelve_months_to(quarter)
    start, end = quarters[0].start, quarter.end
    days = Referral.objects.filter(panel=panel, referred_on__range=(start, end)).values_list(
        "referred_on", flat=True
    )
    by_quarter = Counter(Quarter.containing(day) for day in days)
    counts = [by_quarter[q] for q in quarters]
    shown = can_show_total(counts)
    women = adult_women(panel.area_id, start.year)
    return MaracVolume(
        start=start,
        end=end,
        cases=Count(sum(counts) if shown else None),
        hidden_by_quarters=not shown and not is_disclosive(sum(counts)),
        women=women,
        per_10000_women=(
            cases_per_10000_women(sum(counts), women.adult_women)
            if shown and women is not None and women.adult_women
            else None
        ),
    )


def band_position(rate: Decimal | None, band: tuple[Decimal, Decimal] | None) -> str:
    """Where a repeat rate sits against the recommended band: 'below', 'within' or 'above'."""
    if rate is None or band is None:
        return ""
    low, high = band
    return "below" if rate < low else "above" if rate > high else "within"


def parse_band(text: str) -> tuple[Decimal, Decimal] | None:
    """Read a band written '28-40' (percent); None when unset. ValueError names the problem."""
    if not text.strip():
        return None
    try:
        low, high = (Decimal(part.strip().rstrip("%")) for part in text.split("-"))
    except (ValueError, ArithmeticError):
        raise ValueError(f"a repeat-rate band is written like 28-40; got {text!r}") from None
    if not 0 <= low <= high <= 100:
        raise ValueError(
            f"a repeat-rate band runs from a lower to a higher percentage; got {text!r}"
        )
    return low, high


def data_return_csv(figures: PanelFigures) -> bytes:
    """The quarterly data return as CSV: one row per figure, then referrals by agency."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["panel", "quarter", "measure", "value"])
    rate = "" if figures.repeat_rate is None else str(figures.repeat_rate)
    for name, value in (
        ("cases referred", figures.referrals),
        ("cases discussed", figures.discussed),
        ("repeat cases", figures.repeats),
        ("repeat rate (%)", rate),
        ("cases with a high-risk checklist", figures.high_risk),
        ("referred without consent", figures.without_consent),
    ):
        writer.writerow([figures.panel, figures.quarter, name, value])
    for agency, count in figures.by_agency.items():
        writer.writerow([figures.panel, figures.quarter, f"referrals from {agency}", count])
    return buffer.getvalue().encode("utf-8")
