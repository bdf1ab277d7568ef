"""Importing police.uk files: real files load whole, re-published months replace, bad ones don't."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safer.crimedata.actions import do_import_police_file
from safer.crimedata.enums import ImportStatus
from safer.crimedata.importers.sources import file_source, sources_for
from safer.crimedata.models import AreaCount, PoliceImport, TypeCount
from tests.conftest import SHARED
from tests.crimedata.conftest import LANCASHIRE_MONTHS, POLICE_UK, SAMPLES, records_counted

pytestmark = pytest.mark.django_db


def import_path(path: Path) -> list[PoliceImport]:
    return [do_import_police_file(s, acting_user=None) for s in sources_for(path)]


def csv_counts(paths: list[Path]) -> Counter[tuple[str, str, str]]:
    """Counts by area, month and crime type computed straight from the CSVs and the ONS lookup."""
    lookup = SHARED / "data" / "geography" / "lancashire_lsoa11_ward19_lad19_csp19.csv"
    with lookup.open(encoding="utf-8-sig", newline="") as handle:
        areas = {row["LSOA11CD"]: row["LAD19NM"] for row in csv.DictReader(handle)}
    counts: Counter[tuple[str, str, str]] = Counter()
    for path in paths:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                code = row["LSOA code"]
                area = "No location" if not code else areas.get(code, "Outside the partnership")
                counts[(area, row["Month"], row["Crime type"])] += 1
    return counts


def test_it_loads_real_lancashire_months_with_counts_equal_to_the_csvs(lsoas: None) -> None:
    for path in LANCASHIRE_MONTHS:
        (record,) = import_path(path)
        assert record.status == ImportStatus.LOADED, record.problems
        assert record.rows_loaded == record.rows_read > 19_000
        assert record.rows_rejected == 0
        assert len(record.checksum) == 64
    out = io.StringIO()
    call_command("crime_summary", "--by", "area,month,crime_type", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    safer = Counter({(r["area"], r["month"], r["crime_type"]): int(r["count"]) for r in rows})
    assert safer == csv_counts(LANCASHIRE_MONTHS)
    assert {"No location", "Outside the partnership", "Preston"} <= {r["area"] for r in rows}


def test_it_places_another_forces_records_outside_the_partnership(lsoas: None) -> None:
    (record,) = import_path(POLICE_UK / "2021-04-leicestershire-street.csv")
    assert record.status == ImportStatus.LOADED
    assert str(record.force) == "Leicestershire Police"
    places = set(TypeCount.objects.values_list("place", flat=True))
    assert places <= {"outside", "none"}


def test_it_replaces_a_republished_month_and_ignores_the_same_file(lsoas: None) -> None:
    (first,) = import_path(SAMPLES / "2021-04-lancashire-street.csv")
    (again,) = import_path(SAMPLES / "2021-04-lancashire-street.csv")
    assert again.status == ImportStatus.UNCHANGED
    assert records_counted() == 20
    (newer,) = import_path(SAMPLES / "republished" / "2021-04-lancashire-street.csv")
    assert newer.status == ImportStatus.LOADED and newer.replaces == first
    first.refresh_from_db()
    assert first.status == ImportStatus.REPLACED
    assert records_counted() == 25  # replaced, not added to
    assert sum(AreaCount.objects.values_list("count", flat=True)) == 25


def test_it_reads_a_zip_archive_as_police_uk_publishes_it(lsoas: None, tmp_path: Path) -> None:
    archive = tmp_path / "police-data.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(SAMPLES.glob("*.csv")):
            zf.write(path, f"{path.name[:7]}/{path.name}")
    out = io.StringIO()
    call_command("import_police", str(archive), stdout=out)
    assert "Loaded police-data.zip:2021-04/2021-04-lancashire-street.csv: 20 rows" in out.getvalue()
    assert records_counted() == 40


def refuse(path: Path) -> PoliceImport:
    (record,) = [do_import_police_file(s, acting_user=None) for s in [file_source(path)]]
    assert record.status == ImportStatus.REFUSED
    assert records_counted() == 0
    assert AreaCount.objects.count() == 0
    return record


def edited(sample: Path, tmp_path: Path, name: str, change: object) -> Path:
    lines = sample.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = change(lines)  # type: ignore[operator]
    path = tmp_path / name
    path.write_text("".join(lines), encoding="utf-8", newline="")
    return path


def test_it_refuses_wrong_columns(lsoas: None, sample_april: Path, tmp_path: Path) -> None:
    path = edited(
        sample_april,
        tmp_path,
        "2021-04-lancashire-street.csv",
        lambda lines: [lines[0].replace("LSOA code", "LSOA"), *lines[1:]],
    )
    record = refuse(path)
    assert "2021-04-lancashire-street.csv, row 1" in record.problems
    assert "missing 'LSOA code'" in record.problems


def test_it_refuses_another_forces_rows(lsoas: None, sample_april: Path, tmp_path: Path) -> None:
    def swap(lines: list[str]) -> list[str]:
        lines[7] = lines[7].replace("Lancashire Constabulary", "Cumbria Constabulary")
        return lines

    record = refuse(edited(sample_april, tmp_path, "2021-04-lancashire-street.csv", swap))
    assert "row 8: reported by 'Cumbria Constabulary'" in record.problems
    assert "another force's row" in record.problems
    assert record.rows_rejected == 1 and record.rows_read == 20


def test_it_refuses_a_whole_file_of_another_force(lsoas: None, tmp_path: Path) -> None:
    source = POLICE_UK / "2021-04-leicestershire-street.csv"
    path = tmp_path / "2021-04-lancashire-street.csv"
    path.write_bytes(source.read_bytes())
    record = refuse(path)
    assert "the file name is 'lancashire''s but the rows are reported by Leicestershire" in (
        record.problems
    )


def test_it_refuses_impossible_coordinates(lsoas: None, sample_april: Path, tmp_path: Path) -> None:
    def move(lines: list[str]) -> list[str]:
        fields = lines[3].split(",")
        fields[4], fields[5] = "-2.7", "95.1"
        lines[3] = ",".join(fields)
        return lines

    record = refuse(edited(sample_april, tmp_path, "x.csv", move))
    assert "x.csv, row 4: coordinates longitude -2.7, latitude 95.1 are impossible" in (
        record.problems
    )


def test_it_refuses_a_truncated_file(lsoas: None, sample_april: Path, tmp_path: Path) -> None:
    data = sample_april.read_bytes()
    path = tmp_path / "2021-04-lancashire-street.csv"
    path.write_bytes(data[: len(data) - 120])
    record = refuse(path)
    assert "row 21: the file ends part-way through this row" in record.problems
    assert "truncated" in record.problems


def test_it_refuses_a_zip_bomb(lsoas: None, tmp_path: Path) -> None:
    bomb = tmp_path / "police.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("2021-04/2021-04-lancashire-street.csv", b"0" * 50_000_000)
    with pytest.raises(CommandError):
        call_command("import_police", str(bomb), stderr=(err := io.StringIO()))
    assert "police.zip: refused as a possible zip bomb" in err.getvalue()
    assert "inflates" in err.getvalue()
    assert records_counted() == 0


def test_it_refuses_a_zip_over_the_size_limit(
    lsoas: None, tmp_path: Path, settings: object
) -> None:
    settings.CRIMEDATA_MAX_UNCOMPRESSED_BYTES = 1000  # type: ignore[attr-defined]
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(SAMPLES / "2021-04-lancashire-street.csv", "2021-04-lancashire-street.csv")
    with pytest.raises(CommandError):
        call_command("import_police", str(archive), stderr=(err := io.StringIO()))
    assert "over the limit of 1,000" in err.getvalue()


def test_it_refuses_a_file_that_is_not_csv(lsoas: None, tmp_path: Path) -> None:
    binary = tmp_path / "2021-04-lancashire-street.csv"
    binary.write_bytes(b"%PDF-1.4\x00\x01\x02 binary" * 100)
    assert "not a CSV file: it holds binary data" in refuse(binary).problems
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    assert "notes.txt: not a CSV file" in refuse(text).problems
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"Crime ID,Month\n\xe9\xe9\n")
    assert "latin.csv" in refuse(latin).problems


def test_the_command_names_file_row_and_reason(lsoas: None, tmp_path: Path) -> None:
    path = tmp_path / "2021-04-lancashire-street.csv"
    lines = (SAMPLES / "2021-04-lancashire-street.csv").read_text().splitlines(keepends=True)
    lines[2] = lines[2].replace("Lancashire Constabulary,-", "Lancashire Constabulary,x")
    path.write_text("".join(lines), newline="")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_police", str(path), stderr=err)
    assert "Refused 2021-04-lancashire-street.csv: nothing of it was written" in err.getvalue()
    assert "row 3: coordinates" in err.getvalue()
    refused = PoliceImport.objects.get()
    assert refused.status == ImportStatus.REFUSED and refused.rows_rejected == 1


def test_it_loads_an_outcomes_file_and_replaces_it_when_republished(
    lsoas: None, alice_client: object, tmp_path: Path
) -> None:
    from safer.crimedata.models import OutcomeCount, OutcomeRecord

    import_path(SAMPLES / "2021-04-lancashire-street.csv")
    (record,) = import_path(SAMPLES / "outcomes" / "2021-05-lancashire-outcomes.csv")
    assert record.status == ImportStatus.LOADED and record.kind == "outcomes"
    assert OutcomeRecord.objects.count() == 13 == record.rows_loaded
    assert sum(OutcomeCount.objects.values_list("count", flat=True)) == 13
    lines = (SAMPLES / "outcomes" / "2021-05-lancashire-outcomes.csv").read_text()
    again = tmp_path / "2021-05-lancashire-outcomes.csv"
    again.write_text("".join(lines.splitlines(keepends=True)[:6]), newline="")
    (newer,) = import_path(again)
    assert newer.replaces == record and OutcomeRecord.objects.count() == 5
    page = alice_client.get("/crime/", {"start": "2021-04", "end": "2021-05"})  # type: ignore[attr-defined]
    assert "Outcomes recorded in these months" in page.content.decode()


def test_it_refuses_an_outcomes_row_without_its_crime(lsoas: None, tmp_path: Path) -> None:
    lines = (SAMPLES / "outcomes" / "2021-05-lancashire-outcomes.csv").read_text().splitlines(True)
    lines[3] = "," + lines[3].split(",", 1)[1]
    path = tmp_path / "2021-05-lancashire-outcomes.csv"
    path.write_text("".join(lines), newline="")
    record = refuse(path)
    assert "row 4: Crime ID is empty" in record.problems


def test_it_refuses_a_damaged_zip_member(lsoas: None, tmp_path: Path) -> None:
    archive = tmp_path / "police.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        zf.write(SAMPLES / "2021-04-lancashire-street.csv", "2021-04-lancashire-street.csv")
    data = bytearray(archive.read_bytes())
    data[200] ^= 0xFF  # flip a byte inside the member: its CRC no longer matches
    archive.write_bytes(bytes(data))
    (record,) = import_path(archive)
    assert record.status == ImportStatus.REFUSED
    assert "cannot be read" in record.problems
    assert records_counted() == 0
