"""The incidents REST API: create, read, change and list through the access layer, with an
organisation's token; another organisation's token finds nothing; bad input is a 400 naming
the field, and writes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from safer.accounts.actions import do_create_api_token, do_revoke_api_token
from safer.accounts.enums import AuditAction
from safer.accounts.models import ApiToken, AuditEvent, User
from safer.incidents.actions import do_record_person
from safer.incidents.models import Incident, Involvement, Person
from safer.partnership.models import Organisation
from safer.test import PASSWORD, persona, share_with, sign_in
from tests.accounts.test_access_matrix import personal_data_views

URL = "/api/v1/incidents/"


def days_ago(days: int) -> str:
    """A date relative to today, worked out when the test runs (a run may cross midnight)."""
    return str(timezone.localdate() - timedelta(days=days))


def token_client(slug: str, name: str = "Case management system") -> tuple[APIClient, ApiToken]:
    token, secret = do_create_api_token(
        Organisation.objects.get(slug=slug), name=name, acting_user=None
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client, token


@pytest.fixture
def police(alice: User) -> tuple[APIClient, ApiToken]:
    return token_client("lancashire-constabulary")


@pytest.fixture
def housing(charlie: User) -> tuple[APIClient, ApiToken]:
    return token_client("community-gateway")


@pytest.fixture
def council(bob: User) -> tuple[APIClient, ApiToken]:
    return token_client("preston-city-council")


def asb(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "category": "asb",
        "asb_category": "personal",
        "occurred_on": days_ago(2),
        "summary": "Stones thrown at her windows again.",
        "location": "Ribbleton Avenue, Preston",
        "area": "E07000123",
        "agency_reference": "LC-2026-0001",
        "alcohol_involved": True,
        "people": [
            {
                "role": "victim",
                "new_person": {
                    "given_name": "Janet",
                    "family_name": "Holden",
                    "date_of_birth": "1961-02-03",
                    "gender": "female",
                    "address": "3 Ribbleton Avenue\nPreston",
                    "postcode": "pr1 5rx",
                },
            }
        ],
    }
    return {**body, **overrides}


def created(client: APIClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()  # type: ignore[no-any-return]


def test_it_records_an_incident_with_its_people_in_one_request(
    police: tuple[APIClient, ApiToken],
) -> None:
    client, token = police
    alice = User.objects.get(username="alice")
    known = do_record_person(given_name="Dean", family_name="Morris", acting_user=alice)
    body = asb(people=[*asb()["people"], {"role": "perpetrator", "person": known.pk}])

    data = created(client, body)

    incident = Incident.objects.get(pk=data["id"])
    assert data["reference"] == incident.reference
    assert data["organisation"] == "lancashire-constabulary"
    assert data["area"] == "E07000123"
    assert incident.area is not None and incident.area.name == "Preston"
    janet = Person.objects.get(family_name="Holden")
    assert janet.organisation.slug == "lancashire-constabulary"
    assert str(janet.addresses.get()) == "3 Ribbleton Avenue, Preston, PR1 5RX"
    assert sorted((p["reference"], p["role"]) for p in data["people"]) == sorted(
        [(janet.reference, "victim"), (known.reference, "perpetrator")]
    )
    # Audited as the token's own service user: the person recorded, then the incident.
    events = AuditEvent.objects.filter(actor=token.user).order_by("sequence")
    assert [(e.action, e.record_reference) for e in events] == [
        (AuditAction.CREATE, janet.reference),
        (AuditAction.CREATE, incident.reference),
    ]
    assert events[0].actor_organisation_id == token.organisation_id


def test_it_reads_an_incident_and_audits_the_read(police: tuple[APIClient, ApiToken]) -> None:
    client, token = police
    data = created(client, asb())

    response = client.get(f"{URL}{data['id']}/?purpose=safeguarding")

    assert response.status_code == 200
    assert response.json()["summary"] == "Stones thrown at her windows again."
    assert response.json()["people"][0]["role"] == "victim"
    read = AuditEvent.objects.filter(actor=token.user, action=AuditAction.VIEW).get()
    assert (read.record_reference, read.purpose) == (data["reference"], "safeguarding")


def test_it_changes_an_incident_and_audits_the_fields(police: tuple[APIClient, ApiToken]) -> None:
    client, token = police
    data = created(client, asb())

    response = client.patch(
        f"{URL}{data['id']}/", {"outcome": "civil_action", "drugs_involved": False}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == "civil_action"
    incident = Incident.objects.get(pk=data["id"])
    assert (incident.outcome, incident.drugs_involved) == ("civil_action", False)
    assert incident.summary == "Stones thrown at her windows again."
    change = AuditEvent.objects.get(actor=token.user, action=AuditAction.CHANGE)
    assert change.detail["fields"] == ["drugs_involved", "outcome"]


def test_changing_the_people_replaces_them_and_recomputes_flags(
    police: tuple[APIClient, ApiToken],
) -> None:
    client, _ = police
    first = created(client, asb(occurred_on=days_ago(40)))
    janet = first["people"][0]["person"]
    second = created(
        client,
        asb(
            occurred_on=days_ago(20),
            people=[{"role": "victim", "person": janet}],
        ),
    )
    third = created(client, asb(people=[{"role": "victim", "person": janet}]))
    assert third["flagged"] is True  # the third ASB report in a year: a repeat victim

    response = client.patch(
        f"{URL}{second['id']}/", {"people": [{"role": "witness", "person": janet}]}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert [(p["person"], p["role"]) for p in response.json()["people"]] == [(janet, "witness")]
    assert not Incident.objects.get(pk=third["id"]).flagged
    assert not Incident.objects.get(pk=second["id"]).flagged


def test_it_lists_filters_and_pages(police: tuple[APIClient, ApiToken]) -> None:
    client, token = police
    janet = created(client, asb(occurred_on=days_ago(40)))["people"][0]
    for days in (10, 3):
        victim = [{"role": "victim", "person": janet["person"]}]
        created(client, asb(occurred_on=days_ago(days), people=victim))
    created(
        client,
        asb(
            category="domestic_abuse",
            asb_category="",
            abuse_types=["physical", "coercive_control"],
            relationship="ex_partner",
            area="E07000117",
        ),
    )

    everything = client.get(URL).json()
    assert everything["count"] == 4
    assert [r["occurred_on"] for r in everything["results"]] == sorted(
        (r["occurred_on"] for r in everything["results"]), reverse=True
    )
    assert client.get(URL, {"category": "domestic_abuse"}).json()["count"] == 1
    assert client.get(URL, {"area": "E07000117"}).json()["count"] == 1
    window = {"occurred_from": days_ago(11), "occurred_to": days_ago(0)}
    assert client.get(URL, {**window, "category": "asb"}).json()["count"] == 2
    assert client.get(URL, {"flagged": "true"}).json()["count"] == 1  # Janet's third report
    assert client.get(URL, {"flagged": "false"}).json()["count"] == 3
    paged = client.get(URL, {"page_size": 3, "page": 2}).json()
    assert (paged["count"], len(paged["results"]), paged["next"]) == (4, 1, None)
    # Each incident shown in a list is written to the audit log, one entry each.
    shown = AuditEvent.objects.filter(actor=token.user, action=AuditAction.SEARCH_RESULT)
    assert shown.count() == 4 + 1 + 1 + 2 + 1 + 3 + 1


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"category": "burglary"}, "category"),
        ({"area": "E99999999"}, "area"),
        ({"occurred_from": "31/12/2025"}, "occurred_from"),
        ({"occurred_from": "2026-02-01", "occurred_to": "2026-01-01"}, "occurred_to"),
        ({"flagged": "perhaps"}, "flagged"),
        ({"purpose": "curiosity"}, "purpose"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(
    police: tuple[APIClient, ApiToken], query: dict[str, str], field: str
) -> None:
    client, _ = police
    response = client.get(URL, query)
    assert response.status_code == 400
    assert field in response.json()


def test_another_organisations_token_finds_nothing(
    police: tuple[APIClient, ApiToken], housing: tuple[APIClient, ApiToken]
) -> None:
    client, _ = police
    data = created(client, asb())
    stranger, stranger_token = housing

    assert stranger.get(f"{URL}{data['id']}/").status_code == 404
    assert stranger.patch(f"{URL}{data['id']}/", {"outcome": "advice"}).status_code == 404
    assert stranger.get(f"/api/v1/people/{data['people'][0]['person']}/").status_code == 404
    assert stranger.get(URL).json() == {"count": 0, "next": None, "previous": None, "results": []}
    # The same answer as for a record that is not there, and nothing read is audited.
    assert stranger.get(f"{URL}999999/").json() == stranger.get(f"{URL}{data['id']}/").json()
    assert not AuditEvent.objects.filter(actor=stranger_token.user).exists()
    assert Incident.objects.get(pk=data["id"]).outcome == "open"


def test_a_share_lets_another_organisation_read_but_not_change(
    police: tuple[APIClient, ApiToken],
    council: tuple[APIClient, ApiToken],
    sharing_agreement: Any,
) -> None:
    client, _ = police
    data = created(client, asb())
    incident = Incident.objects.get(pk=data["id"])
    alice = User.objects.get(username="alice")
    share_with(incident, "preston-city-council", by=alice, agreement=sharing_agreement)
    recipient, _ = council

    read = recipient.get(f"{URL}{data['id']}/")
    assert read.status_code == 200
    # Janet's own record is not shared: she is counted, not named.
    assert (read.json()["people"], read.json()["hidden_people"]) == ([], 1)
    assert recipient.patch(f"{URL}{data['id']}/", {"outcome": "advice"}).status_code == 404
    # Nor can it name Alice's person record in an incident of its own.
    body = asb(people=[{"role": "victim", "person": data["people"][0]["person"]}])
    response = recipient.post(URL, body, format="json")
    assert response.status_code == 400
    assert "not shared with your organisation" in response.json()["people"]["0"]["person"][0]


def test_no_token_or_a_revoked_one_is_a_401(police: tuple[APIClient, ApiToken]) -> None:
    client, token = police
    data = created(client, asb())

    anonymous = APIClient()
    assert anonymous.get(URL).status_code == 401
    assert anonymous.get(f"{URL}{data['id']}/").status_code == 401
    assert anonymous.post(URL, asb(), format="json").status_code == 401
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Bearer safer_not-a-real-token")
    assert wrong.get(URL).json() == {"detail": "This API token is not known."}

    do_revoke_api_token(token, acting_user=None)

    response = client.get(f"{URL}{data['id']}/")
    assert response.status_code == 401
    assert response.json() == {"detail": "This API token has been revoked."}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_case_worker_may_use_it_after_the_second_factor(alice: User) -> None:
    client = Client()
    client.post("/accounts/sign-in/", {"username": "alice", "password": PASSWORD})
    assert client.get(URL).status_code == 401  # password only: not yet verified

    sign_in(client, "alice")

    assert client.get(URL).status_code == 200


def test_a_session_write_needs_the_csrf_token(alice: User) -> None:
    client = Client()
    sign_in(client, "alice")
    client.handler.enforce_csrf_checks = True  # as a browser on another site would post
    response = client.post(URL, asb(), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Incident.objects.exists()


def test_a_role_without_personal_data_gets_404(lancashire: None) -> None:
    client = Client()
    sign_in(client, persona("frank").username)
    assert client.get(URL).status_code == 404


# --- Bad input: a 400 naming the field, and nothing written --------------------------------


def _refused(client: APIClient, body: Any) -> dict[str, Any]:
    people, incidents, events = (
        Person.objects.count(),
        Incident.objects.count(),
        AuditEvent.objects.count(),
    )
    response = client.post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert (Person.objects.count(), Incident.objects.count()) == (people, incidents)
    assert AuditEvent.objects.count() == events
    return response.json()  # type: ignore[no-any-return]


def test_an_unknown_category_is_refused(police: tuple[APIClient, ApiToken]) -> None:
    errors = _refused(police[0], asb(category="burglary"))
    assert errors["category"] == ['"burglary" is not a valid choice.']


@pytest.mark.parametrize("day", ["14/03/2026", "2026-02-30", "yesterday", ""])
def test_a_bad_date_is_refused(police: tuple[APIClient, ApiToken], day: str) -> None:
    errors = _refused(police[0], asb(occurred_on=day))
    assert list(errors) == ["occurred_on"]


def test_a_date_in_the_future_is_refused(police: tuple[APIClient, ApiToken]) -> None:
    errors = _refused(police[0], asb(occurred_on=days_ago(-1)))
    assert errors == {"occurred_on": ["The date it happened cannot be in the future."]}


def test_a_person_in_two_roles_is_refused(police: tuple[APIClient, ApiToken], alice: User) -> None:
    dean = do_record_person(given_name="Dean", family_name="Morris", acting_user=alice)
    body = asb(
        people=[{"role": "victim", "person": dean.pk}, {"role": "witness", "person": dean.pk}]
    )
    errors = _refused(police[0], body)
    assert errors == {
        "people": [
            f"Dean Morris ({dean.reference}) cannot be both victim and witness in one incident: "
            "choose one role."
        ]
    }


def test_an_area_that_does_not_exist_is_refused(police: tuple[APIClient, ApiToken]) -> None:
    errors = _refused(police[0], asb(area="E07000999"))
    assert errors == {"area": ["No CSP area has the ONS code E07000999."]}


def test_abuse_types_on_asb_are_refused_and_nothing_is_half_written(
    police: tuple[APIClient, ApiToken],
) -> None:
    # The new person would be recorded first: the standard's refusal must take it back too.
    errors = _refused(police[0], asb(abuse_types=["physical"], relationship="partner"))
    assert errors == {
        "abuse_types": ["Only domestic abuse has types of abuse."],
        "relationship": ["Only domestic abuse records the relationship."],
    }


def test_a_hate_crime_needs_a_strand(police: tuple[APIClient, ApiToken]) -> None:
    errors = _refused(police[0], asb(category="hate_crime", asb_category=""))
    assert list(errors) == ["hate_strands"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (asb(category=5), "category"),
        (asb(people="Janet Holden"), "people"),
        (asb(alcohol_involved="perhaps"), "alcohol_involved"),
        (asb(abuse_types="physical"), "abuse_types"),
        (asb(summary=["a", "list"]), "summary"),
        (asb(summary=""), "summary"),
        (asb(area=7), "area"),
        (asb(location="x" * 301), "location"),
        (asb(summary="null \x00 byte"), "summary"),
        (asb(people=[{"role": "victim", "person": 2**70}]), "people"),
        (asb(people=[{"role": "bystander", "person": 1}]), "people"),
        (asb(people=[{"role": "victim"}]), "people"),
        (asb(people=[{"role": "victim", "new_person": {"given_name": "Janet"}}]), "people"),
        ([asb()], "non_field_errors"),
        ("not json at all", "non_field_errors"),
    ],
)
def test_wrong_types_are_refused(police: tuple[APIClient, ApiToken], body: Any, field: str) -> None:
    assert field in _refused(police[0], body)


def test_malformed_json_is_a_400(police: tuple[APIClient, ApiToken]) -> None:
    response = police[0].post(URL, '{"category": ', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_bad_update_changes_nothing(police: tuple[APIClient, ApiToken]) -> None:
    client, _ = police
    data = created(client, asb())
    before = Involvement.objects.filter(incident_id=data["id"]).count()

    response = client.patch(
        f"{URL}{data['id']}/",
        {
            "category": "domestic_abuse",
            "people": [{"role": "victim", "new_person": {"given_name": "A", "family_name": "B"}}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"asb_category": ["Only anti-social behaviour has an ASB category."]}
    assert Incident.objects.get(pk=data["id"]).category == "asb"
    assert Involvement.objects.filter(incident_id=data["id"]).count() == before
    assert not Person.objects.filter(family_name="B").exists()


def test_a_huge_id_is_simply_not_there(police: tuple[APIClient, ApiToken]) -> None:
    assert police[0].get(f"{URL}{2**70}/").status_code == 404
    assert police[0].get(f"/api/v1/people/{2**64}/").status_code == 404


def test_the_schema_and_docs_are_served_from_safer_itself(client: Client, db: None) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert {"IncidentCreate", "IncidentRead", "PatchedIncidentUpdate"} <= set(
        schema.json()["components"]["schemas"]
    )
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "https://" not in page and "<style>" not in page
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_every_api_endpoint_hides_another_organisations_records(
    police: tuple[APIClient, ApiToken], housing: tuple[APIClient, ApiToken]
) -> None:
    """Walks the URLconf, so an endpoint added later is checked too."""
    data = created(police[0], asb())
    records = {"incident": data["id"], "person": data["people"][0]["person"]}
    stranger, stranger_token = housing
    endpoints = [(n, m) for n, m in personal_data_views() if n.startswith("api:")]
    assert len(endpoints) >= 3
    for name, mark in endpoints:
        if mark.record is None:
            response = stranger.get(reverse(name))
            assert response.status_code == 200, name
            assert data["reference"] not in response.content.decode(), name
            continue
        url = reverse(name, args=[records[mark.record]])
        assert stranger.get(url).status_code == 404, name
        for method in ("patch", "put", "post", "delete"):
            assert getattr(stranger, method)(url, {}, format="json").status_code in (404, 405)
    assert not AuditEvent.objects.filter(actor=stranger_token.user).exists()
