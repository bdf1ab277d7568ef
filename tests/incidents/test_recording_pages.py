"""Recording to the standard through the pages: the form, the incident page, the filtered list
and the repeat and vulnerable victims worklist, each through the access layer."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from safer.accounts.models import User
from safer.incidents.actions import do_record_person
from safer.incidents.models import Incident, Involvement, Person
from safer.partnership.models import CspArea, Organisation


def _alice_org() -> int:
    return Organisation.objects.get(slug="lancashire-constabulary").pk


def _asb_form(person: Person, day: date) -> dict[str, object]:
    return {
        "category": "asb",
        "asb_category": "personal",
        "occurred_on": day.isoformat(),
        "location": "Ribbleton Avenue, Preston",
        "area": CspArea.objects.get(name="Preston").pk,
        "agency_reference": f"PCC-ASB-{day:%m%d}",
        "summary": "Youths throwing stones at her windows.",
        "alcohol_involved": "yes",
        "drugs_involved": "",
        "outcome": "open",
        "victim": person.pk,
    }


def test_the_kind_is_asked_first_and_only_its_questions_follow(bob_client: Client) -> None:
    page = bob_client.get("/incidents/new/").text
    assert "What kind of incident is it?" in page
    assert "There is a problem" not in page
    assert "What happened" not in page  # one question on this page

    page = bob_client.get("/incidents/new/", {"category": ""}).text
    assert "Choose what kind of incident it is." in page
    page = bob_client.get("/incidents/new/", {"answered": "kind"}).text  # nothing chosen
    assert "Choose what kind of incident it is." in page
    page = bob_client.get("/incidents/new/", {"category": "burglary"}).text
    assert "Choose what kind of incident it is from the list." in page

    asb = bob_client.get("/incidents/new/", {"category": "asb"}).text
    assert "Which kind of anti-social behaviour?" in asb
    assert "Types of abuse" not in asb and "hostility" not in asb
    domestic = bob_client.get("/incidents/new/", {"category": "domestic_abuse"}).text
    assert "Types of abuse" in domestic and "relationship to the alleged perpetrator" in domestic
    assert "Which kind of anti-social behaviour?" not in domestic
    hate = bob_client.get("/incidents/new/", {"category": "hate_incident"}).text
    assert "What was the hostility perceived to be about?" in hate
    cse = bob_client.get("/incidents/new/", {"category": "cse_concern"}).text
    assert "Types of abuse" not in cse and "hostility" not in cse

    # Changing the kind goes back to the question with the answer chosen.
    change = bob_client.get("/incidents/new/", {"category": "asb", "change": "1"}).text
    assert re.search(r'value="asb" checked', change)


def test_the_form_says_what_is_wrong_and_keeps_what_was_typed(
    bob: User, bob_client: Client
) -> None:
    janet = do_record_person(given_name="Janet", family_name="Holden", acting_user=bob)
    response = bob_client.post(
        "/incidents/new/",
        {
            "category": "hate_crime",
            "occurred_on": "2026-13-45",
            "location": "Fishergate, Preston",
            "summary": "Shouted abuse at her in the street.",
            "victim": janet.pk,
            "witness": janet.pk,
        },
    )
    assert response.status_code == 200
    assert "Enter the date it happened as year-month-day, like 2026-03-14." in response.text
    assert 'value="Fishergate, Preston"' in response.text
    assert "Shouted abuse at her in the street." in response.text
    response = bob_client.post(
        "/incidents/new/",
        {
            "category": "hate_crime",
            "occurred_on": "2026-03-14",
            "summary": "Shouted abuse at her in the street.",
            "victim": janet.pk,
            "witness": janet.pk,
        },
    )
    assert "Choose at least one strand" in response.text
    assert "cannot be both victim and witness in one incident" in response.text
    assert not Incident.objects.exists()


def test_three_asb_incidents_in_two_months_put_the_victim_on_the_worklist(
    bob: User, bob_client: Client
) -> None:
    janet = do_record_person(given_name="Janet", family_name="Holden", acting_user=bob)
    today = timezone.localdate()
    for days_ago in (60, 30, 0):
        response = bob_client.post(
            "/incidents/new/", _asb_form(janet, today - timedelta(days=days_ago)), follow=True
        )
        assert response.status_code == 200
    page = response.text
    assert "Personal: aimed at a particular person or group" in page
    assert "Preston" in page
    assert "Repeat victim of anti-social behaviour" in page
    assert re.search(r"Alcohol involved</dt><dd[^>]*>Yes", page)
    worklist = bob_client.get("/incidents/repeat-victims/").text
    assert "Janet Holden" in worklist
    assert "1 incident with a flagged victim" in worklist
    flagged = bob_client.get("/incidents/?flag=repeat_asb").text
    assert "1 incident<" in flagged
    assert "3 incidents" in bob_client.get("/incidents/?category=asb&organisation=").text


def test_the_list_filters_by_type_area_date_and_agency(
    bob: User, bob_client: Client, alices_records: tuple[Person, Incident]
) -> None:
    janet = do_record_person(given_name="Janet", family_name="Holden", acting_user=bob)
    bob_client.post("/incidents/new/", _asb_form(janet, date(2026, 1, 5)))
    preston = CspArea.objects.get(name="Preston").pk
    assert "1 incident<" in bob_client.get(f"/incidents/?area={preston}").text
    assert "0 incidents" in bob_client.get("/incidents/?category=domestic_abuse").text
    assert "1 incident<" in bob_client.get("/incidents/?occurred_from=2026-01-01").text
    assert "0 incidents" in bob_client.get("/incidents/?occurred_to=2025-12-31").text
    assert "0 incidents" in bob_client.get(f"/incidents/?organisation={_alice_org()}").text
    response = bob_client.get("/incidents/?occurred_from=2026-02-01&occurred_to=2026-01-01")
    assert "The last date must be on or after the first date." in response.text
    assert (
        "Enter the first date as year-month-day"
        in bob_client.get("/incidents/?occurred_from=yesterday").text
    )


def test_charlie_cannot_see_alices_incident_on_any_new_page(
    alices_records: tuple[Person, Incident], charlie_client: Client, alice_client: Client
) -> None:
    _, incident = alices_records
    # A second domestic abuse report makes Alice's victim a repeat victim.
    alice_client.post(
        "/incidents/new/",
        {
            "category": "domestic_abuse",
            "abuse_types": ["physical"],
            "relationship": "ex_partner",
            "occurred_on": timezone.localdate().isoformat(),
            "summary": "Again.",
            "victim": alices_records[0].pk,
        },
    )
    assert "Okafor" in alice_client.get("/incidents/repeat-victims/").text
    for url in (
        "/incidents/repeat-victims/",
        "/incidents/?flag=any",
        "/incidents/?category=domestic_abuse",
        f"/incidents/?organisation={_alice_org()}",
        "/incidents/new/",
    ):
        response = charlie_client.get(url)
        assert response.status_code == 200, url
        assert incident.reference not in response.text, url
        assert "Okafor" not in response.text, url
    assert charlie_client.get(incident.get_absolute_url()).status_code == 404


@override_settings(SAFER_DEMO=True)
def test_the_demo_has_a_repeat_asb_victim_on_the_councils_worklist(lancashire: None) -> None:
    call_command("load_demo", verbosity=0)
    flagged = (
        Involvement.objects.exclude(flags=[])
        .filter(incident__agency_reference__startswith="PCC-ASB-")
        .select_related("person", "incident")
    )
    assert [(i.person.full_name, i.flags) for i in flagged] == [("Janet Holden", ["repeat_asb"])]
    assert flagged[0].incident.organisation.slug == "preston-city-council"
