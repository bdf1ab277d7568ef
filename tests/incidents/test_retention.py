"""Retention: old incidents deleted, people with nothing recent anonymised, all audited."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from safer.accounts.access import visible_people
from safer.accounts.audit import verify_chain
from safer.accounts.models import AuditEvent, SharingAgreement, User
from safer.incidents.models import Address, Incident, Person
from safer.incidents.retention import years_before
from safer.test import share_with


def test_years_before_handles_a_leap_day() -> None:
    assert years_before(date(2024, 2, 29), 6) == date(2018, 2, 28)
    assert years_before(date(2026, 11, 25), 6) == date(2020, 11, 25)


def test_a_dry_run_lists_and_changes_nothing(
    alices_records: tuple[Person, Incident], capsys: pytest.CaptureFixture[str]
) -> None:
    person, incident = alices_records
    with time_machine.travel(timezone.now() + timedelta(days=6 * 366)):
        call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert f"delete    {incident.reference}" in out
    assert f"anonymise {person.reference}" in out
    assert "Nothing changed" in out
    assert Incident.objects.exists()


def test_nothing_recent_is_due(
    alices_records: tuple[Person, Incident], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("retention", "--apply")
    assert "Due: 0 incident(s)" in capsys.readouterr().out
    assert Incident.objects.count() == 1


def test_apply_deletes_anonymises_ends_shares_and_audits(
    alices_records: tuple[Person, Incident],
    alice: User,
    bob: User,
    sharing_agreement: SharingAgreement,
) -> None:
    person, incident = alices_records
    share_with(person, "preston-city-council", by=alice, agreement=sharing_agreement, days=4000)
    with time_machine.travel(timezone.now() + timedelta(days=6 * 366)):
        SharingAgreement.objects.filter(pk=sharing_agreement.pk).update(
            review_on=timezone.localdate() + timedelta(days=30)
        )
        call_command("retention", "--apply", verbosity=0)
        assert not visible_people(bob).exists()
    assert not Incident.objects.exists()
    person.refresh_from_db()
    assert (person.given_name, person.family_name) == ("Anonymised", person.reference)
    assert person.date_of_birth is None and person.aliases == []
    assert not Address.objects.filter(person=person).exists()
    erased = AuditEvent.objects.filter(action="erase", purpose="retention")
    assert {e.record_reference for e in erased} == {person.reference, incident.reference}
    assert verify_chain() == []
