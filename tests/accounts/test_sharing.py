"""Sharing a record: only under a live agreement, with a purpose, and only until it ends."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from safer.accounts.access import access_person, visible_incidents, visible_people
from safer.accounts.actions import do_revoke_share, do_share_record
from safer.accounts.enums import Consent, Purpose
from safer.accounts.models import AuditEvent, SharingAgreement, User
from safer.incidents.models import Incident, Person
from safer.partnership.models import Organisation
from safer.test import share_with


def _share(person: Person, alice: User, agreement: SharingAgreement, **changes: object) -> None:
    arguments: dict[str, object] = {
        "recipient": Organisation.objects.get(slug="preston-city-council"),
        "agreement": agreement,
        "purpose": "Joint safety planning.",
        "consent": Consent.GIVEN,
        "expires_at": timezone.now() + timedelta(days=30),
        "acting_user": alice,
    }
    arguments.update(changes)
    do_share_record(person, **arguments)  # type: ignore[arg-type]


def test_a_share_lets_bob_see_the_person_and_nothing_else(
    alices_records: tuple[Person, Incident],
    alice: User,
    bob: User,
    sharing_agreement: SharingAgreement,
) -> None:
    person, _ = alices_records
    assert not visible_people(bob).exists()
    share_with(person, "preston-city-council", by=alice, agreement=sharing_agreement)
    assert list(visible_people(bob)) == [person]
    assert not visible_incidents(bob).exists()  # the incident was not shared
    assert list(Person.objects.visible_to(bob)) == [person]


def test_a_share_ends_when_it_expires(
    alices_records: tuple[Person, Incident],
    alice: User,
    bob: User,
    sharing_agreement: SharingAgreement,
) -> None:
    person, _ = alices_records
    share_with(person, "preston-city-council", by=alice, agreement=sharing_agreement, days=7)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert not visible_people(bob).exists()


def test_a_share_ends_when_revoked_or_the_agreement_lapses(
    alices_records: tuple[Person, Incident],
    alice: User,
    bob: User,
    sharing_agreement: SharingAgreement,
) -> None:
    person, _ = alices_records
    share = share_with(person, "preston-city-council", by=alice, agreement=sharing_agreement)
    do_revoke_share(share, acting_user=alice)
    assert not visible_people(bob).exists()
    share_with(person, "preston-city-council", by=alice, agreement=sharing_agreement, days=400)
    assert visible_people(bob).exists()
    with time_machine.travel(timezone.now() + timedelta(days=340)):  # past the review date
        assert not visible_people(bob).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"purpose": "  "}, "purpose"),
        ({"consent": Consent.OVERRIDE_RISK}, "override_reason"),
        ({"expires_at": timezone.now() - timedelta(days=1)}, "expires_at"),
    ],
)
def test_a_share_is_refused_with_the_reason(
    alices_records: tuple[Person, Incident],
    alice: User,
    sharing_agreement: SharingAgreement,
    changes: dict[str, object],
    field: str,
) -> None:
    person, _ = alices_records
    with pytest.raises(ValidationError) as refused:
        _share(person, alice, sharing_agreement, **changes)
    assert field in refused.value.message_dict


def test_a_share_must_cite_a_live_agreement_naming_both(
    alices_records: tuple[Person, Incident],
    alice: User,
    sharing_agreement: SharingAgreement,
) -> None:
    person, _ = alices_records
    with pytest.raises(ValidationError) as refused:
        _share(
            person,
            alice,
            sharing_agreement,
            recipient=Organisation.objects.get(slug="lancashire-probation-trust"),
        )
    assert "does not name both" in str(refused.value)
    SharingAgreement.objects.filter(pk=sharing_agreement.pk).update(suspended=True)
    sharing_agreement.refresh_from_db()
    with pytest.raises(ValidationError, match="is not live"):
        _share(person, alice, sharing_agreement)


def test_only_the_owner_shares(
    alices_records: tuple[Person, Incident],
    alice: User,
    bob: User,
    sharing_agreement: SharingAgreement,
) -> None:
    person, _ = alices_records
    share_with(person, "preston-city-council", by=alice, agreement=sharing_agreement)
    with pytest.raises(PermissionDenied):
        _share(person, bob, sharing_agreement)


def test_the_share_is_audited_with_its_purpose(
    alices_records: tuple[Person, Incident],
    alice: User,
    bob: User,
    sharing_agreement: SharingAgreement,
) -> None:
    person, _ = alices_records
    share_with(person, "preston-city-council", by=alice, agreement=sharing_agreement)
    event = AuditEvent.objects.get(action="share")
    assert event.detail["recipient"] == "preston-city-council"
    assert event.detail["purpose"] == "Joint safety planning for a high-risk victim."
    access_person(bob, person.pk, purpose=Purpose.SAFEGUARDING)
    assert AuditEvent.objects.filter(actor=bob, action="view", person_id=person.pk).count() == 1


def test_the_share_form_shares_and_says_what_is_wrong(
    alices_records: tuple[Person, Incident],
    alice_client: Client,
    sharing_agreement: SharingAgreement,
    bob: User,
) -> None:
    person, _ = alices_records
    council = Organisation.objects.get(slug="preston-city-council")
    url = f"/incidents/people/{person.pk}/share/"
    form = {
        "recipient": council.pk,
        "agreement": sharing_agreement.pk,
        "purpose": "",
        "consent": "override_risk",
        "override_reason": "",
        "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    response = alice_client.post(url, form)
    assert response.status_code == 200
    assert "Say why you are sharing this record." in response.text
    assert "explain why sharing is justified" in response.text
    assert not visible_people(bob).exists()
    form.update(purpose="Safety planning", override_reason="Risk of serious harm: DASH 17.")
    response = alice_client.post(url, form, follow=True)
    assert f"{person.reference} is shared with Preston City Council" in response.text
    assert visible_people(bob).exists()


def test_the_share_form_offers_a_date_it_accepts(
    alices_records: tuple[Person, Incident],
    alice_client: Client,
    sharing_agreement: SharingAgreement,
) -> None:
    person, _ = alices_records
    response = alice_client.get(f"/incidents/people/{person.pk}/share/")
    default = (timezone.localdate() + timedelta(days=90)).isoformat()
    assert f'value="{default}"' in response.text


def test_the_owner_ends_a_share_from_the_record(
    alices_records: tuple[Person, Incident],
    alice: User,
    alice_client: Client,
    bob_client: Client,
    bob: User,
    sharing_agreement: SharingAgreement,
) -> None:
    person, _ = alices_records
    share = share_with(person, "preston-city-council", by=alice, agreement=sharing_agreement)
    assert bob_client.post(f"/accounts/shares/{share.pk}/end/").status_code == 404
    assert visible_people(bob).exists()
    response = alice_client.post(f"/accounts/shares/{share.pk}/end/", follow=True)
    assert f"{person.reference} is no longer shared with Preston City Council" in response.text
    assert not visible_people(bob).exists()
    assert AuditEvent.objects.filter(action="revoke", person_id=person.pk).count() == 1
