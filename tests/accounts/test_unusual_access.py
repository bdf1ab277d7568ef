"""Unusual access: far more person records than usual for the role, or records no case of
the user's links them to; shown to the DPO and e-mailed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from safer.accounts.access import access_person
from safer.accounts.actions import do_create_user
from safer.accounts.enums import Purpose, Role
from safer.accounts.models import SharingAgreement, User
from safer.accounts.unusual_access import Thresholds, unusual_access, volume_alerts
from safer.incidents.actions import do_record_person
from safer.partnership.models import Organisation
from safer.test import share_with

T = Thresholds(window_hours=24, multiple=3, minimum=30, unlinked=3)


def test_volume_is_compared_with_the_role() -> None:
    roles = {1: {Role.CASE_WORKER}, 2: {Role.CASE_WORKER}, 3: {Role.CASE_WORKER}}
    assert volume_alerts({1: 100, 2: 10, 3: 12}, roles, T) == {
        1: "opened 100 person records; usual for their role is 11"
    }
    assert volume_alerts({1: 29, 2: 1, 3: 1}, roles, T) == {}  # below the minimum
    assert volume_alerts({1: 60}, {1: {Role.CASE_WORKER}}, T) == {}  # alone: 3 x 30 needed
    assert 1 in volume_alerts({1: 91}, {1: {Role.CASE_WORKER}}, T)


def test_opening_records_no_case_links_you_to_is_flagged(
    alice: User, bob: User, sharing_agreement: SharingAgreement, settings: Any
) -> None:
    settings.SAFER_UNUSUAL_ACCESS_UNLINKED = 3
    for number in range(4):
        person = do_record_person(given_name="P", family_name=f"{number}", acting_user=alice)
        share_with(person, "preston-city-council", by=alice, agreement=sharing_agreement)
        access_person(bob, person.pk, purpose=Purpose.CASE_WORK)
        access_person(alice, person.pk, purpose=Purpose.CASE_WORK)  # hers: linked
    alerts = unusual_access()
    assert [(a.username, a.reason) for a in alerts] == [
        ("bob", "opened 4 person records no case of theirs links them to")
    ]
    assert unusual_access(alice.organisation_id) == []  # the police DPO answers for police staff


@pytest.mark.usefixtures("lancashire")
def test_the_dpo_sees_and_is_sent_the_alerts(
    alice: User, bob: User, sharing_agreement: SharingAgreement, settings: Any
) -> None:
    settings.SAFER_UNUSUAL_ACCESS_UNLINKED = 1
    person = do_record_person(given_name="P", family_name="Q", acting_user=alice)
    share_with(person, "preston-city-council", by=alice, agreement=sharing_agreement)
    access_person(bob, person.pk, purpose=Purpose.CASE_WORK)
    do_create_user(
        "council-dpo",
        first_name="D",
        last_name="P",
        email="dpo@preston.example.org",
        organisation=Organisation.objects.get(slug="preston-city-council"),
        roles=[Role.DATA_PROTECTION_OFFICER],
        password="another long password",
        acting_user=None,
    )
    call_command("alert_unusual_access", verbosity=0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dpo@preston.example.org"]
    assert "bob: opened 1 person records" in mail.outbox[0].body
