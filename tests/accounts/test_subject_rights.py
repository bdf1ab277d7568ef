"""Subject rights: access, rectification, restriction and erasure requests, recorded and
actioned by the holding organisation's data protection officer, and audited."""

from __future__ import annotations

import pytest
from django.test import Client

from safer.accounts.access import visible_people
from safer.accounts.actions import do_create_user
from safer.accounts.enums import Role
from safer.accounts.models import AuditEvent, SharingAgreement, SubjectRightsRequest, User
from safer.incidents.models import Incident, Person
from safer.partnership.models import Organisation
from safer.test import PASSWORD, share_with, sign_in


@pytest.fixture
def dpo_client(lancashire: None) -> Client:
    do_create_user(
        "tom",
        first_name="Tom",
        last_name="Whitaker",
        email="tom@example.org",
        organisation=Organisation.objects.get(slug="lancashire-constabulary"),
        roles=[Role.DATA_PROTECTION_OFFICER],
        password=PASSWORD,
        acting_user=None,
    )
    client = Client()
    sign_in(client, "tom")
    return client


def _request(client: Client, person: Person, right: str) -> SubjectRightsRequest:
    client.post(
        f"/accounts/subject-access/{person.pk}/requests/",
        {"right": right, "received_on": "2026-01-05", "details": "By letter."},
    )
    return SubjectRightsRequest.objects.get(person=person, right=right)


def _complete(client: Client, person: Person, request: SubjectRightsRequest, **data: str) -> str:
    prefixed = {f"r{request.pk}-{name}": value for name, value in data.items()}
    response = client.post(
        f"/accounts/subject-access/{person.pk}/requests/{request.pk}/", prefixed, follow=True
    )
    return str(response.content.decode())


def test_a_restriction_stops_sharing_and_is_audited(
    alices_records: tuple[Person, Incident],
    alice: User,
    bob: User,
    sharing_agreement: SharingAgreement,
    dpo_client: Client,
) -> None:
    person, _ = alices_records
    share_with(person, "preston-city-council", by=alice, agreement=sharing_agreement)
    request = _request(dpo_client, person, "restriction")
    page = _complete(dpo_client, person, request, outcome="Restricted while the dispute is heard.")
    assert "The request is completed." in page
    person.refresh_from_db()
    assert person.restricted
    assert not visible_people(bob).exists()
    assert AuditEvent.objects.filter(action="restrict", person_id=person.pk).count() == 1


def test_an_erasure_anonymises(alices_records: tuple[Person, Incident], dpo_client: Client) -> None:
    person, _ = alices_records
    request = _request(dpo_client, person, "erasure")
    _complete(dpo_client, person, request, outcome="No longer needed.")
    person.refresh_from_db()
    assert person.given_name == "Anonymised" and person.anonymised_at is not None


def test_a_rectification_corrects_and_an_outcome_is_required(
    alices_records: tuple[Person, Incident], dpo_client: Client
) -> None:
    person, _ = alices_records
    request = _request(dpo_client, person, "rectification")
    page = _complete(dpo_client, person, request, outcome="", family_name="Okafor-Bell")
    assert "Say what was done" in page
    _complete(dpo_client, person, request, outcome="Married name.", family_name="Okafor-Bell")
    person.refresh_from_db()
    assert person.family_name == "Okafor-Bell"
    request.refresh_from_db()
    assert request.status == "completed"


def test_a_request_can_be_refused_without_touching_the_record(
    alices_records: tuple[Person, Incident], dpo_client: Client
) -> None:
    person, _ = alices_records
    request = _request(dpo_client, person, "erasure")
    _complete(dpo_client, person, request, outcome="Needed for a live prosecution.", refuse="on")
    person.refresh_from_db()
    assert person.anonymised_at is None
    request.refresh_from_db()
    assert request.status == "refused"


def test_another_organisations_staff_cannot_record_requests(
    alices_records: tuple[Person, Incident], charlie_client: Client, bob_client: Client
) -> None:
    person, _ = alices_records
    for client in (charlie_client, bob_client):
        response = client.post(
            f"/accounts/subject-access/{person.pk}/requests/",
            {"right": "erasure", "received_on": "2026-01-05"},
        )
        assert response.status_code == 404
    assert not SubjectRightsRequest.objects.exists()
