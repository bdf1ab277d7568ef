"""The audit log: one entry per read, append-only, and tampering is detected."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client

from safer.accounts.audit import verify_chain
from safer.accounts.enums import AuditAction
from safer.accounts.models import AuditEvent, AuditLogAppendOnlyError, User
from safer.incidents.models import Incident, Person


def _tamper(sql: str, params: list[Any]) -> None:
    """Change the table behind the application's back, as someone with database access might."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # a superuser can switch triggers off
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")


def test_it_writes_exactly_one_entry_per_read(
    alices_records: tuple[Person, Incident], alice: User, alice_client: Client
) -> None:
    person, _ = alices_records
    before = AuditEvent.objects.count()
    assert alice_client.get(f"/incidents/people/{person.pk}/").status_code == 200
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.first()
    assert event is not None
    assert (event.actor, event.action, event.record_reference, event.person_id) == (
        alice,
        AuditAction.VIEW,
        person.reference,
        person.pk,
    )
    assert event.purpose == "case_work"
    assert "Okafor" not in str(event.content())  # the log names records, never people


def test_it_records_the_purpose_given(
    alices_records: tuple[Person, Incident], alice_client: Client
) -> None:
    person, _ = alices_records
    alice_client.get(f"/incidents/people/{person.pk}/?purpose=safeguarding")
    assert AuditEvent.objects.first().purpose == "safeguarding"  # type: ignore[union-attr]


def test_the_chain_verifies_and_the_command_says_so(
    alices_records: tuple[Person, Incident], capsys: pytest.CaptureFixture[str]
) -> None:
    assert AuditEvent.objects.count() >= 2
    assert verify_chain() == []
    call_command("audit", "verify")
    assert "The audit log is intact" in capsys.readouterr().out


def test_it_detects_an_altered_entry(alices_records: tuple[Person, Incident]) -> None:
    first = AuditEvent.objects.order_by("sequence").first()
    assert first is not None
    _tamper(
        "UPDATE accounts_auditevent SET actor_username = %s WHERE id = %s", ["someone", first.pk]
    )
    problems = verify_chain()
    assert [p.sequence for p in problems] == [first.sequence]
    assert "altered" in str(problems[0])
    with pytest.raises(CommandError, match="tampered with"):
        call_command("audit", "verify")


def test_it_detects_a_deleted_entry(alices_records: tuple[Person, Incident]) -> None:
    first = AuditEvent.objects.order_by("sequence").first()
    assert first is not None
    _tamper("DELETE FROM accounts_auditevent WHERE id = %s", [first.pk])
    assert any("deleted" in str(p) for p in verify_chain())


def test_it_detects_the_newest_entries_removed(alices_records: tuple[Person, Incident]) -> None:
    last = AuditEvent.objects.order_by("-sequence").first()
    assert last is not None
    _tamper("DELETE FROM accounts_auditevent WHERE id = %s", [last.pk])
    assert any("newest entries were removed" in str(p) for p in verify_chain())


def test_the_application_cannot_change_or_delete_entries(
    alices_records: tuple[Person, Incident],
) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    event.actor_username = "someone"
    with pytest.raises(AuditLogAppendOnlyError):
        event.save()
    with pytest.raises(AuditLogAppendOnlyError):
        event.delete()
    with pytest.raises(AuditLogAppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(actor_username="someone")
    with pytest.raises(AuditLogAppendOnlyError):
        AuditEvent.objects.all().delete()
    assert verify_chain() == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_changes_too(alices_records: tuple[Person, Incident]) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    for sql in (
        "UPDATE accounts_auditevent SET actor_username = 'x' WHERE id = %s",
        "DELETE FROM accounts_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(sql, [event.pk])
