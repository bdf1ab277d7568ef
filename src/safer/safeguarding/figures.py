"""A panel's figures for a quarter: cases, repeats and the repeat rate, referrals by agency,
and the other counts a MARAC's quarterly data return to SafeLives asks for.

The return carries exact counts, because it goes to SafeLives as a statistical return and only
the panel's coordinator makes it; the partnership's page shows the same figures with counts
from 1 to 4 suppressed (`safer.core.suppression`). SafeLives publishes a recommended band for
the repeat rate; Safer compares against `SAFER_MARAC_REPEAT_BAND` when a partnership sets it
(the band is not in Safer's reference notes, so no value is assumed).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from safer.core.periods import Quarter
from safer.safeguarding.enums import ReferralConsent, RiskLevel
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
