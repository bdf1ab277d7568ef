"""The issue's check, end to end through the pages: two organisations each record a person and
an incident; neither sees the other's until one shares under a live agreement; the share
expires and access ends; the DPO's page shows every look; `safer audit verify` passes, and
fails once an entry is altered in the database."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from safer.accounts.actions import do_create_user
from safer.accounts.enums import Role
from safer.accounts.models import AuditEvent, SharingAgreement, User
from safer.partnership.models import Organisation
from safer.test import PASSWORD, sign_in


def _record(client: Client, given: str, family: str) -> tuple[int, int]:
    response = client.post(
        "/incidents/people/new/",
        {
            "given_name": given,
            "family_name": family,
            "gender": "female",
            "ethnicity": "not_stated",
            "address": "1 Church Street\nPreston",
            "postcode": "PR1 3BQ",
        },
        follow=True,
    )
    assert response.status_code == 200, response.text
    person = int(re.search(r"/incidents/people/(\d+)/", response.redirect_chain[-1][0])[1])  # type: ignore[index]
    response = client.post(
        "/incidents/new/",
        {
            "category": "domestic_abuse",
            "occurred_on": "2026-01-10",
            "summary": "Reported at home.",
            "victim": person,
        },
        follow=True,
    )
    incident = int(re.search(r"/incidents/(\d+)/", response.redirect_chain[-1][0])[1])  # type: ignore[index]
    return person, incident


def test_two_organisations_share_under_an_agreement_until_it_ends(
    alice: User, bob: User, sharing_agreement: SharingAgreement, capsys: pytest.CaptureFixture[str]
) -> None:
    alice_client, bob_client = Client(), Client()
    sign_in(alice_client, "alice")
    sign_in(bob_client, "bob")
    alices_person, alices_incident = _record(alice_client, "Grace", "Okafor")
    bobs_person, _ = _record(bob_client, "Janet", "Holden")

    # Neither sees the other's.
    assert "Holden" not in alice_client.get("/incidents/people/").text
    assert "Okafor" not in bob_client.get("/incidents/people/").text
    assert bob_client.get(f"/incidents/people/{alices_person}/").status_code == 404
    assert bob_client.get(f"/incidents/{alices_incident}/").status_code == 404
    assert alice_client.get(f"/incidents/people/{bobs_person}/").status_code == 404

    # Alice shares her person and incident with Preston City Council for a purpose.
    council = Organisation.objects.get(slug="preston-city-council")
    expires_on = timezone.localdate() + timedelta(days=14)
    for url in (
        f"/incidents/people/{alices_person}/share/",
        f"/incidents/{alices_incident}/share/",
    ):
        response = alice_client.post(
            url,
            {
                "recipient": council.pk,
                "agreement": sharing_agreement.pk,
                "purpose": "Joint safety planning",
                "consent": "given",
                "expires_on": expires_on.isoformat(),
            },
            follow=True,
        )
        assert "is shared with Preston City Council" in response.text
    assert "Okafor" in bob_client.get(f"/incidents/people/{alices_person}/").text
    assert "Reported at home." in bob_client.get(f"/incidents/{alices_incident}/").text
    assert "Okafor" in bob_client.get("/incidents/people/").text
    assert alice_client.get(f"/incidents/people/{bobs_person}/").status_code == 404  # one way

    # The share expires and Bob's access ends.
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        bob_client = Client()
        sign_in(bob_client, "bob")
        assert bob_client.get(f"/incidents/people/{alices_person}/").status_code == 404
        assert bob_client.get(f"/incidents/{alices_incident}/").status_code == 404
        assert "Okafor" not in bob_client.get("/incidents/people/").text

    # The police data protection officer sees every look at Alice's person record.
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
    dpo = Client()
    sign_in(dpo, "tom")
    page = dpo.get(f"/accounts/audit/?person={alices_person}").text
    looks = AuditEvent.objects.filter(person_id=alices_person, actor=bob).count()
    assert looks == 2  # the detail page and the list, while shared
    assert page.count('<td class="govuk-table__cell">bob</td>') >= looks
    export = dpo.get(f"/accounts/audit/export.csv?person={alices_person}").content.decode()
    assert export.count(",bob,") >= looks
    report = dpo.get(f"/accounts/subject-access/{alices_person}/").text
    assert "Grace Okafor" in report and "Preston City Council" in report

    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE accounts_auditevent SET purpose = 'case_work', actor_username = 'nobody' "
            "WHERE actor_id = %s",
            [bob.pk],
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    with pytest.raises(CommandError, match="tampered with"):
        call_command("audit", "verify")
