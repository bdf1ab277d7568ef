"""Bulk writing inside an import's transaction: COPY on PostgreSQL (psycopg 3), batched
executemany elsewhere. A street file's counts go to the summary tables (from DuckDB, or from
the row path's tallies); an outcomes file's rows are written in batches while it is read. A
refused file rolls the whole transaction back, so nothing of it stays.
"""

from __future__ import annotations

import csv
import io
import queue
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import chain, islice
from pathlib import Path
from typing import Any

from django.db import connection

from safer.crimedata.importers.policeuk import (
    LSOA_OUTCOMES,
    POINT_TYPES,
    SUMMARY_COLUMNS,
    Row,
    SummaryRows,
    Tallies,
    disk_order,
    finer_table,
)
from safer.crimedata.importers.street_duckdb import StreetFile

BATCH = 5_000


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


OUTCOME_TABLE = "crimedata_outcomerecord"
OUTCOME_COLUMNS = "source_id, force_id, month, crime_id, lsoa_code, outcome, place, area_id"
# In COPY's CSV format an unquoted empty field is NULL; these text columns keep it as ''.
_OUTCOME_TEXT_COLUMNS = "crime_id, lsoa_code, outcome"


def write_outcome_rows(rows: Iterable[Row]) -> int:
    """Write every checked outcome row; return how many. Must run inside the import's
    transaction."""
    if connection.vendor == "postgresql":
        return _copy_rows(rows, OUTCOME_TABLE, OUTCOME_COLUMNS, _OUTCOME_TEXT_COLUMNS)
    return _insert_rows(rows, OUTCOME_TABLE, OUTCOME_COLUMNS)


def commit_without_waiting() -> None:
    """PostgreSQL: the import's commit need not wait for the WAL flush. Losing its last
    moments in a power cut loses the import record with them (one transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _copy_rows(rows: Iterable[Row], table: str, columns: str, text_columns: str) -> int:
    sql = _copy_sql(table, columns, text_columns)
    written = 0
    connection.ensure_connection()
    raw: Any = connection.connection
    commit_without_waiting()
    # One COPY for the file: the server stores a batch while the next one is read.
    with raw.cursor() as cursor, cursor.copy(sql) as copy:
        for batch in _batches(rows, BATCH):
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(batch)
            copy.write(buffer.getvalue())
            written += len(batch)
    return written


# Rows per INSERT statement on SQLite: one statement for many rows costs a third less than a
# statement a row, and lets go of Python's lock once per statement rather than once per row.
ROWS_PER_INSERT = 50


def _insert_rows(rows: Iterable[Row], table: str, columns: str) -> int:
    """Multi-row INSERTs in batches, on a second thread: SQLite stores a batch (in C, without
    Python's lock) while this thread reads and checks the next."""
    connection.ensure_connection()
    # Django opens SQLite connections with check_same_thread=False; only one thread uses it
    # at a time: this one waits for the writer before it touches the database again.
    return _in_background(
        _batches(rows, BATCH), _sqlite_inserter(table, columns, connection.connection)
    )


def _sqlite_inserter(
    table: str, columns: str, raw: Any, head: tuple[int, int, date] | None = None
) -> Callable[[list[Row]], None]:
    """A function that inserts a list of rows, ROWS_PER_INSERT to a statement. With `head`
    (source id, force id, month), every row starts with those three values, written into the
    statement once instead of bound for every row (a third of a summary row's values)."""
    marks = ["?"] * (columns.count(",") + 1)
    if head is not None:
        source_id, force_id, month = head
        marks[:3] = [str(int(source_id)), str(int(force_id)), f"'{month.isoformat()}'"]
    one = "(" + ", ".join(marks) + ")"
    single = f"INSERT INTO {table} ({columns}) VALUES {one}"  # noqa: S608 - fixed text
    multi = f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * ROWS_PER_INSERT)}"  # noqa: S608

    def insert(rows: list[Row]) -> None:
        whole = len(rows) - len(rows) % ROWS_PER_INSERT
        raw.executemany(
            multi,
            (
                tuple(chain.from_iterable(rows[start : start + ROWS_PER_INSERT]))
                for start in range(0, whole, ROWS_PER_INSERT)
            ),
        )
        if whole < len(rows):
            raw.executemany(single, rows[whole:])

    return insert


