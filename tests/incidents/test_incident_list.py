"""The incident list at volume: filters by agency and flags, newest-first paging, a capped
count, LSOA and risk on the form; always through the access layer."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from safer.accounts.access import visible_incident_parts, visible_incidents
from safer.accounts.models import SharingAgreement, User
from safer.incidents import listing
from safer.incidents.actions import do_record_incident, do_record_person
from safer.incidents.enums import (
    AbuseType,
    AsbCategory,
    IncidentCategory,
    InvolvementRole,
    RiskLevel,
)
from safer.incidents.models import Incident, Person
from safer.partnership.models import CspArea
from safer.test import persona, share_with

DAY = date(2026, 3, 2)


def _asb(user: User, victim: Person | None, day: date = DAY, **extra: Any) -> Incident:
    return do_record_incident(
        category=IncidentCategory.ASB,
        asb_category=AsbCategory.NUISANCE,
        occurred_on=day,
        summary="Noise.",
        people=[(victim, InvolvementRole.VICTIM)] if victim else [],
        acting_user=user,
        **extra,
    )


def _references(client: Client, query: str) -> list[str]:
    import re

    return re.findall(r">(I\d{6})</a>", client.get(f"/incidents/?{query}").text)


def test_it_pages_newest_first_with_older_and_newer_links(bob: User, bob_client: Client) -> None:
    made = [_asb(bob, None, DAY - timedelta(days=n)) for n in range(30)]
    first = _references(bob_client, "")
    assert first == [i.reference for i in made[:25]]
    page = bob_client.get("/incidents/").text
    assert "30 incidents" in page and "Showing 1 to 25" in page and "Older" in page
    second = _references(bob_client, "page=2")
    assert second == [i.reference for i in made[25:]]
    assert "Newer" in bob_client.get("/incidents/?page=2").text
    assert _references(bob_client, "page=nonsense") == first


def test_a_large_count_is_capped_not_counted(
    bob: User, bob_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "COUNT_CAP", 10)
    for n in range(12):
        _asb(bob, None, DAY - timedelta(days=n))
    monkeypatch.setattr("safer.incidents.views.COUNT_CAP", 10)
    assert "More than 10 incidents" in bob_client.get("/incidents/").text


def test_the_agency_filter_offers_only_agencies_whose_incidents_the_user_sees(
    alice: User, bob: User, bob_client: Client, sharing_agreement: SharingAgreement
) -> None:
    police = alice.organisation
    assert police is not None
    hidden = _asb(alice, None)
    page = bob_client.get("/incidents/").text
    assert f'value="{police.pk}"' not in page
    refused = bob_client.get(f"/incidents/?organisation={police.pk}").text
    assert "Choose an agency from the list" in refused
    assert hidden.reference not in refused

    shared = _asb(alice, None, DAY - timedelta(days=1))
    share_with(shared, "preston-city-council", by=alice, agreement=sharing_agreement)
    own = _asb(bob, None)
    assert f'value="{police.pk}"' in bob_client.get("/incidents/").text
    assert _references(bob_client, f"organisation={police.pk}") == [shared.reference]
    assert _references(bob_client, "") == [own.reference, shared.reference]


def test_the_flag_filter_finds_repeat_high_risk_and_vulnerable_victims(
    bob: User, bob_client: Client
) -> None:
    repeat = do_record_person(given_name="Janet", family_name="Holden", acting_user=bob)
    for n in (40, 20):
        _asb(bob, repeat, DAY - timedelta(days=n))
    third = do_record_incident(
        category=IncidentCategory.ASB,
        asb_category=AsbCategory.PERSONAL,
        occurred_on=DAY,
        summary="Stones at her windows.",
        people=[(repeat, InvolvementRole.VICTIM)],
        acting_user=bob,
    )
    at_risk = do_record_person(given_name="Mary", family_name="Kay", acting_user=bob)
    high = do_record_incident(
        category=IncidentCategory.ASB,
        asb_category=AsbCategory.PERSONAL,
        occurred_on=DAY,
        summary="Threats to burn her house down.",
        risk_level=RiskLevel.HIGH,
        people=[(at_risk, InvolvementRole.VICTIM)],
        acting_user=bob,
    )
    older = do_record_person(
        given_name="Edna",
        family_name="Hindle",
        vulnerability_markers=["older_person"],
        acting_user=bob,
    )
    vulnerable = _asb(bob, older, DAY - timedelta(days=1))
    _asb(bob, None)  # nobody flagged
    assert _references(bob_client, "flag=repeat_asb") == [third.reference]
    assert _references(bob_client, "flag=high_risk") == [high.reference]
    assert _references(bob_client, "flag=vulnerable") == [vulnerable.reference]
    assert set(_references(bob_client, "flag=any")) == {
        third.reference,
        high.reference,
        vulnerable.reference,
    }
    assert "Mary Kay" in bob_client.get("/incidents/repeat-victims/").text


def test_charlie_sees_none_of_it_whatever_the_filter_or_page(
    alice: User, charlie_client: Client
) -> None:
    victim = do_record_person(given_name="Grace", family_name="Okafor", acting_user=alice)
    incident = do_record_incident(
        category=IncidentCategory.DOMESTIC_ABUSE,
        abuse_types=[AbuseType.PHYSICAL],
        occurred_on=DAY,
        summary="Assault.",
        risk_level=RiskLevel.HIGH,
        people=[(victim, InvolvementRole.VICTIM)],
        acting_user=alice,
    )
    for query in ("", "flag=high_risk", "category=domestic_abuse", "page=2", "flag=any"):
        response = charlie_client.get(f"/incidents/?{query}")
        assert response.status_code == 200
        assert incident.reference not in response.text
        assert "0 incidents" in response.text


def test_the_parts_of_the_access_rule_add_up_to_what_the_user_may_see(
    alice: User, bob: User, charlie: User, sharing_agreement: SharingAgreement
) -> None:
    for user in (alice, bob):
        for n in range(3):
            _asb(user, None, DAY - timedelta(days=n))
    first = Incident.objects.filter(organisation=alice.organisation).first()
    assert first is not None
    share_with(first, "preston-city-council", by=alice, agreement=sharing_agreement)
    for user in (alice, bob, charlie, persona("diana")):
        union = {
            pk for part in visible_incident_parts(user) for pk in part.values_list("pk", flat=True)
        }
        assert union == set(visible_incidents(user).values_list("pk", flat=True)), user


def test_an_lsoa_places_the_incident_and_a_wrong_one_is_named(
    bob: User, bob_client: Client
) -> None:
    call_command("load_lsoas", verbosity=0)
    from safer.crimedata.models import Lsoa

    preston = CspArea.objects.get(name="Preston")
    in_preston = Lsoa.objects.filter(area=preston).first()
    in_burnley = Lsoa.objects.filter(area__name="Burnley").first()
    assert in_preston is not None and in_burnley is not None
    form = {
        "category": "asb",
        "asb_category": "nuisance",
        "occurred_on": DAY.isoformat(),
        "summary": "Noise.",
        "outcome": "open",
    }
    response = bob_client.post("/incidents/new/", {**form, "lsoa": "E01999999"})
    assert "There is no LSOA E01999999" in response.text
    response = bob_client.post(
        "/incidents/new/", {**form, "lsoa": in_burnley.code, "area": preston.pk}
    )
    assert f"LSOA {in_burnley.code} is in Burnley, not in Preston" in response.text
    assert not Incident.objects.exists()
    bob_client.post("/incidents/new/", {**form, "lsoa": in_preston.code.lower()})
    incident = Incident.objects.get()
    assert (incident.lsoa_id, incident.area_id) == (in_preston.code, preston.pk)
