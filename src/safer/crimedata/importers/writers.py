"""Bulk writing of checked rows: COPY on PostgreSQL (psycopg 3), batched executemany elsewhere.

Rows are written in batches while the file is read, inside the import's transaction; a refused
file rolls the whole transaction back, so nothing of it stays.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from typing import Any

from django.db import connection

from safer.crimedata.importers.policeuk import Row

BATCH = 20_000
COLUMNS = (
    "source_id, force_id, month, crime_id, falls_within, longitude, latitude, location, "
    "lsoa_code, lsoa_name, crime_type, outcome, context, place, area_id"
)
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def write_rows(rows: Iterable[Row], *, source_id: int, force_id: int, month: date) -> int:
    """Write every row; return how many. Must run inside the import's transaction."""
    if connection.vendor == "postgresql":
        return _copy_rows(rows, source_id=source_id, force_id=force_id, month=month)
    return _insert_rows(rows, source_id=source_id, force_id=force_id, month=month)


def _copy_rows(rows: Iterable[Row], *, source_id: int, force_id: int, month: date) -> int:
    prefix = f"{source_id}\t{force_id}\t{month.isoformat()}\t"
    sql = f"COPY crimedata_streetcrime ({COLUMNS}) FROM STDIN"  # noqa: S608 - fixed text
    written = 0
    connection.ensure_connection()
    raw: Any = connection.connection
    with raw.cursor() as cursor:
        for batch in _batches(rows, BATCH):
            lines = []
            for (crime_id, falls, lon, lat, loc, lsoa, lsoa_name, ctype, outcome, context,
                 place, area_id) in batch:  # fmt: skip
                lines.append(
                    prefix
                    + "\t".join(
                        (
                            crime_id.translate(_ESCAPES),
                            falls.translate(_ESCAPES),
                            "\\N" if lon is None else repr(lon),
                            "\\N" if lat is None else repr(lat),
                            loc.translate(_ESCAPES),
                            lsoa,
                            lsoa_name.translate(_ESCAPES),
                            ctype,
                            outcome.translate(_ESCAPES),
                            context.translate(_ESCAPES),
                            place,
                            "\\N" if area_id is None else str(area_id),
                        )
                    )
                    + "\n"
                )
            with cursor.copy(sql) as copy:
                copy.write("".join(lines))
            written += len(batch)
    return written


def _insert_rows(rows: Iterable[Row], *, source_id: int, force_id: int, month: date) -> int:
    sql = (
        f"INSERT INTO crimedata_streetcrime ({COLUMNS}) "  # noqa: S608 - fixed text
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    head = (source_id, force_id, month.isoformat())
    written = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, BATCH):
            cursor.executemany(sql, [head + row for row in batch])
            written += len(batch)
    return written


SUMMARIES = {
    "crimedata_areacount": ("place, area_id, crime_type, outcome", ""),
    "crimedata_lsoacount": ("place, area_id, crime_type, lsoa_code, lsoa_name", ""),
    "crimedata_pointcount": (
        "place, area_id, crime_type, longitude, latitude, location",
        " AND longitude IS NOT NULL",
    ),
}


def write_summaries(source_id: int) -> None:
    """Count the import's rows into the summary tables the pages read."""
    with connection.cursor() as cursor:
        for table, (groups, extra) in SUMMARIES.items():
            cursor.execute(
                f"INSERT INTO {table} (source_id, force_id, month, {groups}, count) "  # noqa: S608
                f"SELECT source_id, force_id, month, {groups}, COUNT(*) "
                f"FROM crimedata_streetcrime WHERE source_id = %s{extra} "
                f"GROUP BY source_id, force_id, month, {groups}",
                [source_id],
            )
