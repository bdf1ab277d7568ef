"""The DuckDB path of a street import: what it leaves to the row-by-row path, and files read
ahead of their turn. (That both paths keep the same counts is in test_summaries.py.)"""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safer.crimedata.actions import do_import_police_file
from safer.crimedata.enums import ImportStatus
from safer.crimedata.importers.readahead import prepare, read_ahead
from safer.crimedata.importers.sources import file_source
from safer.crimedata.importers.street_duckdb import read_street_file
from safer.crimedata.models import PoliceImport
from tests.crimedata.conftest import SAMPLES, records_counted

pytestmark = pytest.mark.django_db

APRIL = SAMPLES / "2021-04-lancashire-street.csv"


def rewritten(tmp_path: Path, name: str, row: int, column: int, value: str) -> Path:
    """The April sample with one cell changed (row 2 is the first record)."""
    with APRIL.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[row - 1][column] = value
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(rows)
    return path


def test_a_real_file_is_read_by_duckdb(lsoas: None) -> None:
    street = read_street_file(APRIL, APRIL.name, {})
    assert street is not None
    try:
        assert street.rows == 20
        assert street.facts.force == "Lancashire Constabulary"
        assert street.facts.month == "2021-04"
    finally:
        street.close()


@pytest.mark.parametrize(
    ("row", "column", "value", "why"),
    [
        (3, 4, "-2.7e0", "a coordinate in exponent form: Python reads it, DuckDB's check not"),
        (5, 1, "2021-05", "another month: the row path names the row"),
        (4, 9, "Joyriding", "not a police.uk category"),
        (6, 7, "E0101", "not an LSOA code"),
    ],
)
def test_what_duckdb_does_not_pass_goes_to_the_row_path(
    lsoas: None, tmp_path: Path, row: int, column: int, value: str, why: str
) -> None:
    path = rewritten(tmp_path, "2021-04-lancashire-street.csv", row, column, value)
    assert read_street_file(path, path.name, {}) is None, why


def test_a_file_only_the_row_path_reads_still_loads(lsoas: None, tmp_path: Path) -> None:
    path = rewritten(tmp_path, "2021-04-lancashire-street.csv", 3, 4, "-2.7e0")
    record = do_import_police_file(file_source(path), acting_user=None)
    assert record.status == ImportStatus.LOADED, record.problems
    assert record.rows_loaded == 20 == records_counted()


def test_a_row_the_row_path_refuses_is_named_whatever_path_is_tried(
    lsoas: None, tmp_path: Path
) -> None:
    path = rewritten(tmp_path, "2021-04-lancashire-street.csv", 5, 1, "2021-05")
    record = do_import_police_file(file_source(path), acting_user=None)
    assert record.status == ImportStatus.REFUSED
    assert "row 5: Month '2021-05' differs from the file's month 2021-04" in record.problems
    assert records_counted() == 0


def test_a_folder_loads_its_good_files_and_refuses_the_bad_one_whole(
    lsoas: None, tmp_path: Path
) -> None:
    """Files are read ahead of their turn: a refused one in the middle changes nothing for
    the files around it, and nothing of it is written."""
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / APRIL.name).write_bytes(APRIL.read_bytes())
    bad = rewritten(tmp_path, "2021-05-lancashire-street.csv", 2, 5, "95.1")
    (folder / bad.name).write_bytes(bad.read_bytes())
    june = (SAMPLES / "2021-05-lancashire-street.csv").read_text(encoding="utf-8")
    (folder / "2021-06-lancashire-street.csv").write_text(
        june.replace(",2021-05,", ",2021-06,"), encoding="utf-8"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 file"):
        call_command("import_police", str(folder), stdout=io.StringIO(), stderr=err)
    assert "2021-05-lancashire-street.csv, row 2: coordinates" in err.getvalue()
    statuses = dict(PoliceImport.objects.values_list("file_name", "status"))
    assert statuses == {
        "2021-04-lancashire-street.csv": ImportStatus.LOADED,
        "2021-05-lancashire-street.csv": ImportStatus.REFUSED,
        "2021-06-lancashire-street.csv": ImportStatus.LOADED,
    }
    assert records_counted() == 40


def test_a_caller_that_stops_early_leaves_no_reading_behind(lsoas: None) -> None:
    sources = [file_source(APRIL), file_source(SAMPLES / "2021-05-lancashire-street.csv")]
    taken = read_ahead(sources, {})
    source, prepared = next(taken)
    assert source is sources[0]
    taken.close()  # the second file, read meanwhile, is closed and its thread ended
    assert not [t for t in threading.enumerate() if t.name.startswith("police-read-ahead")]
    street = prepared.result()
    assert street is not None and street.rows == 20
    street.close()


def test_an_unreadable_file_is_refused_as_such(lsoas: None, tmp_path: Path) -> None:
    path = tmp_path / "2021-04-lancashire-street.csv"
    path.write_bytes(APRIL.read_bytes())
    source = file_source(path)
    path.unlink()
    with pytest.raises(OSError):
        prepare(source, {})
    record = do_import_police_file(source, acting_user=None)
    assert record.status == ImportStatus.REFUSED
    assert "cannot be read" in record.problems
