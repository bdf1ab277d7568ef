"""The crime picture: counts, rates per 1,000 residents, change, priority groups and hotspots.

All counts come from the summary tables kept up to date on import (TypeCount, AreaCount,
LsoaMonthCount, LsoaCount, LsoaOutcomeCount, PointCount, PointTypeCount), each the coarsest
that answers its question, so a page reads a few thousand rows, not a year of records. Records
with no location and records outside the partnership are their own groups, never dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum, Value

from safer.core.periods import FinancialYear, Quarter
from safer.crimedata.enums import CrimeType, ImportStatus, Place
from safer.crimedata.models import (
    AreaCount,
    AreaPopulation,
    Force,
    LsoaCount,
    LsoaMonthCount,
    LsoaOutcomeCount,
    MapPoint,
    OutcomeCount,
    PointCount,
    PointTypeCount,
    PoliceImport,
    TypeCount,
)
from safer.partnership.models import CspArea

NO_LOCATION = "No location"
OUTSIDE = "Outside the partnership"
DIMENSIONS = ("area", "month", "crime_type", "outcome", "lsoa")


@dataclass(frozen=True)
class PriorityGroup:
    slug: str
    label: str
    crime_types: tuple[CrimeType, ...]


# The agreement's priorities as named groupings of police.uk categories.
PRIORITY_GROUPS = (
    PriorityGroup(
        "asb-and-criminal-damage",
        "ASB and criminal damage",
        (CrimeType.ASB, CrimeType.CRIMINAL_DAMAGE),
    ),
    PriorityGroup(
        "violence-and-sexual-offences",
        "Violence and sexual offences",
        (CrimeType.VIOLENCE, CrimeType.LEGACY_VIOLENCE),
    ),
    PriorityGroup(
        "acquisitive-crime",
        "Acquisitive crime",
        (
            CrimeType.BURGLARY,
            CrimeType.ROBBERY,
            CrimeType.VEHICLE_CRIME,
            CrimeType.BICYCLE_THEFT,
            CrimeType.SHOPLIFTING,
            CrimeType.THEFT_FROM_PERSON,
            CrimeType.OTHER_THEFT,
        ),
    ),
)
GROUPS_BY_SLUG = {group.slug: group for group in PRIORITY_GROUPS}


@dataclass(frozen=True)
class CrimeFilter:
    """Which records to count. `area` may be an area's name or ONS code, or a special group."""

    force: str | None = None
    area: CspArea | None = None
    place: str | None = None  # Place value: only "none" or "outside" records, when set
    start: date | None = None  # first day of the first month
    end: date | None = None  # first day of the last month (inclusive)
    crime_types: tuple[str, ...] = field(default_factory=tuple)

    def q(self, *, prefix: str = "") -> Q:
        q = Q()
        if self.force:
            # By id, not by joining the force's name: the planner then knows how many rows
            # match and aggregates by hashing rather than sorting.
            q &= Q(**{f"{prefix}force_id": self.force_id})
        if self.area is not None:
            q &= Q(**{f"{prefix}area": self.area, f"{prefix}place": Place.AREA})
        if self.place:
            q &= Q(**{f"{prefix}place": self.place})
        if self.start:
            q &= Q(**{f"{prefix}month__gte": self.start})
        if self.end:
            q &= Q(**{f"{prefix}month__lte": self.end})
        if self.crime_types:
            q &= Q(**{f"{prefix}crime_type__in": self.crime_types})
        return q

    @property
    def force_id(self) -> int:
        """The force's id, looked up once per filter."""
        memo = self.__dict__.get("_force_id")
        if memo is None:
            memo = _force_id(self.force or "")
            object.__setattr__(self, "_force_id", memo)
        return int(memo)

    def replace(self, **changes: Any) -> CrimeFilter:
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values.update(changes)
        return CrimeFilter(**values)


def _force_id(name: str) -> int:
    force = Force.objects.filter(name=name).values_list("pk", flat=True).first()
    return force if force is not None else -1


