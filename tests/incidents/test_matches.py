"""The same person across agencies: suggestions when a person is recorded, the review queue,
confirming and rejecting, and the victim's timeline, each through the access layer."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from safer.accounts.actions import do_create_user
from safer.accounts.enums import Role
from safer.accounts.models import AuditEvent, User
from safer.incidents.actions import (
    do_anonymise_person,
    do_confirm_match,
    do_record_incident,
    do_record_person,
    do_reject_match,
    do_suggest_matches,
)
from safer.incidents.enums import AsbCategory, IncidentCategory, InvolvementRole, MatchStatus
from safer.incidents.matching import linked_person_ids
from safer.incidents.models import Incident, Person, PersonMatch
from safer.partnership.models import CspArea, Organisation
from safer.test import PASSWORD, lancashire_sharing_agreement, persona, share_with, sign_in

pytestmark = pytest.mark.usefixtures("tasks_at_once")

BORN = date(1949, 11, 2)


def _janet_by(user: User, given: str = "Janet", family: str = "Holden", **extra: Any) -> Person:
    fields: dict[str, Any] = {
        "date_of_birth": BORN,
        "address": "12 Ribbleton Avenue\nPreston",
        "postcode": "PR1 6QT",
    }
    fields.update(extra)
    return do_record_person(given_name=given, family_name=family, acting_user=user, **fields)


def _asb_form(person: Person, day: date) -> dict[str, object]:
    return {
        "category": "asb",
        "asb_category": "personal",
        "occurred_on": day.isoformat(),
        "location": "Ribbleton Avenue, Preston",
        "area": CspArea.objects.get(name="Preston").pk,
        "agency_reference": f"PCC-ASB-{day:%m%d}",
        "summary": "Youths throwing stones at her windows.",
        "alcohol_involved": "",
        "drugs_involved": "",
        "outcome": "open",
        "victim": person.pk,
    }


def _share_form(agreement_pk: int) -> dict[str, object]:
    return {
        "recipient": Organisation.objects.get(slug="lancashire-constabulary").pk,
        "agreement": agreement_pk,
        "purpose": "Her timeline across agencies: repeat victim of ASB.",
        "consent": "given",
        "expires_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
    }


def test_how_it_will_be_checked(bob: User, bob_client: Client) -> None:
    """Issue 5: bob records Janet's three ASB reports; she is flagged; alice's misspelt police
    record of her is suggested to both; bob confirms; after sharing, alice sees the timeline;
    charlie sees none of it."""
    agreement = lancashire_sharing_agreement()
    alice, charlie = persona("alice"), persona("charlie")
    response = bob_client.post(
        "/incidents/people/new/",
        {
            "given_name": "Janet",
            "family_name": "Holden",
            "date_of_birth": BORN.isoformat(),
            "gender": "female",
            "ethnicity": "not_stated",
            "address": "12 Ribbleton Avenue\nPreston",
            "postcode": "pr1 6qt",
        },
        follow=True,
    )
    janet = Person.objects.get(family_name="Holden")
    assert janet.organisation.slug == "preston-city-council"
    today = timezone.localdate()
    for days_ago in (55, 30, 2):
        response = bob_client.post(
            "/incidents/new/", _asb_form(janet, today - timedelta(days=days_ago)), follow=True
        )
        assert response.status_code == 200
    assert (
        "Repeat victim of anti-social behaviour"
        in bob_client.get("/incidents/repeat-victims/").content.decode()
    )

    # Alice records the same woman with a misspelt name: suggested to both, never merged.
    alices = _janet_by(alice, "Jannet", "Holden")
    match = PersonMatch.objects.get()
    assert {match.person_a, match.person_b} == {janet, alices}
    assert match.status == MatchStatus.SUGGESTED
    assert Person.objects.count() == 2

    alice_client = Client()
    sign_in(alice_client, "alice")
    queue = alice_client.get("/incidents/matches/").content.decode()
    assert "Jannet Holden" in queue  # her own record
    assert f"Preston City Council’s record {janet.reference}" in queue
    assert "Janet Holden" not in queue  # the council's record is not shared with the police
    assert "Date of birth" in queue and "Same" in queue and "Similar" in queue
    queue = bob_client.get("/incidents/matches/").content.decode()
    assert f"Lancashire Constabulary’s record {alices.reference}" in queue
    assert "Jannet" not in queue

    # Before anyone confirms, Alice's timeline has nothing of the council's.
    assert "PCC-ASB" not in alice_client.get(f"/incidents/people/{alices.pk}/timeline/").text

    response = bob_client.post(
        f"/incidents/matches/{match.pk}/",
        {"decision": "confirm", "reason": "Same date of birth and address; name misspelt."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Confirmed: the same person" in response.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED
    assert match.reviewed_by == bob

    # Confirmed but not shared: still nothing of the council's on Alice's timeline.
    assert "PCC-ASB" not in alice_client.get(f"/incidents/people/{alices.pk}/timeline/").text

    for incident in Incident.objects.filter(organisation=janet.organisation):
        response = bob_client.post(
            f"/incidents/{incident.pk}/share/", _share_form(agreement.pk), follow=True
        )
        assert "is shared with Lancashire Constabulary" in response.content.decode()

    timeline = alice_client.get(f"/incidents/people/{alices.pk}/timeline/").content.decode()
    references = re.findall(r"PCC-ASB-\d{4}", timeline)
    assert len(references) == 3
    assert references == sorted(references, key=lambda ref: (ref[-4:-2], ref[-2:]))
    assert "Preston City Council" in timeline
    assert "Repeat victim of anti-social behaviour" in timeline
    assert "Janet Holden" not in timeline  # the council's person record is still not shared

    charlie_client = Client()
    sign_in(charlie_client, "charlie")
    assert charlie_client.get(f"/incidents/people/{alices.pk}/timeline/").status_code == 404
    assert charlie_client.get(f"/incidents/people/{janet.pk}/timeline/").status_code == 404
    assert "Holden" not in charlie_client.get("/incidents/matches/?status=confirmed").text
    assert charlie_client.get(f"/incidents/matches/{match.pk}/").status_code == 404
    assert not AuditEvent.objects.filter(actor=charlie, person_id__isnull=False).exists()


def test_a_person_is_compared_only_with_partner_organisations(
    bob: User, charlie: User, alice: User
) -> None:
    lancashire_sharing_agreement()  # police and council; the housing association is in none
    _janet_by(bob)
    _janet_by(charlie, "Jannet")
    assert not PersonMatch.objects.exists()
    _janet_by(alice, "Jannet")
    assert PersonMatch.objects.count() == 1
    # Another council record of her is the council's own business, not a suggestion.
    _janet_by(bob, "Jan")
    assert PersonMatch.objects.count() == 2  # the new council record and the police one


def test_a_record_without_a_date_of_birth_is_found_by_its_postcode(alice: User, bob: User) -> None:
    lancashire_sharing_agreement()
    _janet_by(bob)
    _janet_by(alice, "Janet", "Holden", date_of_birth=None, postcode="pr16qt")
    match = PersonMatch.objects.get()
    assert match.agreement["date_of_birth"] == "not known on one record"
    assert match.agreement["postcode"] == "same"


def test_a_different_person_with_a_similar_name_is_not_suggested(alice: User, bob: User) -> None:
    lancashire_sharing_agreement()
    _janet_by(bob)
    _janet_by(alice, "Jannet", "Holdon", date_of_birth=date(1972, 3, 9), postcode="BB11 2DL")
    assert not PersonMatch.objects.exists()


def test_each_suggestion_is_audited_against_both_records(alice: User, bob: User) -> None:
    lancashire_sharing_agreement()
    janet, jannet = _janet_by(bob), _janet_by(alice, "Jannet")
    match = PersonMatch.objects.get()
    for person, other in ((janet, jannet), (jannet, janet)):
        event = AuditEvent.objects.get(person_id=person.pk, detail__match=match.reference)
        assert event.detail == {
            "match": match.reference,
            "status": "suggested",
            "other": other.reference,
        }
        assert event.actor is None  # Safer suggested it, not the user who recorded her


def test_a_match_is_decided_once(alice: User, bob: User) -> None:
    lancashire_sharing_agreement()
    _janet_by(bob)
    _janet_by(alice, "Jannet")
    match = PersonMatch.objects.get()
    do_confirm_match(match, acting_user=bob)
    with pytest.raises(ValidationError, match="already decided"):
        do_confirm_match(match, acting_user=alice)
    with pytest.raises(ValidationError, match="already decided"):
        do_reject_match(match, acting_user=alice, reason="Not her.")
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED
    assert match.reviewed_by == bob


def test_confirming_twice_through_the_page_says_so(
    alice: User, bob: User, bob_client: Client
) -> None:
    lancashire_sharing_agreement()
    _janet_by(bob)
    _janet_by(alice, "Jannet")
    match = PersonMatch.objects.get()
    bob_client.post(f"/incidents/matches/{match.pk}/", {"decision": "confirm"})
    before = AuditEvent.objects.count()
    response = bob_client.post(f"/incidents/matches/{match.pk}/", {"decision": "reject"})
    assert "This match was already decided" in response.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.CONFIRMED
    assert AuditEvent.objects.count() == before + 1  # the view of the match, no decision


def test_rejecting_needs_a_reason(alice: User, bob: User, bob_client: Client) -> None:
    lancashire_sharing_agreement()
    _janet_by(bob)
    _janet_by(alice, "Jannet")
    match = PersonMatch.objects.get()
    response = bob_client.post(
        f"/incidents/matches/{match.pk}/",
        {"decision": "reject", "reason": "  "},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Reason: Say why these records are not the same person." in text
    match.refresh_from_db()
    assert match.status == MatchStatus.SUGGESTED
    response = bob_client.post(f"/incidents/matches/{match.pk}/", {"reason": "Her daughter."})
    assert "Choose to confirm or to reject the match." in response.content.decode()
    response = bob_client.post(
        f"/incidents/matches/{match.pk}/",
        {"decision": "reject", "reason": "Her daughter, who has the same name."},
        follow=True,
    )
    match.refresh_from_db()
    assert match.status == MatchStatus.REJECTED
    assert match.reason == "Her daughter, who has the same name."
    assert "Rejected: not the same person" in response.content.decode()
    # A rejected pair is not suggested again.
    assert do_suggest_matches(acting_user=None) == []


def test_a_match_not_yours_is_not_there(
    alice: User, bob: User, charlie: User, charlie_client: Client
) -> None:
    lancashire_sharing_agreement()
    _janet_by(bob)
    _janet_by(alice, "Jannet")
    match = PersonMatch.objects.get()
    for data in ({}, {"decision": "confirm"}):
        response = charlie_client.post(f"/incidents/matches/{match.pk}/", data)
        assert response.status_code == 404
    assert charlie_client.get("/incidents/matches/999999/").status_code == 404
    match.refresh_from_db()
    assert match.status == MatchStatus.SUGGESTED
    with pytest.raises(Exception, match="Only the organisations holding"):
        do_confirm_match(match, acting_user=charlie)


def test_the_timeline_follows_a_chain_of_confirmed_matches(alice: User, bob: User) -> None:
    """Council and police confirm one link, police and probation another: probation's officer
    sees the council's incident (shared with probation) on her own record's timeline."""
    probation = do_create_user(
        "pat",
        first_name="Pat",
        last_name="Pilling",
        email="pat@example.org",
        organisation=Organisation.objects.get(slug="lancashire-probation-trust"),
        roles=[Role.CASE_WORKER],
        password=PASSWORD,
        acting_user=None,
    )
    agreement = lancashire_sharing_agreement(
        "lancashire-constabulary", "lancashire-probation-trust", "preston-city-council"
    )
    janet = _janet_by(bob)
    incident = do_record_incident(
        category=IncidentCategory.ASB,
        asb_category=AsbCategory.PERSONAL,
        agency_reference="PCC-ASB-CHAIN",
        occurred_on=timezone.localdate(),
        summary="Stones at her windows.",
        people=[(janet, InvolvementRole.VICTIM)],
        acting_user=bob,
    )
    jannet = _janet_by(alice, "Jannet")
    do_confirm_match(PersonMatch.objects.get(person_a=janet, person_b=jannet), acting_user=alice)
    theirs = _janet_by(probation, "Janet", "Holden-Smith", postcode="")
    for match in PersonMatch.objects.filter(person_b=theirs):
        if match.person_a == jannet:
            do_confirm_match(match, acting_user=probation)
        else:
            do_reject_match(match, acting_user=probation, reason="Checked through the police.")
    assert linked_person_ids(theirs.pk) == {janet.pk, jannet.pk, theirs.pk}
    share_with(incident, "lancashire-probation-trust", by=bob, agreement=agreement)
    client = Client()
    sign_in(client, "pat")
    timeline = client.get(f"/incidents/people/{theirs.pk}/timeline/").content.decode()
    assert "PCC-ASB-CHAIN" in timeline


def test_anonymising_a_person_removes_their_matches(alice: User, bob: User) -> None:
    lancashire_sharing_agreement()
    janet = _janet_by(bob)
    _janet_by(alice, "Jannet")
    do_anonymise_person(janet, acting_user=None, purpose="retention", reason="Test")  # type: ignore[arg-type]
    assert not PersonMatch.objects.exists()


def test_match_people_suggests_pairs_recorded_before_an_agreement(
    alice: User, bob: User, capsys: pytest.CaptureFixture[str]
) -> None:
    _janet_by(bob)
    _janet_by(alice, "Jannet")
    assert not PersonMatch.objects.exists()  # no agreement yet: no basis to compare
    lancashire_sharing_agreement()
    call_command("match_people")
    out, err = capsys.readouterr()
    assert "1 new suggested match(es)" in out
    assert "100%" in err
    assert PersonMatch.objects.count() == 1
    call_command("match_people")
    assert "0 new suggested match(es)" in capsys.readouterr().out


def test_training_needs_enough_people(alice: User, tmp_path: object) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Training needs at least 1,000 people"):
        call_command("match_people", "--train", f"{tmp_path}/model.json")


@override_settings(SAFER_DEMO=True)
def test_the_demo_suggests_the_polices_misspelt_record_of_janet(lancashire: None) -> None:
    call_command("load_demo", verbosity=0)
    match = PersonMatch.objects.select_related("person_a", "person_b").get()
    assert {match.person_a.full_name, match.person_b.full_name} == {"Janet Holden", "Jannet Holden"}
    assert match.status == MatchStatus.SUGGESTED


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a task
def test_recording_a_person_queues_the_search_for_the_worker(
    alice: User, bob: User, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    lancashire_sharing_agreement()
    _janet_by(bob)
    _janet_by(alice, "Jannet")
    assert not PersonMatch.objects.exists()  # recording stays fast: Splink runs in the worker
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert PersonMatch.objects.count() == 1
