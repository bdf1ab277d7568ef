"""Checking and counting a police.uk street file in DuckDB: the fast path of every import.

DuckDB (already a dependency, through Splink) parses the CSV in C and counts it with SQL,
about ten times faster than a row-by-row Python loop. Its checks are the row
checker's (`policeuk.street_rows`) made stricter: a file it cannot parse, or with any row that
fails them, goes to the row-by-row path instead, which names every refused row and its reason
(and loads the file if that stricter check was all that stood in its way). So a file loads
here only when the row-by-row path would load it too, with the same counts: tests import the
same files both ways and compare every summary table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import cast

import duckdb

from safer.crimedata.enums import CRIME_TYPE_BY_LABEL, FileKind, Place
from safer.crimedata.importers.policeuk import (
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    MONTH,
    POINT_TYPES,
    STREET_COLUMNS,
    SUMMARY_COLUMNS,
    FileFacts,
    SummaryRows,
    check_file_name,
    disk_order,
    finer_table,
)

_NAMES = (
    "crime_id",
    "month",
    "reported_by",
    "falls_within",
    "lon",
    "lat",
    "location",
    "lsoa_code",
    "lsoa_name",
    "type_label",
    "outcome",
    "context",
)
assert len(_NAMES) == len(STREET_COLUMNS)  # noqa: S101 - a fact of this module's own text

# Coordinates as police.uk writes them: a plain decimal number (the row path takes anything
# Python's float() reads; this path only what it is sure of).
_DECIMAL = r"-?[0-9]{1,3}(\.[0-9]+)?"
# police.uk's category labels and Safer's values for them, as SQL (fixed text, no quotes in it).
_CRIME_TYPES = ", ".join(f"('{label}', '{value}')" for label, value in CRIME_TYPE_BY_LABEL.items())


@dataclass
class StreetFile:
    """A street file DuckDB has read, every row of which passed the checks: its facts, its
    rows counted, and its counts by every grouping, waiting in DuckDB for the map points'
    ids (points are numbered 1, 2, ... in `points` order until they have them)."""

    facts: FileFacts
    rows: int
    connection: duckdb.DuckDBPyConnection
    points: list[tuple[str, str, str]] = field(default_factory=list)  # lon, lat, location
    fetched: SummaryRows = field(default_factory=dict)  # those without map points, read ahead

    def close(self) -> None:
        self.connection.close()

    def count(self) -> None:
        """Count the file by every grouping (the slow part, so `read_ahead` does it on its
        own thread); after this the rows themselves are let go.

        Rows are counted by the text they were published with first, and only those counts
        placed (area from LSOA) and labelled (crime type): a few thousand lookups, not one a
        row."""
        sql = self.connection.execute
        # Each published point, numbered, with its location text: the first in alphabetical
        # order, should a file give a point several.
        sql(
            "CREATE TABLE point AS SELECT lon, lat, min(location) AS location, "
            "row_number() OVER (ORDER BY lon, lat) AS number "
            "FROM street WHERE lon <> '' GROUP BY lon, lat"
        )
        self.points = [
            (lon, lat, location)
            for lon, lat, location in sql(
                "SELECT lon, lat, location FROM point ORDER BY number"
            ).fetchall()
        ]
        sql(
            f"""
            CREATE TABLE lsoa_outcomes AS SELECT {_PLACED}, c.lsoa_code, c.lsoa_name,
                c.outcome, c.n
            FROM (SELECT type_label, lsoa_code, lsoa_name, outcome, count(*) AS n FROM street
                  GROUP BY ALL) c
            {_PLACING}
            """  # noqa: S608 - fixed text
        )
        sql(
            f"""
            CREATE TABLE point_types AS SELECT {_PLACED}, point.number AS point_id, sum(c.n) AS n
            FROM (SELECT type_label, lsoa_code, lon, lat, count(*) AS n FROM street
                  WHERE lon <> '' GROUP BY ALL) c
            JOIN point ON c.lon = point.lon AND c.lat = point.lat
            {_PLACING}
            GROUP BY ALL
            """  # noqa: S608 - fixed text
        )
        sql("DROP TABLE street")

    def fetch_lsoa_rows(self) -> None:
        """Fetch the summaries that need no map point ids now (`read_ahead` does, on its own
        thread, for the databases written from Python rows)."""
        for table, (columns, _) in SUMMARY_COLUMNS.items():
            if "point_id" not in columns:
                self.fetched[table] = self.connection.execute(self._select(table)).fetchall()

    def summary_rows(self, point_ids: list[int]) -> SummaryRows:
        """The file's rows for every summary table, given each point's MapPoint id in
        `points` order."""
        rows = dict(self.fetched)
        for table, (columns, _) in SUMMARY_COLUMNS.items():
            if table in rows:
                continue
            found = self.connection.execute(self._select(table)).fetchall()
            if "point_id" in columns:  # the last key, before the count
                found = [(*row[:-2], point_ids[cast(int, row[-2]) - 1], row[-1]) for row in found]
            rows[table] = found
        return rows

    def export_csv(
        self, head: tuple[int, int, date], point_ids: list[int], folder: Path
    ) -> Iterator[tuple[str, Path, int]]:
        """Write each summary table's rows, each starting with `head` (source id, force id,
        month), to a CSV file in `folder` as PostgreSQL's COPY reads it; yield the table,
        its file and how many rows."""
        self.connection.execute(
            "CREATE TABLE map_point AS SELECT unnest($ids) AS id, "
            "generate_subscripts($ids, 1) AS number",
            {"ids": point_ids},
        )
        source_id, force_id, month = head
        fixed = f"{int(source_id)}, {int(force_id)}, DATE '{month.isoformat()}', "
        for table in SUMMARY_COLUMNS:
            select = self._select(table, ids=True).replace("SELECT ", "SELECT " + fixed, 1)
            path = folder / f"{table}.csv"
            done = self.connection.execute(
                f"COPY ({select}) TO '{path}' (FORMAT csv, HEADER false)"
            ).fetchone()
            yield table, path, int(done[0]) if done else 0

    @staticmethod
    def _select(table: str, *, ids: bool = False) -> str:
        """The query for a summary table's rows: its key columns, then its count; map points
        by number, or with `ids` by their MapPoint id (from the table `map_point`)."""
        columns = SUMMARY_COLUMNS[table][0]
        source = "point_types" if finer_table(table) == POINT_TYPES else "lsoa_outcomes"
        if ids and "point_id" in columns:
            columns = columns.replace("point_id", "map_point.id")
            source += " JOIN map_point ON point_types.point_id = map_point.number"
        keys = disk_order(columns.split(", "))
        order = f" ORDER BY {', '.join(keys)}" if keys else ""
        return f"SELECT {columns}, sum(n)::BIGINT FROM {source} GROUP BY ALL{order}"  # noqa: S608


# Counted rows placed in an area (their LSOA is one of the partnership's), outside it, or
# with no location, and their police.uk category as Safer's value.
_PLACED = f"""
    CASE WHEN c.lsoa_code = '' THEN '{Place.NO_LOCATION.value}'
         WHEN lsoa.area_id IS NULL THEN '{Place.OUTSIDE.value}'
         ELSE '{Place.AREA.value}' END AS place,
    lsoa.area_id, crime_type.value AS crime_type"""
_PLACING = """
    JOIN crime_type ON c.type_label = crime_type.label
    LEFT JOIN lsoa ON c.lsoa_code = lsoa.code"""


def read_street_file(path: Path, file_name: str, lsoa_areas: dict[str, int]) -> StreetFile | None:
    """The file read and checked, or None when it needs the row-by-row path (DuckDB cannot
    parse it, it has no rows, or a row or the file name fails a check)."""
    # A database of its own: the next file may be read (`readahead.py`) while this one's
    # counts are still being written.
    connection = duckdb.connect()
    try:
        found = _read(connection, path, file_name, lsoa_areas)
    except duckdb.Error:
        found = None
    if found is None:
        connection.close()
    return found


def _read(
    connection: duckdb.DuckDBPyConnection, path: Path, file_name: str, lsoa_areas: dict[str, int]
) -> StreetFile | None:
    # The file's order does not matter to any count: DuckDB may store rows as they come.
    connection.execute("SET preserve_insertion_order = false")
    connection.execute("SET threads = 1")
    connection.execute(f"CREATE TABLE crime_type AS FROM (VALUES {_CRIME_TYPES}) t(label, value)")
    connection.execute(
        "CREATE TABLE lsoa AS SELECT unnest($codes) AS code, unnest($areas) AS area_id",
        {"codes": list(lsoa_areas), "areas": list(lsoa_areas.values())},
    )
    columns = "{" + ", ".join(f"'{name}': 'VARCHAR'" for name in _NAMES) + "}"
    lon_min, lon_max = LONGITUDE_RANGE
    lat_min, lat_max = LATITUDE_RANGE
    # One pass over the file: every value as text ('' for an empty field, as Python's csv
    # gives it), and whether the row passes every check (`ok`).
    connection.execute(
        f"""
        CREATE TABLE street AS
        WITH raw AS (
            SELECT {", ".join(f"coalesce({name}, '') AS {name}" for name in _NAMES)}
            FROM read_csv($path, header = true, columns = {columns}, delim = ',', quote = '"',
                          escape = '"', strict_mode = true, null_padding = false,
                          auto_detect = false)
        )
        SELECT month, reported_by, lon, lat, location, lsoa_code, lsoa_name, outcome,
            type_label,
            coalesce(
                type_label IN (SELECT label FROM crime_type)
                AND ((lon = '' AND lat = '') OR (
                    regexp_full_match(lon, $decimal) AND regexp_full_match(lat, $decimal)
                    AND TRY_CAST(lon AS DOUBLE) BETWEEN $lon_min AND $lon_max
                    AND TRY_CAST(lat AS DOUBLE) BETWEEN $lat_min AND $lat_max))
                AND (lsoa_code = '' OR regexp_full_match(lsoa_code, '[EWSN][0-9]{{8}}'))
                AND length(crime_id) <= 64 AND length(location) <= 200
                AND length(outcome) <= 100 AND length(lsoa_name) <= 100,
                false) AS ok
        FROM raw
        """,  # noqa: S608 - the column names are this module's own text
        {
            "path": str(path),
            "decimal": _DECIMAL,
            "lon_min": lon_min,
            "lon_max": lon_max,
            "lat_min": lat_min,
            "lat_max": lat_max,
        },
    )
    # One month and one force in the whole file, and every row good; else the row path says
    # which rows are not.
    heads = connection.execute(
        "SELECT month, reported_by, count(*), count(*) FILTER (WHERE NOT ok) FROM street "
        "GROUP BY month, reported_by LIMIT 2"
    ).fetchall()
    if len(heads) != 1:
        return None
    month, force, rows, bad = heads[0]
    if bad or not MONTH.match(month) or not force.strip():
        return None
    facts = FileFacts(FileKind.STREET, force, month)
    if check_file_name(file_name, facts, 2):
        return None
    street = StreetFile(facts, int(rows), connection)
    street.count()
    return street