def month_label(month: date) -> str:
    return f"{month:%Y-%m}"


def add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    months, current = [], start
    while current <= end:
        months.append(current)
        current = add_months(current, 1)
    return months


def area_names() -> dict[int | None, str]:
    return dict(CspArea.objects.values_list("pk", "name"))


def place_label(place: str, area_name: str | None) -> str:
    if place == Place.NO_LOCATION:
        return NO_LOCATION
    if place == Place.OUTSIDE:
        return OUTSIDE
    return area_name or OUTSIDE


def counts(crime_filter: CrimeFilter, by: Sequence[str]) -> list[dict[str, Any]]:
    """Counts grouped by `by` (any of DIMENSIONS), one dict per group, with "count"."""
    unknown = [name for name in by if name not in DIMENSIONS]
    if unknown:
        raise ValueError(
            f"cannot group by {', '.join(unknown)}; choose from {', '.join(DIMENSIONS)}"
        )
    queryset: QuerySet[Any]
    if "lsoa" in by and "outcome" in by:
        queryset = LsoaOutcomeCount.objects.all()
    elif "lsoa" in by:
        queryset = LsoaCount.objects.all()
    elif "outcome" in by:
        queryset = AreaCount.objects.all()
    else:
        queryset = TypeCount.objects.all()
    fields: list[str] = []
    for name in by:
        fields += {
            "area": ["place", "area__name"],
            "month": ["month"],
            "crime_type": ["crime_type"],
            "outcome": ["outcome"],
            "lsoa": ["lsoa_code", "lsoa_name"],
        }[name]
    queryset = queryset.filter(crime_filter.q())
    grouped = queryset.values(*fields).annotate(n=Sum("count"))
    labels = CrimeType
    rows: dict[tuple[Any, ...], int] = defaultdict(int)
    for item in grouped:
        key: list[Any] = []
        for name in by:
            if name == "area":
                key.append(place_label(item["place"], item["area__name"]))
            elif name == "month":
                key.append(month_label(item["month"]))
            elif name == "crime_type":
                key.append(str(labels(item["crime_type"]).label))
            elif name == "outcome":
                key.append(item["outcome"] or _no_outcome(item.get("crime_type")))
            else:
                key.append((item["lsoa_code"], item["lsoa_name"]))
        rows[tuple(key)] += item["n"]
    result = []
    for group, number in sorted(rows.items(), key=lambda kv: _sort_key(kv[0])):
        row: dict[str, Any] = {}
        for name, value in zip(by, group, strict=True):
            if name == "lsoa":
                row["lsoa_code"], row["lsoa_name"] = value
            else:
                row[name] = value
        row["count"] = number
        result.append(row)
    return result


def _no_outcome(crime_type: str | None) -> str:
    return "No outcome published"


def _sort_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    # Areas first by name, then the two special groups; everything else as it reads.
    return tuple(
        (1 if value == NO_LOCATION else 2 if value == OUTSIDE else 0, str(value)) for value in key
    )


def total(crime_filter: CrimeFilter) -> int:
    value = TypeCount.objects.filter(crime_filter.q()).aggregate(n=Sum("count"))["n"]
    return int(value or 0)


def loaded_months(force: str | None = None) -> list[date]:
    """The months that have data loaded (for any force, or one force), oldest first."""
    imports = PoliceImport.objects.filter(status=ImportStatus.LOADED, month__isnull=False)
    if force:
        imports = imports.filter(force__name=force)
    return sorted({month for month in imports.values_list("month", flat=True) if month})


def republished_months(force: str | None = None) -> list[date]:
    imports = PoliceImport.objects.filter(status=ImportStatus.REPLACED, month__isnull=False)
    if force:
        imports = imports.filter(force__name=force)
    return sorted({month for month in imports.values_list("month", flat=True) if month})


def missing_months(months: Iterable[date], loaded: Iterable[date]) -> list[date]:
    have = set(loaded)
    return [month for month in months if month not in have]


