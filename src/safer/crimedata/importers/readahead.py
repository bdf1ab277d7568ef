"""Reading the next police.uk file while this one is written.

An import of many files (a folder, police.uk's archive, the benchmark's year) spends about
half its time in DuckDB reading and checking a file, and half in the database writing the
counts of the one before. Both let go of Python's lock while they work, so with the next
file read on a second thread the two overlap. Reading touches no database: the file is
loaded, or refused, in its turn by `do_import_police_file`, in its own transaction (only
`connection.vendor`, a setting, is looked at here).
"""

from __future__ import annotations

import csv
from collections.abc import Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import connection

from safer.crimedata.importers.policeuk import STREET_COLUMNS, text_stream
from safer.crimedata.importers.sources import Source
from safer.crimedata.importers.street_duckdb import StreetFile, read_street_file

Prepared = Future[StreetFile | None]


def prepare(source: Source, areas: dict[str, int]) -> StreetFile | None:
    """Scan the file (its checksum) and, for a street CSV, read and check it in DuckDB;
    None when the file is for the row-by-row path. Raises what `Source.scan` raises."""
    source.scan()
    if source.looks_binary or not source.name.lower().endswith(".csv"):
        return None
    if not is_street_file(source):
        return None
    with source.local_path() as path:
        street = read_street_file(path, source.name, areas)
    if street is not None and connection.vendor != "postgresql":
        street.fetch_lsoa_rows()  # PostgreSQL has DuckDB write them as CSV for COPY instead
    return street


def is_street_file(source: Source) -> bool:
    """Whether the file's first line is a street file's header (anything else goes to the
    row-by-row path, which says what is wrong with it)."""
    try:
        with source.open() as raw:
            line = text_stream(raw).readline()
    except (UnicodeDecodeError, OSError):
        return False
    header = next(csv.reader([line]), [])
    return [column.strip() for column in header] == STREET_COLUMNS


def read_ahead(
    sources: Sequence[Source], areas: dict[str, int]
) -> Generator[tuple[Source, Prepared], None, None]:
    """Each source with its file being prepared, the next one's started before this one is
    handed over. Whatever is not taken (the caller stopped early) is closed."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="police-read-ahead") as pool:
        pending = [pool.submit(prepare, source, areas) for source in sources[:1]]
        try:
            for index, source in enumerate(sources):
                current = pending.pop(0)
                if index + 1 < len(sources):
                    pending.append(pool.submit(prepare, sources[index + 1], areas))
                yield source, current
        finally:
            for future in pending:
                if not future.cancel():
                    close_prepared(future)


def close_prepared(prepared: Prepared) -> None:
    """Close what a preparation read, whether or not it was used."""
    try:
        street = prepared.result()
    except Exception:
        return
    if street is not None:
        street.close()
