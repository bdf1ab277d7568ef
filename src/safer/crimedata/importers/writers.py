"""Bulk writing of checked rows: COPY on PostgreSQL (psycopg 3), batched executemany elsewhere.

Rows are written in batches while the file is read, inside the import's transaction; a refused
file rolls the whole transaction back, so nothing of it stays.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from typing import Any

from django.db import connection

from safer.crimedata.importers.policeuk import Row, Tallies

BATCH = 20_000
COLUMNS = (
    "source_id, force_id, month, crime_id, falls_within, longitude, latitude, location, "
    "lsoa_code, lsoa_name, crime_type, outcome, context, place, area_id"
)
# In COPY's CSV format an unquoted empty field is NULL; these text columns keep it as ''.
_TEXT_COLUMNS = "crime_id, falls_within, location, lsoa_code, lsoa_name, outcome, context"


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


OUTCOME_COLUMNS = "source_id, force_id, month, crime_id, lsoa_code, outcome, place, area_id"


def write_rows(rows: Iterable[Row], *, outcomes: bool = False) -> int:
    """Write every row; return how many. Must run inside the import's transaction."""
    table, columns, text = (
        ("crimedata_outcomerecord", OUTCOME_COLUMNS, "crime_id, lsoa_code, outcome")
        if outcomes
        else ("crimedata_streetcrime", COLUMNS, _TEXT_COLUMNS)
    )
    if connection.vendor == "postgresql":
        return _copy_rows(rows, table, columns, text)
    return _insert_rows(rows, table, columns)


def _copy_rows(rows: Iterable[Row], table: str, columns: str, text_columns: str) -> int:
    sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({text_columns}))"
    written = 0
    connection.ensure_connection()
    raw: Any = connection.connection
    with raw.cursor() as cursor:
        # Losing the last moments of an import in a power cut loses the import record with
        # it (one transaction), so the import need not wait for each WAL flush.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        # One COPY for the file: the server stores a batch while the next one is read.
        with cursor.copy(sql) as copy:
            for batch in _batches(rows, BATCH):
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerows(batch)
                copy.write(buffer.getvalue())
                written += len(batch)
    return written


def _insert_rows(rows: Iterable[Row], table: str, columns: str) -> int:
    marks = ", ".join(["%s"] * (columns.count(",") + 1))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - fixed text
    written = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, BATCH):
            cursor.executemany(sql, batch)  # type: ignore[arg-type]
            written += len(batch)
    return written


def write_summaries(tallies: Tallies, *, source_id: int, force_id: int, month: date) -> None:
    """Store the counts taken while reading into the summary tables the pages read."""
    head = (source_id, force_id, month.isoformat())
    common = "source_id, force_id, month, place, area_id, crime_type"
    _bulk_insert(
        "crimedata_areacount",
        f"{common}, outcome, count",
        [(*head, *key, n) for key, n in tallies.areas.items()],
        text_columns="outcome",
    )
    _bulk_insert(
        "crimedata_lsoacount",
        f"{common}, lsoa_code, lsoa_name, count",
        [(*head, *key, n) for key, n in tallies.lsoas.items()],
        text_columns="lsoa_code, lsoa_name",
    )
    _bulk_insert(
        "crimedata_pointcount",
        "source_id, force_id, month, place, area_id, longitude, latitude, location, "
        "lsoa_code, lsoa_name, count",
        [(*head, *key, n) for key, n in tallies.points.items()],
        text_columns="location, lsoa_code, lsoa_name",
    )


def write_outcome_summary(
    tallies: dict[tuple[str, int | None, str], int], *, source_id: int, force_id: int, month: date
) -> None:
    head = (source_id, force_id, month.isoformat())
    _bulk_insert(
        "crimedata_outcomecount",
        "source_id, force_id, month, place, area_id, outcome, count",
        [(*head, *key, n) for key, n in tallies.items()],
        text_columns="outcome",
    )


SUMMARY_TABLES = ("crimedata_areacount", "crimedata_lsoacount", "crimedata_pointcount")


def refresh_statistics(added: int) -> None:
    """After a load that grew the summaries by half or more, tell PostgreSQL's planner how big
    they now are, so pages aggregate by hashing instead of sorting on disk. Smaller growth is
    left to autovacuum (ANALYZE costs a few hundred milliseconds)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(GREATEST(reltuples, 0)), 0) FROM pg_class WHERE relname = ANY(%s)",
            [list(SUMMARY_TABLES)],
        )
        known = float(cursor.fetchone()[0])
        if known <= 0 or added > known / 2:
            cursor.execute(f"ANALYZE {', '.join(SUMMARY_TABLES)}")


def _bulk_insert(
    table: str, columns: str, rows: list[tuple[object, ...]], text_columns: str
) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        connection.ensure_connection()
        raw: Any = connection.connection
        with (
            raw.cursor() as cursor,
            cursor.copy(
                f"COPY {table} ({columns}) FROM STDIN "
                f"WITH (FORMAT csv, FORCE_NOT_NULL ({text_columns}))"
            ) as copy,
        ):
            copy.write(buffer.getvalue())
        return
    marks = ", ".join(["%s"] * len(rows[0]))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608 - fixed text
            rows,  # type: ignore[arg-type]
        )
