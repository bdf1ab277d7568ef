"""Benchmark: import a 100,000-row incident extract into a database already holding 1,000,000
incidents and 600,000 people, on SQLite and PostgreSQL, against a plain baseline.

    .venv/bin/python bench/import_incidents.py [--backend sqlite|postgres] [--rows 100000]
        [--incidents 1000000] [--people 600000] [--pg postgres://.../issue_5_import_bench]

For each database it prints Safer's rows per second for `safer import-incidents` (every row
checked against the recording standard, references matched with the records held, people,
incidents and involvements written in bulk, repeat flags recomputed for every victim named,
every record created written to the audit log), then for the same extract imported again
(every record matched, nothing changed), and, in the same run, the rate of a plain `csv` +
`executemany` insert of the same rows into a table of 20 text columns: no checks, no matching,
one statement per row, one transaction. The goal: 5,000 rows/s or better.

Times are wall-clock; each line also gives this process's CPU time, which on SQLite includes
the database's own work and so says what an unshared machine would take. On PostgreSQL the
server's work is in its own processes and is not in that figure.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/issue_5_import_bench"
ORGANISATION = "preston-city-council"


def extract_for(rows: int) -> Path:
    from bench.incident_extract import generate_extract

    path = Path(tempfile.gettempdir()) / f"safer-incident-extract-{rows}.csv"
    if not path.exists():
        print(f"generating an extract of {rows:,} rows at {path} ...", flush=True)
        generate_extract(path, rows, seed=7)
    return path


def prefill(incidents: int, people: int) -> None:
    """Fill the database with volume records: issue 5's generator (`safer generate-incidents`)
    when it is there, else a quick filler of this script's own."""
    try:
        from safer.incidents.generate import write_bulk  # type: ignore[import-not-found]
    except ImportError:
        _quick_fill(incidents, people)
    else:
        write_bulk(count=incidents, people=people)


def _quick_fill(incidents: int, people: int, seed: int = 11) -> None:
    """Plain rows straight into the tables (COPY on PostgreSQL, executemany on SQLite), spread
    over every organisation, one victim in each incident, references that never clash with an
    extract's."""
    from django.db import connection, transaction
    from django.utils import timezone

    from safer.partnership.models import CspArea, Organisation

    rng = random.Random(seed)  # noqa: S311 - volume data, not secrets
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    areas = list(CspArea.objects.values_list("pk", flat=True))
    now = timezone.now().isoformat()
    today = timezone.localdate()
    kinds = ["asb"] * 5 + ["domestic_abuse"] * 3 + ["sexual_violence"]
    owner = {}

    def person_rows() -> object:
        for pk in range(1, people + 1):
            organisation = organisations[pk % len(organisations)]
            owner[pk] = organisation
            born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
            yield (pk, "Volume", f"Person{pk}", "[]", born.isoformat(), "not_known",
                   "not_stated", "[]", "", "[]", False, None, f"VOL-P-{pk}", organisation,
                   None, now, now)  # fmt: skip

    def incident_rows() -> object:
        for pk in range(1, incidents + 1):
            kind = rng.choice(kinds)
            day = today - timedelta(days=rng.randrange(3 * 365))
            yield (pk, kind, day.isoformat(), "", "A volume record.", rng.choice(areas),
                   f"VOL-{pk}", "nuisance" if kind == "asb" else "", "[]",
                   "partner" if kind == "domestic_abuse" else "", "[]", None, None, "open",
                   False, owner[1 + pk % people], None, now, now)  # fmt: skip

    def involvement_rows() -> object:
        for pk in range(1, incidents + 1):
            yield (pk, pk, 1 + pk % people, "victim", "[]")

    tables = [
        (
            "incidents_person",
            "id, given_name, family_name, aliases, date_of_birth, gender, ethnicity, "
            "safe_contact_methods, contact_notes, vulnerability_markers, restricted, "
            "anonymised_at, agency_reference, organisation_id, recorded_by_id, created_at, "
            "updated_at",
            person_rows,
        ),
        (
            "incidents_incident",
            "id, category, occurred_on, location, summary, area_id, agency_reference, "
            "asb_category, abuse_types, relationship, hate_strands, alcohol_involved, "
            "drugs_involved, outcome, flagged, organisation_id, recorded_by_id, created_at, "
            "updated_at",
            incident_rows,
        ),
        ("incidents_involvement", "id, incident_id, person_id, role, flags", involvement_rows),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, rows in tables:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows():  # type: ignore[attr-defined]
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * (columns.count(",") + 1))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                    list(rows()),  # type: ignore[call-overload]
                )
        if connection.vendor == "postgresql":
            for table in ("incidents_person", "incidents_incident", "incidents_involvement"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {table}))"
                )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def baseline(path: Path) -> tuple[int, float]:
    """A plain `csv` + `executemany` insert of the extract's rows: the floor of the cost."""
    from django.db import connection, transaction

    from safer.incidents.importing.extract import COLUMNS

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE bench_extract_rows ({', '.join(f'{c} text' for c in COLUMNS)})"
        )
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            next(reader)
            rows = list(reader)
        marks = ", ".join(["%s"] * len(COLUMNS))
        cursor.executemany(
            f"INSERT INTO bench_extract_rows VALUES ({marks})",  # noqa: S608 - fixed text
            rows,
        )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_extract_rows")
    return len(rows), seconds


