"""The registry of calculations a success measure can take its values from.

DESIGN.md: measures are fed by the data wherever they can be; a theme lead types a value only
where no data source exists. Each app offers its calculations by registering them here from its
own `measure_sources.py`, imported by its AppConfig.ready():

    from safer.strategy.measure_sources import MeasureSource, register

    register(MeasureSource(
        key="crimedata.asb_per_1000",
        label="Anti-social behaviour incidents per 1,000 residents",
        unit="per 1,000 residents",
        compute=asb_per_1000,  # (start, end, area or None) -> Decimal or None
    ))

`compute` returns None when there is no data for the period; the measure then shows Unknown,
never zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safer.partnership.models import CspArea

Compute = Callable[[date, date, "CspArea | None"], Decimal | None]


@dataclass(frozen=True)
class MeasureSource:
    key: str
    label: str
    unit: str
    compute: Compute
    description: str = ""
    by_area: bool = True


_REGISTRY: dict[str, MeasureSource] = {}


def register(source: MeasureSource) -> MeasureSource:
    """Offer a calculation; registering the same key twice is a programming error."""
    existing = _REGISTRY.get(source.key)
    if existing is not None and existing != source:
        raise ValueError(f"measure source {source.key!r} is registered already")
    _REGISTRY[source.key] = source
    return source


def get_source(key: str) -> MeasureSource:
    try:
        return _REGISTRY[key]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise KeyError(f"no measure source {key!r} (known: {known})") from None


def all_sources() -> list[MeasureSource]:
    return sorted(_REGISTRY.values(), key=lambda source: source.label)


def source_choices() -> list[tuple[str, str]]:
    return [(source.key, source.label) for source in all_sources()]
