"""Recording people and incidents: through actions, refused with reasons, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from safer.accounts.access import incident_counts
from safer.accounts.models import AuditEvent, User
from safer.incidents.actions import do_change_person, do_record_incident, do_record_person
from safer.incidents.enums import IncidentCategory, InvolvementRole
from safer.incidents.models import Incident, Person
from safer.test import persona


def test_a_person_belongs_to_the_organisation_that_recorded_them(
    alices_records: tuple[Person, Incident], alice: User
) -> None:
    person, incident = alices_records
    assert person.organisation == alice.organisation
    assert incident.organisation == alice.organisation
    assert person.aliases == ["Grace Taylor"]
    assert [str(a) for a in person.addresses.all()] == ["14 Fishergate Hill, Preston, PR1 8JB"]
    assert list(incident.people.all()) == [person]
    assert AuditEvent.objects.filter(action="create").count() == 2


def test_an_analyst_cannot_record_people(lancashire: None) -> None:
    with pytest.raises(PermissionDenied):
        do_record_person(given_name="A", family_name="B", acting_user=persona("diana"))


def test_an_incident_cannot_name_someone_elses_record(
    alices_records: tuple[Person, Incident], bob: User
) -> None:
    person, _ = alices_records
    with pytest.raises(ValidationError, match="not a record your organisation holds"):
        do_record_incident(
            category=IncidentCategory.ASB,
            occurred_on=person.created_at.date(),
            summary="Noise",
            people=[(person, InvolvementRole.PERPETRATOR)],
            acting_user=bob,
        )


def test_a_change_is_audited_with_the_fields_changed(
    alices_records: tuple[Person, Incident], alice: User, bob: User
) -> None:
    person, _ = alices_records
    do_change_person(person, family_name="Okafor-Smith", acting_user=alice)
    assert AuditEvent.objects.first().detail == {"fields": ["family_name"]}  # type: ignore[union-attr]
    with pytest.raises(PermissionDenied):
        do_change_person(person, family_name="X", acting_user=bob)
    with pytest.raises(ValidationError, match="vulnerability_markers"):
        do_change_person(person, vulnerability_markers=["nonsense"], acting_user=alice)


def test_the_form_says_what_is_wrong_and_keeps_what_was_typed(alice_client: Client) -> None:
    response = alice_client.post(
        "/incidents/people/new/",
        {
            "given_name": "Grace",
            "family_name": "",
            "date_of_birth": "2999-01-01",
            "gender": "female",
            "ethnicity": "not_stated",
        },
    )
    assert response.status_code == 200
    assert "Family name: This field is required." in response.text
    assert "The date of birth must be in the past." in response.text
    assert 'value="Grace"' in response.text
    assert not Person.objects.exists()


def test_counts_for_the_board_suppress_small_numbers(
    alices_records: tuple[Person, Incident], lancashire: None
) -> None:
    counts = incident_counts(persona("diana"))
    assert all(count.suppressed or count.value == 0 for count in counts.values())
    assert counts["Domestic abuse"].suppressed


def test_incident_counts_feed_measures_with_small_numbers_suppressed(
    alices_records: tuple[Person, Incident],
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from safer.strategy.measure_sources import get_source

    source = get_source("incidents.domestic_abuse_reported")
    today = timezone.localdate()
    assert source.compute(today - timedelta(days=30), today, None) is None  # 1 is suppressed
    assert get_source("incidents.hate_crime_reported").compute(today, today, None) == 0