# Rates ---------------------------------------------------------------------------------------


def population(area: CspArea | None, year: int) -> int | None:
    """Residents of an area (or all areas, for None) in a year: the latest estimate not after
    `year`, else the earliest there is."""
    rows = AreaPopulation.objects.all()
    if area is not None:
        rows = rows.filter(area=area)
    by_area: dict[int, dict[int, int]] = defaultdict(dict)
    for area_id, row_year, people in rows.values_list("area_id", "year", "population"):
        by_area[area_id][row_year] = people
    if not by_area:
        return None
    return sum(_nearest(years, year) for years in by_area.values())


def populations(year: int) -> dict[int, int]:
    """Residents by area id for a year (see `population`)."""
    by_area: dict[int, dict[int, int]] = defaultdict(dict)
    for area_id, row_year, people in AreaPopulation.objects.values_list(
        "area_id", "year", "population"
    ):
        by_area[area_id][row_year] = people
    return {area_id: _nearest(years, year) for area_id, years in by_area.items()}


def nearest_year(years: Iterable[int], year: int) -> int:
    """Which loaded estimate a rate for `year` uses: the latest not after it, else the earliest."""
    loaded = list(years)
    earlier = [y for y in loaded if y <= year]
    return max(earlier) if earlier else min(loaded)


def _nearest(years: dict[int, int], year: int) -> int:
    return years[nearest_year(years, year)]


