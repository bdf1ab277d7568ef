"""Benchmark: recording and listing incidents with 1,000,000 incidents and 600,000 people.

    .venv/bin/python bench/incidents.py --backend sqlite|postgres [--count 1000000] [--pg URL]

Builds a fresh database (SQLite under the temp folder, or its own PostgreSQL database), loads
the agreement and the LSOAs, generates `--count` incidents and 0.6 people a incident with
`safer generate-incidents` (timed), shares a few records police <-> Preston as a partnership
would, then prints each figure of issue 5 with its goal beside it:

- saving one incident including its repeat-victim check (`do_record_incident` against a victim
  with a history), median of 15;
- recomputing every repeat flag (`do_recompute_repeats`) after the flags were wiped, so every
  flag is written again; then again with nothing to change;
- the first page of the incident list, filtered, as the police case worker (the largest
  holder), server time through Django's test client on the real view, median of 7 after one
  warm-up, for several filters; and the first page of the repeat victims worklist.

`--reuse` times the last run's database again without generating it anew.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/safer_issue_5_volume_bench"


def fresh_database(backend: str, pg_url: str) -> str:
    if backend == "sqlite":
        path = Path(tempfile.gettempdir()) / "safer-bench-issue-5-volume.sqlite3"
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg
    from psycopg import sql

    name = pg_url.rsplit("/", 1)[1]
    admin = pg_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return pg_url


def median_ms(work: Any, runs: int, warm_up: int = 1) -> float:
    times = []
    for run in range(runs + warm_up):
        started = time.perf_counter()
        work(run)
        if run >= warm_up:
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def verdict(value: float, goal: float) -> str:
    return "ok" if value < goal else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Time the last run's database again instead of generating a fresh one.",
    )
    args = parser.parse_args()

    if args.reuse:
        os.environ["DATABASE_URL"] = (
            args.pg
            if args.backend == "postgres"
            else f"sqlite:///{Path(tempfile.gettempdir()) / 'safer-bench-issue-5-volume.sqlite3'}"
        )
    else:
        os.environ["DATABASE_URL"] = fresh_database(args.backend, args.pg)
    for name, value in (
        ("DJANGO_SETTINGS_MODULE", "safer.settings"),
        ("ALLOWED_HOSTS", "testserver"),
        ("SECURE_SSL_REDIRECT", "0"),
        ("SECRET_KEY", "bench-only"),
        ("DEBUG", "0"),
        ("SAFER_DEMO", "0"),
    ):
        os.environ.setdefault(name, value)
    os.environ.setdefault("SAFER_VAR_DIR", tempfile.mkdtemp(prefix="safer-bench-"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    from safer.accounts.actions import do_share_record
    from safer.accounts.enums import Consent
    from safer.incidents.actions import do_recompute_repeats, do_record_incident
    from safer.incidents.enums import AsbCategory, IncidentCategory, InvolvementRole
    from safer.incidents.generate import write_bulk
    from safer.incidents.models import Incident, Involvement, Person
    from safer.partnership.models import CspArea
    from safer.test import lancashire_sharing_agreement, persona, sign_in

    call_command("migrate", verbosity=0)
    if not args.reuse:
        call_command("load_agreement", verbosity=0)
        call_command("load_lsoas", verbosity=0)
    alice, bob = persona("alice"), persona("bob")
    people = round(args.count * 0.6)

    if args.reuse:
        print(
            f"\n{connection.vendor}: {Incident.objects.count():,} incidents, "
            f"{Person.objects.count():,} people (reused)"
        )
    else:
        started = time.perf_counter()
        made = write_bulk(count=args.count, people=people)
        seconds = time.perf_counter() - started
        print(f"\n{connection.vendor}: {made.incidents:,} incidents, {made.people:,} people")
        print(
            f"  generate-incidents: {seconds:6.1f} s "
            f"({(made.incidents + made.people + made.involvements) / seconds:,.0f} rows/s, "
            f"{made.involvements:,} involvements; goal: a few minutes)"
        )

    # A partnership shares some records: a few dozen police <-> Preston shares.
    from safer.accounts.models import SharingAgreement

    agreement = (
        SharingAgreement.objects.filter(title__startswith="Safer Lancashire").first()
        or lancashire_sharing_agreement()
    )
    for owner, recipient in ((bob, alice.organisation), (alice, bob.organisation)):
        for incident in Incident.objects.filter(organisation=owner.organisation)[:30]:
            do_share_record(
                incident,
                recipient=recipient,
                agreement=agreement,
                purpose="Working the case together",
                consent=Consent.GIVEN,
                expires_at=timezone.now() + timedelta(days=90),
                acting_user=owner,
            )

    # 1. Saving one incident, with its repeat check, against victims with a history.
    victims = list(
        Person.objects.filter(
            organisation=bob.organisation,
            involvements__role=InvolvementRole.VICTIM,
        ).distinct()[:40]
    )
    preston = CspArea.objects.get(name="Preston")

    def save(run: int) -> None:
        do_record_incident(
            category=IncidentCategory.ASB,
            asb_category=AsbCategory.PERSONAL,
            occurred_on=made_day,
            summary="Neighbour shouting abuse at her door.",
            area=preston,
            people=[(victims[run % len(victims)], InvolvementRole.VICTIM)],
            acting_user=bob,
        )

    made_day = timezone.localdate()
    save_ms = median_ms(save, 15, warm_up=2)
    print(
        f"  save one incident incl. repeat check: {save_ms:8.1f} ms "
        f"(median of 15; goal < 50 ms) {verdict(save_ms, 50)}"
    )

    # 2. Recomputing every repeat flag: from nothing, then with nothing to change.
    Involvement.objects.exclude(flags=[]).update(flags=[])
    Incident.objects.filter(flagged=True).update(flagged=False)
    started = time.perf_counter()
    changed = do_recompute_repeats()
    cold = time.perf_counter() - started
    started = time.perf_counter()
    again = do_recompute_repeats()
    warm = time.perf_counter() - started
    print(
        f"  recompute every repeat flag: {cold:8.1f} s writing {changed:,} flags; "
        f"{warm:.1f} s with {again} to change (goal < 60 s) {verdict(cold, 60)}"
    )

    # 3. The first page of the filtered incident list, as the police case worker.
    client = Client()
    sign_in(client, "alice")
    filters: list[tuple[str, dict[str, str]]] = [
        ("no filter", {}),
        ("domestic abuse in Preston", {"category": "domestic_abuse", "area": str(preston.pk)}),
        ("repeat DA victims", {"flag": "repeat_domestic_abuse"}),
        (
            "high-risk, a date range",
            {"flag": "high_risk", "occurred_from": "2025-01-01", "occurred_to": "2025-06-30"},
        ),
        (
            "hate crime, recorded by Preston",
            {"category": "hate_crime", "organisation": str(bob.organisation_id)},
        ),
    ]
    for label, query in filters:

        def page(run: int, query: dict[str, str] = query) -> None:
            response = client.get("/incidents/", query)
            assert response.status_code == 200, response.status_code

        ms = median_ms(page, 7)
        print(
            f"  incident list, first page, {label + ':':<34} {ms:7.1f} ms server time "
            f"(median of 7; goal < 200 ms) {verdict(ms, 200)}"
        )

    def worklist(run: int) -> None:
        assert client.get("/incidents/repeat-victims/").status_code == 200

    ms = median_ms(worklist, 7)
    print(
        f"  repeat and vulnerable victims worklist, first page:  {ms:7.1f} ms server time "
        f"(median of 7; same goal) {verdict(ms, 200)}"
    )
    connection.close()


if __name__ == "__main__":
    main()