def _in_background(batches: Iterator[list[Row]], write: Callable[[list[Row]], object]) -> int:
    """Hand each batch to a writer thread; return the rows written. An error on either side
    stops both and is raised here, so the import's transaction rolls back whole."""
    handoff: queue.Queue[list[Row] | None] = queue.Queue(maxsize=2)
    failed: list[BaseException] = []

    def writer() -> None:
        while (batch := handoff.get()) is not None:
            if failed:
                continue  # keep taking batches so the reader never waits on a full queue
            try:
                write(batch)
            except BaseException as exc:
                failed.append(exc)

    thread = threading.Thread(target=writer, name="police-import-writer", daemon=True)
    thread.start()
    written = 0
    try:
        for batch in batches:
            if failed:
                break
            handoff.put(batch)
            written += len(batch)
    finally:
        handoff.put(None)
        thread.join()
    if failed:
        raise failed[0]
    return written


def write_summary_rows(rows: SummaryRows, *, source_id: int, force_id: int, month: date) -> int:
    """Store one import's summary rows (each its key columns in SUMMARY_COLUMNS' order, then
    its count); return how many."""
    head = (source_id, force_id, month)
    written = 0
    for table, (columns, text_columns) in SUMMARY_COLUMNS.items():
        table_rows = rows[table]
        columns = f"source_id, force_id, month, {columns}, count"
        if connection.vendor == "postgresql":
            keyed = [(source_id, force_id, month.isoformat(), *row) for row in table_rows]
            _bulk_insert(table, columns, keyed, text_columns)
        elif table_rows:
            connection.ensure_connection()
            _sqlite_inserter(table, columns, connection.connection, head)(table_rows)
        written += len(table_rows)
    return written


def _sums(rows: SummaryRows) -> None:
    """Add the coarser tables to `rows`, summed from its two finest, and put every table in
    its disk order (as DuckDB's path writes them)."""
    for table, (columns, _) in SUMMARY_COLUMNS.items():
        keys = columns.split(", ")
        if table not in rows:
            finer = finer_table(table)
            finer_keys = SUMMARY_COLUMNS[finer][0].split(", ")
            picks = [finer_keys.index(name) for name in keys]
            summed: Counter[tuple[object, ...]] = Counter()
            for row in rows[finer]:
                summed[tuple(row[i] for i in picks)] += row[-1]  # type: ignore[operator]
            rows[table] = [(*key, n) for key, n in summed.items()]
        order = [keys.index(name) for name in disk_order(keys)]
        if order:
            rows[table].sort(key=lambda row: tuple(row[i] for i in order))


def write_summaries(tallies: Tallies, *, source_id: int, force_id: int, month: date) -> int:
    """Store the counts the row-by-row path took while reading; return how many summary
    rows were written."""
    lsoa_outcomes: Counter[tuple[str, int | None, str, str, str, str]] = Counter()
    points: dict[tuple[str, str], str] = {}
    for (
        place,
        area_id,
        crime_type,
        code,
        name,
        lon,
        lat,
        location,
        outcome,
    ), n in tallies.spots.items():
        lsoa_outcomes[(place, area_id, crime_type, code, name, outcome)] += n
        if lon:
            points[(lon, lat)] = min(points.get((lon, lat), location), location)
    point_ids = _point_ids(force_id, points)
    typed: Counter[tuple[str, int | None, str, int]] = Counter()
    for (place, area_id, crime_type, _c, _n, lon, lat, _l, _o), n in tallies.spots.items():
        if lon:
            typed[(place, area_id, crime_type, point_ids[(lon, lat)])] += n
    rows: SummaryRows = {
        LSOA_OUTCOMES: [(*key, n) for key, n in lsoa_outcomes.items()],
        POINT_TYPES: [(*key, n) for key, n in typed.items()],
    }
    _sums(rows)
    return write_summary_rows(rows, source_id=source_id, force_id=force_id, month=month)


def write_street_file_summaries(
    street: StreetFile, *, source_id: int, force_id: int, month: date
) -> int:
    """Store the counts of a file DuckDB has read and checked (the same groupings as
    `write_summaries`); return how many summary rows were written."""
    ids = _point_ids(force_id, {(lon, lat): location for lon, lat, location in street.points})
    point_ids = [ids[(lon, lat)] for lon, lat, _ in street.points]
    if connection.vendor == "postgresql":
        return _copy_street_file_summaries(street, (source_id, force_id, month), point_ids)
    rows = street.summary_rows(point_ids)
    return write_summary_rows(rows, source_id=source_id, force_id=force_id, month=month)