def rate_per_1000(count: int, residents: int | None) -> Decimal | None:
    """Records per 1,000 residents, to two decimal places; None without a population."""
    if not residents:
        return None
    return (Decimal(count) * 1000 / Decimal(residents)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


# Change --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    current: int | None
    previous: int | None

    @property
    def difference(self) -> int | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous

    @property
    def percent(self) -> Decimal | None:
        if self.difference is None or not self.previous:
            return None
        return (Decimal(self.difference) * 100 / Decimal(self.previous)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def direction(self) -> str:
        diff = self.difference
        if diff is None:
            return "no comparison"
        return "up" if diff > 0 else "down" if diff < 0 else "no change"


def sum_months(series: dict[date, int], months: Iterable[date], loaded: set[date]) -> int | None:
    """The total over `months`, or None when any of them has no data loaded."""
    months = list(months)
    if not months or any(month not in loaded for month in months):
        return None
    return sum(series.get(month, 0) for month in months)


def quarter_months(quarter: Quarter) -> list[date]:
    return months_between(quarter.start, quarter.end.replace(day=1))


def month_on_month(series: dict[date, int], month: date, loaded: set[date]) -> Change:
    return Change(
        sum_months(series, [month], loaded), sum_months(series, [add_months(month, -1)], loaded)
    )


def quarter_on_quarter(series: dict[date, int], quarter: Quarter, loaded: set[date]) -> Change:
    return Change(
        sum_months(series, quarter_months(quarter), loaded),
        sum_months(series, quarter_months(quarter.previous()), loaded),
    )


def year_on_year(series: dict[date, int], months: Sequence[date], loaded: set[date]) -> Change:
    """These months against the same months a year earlier."""
    return Change(
        sum_months(series, months, loaded),
        sum_months(series, [add_months(m, -12) for m in months], loaded),
    )


def financial_year_months(year: FinancialYear) -> list[date]:
    return months_between(year.start, year.end.replace(day=1))


def monthly_series(crime_filter: CrimeFilter) -> dict[date, int]:
    rows = (
        TypeCount.objects.filter(crime_filter.q())
        .values("month")
        .annotate(n=Sum("count"))
        .order_by("month")
    )
    return {row["month"]: int(row["n"]) for row in rows}


def monthly_series_by_group(crime_filter: CrimeFilter) -> dict[str, dict[date, int]]:
    """Monthly counts for all the filter's records ("all") and each priority group, at once."""
    rows = (
        TypeCount.objects.filter(crime_filter.q())
        .values("month", "crime_type")
        .annotate(n=Sum("count"))
        .order_by()
    )
    group_of = {str(t): g.slug for g in PRIORITY_GROUPS for t in g.crime_types}
    series: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        series["all"][row["month"]] += int(row["n"])
        if row["crime_type"] in group_of:
            series[group_of[row["crime_type"]]][row["month"]] += int(row["n"])
    return series


def change_table(
    crime_filter: CrimeFilter, by: str, month: date, loaded: set[date]
) -> list[dict[str, Any]]:
    """For each area or crime type: the month's count and its change on the month, the
    quarter and the year."""
    field_name = {"area": "area__name", "crime_type": "crime_type", "outcome": "outcome"}[by]
    wide = crime_filter.replace(start=add_months(month, -14), end=month)
    model = AreaCount if by == "outcome" else TypeCount
    rows = model._default_manager.filter(wide.q()).values("place", field_name, "month")
    series: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows.annotate(n=Sum("count")):
        if by == "area":
            key = place_label(row["place"], row["area__name"])
        elif by == "crime_type":
            key = str(CrimeType(row["crime_type"]).label)
        else:
            key = row["outcome"] or "No outcome published"
        series[key][row["month"]] += int(row["n"])
    quarter = Quarter.containing(month)
    table = []
    for key in sorted(series, key=lambda k: _sort_key((k,))):
        values = series[key]
        table.append(
            {
                "label": key,
                "count": values.get(month, 0),
                "month_on_month": month_on_month(values, month, loaded),
                "quarter_on_quarter": quarter_on_quarter(values, quarter, loaded),
                "year_on_year": year_on_year(values, [month], loaded),
            }
        )
    return table


# Areas, hotspots and the map -----------------------------------------------------------------


def area_ranking(crime_filter: CrimeFilter, year: int) -> list[dict[str, Any]]:
    """Every area's count and rate per 1,000 residents, highest rate first; then the records
    with no location and outside the partnership."""
    residents = populations(year)
    ranked, special = [], []
    rows = (
        TypeCount.objects.filter(crime_filter.q())
        .values("place", "area_id", "area__name")
        .annotate(n=Sum("count"))
    )
    seen = set()
    for row in rows:
        count = int(row["n"])
        if row["place"] == Place.AREA:
            seen.add(row["area_id"])
            ranked.append(
                {
                    "label": row["area__name"],
                    "area_id": row["area_id"],
                    "count": count,
                    "population": residents.get(row["area_id"]),
                    "rate": rate_per_1000(count, residents.get(row["area_id"])),
                }
            )
        else:
            special.append(
                {
                    "label": place_label(row["place"], None),
                    "area_id": None,
                    "count": count,
                    "population": None,
                    "rate": None,
                }
            )
    if crime_filter.area is None and not crime_filter.place:
        for area in CspArea.objects.exclude(pk__in=seen):
            ranked.append(
                {
                    "label": area.name,
                    "area_id": area.pk,
                    "count": 0,
                    "population": residents.get(area.pk),
                    "rate": rate_per_1000(0, residents.get(area.pk)),
                }
            )
    ranked.sort(key=lambda r: (-(r["rate"] or Decimal(-1)), -r["count"], r["label"]))
    special.sort(key=lambda r: _sort_key((r["label"],)))
    return ranked + special


def lsoa_hotspots(crime_filter: CrimeFilter, *, limit: int = 10) -> list[dict[str, Any]]:
    """The LSOAs with most records, with the last month against the month before."""
    return lsoa_tables(crime_filter, limit=limit)[0]


def rising_lsoas(crime_filter: CrimeFilter, *, limit: int = 10) -> list[dict[str, Any]]:
    """The LSOAs whose records rose most from the month before to the last month."""
    return lsoa_tables(crime_filter, limit=limit)[1]


def _last_and_before(crime_filter: CrimeFilter) -> tuple[date | None, date | None]:
    """The filter's last month and the month before it (None where not in the filter)."""
    last = crime_filter.end
    if last is None:
        return None, None
    before = add_months(last, -1)
    if crime_filter.start is not None and before < crime_filter.start:
        return last, None
    return last, before


def lsoa_tables(
    crime_filter: CrimeFilter, *, limit: int = 10
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The LSOA hotspots (most records) and the rising LSOAs (most risen from the month before
    to the last month), from one pass over the LSOA summary: each LSOA's records in the
    filter's months, in the last month and in the month before."""
    model: type[LsoaCount | LsoaMonthCount] = (
        LsoaCount if crime_filter.crime_types else LsoaMonthCount
    )
    last, before = _last_and_before(crime_filter)
    rows = (
        model._default_manager.filter(crime_filter.q())
        .exclude(lsoa_code="")
        .values("lsoa_code")
        .annotate(
            n=Sum("count"),
            in_last=Sum("count", filter=Q(month=last)) if last else Value(0),
            in_before=Sum("count", filter=Q(month=before)) if before else Value(0),
            name=Max("lsoa_name"),
            where=Max("place"),
            area_key=Max("area_id"),
        )
        .order_by()
    )
    names = area_names()
    spots = []
    for row in rows:
        change = Change(
            int(row["in_last"] or 0) if last else None,
            int(row["in_before"] or 0) if before else None,
        )
        spots.append(
            {
                "lsoa_code": row["lsoa_code"],
                "lsoa_name": row["name"],
                "area": place_label(row["where"], names.get(row["area_key"])),
                "count": int(row["n"]),
                "change": change,
            }
        )
    spots.sort(key=lambda s: (-s["count"], s["lsoa_code"]))
    hotspots = spots[:limit]
    rising = [
        {**s, "count": s["change"].current} for s in spots if (s["change"].difference or 0) > 0
    ]
    rising.sort(key=lambda s: (-(s["change"].difference or 0), -s["count"], s["lsoa_code"]))
    return hotspots, rising[:limit]


def location_hotspots(
    crime_filter: CrimeFilter, *, limit: int = 10, ranked: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """The snapped map points with most records, with the last month against the month before.
    `ranked` may pass `map_points`' answer, which already ranks them."""
    top = (ranked if ranked is not None else map_points(crime_filter, limit=limit))[:limit]
    if not top:
        return []
    last, before = _last_and_before(crime_filter)
    rows = (
        _point_counts(crime_filter)
        .filter(point_id__in=[point["point_id"] for point in top])
        .values("point_id", "place", "area_id")
        .annotate(
            in_last=Sum("count", filter=Q(month=last)) if last else Value(0),
            in_before=Sum("count", filter=Q(month=before)) if before else Value(0),
        )
        .order_by()
    )
    months: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    places: dict[int, tuple[str, int | None]] = {}
    for row in rows:
        places.setdefault(row["point_id"], (row["place"], row["area_id"]))
        months[row["point_id"]][0] += int(row["in_last"] or 0)
        months[row["point_id"]][1] += int(row["in_before"] or 0)
    names = area_names()
    spots = []
    for point in top:
        place, area_id = places.get(point["point_id"], (Place.OUTSIDE.value, None))
        in_last, in_before = months[point["point_id"]]
        spots.append(
            {
                "location": point["location"],
                "longitude": point["longitude"],
                "latitude": point["latitude"],
                "area": place_label(place, names.get(area_id)),
                "count": point["count"],
                "change": Change(in_last if last else None, in_before if before else None),
            }
        )
    return spots


def outcomes_recorded(crime_filter: CrimeFilter) -> list[dict[str, Any]]:
    """Outcomes police.uk's outcomes files record in these months (for crimes of any month),
    most common first. Crime-type filters do not apply: outcomes files carry no crime type."""
    rows = (
        OutcomeCount.objects.filter(crime_filter.replace(crime_types=()).q())
        .values("outcome")
        .annotate(n=Sum("count"))
        .order_by("-n", "outcome")
    )
    return [{"outcome": r["outcome"], "count": int(r["n"])} for r in rows]


def _point_counts(crime_filter: CrimeFilter) -> QuerySet[Any]:
    """Counts by map point: all crime types, or by crime type when the filter chooses some."""
    model: type[PointCount | PointTypeCount] = (
        PointTypeCount if crime_filter.crime_types else PointCount
    )
    return model._default_manager.filter(crime_filter.q())


def map_points(crime_filter: CrimeFilter, *, limit: int = 1000) -> list[dict[str, Any]]:
    """The busiest snapped points (longitude, latitude, count, and the point's id and
    location), for the map. Points are ranked by their id, one integer, which is what keeps a
    year of a force's points fast; the coordinates are read for the points shown."""
    rows = list(
        _point_counts(crime_filter)
        .values("point_id")
        .annotate(n=Sum("count"))
        .order_by("-n", "point_id")[:limit]
    )
    where = MapPoint.objects.filter(pk__in=[row["point_id"] for row in rows])
    points = {
        pk: rest for pk, *rest in where.values_list("pk", "longitude", "latitude", "location")
    }
    result = []
    for row in rows:
        longitude, latitude, location = points[row["point_id"]]
        result.append(
            {
                "longitude": longitude,
                "latitude": latitude,
                "count": int(row["n"]),
                "point_id": row["point_id"],
                "location": location,
            }
        )
    result.sort(key=lambda p: (-p["count"], p["longitude"], p["latitude"]))
    return result


# The strategic assessment ---------------------------------------------------------------------


@dataclass
class AssessmentRow:
    label: str
    population: int | None
    changes: list[Change]  # one per priority group, then all records
    rates: list[Decimal | None]


def strategic_assessment(
    force: str | None, year: FinancialYear
) -> tuple[list[date], list[AssessmentRow]]:
    """Each area's records this financial year against the same months of the year before,
    by priority group. Only months loaded this year are compared; a month not loaded last year
    makes that comparison unknown."""
    loaded = set(loaded_months(force))
    months = [m for m in financial_year_months(year) if m in loaded]
    earlier = [add_months(m, -12) for m in months]
    if not months:
        return [], []
    rows = TypeCount.objects.filter(
        Q(month__in=months) | Q(month__in=earlier),
        **({"force__name": force} if force else {}),
    ).values("place", "area__name", "area_id", "crime_type", "month")
    group_of = {str(t): g.slug for g in PRIORITY_GROUPS for t in g.crime_types}
    tallies: dict[str, dict[tuple[str, date], int]] = defaultdict(lambda: defaultdict(int))
    area_ids: dict[str, int | None] = {}
    for row in rows.annotate(n=Sum("count")):
        label = place_label(row["place"], row["area__name"])
        area_ids[label] = row["area_id"]
        for key in (group_of.get(row["crime_type"], ""), "all"):
            if key:
                tallies[label][(key, row["month"])] += int(row["n"])
                tallies["All areas"][(key, row["month"])] += int(row["n"])
    residents = populations(year.start_year)
    keys = [g.slug for g in PRIORITY_GROUPS] + ["all"]
    result = []
    labels = sorted((k for k in tallies if k != "All areas"), key=lambda k: _sort_key((k,)))
    for label in [*labels, "All areas"]:
        by_key = tallies[label]
        area_id = area_ids.get(label)
        people = (
            sum(residents.values())
            if label == "All areas"
            else residents.get(area_id)
            if area_id
            else None
        )
        changes = []
        for key in keys:
            current = sum(by_key.get((key, m), 0) for m in months)
            previous = (
                sum(by_key.get((key, m), 0) for m in earlier)
                if all(m in loaded for m in earlier)
                else None
            )
            changes.append(Change(current, previous))
        rates = [rate_per_1000(c.current or 0, people) for c in changes]
        result.append(AssessmentRow(label, people, changes, rates))
    return months, result
