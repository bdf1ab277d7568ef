"""Changing an incident (`do_change_incident`): only its owner, checked against the whole
standard, the people replaced when given, flags recomputed, the fields changed audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safer.accounts.enums import AuditAction
from safer.accounts.models import AuditEvent, User
from safer.incidents.actions import do_change_incident, do_record_incident, do_record_person
from safer.incidents.enums import IncidentCategory, InvolvementRole, Outcome
from safer.incidents.models import Incident, Person


def test_only_the_owner_changes_an_incident(
    alices_records: tuple[Person, Incident], bob: User
) -> None:
    _, incident = alices_records
    with pytest.raises(PermissionDenied):
        do_change_incident(incident, outcome=Outcome.ADVICE, acting_user=bob)
    incident.refresh_from_db()
    assert incident.outcome == Outcome.OPEN


def test_the_change_is_checked_against_the_whole_standard(
    alices_records: tuple[Person, Incident], alice: User
) -> None:
    _, incident = alices_records
    # Domestic abuse to ASB: the ASB category is now required.
    with pytest.raises(ValidationError) as refused:
        do_change_incident(incident, category=IncidentCategory.ASB, acting_user=alice)
    assert list(refused.value.message_dict) == ["asb_category"]
    incident.refresh_from_db()
    assert incident.category == IncidentCategory.DOMESTIC_ABUSE


def test_it_audits_the_fields_changed_and_nothing_when_nothing_changed(
    alices_records: tuple[Person, Incident], alice: User
) -> None:
    _, incident = alices_records
    do_change_incident(
        incident, outcome=Outcome.CHARGED, summary=incident.summary, acting_user=alice
    )
    change = AuditEvent.objects.filter(action=AuditAction.CHANGE).get()
    assert change.detail["fields"] == ["outcome"]
    assert change.record_reference == incident.reference


def test_replacing_the_victim_moves_the_repeat_flag(
    alices_records: tuple[Person, Incident], alice: User
) -> None:
    grace, incident = alices_records
    earlier = do_record_incident(
        category=IncidentCategory.DOMESTIC_ABUSE,
        occurred_on=incident.occurred_on - timedelta(days=30),
        summary="Threats by text.",
        people=[(grace, InvolvementRole.VICTIM)],
        acting_user=alice,
    )
    incident.refresh_from_db()
    assert incident.flagged  # Grace's second domestic abuse report in a year
    someone = do_record_person(given_name="Ruth", family_name="Ellis", acting_user=alice)

    do_change_incident(incident, people=[(someone, InvolvementRole.VICTIM)], acting_user=alice)

    assert not incident.flagged
    assert [(i.person, i.role) for i in incident.involvements.all()] == [
        (someone, InvolvementRole.VICTIM)
    ]
    assert not Incident.objects.get(pk=earlier.pk).flagged
    assert "people" in AuditEvent.objects.filter(action=AuditAction.CHANGE).get().detail["fields"]


def test_it_refuses_someone_elses_person(
    alices_records: tuple[Person, Incident], bob: User, alice: User
) -> None:
    _, incident = alices_records
    bobs = do_record_person(given_name="Sam", family_name="Kerr", acting_user=bob)
    with pytest.raises(ValidationError, match="not a record your organisation holds"):
        do_change_incident(incident, people=[(bobs, InvolvementRole.WITNESS)], acting_user=alice)