def run_backend(backend: str, args: argparse.Namespace, database_url: str) -> None:
    """In a child process: one database, filled, then Safer's import and the baseline."""
    if backend == "postgres":
        fresh_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safer.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from safer.incidents.actions import do_import_incidents
    from safer.incidents.models import Incident, Person
    from safer.test import load_lancashire, persona

    path = extract_for(args.rows)
    call_command("migrate", verbosity=0)
    load_lancashire()
    bob = persona("bob")
    started = time.perf_counter()
    prefill(args.incidents, args.people)
    print(
        f"\n{backend}: {Incident.objects.count():,} incidents and {Person.objects.count():,} "
        f"people already there (filled in {time.perf_counter() - started:.0f} s)",
        flush=True,
    )

    cpu = time.process_time()
    record = do_import_incidents(path, acting_user=bob)
    import_cpu = time.process_time() - cpu
    assert record.status == "imported", record.errors[:5]
    cpu = time.process_time()
    again = do_import_incidents(path, acting_user=bob)
    again_cpu = time.process_time() - cpu
    assert again.status == "imported", again.errors[:5]
    assert again.incidents_unchanged == record.incidents_created
    cpu = time.process_time()
    rows, plain_seconds = baseline(path)
    plain_cpu = time.process_time() - cpu
    assert rows == record.rows_read == args.rows

    def rate(seconds: float, cpu: float) -> str:
        return (
            f"{rows / seconds:>9,.0f} rows/s ({seconds:6.2f} s; this process's CPU "
            f"{cpu:6.2f} s, {rows / max(cpu, 0.001):,.0f} rows/s)"
        )

    print(
        f"  the extract: {rows:,} rows, {record.incidents_created:,} incidents, "
        f"{record.people_created:,} people"
    )
    print(f"  Safer import-incidents, new records     {rate(record.seconds or 0, import_cpu)}")
    print(f"  Safer import-incidents, the same again  {rate(again.seconds or 0, again_cpu)}")
    print(f"  plain csv + executemany (baseline)      {rate(plain_seconds, plain_cpu)}")
    print(f"  (the machine's load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    met = rows / (record.seconds or 1) >= 5000
    print(
        f"  Safer takes {(record.seconds or 0) / plain_seconds:.1f}x the baseline's time "
        f"(goal: 5,000 rows/s or better: {'met' if met else 'NOT met'})"
    )
    connection.close()


def fresh_database(database_url: str) -> None:
    """Drop and create the benchmark's own PostgreSQL database, so every run starts empty."""
    import psycopg
    from psycopg import sql

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=600_000)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--backend", choices=["sqlite", "postgres"])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.backend == "sqlite":
            db = Path(tempfile.gettempdir()) / "safer-bench-incidents.sqlite3"
            db.unlink(missing_ok=True)
            run_backend("sqlite", args, f"sqlite:///{db}")
        else:
            run_backend("postgres", args, args.pg)
        return
    extract_for(args.rows)
    for backend in [args.backend] if args.backend else ["sqlite", "postgres"]:
        subprocess.run(  # noqa: S603 - this script, with its own arguments
            [
                sys.executable,
                __file__,
                "--child",
                "--backend",
                backend,
                "--rows",
                str(args.rows),
                "--incidents",
                str(args.incidents),
                "--people",
                str(args.people),
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
