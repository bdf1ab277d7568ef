"""Measures the conferences and CSE reports in Safer feed (registered from the AppConfig).

"Number of repeat incidents at ASBRAC and MARAC" is the count of referrals in the period that
repeat an earlier referral of the same victim within 12 months (safeguarding/repeats.py); the
repeat *rate* is those as a percentage of all referrals (cases) in the period. Counts of 1 to 4
are suppressed, and a rate is shown only when neither its cases nor its repeats are a
suppressed count (else the count could be worked back from it). By area, the panel's area.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from safer.core.suppression import is_disclosive, suppress
from safer.safeguarding.enums import ConferenceKind, RiskLevel
from safer.safeguarding.repeats import repeat_rate
from safer.strategy.measure_sources import Compute, MeasureSource, register

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from safer.partnership.models import CspArea
    from safer.safeguarding.models import Referral


def referrals_in(
    start: date, end: date, area: CspArea | None, kinds: tuple[str, ...]
) -> QuerySet[Referral]:
    from safer.safeguarding.models import Referral

    referrals = Referral.objects.filter(referred_on__range=(start, end), panel__kind__in=kinds)
    if area is not None:
        referrals = referrals.filter(panel__area=area)
    return referrals


def repeat_counts(
    start: date, end: date, area: CspArea | None, kinds: tuple[str, ...]
) -> tuple[int, int]:
    """(cases, repeats) referred in the period: raw counts, for rules and the data return."""
    referrals = referrals_in(start, end, area, kinds)
    return referrals.count(), referrals.filter(is_repeat=True).count()


def _as_measure(count: int) -> Decimal | None:
    shown = suppress(count)
    return None if shown.value is None else Decimal(shown.value)


def _repeats(kinds: tuple[str, ...]) -> Compute:
    def compute(start: date, end: date, area: CspArea | None) -> Decimal | None:
        return _as_measure(repeat_counts(start, end, area, kinds)[1])

    return compute


def _rate(kinds: tuple[str, ...]) -> Compute:
    def compute(start: date, end: date, area: CspArea | None) -> Decimal | None:
        cases, repeats = repeat_counts(start, end, area, kinds)
        if cases < 5 or is_disclosive(repeats):
            return None
        return repeat_rate(repeats, cases)

    return compute


def _high_risk(start: date, end: date, area: CspArea | None) -> Decimal | None:
    referrals = referrals_in(start, end, area, (ConferenceKind.MARAC,))
    high = referrals.filter(assessments__scored_level=RiskLevel.HIGH).distinct().count()
    return _as_measure(high)


def _cse(start: date, end: date, area: CspArea | None) -> Decimal | None:
    from safer.safeguarding.models import CseReport

    reports = CseReport.objects.filter(submitted_on__range=(start, end))
    if area is not None:
        reports = reports.filter(area=area)
    return _as_measure(reports.count())


BOTH = (ConferenceKind.MARAC.value, ConferenceKind.ASBRAC.value)
MARAC = (ConferenceKind.MARAC.value,)
ASBRAC = (ConferenceKind.ASBRAC.value,)

for key, label, unit, compute, description in (
    (
        "safeguarding.repeat_cases",
        "Repeat cases at MARAC and ASBRAC",
        "repeat cases",
        _repeats(BOTH),
        "Referrals to a MARAC or ASBRAC in the period of a victim referred to one of the same "
        "kind within the previous 12 months (SafeLives' repeat definition).",
    ),
    (
        "safeguarding.marac_repeat_cases",
        "Repeat cases at MARAC",
        "repeat cases",
        _repeats(MARAC),
        "MARAC referrals in the period that repeat a referral within 12 months.",
    ),
    (
        "safeguarding.asbrac_repeat_cases",
        "Repeat cases at ASBRAC",
        "repeat cases",
        _repeats(ASBRAC),
        "ASBRAC referrals in the period that repeat a referral within 12 months.",
    ),
    (
        "safeguarding.marac_repeat_rate",
        "MARAC repeat rate",
        "% of cases",
        _rate(MARAC),
        "Repeat MARAC cases as a percentage of all MARAC cases referred in the period.",
    ),
    (
        "safeguarding.asbrac_repeat_rate",
        "ASBRAC repeat rate",
        "% of cases",
        _rate(ASBRAC),
        "Repeat ASBRAC cases as a percentage of all ASBRAC cases referred in the period.",
    ),
    (
        "safeguarding.marac_high_risk_cases",
        "High-risk cases referred to MARAC",
        "cases",
        _high_risk,
        "MARAC referrals in the period with a checklist scored high risk.",
    ),
    (
        "safeguarding.cse_submissions",
        "CSE intelligence submissions and referrals",
        "submissions",
        _cse,
        "Child sexual exploitation intelligence submissions and referrals from all partners.",
    ),
):
    register(
        MeasureSource(
            key=key, label=label, unit=unit, compute=compute, description=description, by_area=True
        )
    )
