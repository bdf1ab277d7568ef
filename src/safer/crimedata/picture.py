"""The crime picture a page shows: every table (and so every chart) for one set of filters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Sum

from safer.crimedata import aggregates as agg
from safer.crimedata.enums import CrimeType, Place
from safer.crimedata.models import Force, TypeCount


def default_force() -> str | None:
    """The force whose records fall most in the partnership's areas."""
    row = (
        TypeCount.objects.filter(place=Place.AREA)
        .values("force__name")
        .annotate(n=Sum("count"))
        .order_by("-n")
        .first()
    )
    if row is not None:
        return str(row["force__name"])
    force = Force.objects.first()
    return force.name if force else None


@dataclass
class Picture:
    crime_filter: agg.CrimeFilter
    months: list[date]
    loaded: list[date]
    total: int = 0
    rate: Any = None
    residents: int | None = None
    trend: list[tuple[str, dict[date, int]]] = field(default_factory=list)
    areas: list[dict[str, Any]] = field(default_factory=list)
    types: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    outcomes_recorded: list[dict[str, Any]] = field(default_factory=list)
    lsoas: list[dict[str, Any]] = field(default_factory=list)
    rising: list[dict[str, Any]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)
    points: list[dict[str, Any]] = field(default_factory=list)
    missing: list[date] = field(default_factory=list)
    republished: list[date] = field(default_factory=list)
    no_location: int = 0
    asb_selected: bool = False

    @property
    def last_month(self) -> date | None:
        return self.months[-1] if self.months else None


# A year of a force's map points is tens of thousands of groups: PostgreSQL's default work_mem
# (4 MB) makes it hash them in batches on disk, which took the map from 30 to 200 ms.
PAGE_WORK_MEM = "64MB"


def build_picture(crime_filter: agg.CrimeFilter) -> Picture:
    """Every table of the page, read in one transaction so they agree with each other even
    while an import commits."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = %s", [PAGE_WORK_MEM])
        return _build_picture(crime_filter)


def _build_picture(crime_filter: agg.CrimeFilter) -> Picture:
    loaded = agg.loaded_months(crime_filter.force)
    start = crime_filter.start or (loaded[-12] if len(loaded) >= 12 else None)
    start = start or (loaded[0] if loaded else None)
    end = crime_filter.end or (loaded[-1] if loaded else None)
    if start is None or end is None:
        return Picture(crime_filter, [], loaded)
    crime_filter = crime_filter.replace(start=start, end=end)
    months = agg.months_between(start, end)
    picture = Picture(crime_filter, months, loaded)
    picture.missing = agg.missing_months(months, loaded)
    picture.republished = [m for m in agg.republished_months(crime_filter.force) if m in months]
    year = end.year
    picture.total = agg.total(crime_filter)
    if crime_filter.place is None:
        picture.residents = agg.population(crime_filter.area, year)
        picture.rate = agg.rate_per_1000(picture.total, picture.residents)
    picture.asb_selected = not crime_filter.crime_types or str(CrimeType.ASB) in (
        crime_filter.crime_types
    )
    # Trend: the filtered total and, with no crime-type filter, each priority group.
    by_group = agg.monthly_series_by_group(crime_filter)
    series = [("All selected records", dict(by_group["all"]))]
    if not crime_filter.crime_types:
        for group in agg.PRIORITY_GROUPS:
            series.append((group.label, dict(by_group[group.slug])))
    picture.trend = series
    # Areas are always compared across the partnership, whatever area is chosen.
    picture.areas = agg.area_ranking(crime_filter.replace(area=None, place=None), year)
    picture.no_location = sum(r["count"] for r in picture.areas if r["label"] == agg.NO_LOCATION)
    loaded_set = set(loaded)
    picture.types = agg.change_table(crime_filter, "crime_type", end, loaded_set)
    picture.outcomes = agg.counts(crime_filter, ["outcome"])
    picture.outcomes.sort(key=lambda r: -r["count"])
    picture.outcomes_recorded = agg.outcomes_recorded(crime_filter)
    picture.lsoas, picture.rising = agg.lsoa_tables(crime_filter)
    picture.points = agg.map_points(crime_filter)
    picture.locations = agg.location_hotspots(crime_filter, ranked=picture.points)
    return picture


def picture_rows(picture: Picture) -> list[dict[str, Any]]:
    """Every number the page shows, as rows for the CSV download."""
    rows: list[dict[str, Any]] = []
    for label, values in picture.trend:
        for month in picture.months:
            rows.append(
                {
                    "table": "trend",
                    "label": label,
                    "month": f"{month:%Y-%m}",
                    "count": values.get(month, 0),
                }
            )
    for area in picture.areas:
        rows.append(
            {
                "table": "areas",
                "label": area["label"],
                "count": area["count"],
                "population": area["population"] or "",
                "rate_per_1000": area["rate"] if area["rate"] is not None else "",
            }
        )
    for row in picture.types:
        rows.append(
            {
                "table": "crime types, last month",
                "label": row["label"],
                "month": f"{picture.last_month:%Y-%m}" if picture.last_month else "",
                "count": row["count"],
                "change_on_month": _diff(row["month_on_month"]),
                "change_on_quarter": _diff(row["quarter_on_quarter"]),
                "change_on_year": _diff(row["year_on_year"]),
            }
        )
    for row in picture.outcomes:
        rows.append({"table": "outcomes", "label": row["outcome"], "count": row["count"]})
    for row in picture.outcomes_recorded:
        rows.append({"table": "outcomes recorded", "label": row["outcome"], "count": row["count"]})
    for spot in picture.lsoas:
        rows.append(
            {
                "table": "LSOA hotspots",
                "label": f"{spot['lsoa_name']} ({spot['lsoa_code']})",
                "count": spot["count"],
                "change_on_month": _diff(spot["change"]),
            }
        )
    for spot in picture.rising:
        rows.append(
            {
                "table": "rising LSOAs",
                "label": f"{spot['lsoa_name']} ({spot['lsoa_code']})",
                "count": spot["count"],
                "change_on_month": _diff(spot["change"]),
            }
        )
    for spot in picture.locations:
        rows.append(
            {
                "table": "location hotspots",
                "label": f"{spot['location']} ({spot['latitude']}, {spot['longitude']})",
                "count": spot["count"],
                "change_on_month": _diff(spot["change"]),
            }
        )
    return rows


CSV_FIELDS = [
    "table",
    "label",
    "month",
    "count",
    "population",
    "rate_per_1000",
    "change_on_month",
    "change_on_quarter",
    "change_on_year",
]


def _diff(change: agg.Change) -> str:
    return "" if change.difference is None else str(change.difference)
