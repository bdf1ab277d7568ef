"""Calculations from police.uk data that success measures can take their values from.

Each takes a period (start and end dates, normally a quarter from `safer.core.periods`) and an
area (None for the whole partnership) and returns None when a month of the period has no
police.uk data loaded: a missing month is Unknown, never zero.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from safer.crimedata import aggregates as agg
from safer.crimedata.enums import CrimeType, Place
from safer.crimedata.models import AreaCount
from safer.partnership.models import CspArea
from safer.strategy.measure_sources import MeasureSource, register


def _count(
    start: date, end: date, area: CspArea | None, crime_types: tuple[str, ...]
) -> int | None:
    months = agg.months_between(start.replace(day=1), end.replace(day=1))
    loaded = set(agg.loaded_months())
    if not months or any(month not in loaded for month in months):
        return None
    rows = AreaCount.objects.filter(
        month__gte=months[0], month__lte=months[-1], crime_type__in=crime_types, place=Place.AREA
    )
    if area is not None:
        rows = rows.filter(area=area)
    return sum(rows.values_list("count", flat=True))


def _per_1000(
    start: date, end: date, area: CspArea | None, crime_types: tuple[str, ...]
) -> Decimal | None:
    count = _count(start, end, area, crime_types)
    if count is None:
        return None
    return agg.rate_per_1000(count, agg.population(area, end.year))


def _types(*types: CrimeType) -> tuple[str, ...]:
    return tuple(str(t) for t in types)


ASB = _types(CrimeType.ASB)
BURGLARY = _types(CrimeType.BURGLARY)
GROUPS = {group.slug: tuple(map(str, group.crime_types)) for group in agg.PRIORITY_GROUPS}


def asb_per_1000(start: date, end: date, area: CspArea | None) -> Decimal | None:
    return _per_1000(start, end, area, ASB)


def burglary_count(start: date, end: date, area: CspArea | None) -> Decimal | None:
    count = _count(start, end, area, BURGLARY)
    return None if count is None else Decimal(count)


def asb_count(start: date, end: date, area: CspArea | None) -> Decimal | None:
    count = _count(start, end, area, ASB)
    return None if count is None else Decimal(count)


def violence_per_1000(start: date, end: date, area: CspArea | None) -> Decimal | None:
    return _per_1000(start, end, area, GROUPS["violence-and-sexual-offences"])


def acquisitive_per_1000(start: date, end: date, area: CspArea | None) -> Decimal | None:
    return _per_1000(start, end, area, GROUPS["acquisitive-crime"])


def criminal_damage_count(start: date, end: date, area: CspArea | None) -> Decimal | None:
    count = _count(start, end, area, _types(CrimeType.CRIMINAL_DAMAGE))
    return None if count is None else Decimal(count)


_NOTE = "From police.uk street-level data; records with no location are not in any area."
register(
    MeasureSource(
        key="crimedata.asb_per_1000",
        label="Anti-social behaviour incidents per 1,000 residents (police.uk)",
        unit="per 1,000 residents",
        compute=asb_per_1000,
        description=_NOTE,
    )
)
register(
    MeasureSource(
        key="crimedata.asb_count",
        label="Anti-social behaviour incidents (police.uk)",
        unit="incidents",
        compute=asb_count,
        description=_NOTE,
    )
)
register(
    MeasureSource(
        key="crimedata.burglary_count",
        label="Burglaries recorded (police.uk)",
        unit="crimes",
        compute=burglary_count,
        description=_NOTE,
    )
)
register(
    MeasureSource(
        key="crimedata.criminal_damage_count",
        label="Criminal damage and arson recorded (police.uk)",
        unit="crimes",
        compute=criminal_damage_count,
        description=_NOTE,
    )
)
register(
    MeasureSource(
        key="crimedata.violence_per_1000",
        label="Violence and sexual offences per 1,000 residents (police.uk)",
        unit="per 1,000 residents",
        compute=violence_per_1000,
        description=_NOTE,
    )
)
register(
    MeasureSource(
        key="crimedata.acquisitive_per_1000",
        label="Acquisitive crime per 1,000 residents (police.uk)",
        unit="per 1,000 residents",
        compute=acquisitive_per_1000,
        description=_NOTE + " Burglary, robbery, vehicle crime and theft.",
    )
)
