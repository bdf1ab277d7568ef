"""Benchmark: import 1,000,000 police.uk rows into SQLite and PostgreSQL, against baselines.

    .venv/bin/python bench/import_police.py [--rows 1000000] [--pg postgres://.../safer_bench]

For each database it prints Safer's rows per second (`import-police`: every row checked and
placed in its area, the summaries built) and, over the same files in the same run, two
baselines: pandas `read_csv` + `to_sql` (what an analyst would script; no checks) and DuckDB
`read_csv` into its own in-memory table (close to the limit of CSV parsing here). Then it times
the crime-picture page for the year of data (server time, median of 7). The goal: faster than
pandas, within 3x DuckDB, page under 200 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/safer_i7_bench"


def files_for(rows: int) -> list[Path]:
    from bench.generate_police import generate

    folder = Path(tempfile.gettempdir()) / f"safer-bench-{rows}"
    paths = sorted(folder.glob("*-street.csv"))
    if len(paths) != 12:
        print(f"generating {rows:,} rows in 12 monthly files under {folder} ...", flush=True)
        paths = generate(folder, rows, months=12, seed=7)
    return paths


def run_backend(backend: str, rows: int, database_url: str) -> None:
    """In a child process: one database, Safer then the baselines, printed."""
    if backend == "postgresql":
        fresh_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safer.settings")
    # The page is timed through Django's test client: plain HTTP to "testserver".
    for name, value in (("ALLOWED_HOSTS", "testserver"), ("SECURE_SSL_REDIRECT", "0")):
        os.environ.setdefault(name, value)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from safer.crimedata.actions import do_import_police_file, lsoa_areas
    from safer.crimedata.importers.readahead import read_ahead
    from safer.crimedata.importers.sources import file_source
    from safer.crimedata.importers.writers import refresh_statistics

    paths = files_for(rows)
    call_command("migrate", verbosity=0)
    call_command("load_agreement", verbosity=0)
    call_command("load_lsoas", verbosity=0)
    areas = lsoa_areas()

    started = time.perf_counter()
    loaded = added = 0
    # As `safer import-police` does: the next file read while this one is written.
    for source, prepared in read_ahead([file_source(path) for path in paths], areas):
        record = do_import_police_file(
            source, acting_user=None, areas=areas, prepared=prepared, analyze=False
        )
        added += record.summary_rows
        assert record.status == "loaded", record.problems
        loaded += record.rows_loaded
    refresh_statistics(added)  # as `safer import-police` does after its files
    safer_seconds = time.perf_counter() - started
    assert loaded == rows, loaded

    import duckdb
    import pandas as pd

    started = time.perf_counter()
    if backend == "sqlite":
        import sqlite3

        target = sqlite3.connect(Path(tempfile.gettempdir()) / "safer-bench-pandas.sqlite3")
        target.execute("DROP TABLE IF EXISTS street")
        for path in paths:
            pd.read_csv(path).to_sql("street", target, if_exists="append", index=False)
        target.commit()
        target.close()
    else:
        from sqlalchemy import create_engine, text

        engine = create_engine(database_url.replace("postgres://", "postgresql+psycopg://"))
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS pandas_street"))
        for path in paths:
            pd.read_csv(path).to_sql("pandas_street", engine, if_exists="append", index=False)
        engine.dispose()
    pandas_seconds = time.perf_counter() - started

    started = time.perf_counter()
    duck = duckdb.connect()
    duck.execute(
        "CREATE TABLE street AS SELECT * FROM read_csv($files, header = true)",
        {"files": [str(p) for p in paths]},
    )
    duck_rows = duck.execute("SELECT count(*) FROM street").fetchone()[0]  # type: ignore[index]
    duck_seconds = time.perf_counter() - started
    assert duck_rows == rows

    # The floor for any importer that stores the rows: DuckDB's parsed rows (fetched as Python
    # tuples, not timed) written with the database's plain bulk path into a table of the same
    # 12 text columns, without checks, placing or summaries.
    parsed = duck.execute("SELECT * FROM street").fetchall()
    parsed = [tuple(None if v is None else str(v) for v in row) for row in parsed]
    floor_seconds = write_floor(backend, database_url, parsed)
    del parsed
    summary_rows, summary_seconds = summary_floor()

    def rate(seconds: float) -> str:
        return f"{rows / seconds:>10,.0f} rows/s ({seconds:6.2f} s)"

    print(f"\n{backend}: {rows:,} rows in {len(paths)} files")
    print(f"  Safer import-police       {rate(safer_seconds)}")
    print(f"  pandas read_csv + to_sql  {rate(pandas_seconds)}")
    print(f"  DuckDB read_csv           {rate(duck_seconds)}")
    print(f"  plain bulk write only      {rate(floor_seconds)}  (no parsing, no checks)")
    print(
        f"  writing alone takes {floor_seconds / duck_seconds:.2f}x DuckDB's time "
        f"(the floor for an importer that stores every row)"
    )
    print(
        f"  Safer keeps {summary_rows:,} summary rows ({summary_rows / rows:.2f} a record); "
        f"writing them alone, unindexed, takes {summary_seconds:.2f} s, "
        f"{summary_seconds / duck_seconds:.2f}x DuckDB's time"
    )
    print(
        f"  Safer is {pandas_seconds / safer_seconds:.2f}x pandas' speed "
        f"and takes {safer_seconds / duck_seconds:.2f}x DuckDB's time (goal: >1x, <=3x)"
    )
    page_time(backend)
    connection.close()


def write_floor(backend: str, database_url: str, rows: list[tuple[str | None, ...]]) -> float:
    """Seconds to write `rows` with the plainest bulk path: one executemany (SQLite) or one
    COPY (PostgreSQL) into an unindexed table of 12 text columns, one transaction."""
    columns = ", ".join(f"c{i} TEXT" for i in range(12))
    if backend == "sqlite":
        import sqlite3

        target = sqlite3.connect(Path(tempfile.gettempdir()) / "safer-bench-floor.sqlite3")
        target.execute("DROP TABLE IF EXISTS street")
        target.execute(f"CREATE TABLE street ({columns})")
        target.commit()
        started = time.perf_counter()
        target.executemany("INSERT INTO street VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        target.commit()
        seconds = time.perf_counter() - started
        target.close()
        return seconds
    import psycopg

    with psycopg.connect(database_url) as conn:
        conn.execute("DROP TABLE IF EXISTS floor_street")
        conn.execute(f"CREATE TABLE floor_street ({columns})")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor().copy("COPY floor_street FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
        return time.perf_counter() - started


def summary_floor() -> tuple[int, float]:
    """Safer's summary rows after the import, and the seconds to write them again with the
    database's plainest bulk path (executemany / COPY) into unindexed copies of their tables,
    one transaction: what keeping these counts costs before any reading or checking."""
    from django.db import connection, transaction

    from safer.crimedata.importers.policeuk import SUMMARY_COLUMNS

    tables = {}
    with connection.cursor() as cursor:
        for table in SUMMARY_COLUMNS:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed names
            tables[table] = cursor.fetchall()
            cursor.execute(f"DROP TABLE IF EXISTS floor_{table}")
            if connection.vendor == "postgresql":
                cursor.execute(f"CREATE TABLE floor_{table} (LIKE {table})")
            else:
                copy = f"CREATE TABLE floor_{table} AS SELECT * FROM {table} LIMIT 0"  # noqa: S608
                cursor.execute(copy)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, found in tables.items():
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY floor_{table} FROM STDIN") as copy:
                    for row in found:
                        copy.write_row(row)
            else:
                marks = ", ".join(["?"] * len(found[0]))
                insert = f"INSERT INTO floor_{table} VALUES ({marks})"  # noqa: S608
                cursor.connection.executemany(insert, found)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TABLE floor_{table}")
    return sum(len(found) for found in tables.values()), seconds


def fresh_database(database_url: str) -> None:
    """Drop and create the benchmark's own PostgreSQL database, so every run starts empty."""
    import psycopg
    from psycopg import sql

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def page_time(backend: str) -> None:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from safer.test import persona

    try:
        url = reverse("crimedata:picture")
    except NoReverseMatch:
        print("  crime-picture page: not built yet")
        return
    user = persona("diana")
    client = Client()
    client.force_login(user)
    year = {"from": "2021-04", "to": "2022-03"}
    # Safer keeps no cache of the page: every request computes it afresh from the summary
    # tables, so the first request (after an import) is the cold figure, and the median of the
    # next ones shows what a warm database buys.
    print("  crime-picture page (server time; no cache: every request is computed afresh):")
    for label, query in (
        ("a year of one force", {}),
        ("... one area", {"area": "Preston"}),
        ("... a crime type (burglary)", {"crime": "burglary"}),
        ("... anti-social behaviour", {"crime": "anti-social-behaviour"}),
        ("... a priority group (acquisitive crime)", {"crime": "acquisitive-crime"}),
    ):
        times = []
        for _ in range(6):
            started = time.perf_counter()
            response = client.get(url, {**year, **query})
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        warm = statistics.median(times[1:])
        print(f"    {label:42} first {times[0]:5.0f} ms, then median {warm:5.0f} ms (goal < 200)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    if args.backend == "sqlite":
        db = Path(tempfile.gettempdir()) / "safer-bench.sqlite3"
        db.unlink(missing_ok=True)
        run_backend("sqlite", args.rows, f"sqlite:///{db}")
        return
    if args.backend == "postgresql":
        run_backend("postgresql", args.rows, args.pg)
        return
    files_for(args.rows)
    for backend in ("sqlite", "postgresql"):
        subprocess.run(  # noqa: S603 - this script, with its own arguments
            [
                sys.executable,
                __file__,
                "--backend",
                backend,
                "--rows",
                str(args.rows),
                "--pg",
                args.pg,
            ],
            check=True,
            env={
                **os.environ,
                "DEBUG": "0",
                "SAFER_DEMO": "0",
                "SECRET_KEY": "bench-only",
                "ALLOWED_HOSTS": "testserver",
                "SECURE_SSL_REDIRECT": "0",
            },
        )


if __name__ == "__main__":
    main()
