"""Measures the incidents recorded in Safer can feed (registered from IncidentsConfig.ready).

"Increased reported incidences of domestic abuse and hate crime" is a count of incidents; a
count from 1 to 4 is suppressed (`safer.core.suppression`) and shows as unknown, because the
Board's outputs must not let a person be identified. Incidents are not yet placed in a CSP area
(the recording standard adds places later), so these are partnership-wide.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from safer.incidents.enums import IncidentCategory
from safer.strategy.measure_sources import Compute, MeasureSource, register

if TYPE_CHECKING:
    from safer.partnership.models import CspArea


def _counter(category: IncidentCategory) -> Compute:
    def compute(start: date, end: date, area: CspArea | None) -> Decimal | None:
        from safer.accounts.access import count_incidents

        if area is not None:
            return None
        count = count_incidents(category, start, end)
        return None if count.value is None else Decimal(count.value)

    return compute


register(
    MeasureSource(
        key="incidents.domestic_abuse_reported",
        label="Domestic abuse incidents recorded",
        unit="incidents",
        compute=_counter(IncidentCategory.DOMESTIC_ABUSE),
        description="Incidents of domestic abuse recorded in Safer by any partner, by date.",
        by_area=False,
    )
)
register(
    MeasureSource(
        key="incidents.hate_crime_reported",
        label="Hate crime incidents recorded",
        unit="incidents",
        compute=_counter(IncidentCategory.HATE_CRIME),
        description="Incidents of hate crime recorded in Safer by any partner, by date.",
        by_area=False,
    )
)


def _repeat_victims(start: date, end: date, area: CspArea | None) -> Decimal | None:
    """Victims flagged a repeat victim (incidents/repeats.py) by an incident in the period;
    1 to 4 is suppressed. By area, only incidents placed in that area count."""
    from safer.core.suppression import suppress
    from safer.incidents.repeats import count_repeat_victims

    count = suppress(count_repeat_victims(start, end, area.pk if area is not None else None))
    return None if count.value is None else Decimal(count.value)


register(
    MeasureSource(
        key="incidents.repeat_victims",
        label="Repeat victims (ASB, domestic abuse, hate)",
        unit="victims",
        compute=_repeat_victims,
        description=(
            "Victims flagged a repeat victim by the partnership's rules (SAFER_REPEAT_RULES) for "
            "an incident in the period; use a quarter's dates for repeat victims per quarter."
        ),
        by_area=True,
    )
)
