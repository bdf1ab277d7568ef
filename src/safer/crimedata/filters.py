"""Reading the filters people type (command options, page query strings) into a CrimeFilter."""

from __future__ import annotations

import re
from datetime import date

from safer.crimedata.aggregates import GROUPS_BY_SLUG, NO_LOCATION, OUTSIDE, CrimeFilter
from safer.crimedata.enums import CRIME_TYPE_BY_LABEL, CrimeType, Place
from safer.crimedata.models import Force
from safer.partnership.models import CspArea

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class FilterError(ValueError):
    """A filter value that names nothing; the message says which and what is allowed."""


def parse_month(text: str, option: str) -> date:
    match = _MONTH.match(text.strip())
    if match is None:
        raise FilterError(f"{option} must be a month like 2021-04; got {text!r}")
    return date(int(match[1]), int(match[2]), 1)


def resolve_force(text: str) -> str:
    forces = list(Force.objects.values_list("name", flat=True))
    exact = [name for name in forces if name.lower() == text.strip().lower()]
    partial = [name for name in forces if text.strip().lower() in name.lower()]
    found = exact or partial
    if len(found) != 1:
        known = ", ".join(forces) or "none loaded yet"
        raise FilterError(f"--force {text!r} names no single force (forces: {known})")
    return found[0]


def resolve_area(text: str) -> tuple[CspArea | None, str | None]:
    """An area by name or ONS code, or the groups "no location" and "outside"."""
    value = text.strip().lower()
    if value in ("no location", "none", NO_LOCATION.lower()):
        return None, Place.NO_LOCATION
    if value in ("outside", OUTSIDE.lower()):
        return None, Place.OUTSIDE
    area = CspArea.objects.filter(name__iexact=text.strip()).first() or (
        CspArea.objects.filter(ons_code__iexact=text.strip()).first()
    )
    if area is None:
        names = ", ".join(CspArea.objects.values_list("name", flat=True))
        raise FilterError(
            f"area {text!r} is not one of the partnership's areas ({names}, "
            f"'{NO_LOCATION}' or '{OUTSIDE}')"
        )
    return area, None


def resolve_crime_types(text: str) -> tuple[str, ...]:
    """A crime type (label or slug) or a priority group (its slug or label)."""
    value = text.strip()
    for group in GROUPS_BY_SLUG.values():
        if value.lower() in (group.slug, group.label.lower()):
            return tuple(str(t) for t in group.crime_types)
    for label, crime_type in CRIME_TYPE_BY_LABEL.items():
        if value.lower() in (label.lower(), str(crime_type)):
            return (str(crime_type),)
    choices = ", ".join([str(c.label) for c in CrimeType] + list(GROUPS_BY_SLUG))
    raise FilterError(f"crime type {text!r} is not a police.uk category or group ({choices})")


def build_filter(
    *,
    force: str | None = None,
    area: str | None = None,
    start: str | None = None,
    end: str | None = None,
    crime_type: str | None = None,
) -> CrimeFilter:
    place = None
    area_obj = None
    if area:
        area_obj, place = resolve_area(area)
    first = parse_month(start, "--from") if start else None
    last = parse_month(end, "--to") if end else None
    if first and last and first > last:
        raise FilterError(f"--from {start} is after --to {end}")
    return CrimeFilter(
        force=resolve_force(force) if force else None,
        area=area_obj,
        place=place,
        start=first,
        end=last,
        crime_types=resolve_crime_types(crime_type) if crime_type else (),
    )
