"""Writing many rows at once, below the ORM: COPY on PostgreSQL, batched executemany elsewhere.

For imports of tens of thousands of records, where building a model instance per row costs more
than the database's own work. The caller gives every column's value ready for the database
(JSON already dumped to text, datetimes aware) and runs inside its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import islice
from typing import Any

from django.db import connection

BATCH = 10_000


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert every row into `table` (a model's db_table: fixed text, never user input)."""
    names = ", ".join(columns)
    written = 0
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        raw: Any = connection.connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        return written
    adapt = connection.ops.adapt_datetimefield_value
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - fixed text
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, BATCH)):
            cursor.executemany(sql, _adapted(batch, adapt))
            written += len(batch)
    return written


def _adapted(batch: list[Sequence[Any]], adapt: Any) -> list[Sequence[Any]]:
    """Datetimes as the backend stores them (SQLite: UTC text), adapting each one once."""
    columns = [i for i, value in enumerate(batch[0]) if isinstance(value, datetime)]
    if not columns:
        return batch
    done: dict[datetime, Any] = {}
    adapted: list[Sequence[Any]] = []
    for row in batch:
        values = list(row)
        for i in columns:
            value = values[i]
            if value is not None:
                values[i] = done[value] if value in done else done.setdefault(value, adapt(value))
        adapted.append(values)
    return adapted


def update_rows(
    table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, key: str = "id"
) -> int:
    """Set `columns` of each row whose `key` is its last value: one UPDATE a row, sent in
    batches (executemany; psycopg pipelines them on PostgreSQL)."""
    assignments = ", ".join(f"{column} = %s" for column in columns)
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608 - fixed text
    sqlite = connection.vendor == "sqlite"
    adapt = connection.ops.adapt_datetimefield_value
    written = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(islice(iterator, BATCH)):
            cursor.executemany(sql, _adapted(batch, adapt) if sqlite else batch)
            written += len(batch)
    return written
