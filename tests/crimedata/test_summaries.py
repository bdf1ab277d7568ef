"""The summaries the page reads, kept on import: equal to counts taken straight from the CSVs."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from safer.crimedata import aggregates as agg
from safer.crimedata.actions import do_import_police_file
from safer.crimedata.enums import CRIME_TYPE_BY_LABEL, CrimeType
from safer.crimedata.importers.sources import file_source
from safer.crimedata.importers.writers import _in_background
from safer.crimedata.models import (
    AreaCount,
    LsoaCount,
    LsoaMonthCount,
    LsoaOutcomeCount,
    MapPoint,
    PointCount,
    PointTypeCount,
    PoliceImport,
    TypeCount,
)
from safer.partnership.models import CspArea
from tests.conftest import SHARED
from tests.crimedata.conftest import LANCASHIRE_MONTHS, POLICE_UK, SAMPLES

pytestmark = pytest.mark.django_db


def csv_rows(paths: list[Path]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def preston_lsoas() -> set[str]:
    lookup = SHARED / "data" / "geography" / "lancashire_lsoa11_ward19_lad19_csp19.csv"
    with lookup.open(encoding="utf-8-sig", newline="") as handle:
        return {r["LSOA11CD"] for r in csv.DictReader(handle) if r["LAD19NM"] == "Preston"}


def test_a_crime_types_map_and_hotspots_equal_the_csvs(lsoas: None) -> None:
    for path in LANCASHIRE_MONTHS:
        do_import_police_file(file_source(path), acting_user=None)
    in_preston = preston_lsoas()
    rows = [r for r in csv_rows(LANCASHIRE_MONTHS) if r["LSOA code"] in in_preston]
    burglaries = [r for r in rows if r["Crime type"] == "Burglary"]
    by_point = Counter((float(r["Longitude"]), float(r["Latitude"])) for r in burglaries)
    by_lsoa = Counter(r["LSOA code"] for r in burglaries)
    june = Counter(r["LSOA code"] for r in burglaries if r["Month"] == "2021-06")
    may = Counter(r["LSOA code"] for r in burglaries if r["Month"] == "2021-05")

    chosen = agg.CrimeFilter(
        force="Lancashire Constabulary",
        area=CspArea.objects.get(name="Preston"),
        start=agg.add_months(agg.loaded_months()[-1], -2),
        end=agg.loaded_months()[-1],
        crime_types=(str(CrimeType.BURGLARY),),
    )
    points = agg.map_points(chosen, limit=100_000)
    assert {(p["longitude"], p["latitude"]): p["count"] for p in points} == by_point
    hotspots, rising = agg.lsoa_tables(chosen)
    top = sorted(by_lsoa.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    assert [(s["lsoa_code"], s["count"]) for s in hotspots] == top
    assert all(s["change"].current == june[s["lsoa_code"]] for s in hotspots)
    assert all(s["change"].previous == may[s["lsoa_code"]] for s in hotspots)
    assert all(s["change"].difference > 0 for s in rising)
    assert {s["lsoa_code"] for s in rising} <= {code for code in june if june[code] > may[code]}
    spots = agg.location_hotspots(chosen, ranked=points)
    assert [s["count"] for s in spots] == sorted(by_point.values(), reverse=True)[:10]
    assert all(s["area"] == "Preston" for s in spots)


def test_every_summary_sums_to_the_records(lsoas: None) -> None:
    for path in LANCASHIRE_MONTHS:
        do_import_police_file(file_source(path), acting_user=None)
    rows = csv_rows(LANCASHIRE_MONTHS)
    records = len(rows)
    located = sum(1 for r in rows if r["Longitude"])
    assert sum(TypeCount.objects.values_list("count", flat=True)) == records
    assert sum(AreaCount.objects.values_list("count", flat=True)) == records
    assert sum(LsoaCount.objects.values_list("count", flat=True)) == records
    assert sum(LsoaOutcomeCount.objects.values_list("count", flat=True)) == records
    assert sum(LsoaMonthCount.objects.values_list("count", flat=True)) == records
    assert sum(PointCount.objects.values_list("count", flat=True)) == located
    assert sum(PointTypeCount.objects.values_list("count", flat=True)) == located
    # police.uk's snapped points repeat from month to month: each is one MapPoint.
    points = {(float(r["Longitude"]), float(r["Latitude"])) for r in rows if r["Longitude"]}
    assert MapPoint.objects.count() == len(points)
    located_by_type = Counter(
        str(CRIME_TYPE_BY_LABEL[r["Crime type"]])
        for r in csv_rows(LANCASHIRE_MONTHS)
        if r["Longitude"]
    )
    typed: Counter[str] = Counter()
    for crime_type, n in PointTypeCount.objects.values_list("crime_type", "count"):
        typed[crime_type] += n
    assert typed == located_by_type


def test_a_republished_month_replaces_every_summary(lsoas: None) -> None:
    do_import_police_file(file_source(SAMPLES / "2021-04-lancashire-street.csv"), acting_user=None)
    newer = SAMPLES / "republished" / "2021-04-lancashire-street.csv"
    do_import_police_file(file_source(newer), acting_user=None)
    assert sum(TypeCount.objects.values_list("count", flat=True)) == 25
    assert sum(LsoaMonthCount.objects.values_list("count", flat=True)) == 25
    assert sum(LsoaOutcomeCount.objects.values_list("count", flat=True)) == 25
    located = sum(1 for r in csv_rows([newer]) if r["Longitude"])
    assert sum(PointCount.objects.values_list("count", flat=True)) == located
    assert sum(PointTypeCount.objects.values_list("count", flat=True)) == located


def test_a_map_point_keeps_the_location_it_was_first_published_with(
    lsoas: None, tmp_path: Path
) -> None:
    april = SAMPLES / "2021-04-lancashire-street.csv"
    do_import_police_file(file_source(april), acting_user=None)
    first = MapPoint.objects.order_by("pk").first()
    assert first is not None
    lines = (SAMPLES / "2021-05-lancashire-street.csv").read_text(encoding="utf-8").splitlines()
    cells = next(csv.reader([lines[1]]))
    cells[4], cells[5], cells[6] = str(first.longitude), str(first.latitude), "On or near Elsewhere"
    may = tmp_path / "2021-05-lancashire-street.csv"
    with may.open("w", encoding="utf-8", newline="") as handle:
        handle.write(lines[0] + "\r\n")
        csv.writer(handle, lineterminator="\r\n").writerow(cells)
    record = do_import_police_file(file_source(may), acting_user=None)
    assert record.rows_loaded == 1, record.problems
    assert MapPoint.objects.filter(longitude=first.longitude, latitude=first.latitude).count() == 1
    first.refresh_from_db()
    assert first.location != "On or near Elsewhere"
    assert PointCount.objects.filter(point=first, month__month=5).get().count == 1


def test_a_writer_failure_stops_the_reading_and_is_raised() -> None:
    written: list[int] = []

    def write(batch: list[tuple[object, ...]]) -> None:
        if written:
            raise RuntimeError("disk full")
        written.append(len(batch))

    batches: Iterator[list[tuple[object, ...]]] = ([(n,)] * 10 for n in range(1000))
    with pytest.raises(RuntimeError, match="disk full"):
        _in_background(batches, write)
    assert written == [10]


SUMMARIES = (AreaCount, TypeCount, LsoaCount, LsoaOutcomeCount, LsoaMonthCount, PointTypeCount)


def summaries() -> dict[str, Counter[tuple[object, ...]]]:
    """Every summary table's rows, without ids or the import they came from; map points by
    their coordinates (their ids differ from one load to another)."""
    found: dict[str, Counter[tuple[object, ...]]] = {}
    for model in SUMMARIES:
        skip = {"id", "source", "point"}
        names = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
        extra = ["point__longitude", "point__latitude", "point__location"]
        if model is PointTypeCount:
            names += extra
        found[model.__name__] = Counter(model.objects.values_list(*names))
    names = ["month", "place", "area_id", "count", *extra]
    found["PointCount"] = Counter(PointCount.objects.values_list(*names))
    return found


def test_duckdb_and_the_row_by_row_path_keep_the_same_counts(lsoas: None) -> None:
    """A street file is counted in DuckDB, or row by row when DuckDB finds something to
    refuse: both must keep exactly the same summaries of the same file."""
    files = [*LANCASHIRE_MONTHS, POLICE_UK / "2021-04-leicestershire-street.csv"]
    for path in files:
        record = do_import_police_file(file_source(path), acting_user=None)
        assert record.status == "loaded", record.problems
    by_duckdb = summaries()
    rows_read = sorted(PoliceImport.objects.values_list("rows_read", flat=True))
    PoliceImport.objects.all().delete()
    MapPoint.objects.all().delete()
    assert not any(model.objects.exists() for model in SUMMARIES)
    for path in files:
        record = do_import_police_file(file_source(path), acting_user=None, row_by_row=True)
        assert record.status == "loaded", record.problems
    assert summaries() == by_duckdb
    assert sorted(PoliceImport.objects.values_list("rows_read", flat=True)) == rows_read


def test_lsoa_and_outcome_counts_equal_the_csvs(lsoas: None) -> None:
    path = LANCASHIRE_MONTHS[0]
    do_import_police_file(file_source(path), acting_user=None)
    expected = Counter(
        (r["LSOA code"], r["Last outcome category"] or "No outcome published")
        for r in csv_rows([path])
    )
    counted = agg.counts(agg.CrimeFilter(), ["lsoa", "outcome"])
    assert Counter({(r["lsoa_code"], r["outcome"]): r["count"] for r in counted}) == expected
