"""Benchmark: the cost of the access layer and the audit log, against named baselines.

    .venv/bin/python bench/access_and_audit.py [--people 20000]

Builds a throwaway SQLite database (or uses DATABASE_URL) with people spread over ten
organisations and a share for one in ten, then prints:

- visible_people(user) for a case worker vs the baseline `Person.objects.filter(organisation=…)`
  (what a view would do with no sharing at all);
- appending audit entries one read at a time (hash + chain lock) vs the baseline of one plain
  INSERT per read (same commits, no hash, no lock);
- `verify_chain()` over every entry, in entries per second.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("SAFER_VAR_DIR", tempfile.mkdtemp(prefix="safer-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safer.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402


def timed(label: str, repeat: int, work: object) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        work()  # type: ignore[operator]
    seconds = (time.perf_counter() - start) / repeat
    print(f"  {label:<58} {seconds * 1000:9.2f} ms")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--events", type=int, default=2000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    from safer.accounts.access import visible_people
    from safer.accounts.actions import do_create_sharing_agreement, do_create_user
    from safer.accounts.audit import record_event, verify_chain
    from safer.accounts.enums import AuditAction, DataCategory, LegalBasis, Purpose, Role
    from safer.accounts.models import AuditEvent, Share
    from safer.incidents.models import Person
    from safer.partnership.models import Organisation

    organisations = [
        Organisation.objects.create(
            slug=f"org-{i}", name=f"Org {i}", kind="statutory", sector="police"
        )
        for i in range(10)
    ]
    users = [
        do_create_user(
            f"worker-{i}",
            first_name="W",
            last_name=str(i),
            email=f"w{i}@example.org",
            organisation=org,
            roles=[Role.CASE_WORKER],
            password=None,
            acting_user=None,
        )
        for i, org in enumerate(organisations)
    ]
    agreement = do_create_sharing_agreement(
        title="Bench",
        parties=organisations,
        purpose="Bench",
        legal_basis=LegalBasis.CDA_1998_S115,
        data_categories=[DataCategory.IDENTITY],
        starts_on=timezone.localdate() - timedelta(days=1),
        review_on=timezone.localdate() + timedelta(days=300),
        acting_user=None,
    )
    Person.objects.bulk_create(
        Person(given_name="P", family_name=str(i), organisation=organisations[i % 10])
        for i in range(args.people)
    )
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(Person)
    now = timezone.now()
    Share.objects.bulk_create(
        Share(
            content_type=ct,
            object_id=person.pk,
            record_reference=person.reference,
            sharer=users[person.organisation_id % 10],
            sharer_organisation_id=person.organisation_id,
            recipient=organisations[(organisations.index(person.organisation) + 1) % 10],
            agreement=agreement,
            purpose="Bench",
            legal_basis=agreement.legal_basis,
            consent="given",
            shared_at=now,
            expires_at=now + timedelta(days=30),
        )
        for person in Person.objects.select_related("organisation")[::10]
    )
    user, organisation = users[3], organisations[3]
    print(
        f"{args.people:,} people in 10 organisations, {Share.objects.count():,} shares "
        f"({os.environ.get('DATABASE_URL', 'SQLite')})"
    )
    print("Reading one organisation's people (count + first page of 25):")
    base = timed(
        "baseline: Person.objects.filter(organisation=…)",
        20,
        lambda: (
            Person.objects.filter(organisation=organisation).count(),
            list(Person.objects.filter(organisation=organisation)[:25]),
        ),
    )
    layer = timed(
        "visible_people(user) (own + live shares)",
        20,
        lambda: (visible_people(user).count(), list(visible_people(user)[:25])),
    )
    print(f"  ratio {layer / base:.2f}x the baseline")

    people = list(Person.objects.all()[: args.events])
    print(f"Writing {args.events:,} audit entries, one read at a time (10 interleaved rounds):")
    from django.db import connection, transaction

    with connection.cursor() as cursor:  # a real table: its commits cost what the log's do
        cursor.execute("CREATE TABLE bench_audit AS SELECT * FROM accounts_auditevent WHERE 1 = 0")
    insert = (
        "INSERT INTO bench_audit (sequence, at, actor_username, action, purpose, detail, "
        "previous_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    base = chained = 0.0
    batch = max(1, args.events // 10)
    for round_start in range(0, args.events, batch):
        start = time.perf_counter()
        for i in range(round_start, min(round_start + batch, args.events)):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(insert, [i, now, "x", "view", "case_work", "{}", "", ""])
        base += time.perf_counter() - start
        start = time.perf_counter()
        for person in people[round_start : round_start + batch]:
            record_event(user, AuditAction.VIEW, person, purpose=Purpose.CASE_WORK)
        chained += time.perf_counter() - start
    label = "baseline: one plain INSERT per read, own transaction"
    print(f"  {label:<58} {base * 1000:9.2f} ms = {base / args.events * 1000:.2f} ms per read")
    label = "record_event per read (hash, chain lock, own transaction)"
    print(
        f"  {label:<58} {chained * 1000:9.2f} ms = {chained / args.events * 1000:.2f} ms per read"
    )
    print(f"  ratio {chained / base:.2f}x the baseline")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_audit")
    start = time.perf_counter()
    problems = verify_chain()
    seconds = time.perf_counter() - start
    count = AuditEvent.objects.count()
    print(
        f"verify_chain: {count:,} entries in {seconds:.2f} s = {count / seconds:,.0f} entries/s,"
        f" problems: {len(problems)}"
    )


if __name__ == "__main__":
    main()