def _copy_street_file_summaries(
    street: StreetFile, head: tuple[int, int, date], point_ids: list[int]
) -> int:
    """PostgreSQL: DuckDB writes each table's rows as CSV and COPY reads the file as it is,
    no row passing through Python."""
    written = 0
    connection.ensure_connection()
    raw: Any = connection.connection
    with tempfile.TemporaryDirectory(prefix="safer-summaries-") as folder:
        for table, path, rows in street.export_csv(head, point_ids, Path(folder)):
            if not rows:
                continue
            columns, text_columns = SUMMARY_COLUMNS[table]
            sql = _copy_sql(table, f"source_id, force_id, month, {columns}, count", text_columns)
            with raw.cursor() as cursor, cursor.copy(sql) as copy, path.open("rb") as data:
                while chunk := data.read(1 << 20):
                    copy.write(chunk)
            written += rows
    return written


def _known_points(
    force_id: int, points: list[tuple[float, float]]
) -> dict[tuple[float, float], int]:
    """The MapPoint ids of those of `points` the force has published before."""
    known: dict[tuple[float, float], int] = {}
    if not points:
        return known
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT p.id, p.longitude, p.latitude FROM crimedata_mappoint p "
                "JOIN unnest(%s::float8[], %s::float8[]) AS w (longitude, latitude) "
                "ON p.longitude = w.longitude AND p.latitude = w.latitude "
                "WHERE p.force_id = %s",
                [[lon for lon, _ in points], [lat for _, lat in points], force_id],
            )
            known = {(lon, lat): pk for pk, lon, lat in cursor.fetchall()}
        else:
            # By longitude, through the unique index: a few hundred lookups a query.
            longitudes = sorted({lon for lon, _ in points})
            for start in range(0, len(longitudes), 500):
                chunk = longitudes[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    "SELECT id, longitude, latitude FROM crimedata_mappoint "  # noqa: S608
                    f"WHERE force_id = %s AND longitude IN ({marks})",
                    [force_id, *chunk],
                )
                known.update({(lon, lat): pk for pk, lon, lat in cursor.fetchall()})
    wanted = set(points)
    return {key: pk for key, pk in known.items() if key in wanted}


def _point_ids(force_id: int, points: dict[tuple[str, str], str]) -> dict[tuple[str, str], int]:
    """The MapPoint id of every point (its coordinates as published → its location text),
    adding the points the force has not published before. A point keeps the location text it
    was first published with (police.uk gives a point one; should a file give it several,
    the first in alphabetical order, whichever path read the file)."""
    texts: dict[tuple[str, str], tuple[float, float]] = {}
    wanted: dict[tuple[float, float], str] = {}
    for (lon, lat), location in points.items():
        key = texts[(lon, lat)] = (float(lon), float(lat))
        wanted[key] = min(wanted.get(key, location), location)
    # Most of a month's points were published in earlier months: look them up first, and
    # add only the rest.
    known = _known_points(force_id, list(wanted))
    new = [
        (force_id, lon, lat, location)
        for (lon, lat), location in wanted.items()
        if (lon, lat) not in known
    ]
    if new:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One statement (psycopg's executemany goes a row at a time).
                columns = [list(column) for column in zip(*new, strict=True)]
                cursor.execute(
                    "INSERT INTO crimedata_mappoint (force_id, longitude, latitude, location) "
                    "SELECT * FROM unnest(%s::bigint[], %s::float8[], %s::float8[], %s::text[]) "
                    "ON CONFLICT (force_id, longitude, latitude) DO NOTHING",
                    columns,
                )
            else:
                cursor.executemany(
                    "INSERT INTO crimedata_mappoint (force_id, longitude, latitude, location) "
                    "VALUES (%s, %s, %s, %s) "
                    "ON CONFLICT (force_id, longitude, latitude) DO NOTHING",
                    new,
                )
        known.update(_known_points(force_id, [(lon, lat) for _, lon, lat, _ in new]))
    return {text: known[key] for text, key in texts.items()}


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


SUMMARY_TABLES = (
    "crimedata_areacount",
    "crimedata_typecount",
    "crimedata_lsoacount",
    "crimedata_lsoaoutcomecount",
    "crimedata_lsoamonthcount",
    "crimedata_mappoint",
    "crimedata_pointcount",
    "crimedata_pointtypecount",
)


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
        with raw.cursor() as cursor, cursor.copy(_copy_sql(table, columns, text_columns)) as copy:
            copy.write(buffer.getvalue())
        return
    connection.ensure_connection()
    _sqlite_inserter(table, columns, connection.connection)(rows)


def _copy_sql(table: str, columns: str, text_columns: str) -> str:
    """COPY of CSV into `table`; in that format an unquoted empty field is NULL, so the
    `text_columns` are told to keep it as ''."""
    options = f", FORCE_NOT_NULL ({text_columns})" if text_columns else ""
    return f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv{options})"
