"""Measures the incidents recorded in Safer feed (registered from IncidentsConfig.ready).

"Increased reported incidences of domestic abuse and hate crime" and "Reduced number of ...
repeat victims" fill in themselves: incidents recorded per quarter by kind, by hate crime strand
and by CSP area; victims flagged repeat or high-risk by the partnership's rules
(incidents/repeats.py). Every number comes through the counts-only path of the access layer
(`count_incidents`, `count_flagged_victims`), so a count from 1 to 4 is suppressed
(`safer.core.suppression`) and shows as unknown: the Board's outputs must not let a person be
identified. An incident counts in its quarter by the date it happened, and in an area only if it
was placed in one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from safer.core.suppression import Count
from safer.incidents.enums import HATE_CATEGORIES, Flag, HateStrand, IncidentCategory
from safer.strategy.measure_sources import Compute, MeasureSource, register

if TYPE_CHECKING:
    from safer.partnership.models import CspArea

REPEAT_FLAGS = (Flag.REPEAT_ASB, Flag.REPEAT_DOMESTIC_ABUSE, Flag.REPEAT_HATE)
DOMESTIC_ABUSE_AND_HATE = (IncidentCategory.DOMESTIC_ABUSE, *HATE_CATEGORIES)


def _value(count: Count) -> Decimal | None:
    return None if count.value is None else Decimal(count.value)


def incidents_counter(
    categories: Sequence[IncidentCategory], *, hate_strand: HateStrand | None = None
) -> Compute:
    """A measure's calculation: incidents of these kinds recorded in the period."""

    def compute(start: date, end: date, area: CspArea | None) -> Decimal | None:
        from safer.accounts.access import count_incidents

        return _value(
            count_incidents(
                categories,
                start,
                end,
                area_id=area.pk if area is not None else None,
                hate_strand=hate_strand,
            )
        )

    return compute


def victims_counter(flags: Sequence[Flag]) -> Compute:
    """A measure's calculation: victims given any of these flags by an incident in the period."""

    def compute(start: date, end: date, area: CspArea | None) -> Decimal | None:
        from safer.accounts.access import count_flagged_victims

        return _value(
            count_flagged_victims(flags, start, end, area_id=area.pk if area is not None else None)
        )

    return compute


LABELS = {
    IncidentCategory.ASB: "Anti-social behaviour incidents recorded",
    IncidentCategory.DOMESTIC_ABUSE: "Domestic abuse incidents recorded",
    IncidentCategory.HATE_CRIME: "Hate crime incidents recorded",
    IncidentCategory.HATE_INCIDENT: "Hate incidents (not crimes) recorded",
    IncidentCategory.SEXUAL_VIOLENCE: "Sexual violence incidents recorded",
    IncidentCategory.CSE_CONCERN: "Child sexual exploitation concerns recorded",
}

for category in IncidentCategory:
    register(
        MeasureSource(
            key=f"incidents.{category.value}_reported",
            label=LABELS[category],
            unit="incidents",
            compute=incidents_counter([category]),
            description=f"Incidents of {category.label.lower()} recorded in Safer by any "
            "partner, by the date they happened.",
        )
    )

register(
    MeasureSource(
        key="incidents.domestic_abuse_and_hate_reported",
        label="Domestic abuse and hate crime incidents recorded",
        unit="incidents",
        compute=incidents_counter(DOMESTIC_ABUSE_AND_HATE),
        description=(
            "Incidents of domestic abuse, hate crime and hate incidents recorded in Safer by any "
            "partner: the agreement's 'reported incidences of domestic abuse and hate crime'."
        ),
    )
)

for strand in HateStrand:
    register(
        MeasureSource(
            key=f"incidents.hate_{strand.value}_reported",
            label=f"Hate crimes and incidents recorded: {strand.label.lower()}",
            unit="incidents",
            compute=incidents_counter(HATE_CATEGORIES, hate_strand=strand),
            description=f"Hate crimes and hate incidents perceived to be about "
            f"{strand.label.lower()} (an incident with two strands counts in both).",
        )
    )

register(
    MeasureSource(
        key="incidents.repeat_victims",
        label="Repeat victims (ASB, domestic abuse, hate)",
        unit="victims",
        compute=victims_counter(REPEAT_FLAGS),
        description=(
            "Victims flagged a repeat victim by the partnership's rules (SAFER_REPEAT_RULES) for "
            "an incident in the period; use a quarter's dates for repeat victims per quarter."
        ),
    )
)

register(
    MeasureSource(
        key="incidents.high_risk_victims",
        label="High-risk victims",
        unit="victims",
        compute=victims_counter([Flag.HIGH_RISK]),
        description=(
            "Victims of an incident in the period that the recording agency graded high risk "
            "(DASH for domestic abuse, the victim risk assessment for ASB)."
        ),
    )
)
