"""The access matrix, generated from the URLconf: every view that touches personal data, asked
for Alice's records by a user of every role in three organisations.

- the owner (Lancashire Constabulary, Alice's), which holds the records;
- the recipient (Preston City Council, Bob's), with which Alice's *person* record is shared
  under a live agreement (her incident is not shared);
- the stranger (Community Gateway, Charlie's housing association), which shares nothing.

A user who should see a record gets it (and exactly one audit entry per record shown); one who
should not gets 404, never 403, and no audit entry. A view in a personal-data app that is not
marked for the matrix fails `test_it_knows_every_personal_data_view`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safer.accounts.actions import do_create_user
from safer.accounts.enums import Role
from safer.accounts.models import AuditEvent, User
from safer.accounts.permissions import Permission, roles_with
from safer.accounts.personal_data import PERSONAL_DATA_APPS, PersonalDataView, marking
from safer.incidents.actions import do_import_incidents, do_record_incident, do_record_person
from safer.incidents.enums import IncidentCategory, InvolvementRole
from safer.incidents.importing.columns import COLUMNS
from safer.incidents.models import Person, PersonMatch
from safer.partnership.models import Organisation
from safer.test import alices_case, lancashire_sharing_agreement, persona, share_with, sign_in

ORGANISATIONS = {
    "owner": "lancashire-constabulary",
    "recipient": "preston-city-council",
    "stranger": "community-gateway",
}

# What a list, search or export shows, so the matrix can look for the record in it.
LISTS: dict[str, tuple[str, str]] = {
    "incidents:person-list": ("person", ""),
    "incidents:person-export": ("person", ""),
    "incidents:incident-list": ("incident", ""),
    "api:incident-list": ("incident", ""),
    # The worklist shows the flagged incident; Alice's is her second domestic abuse (see world).
    "incidents:repeat-victims": ("incident", ""),
    "accounts:subject-access": ("person", "?name=Okafor"),
    # The council's record of Grace is suggested as a match for Alice's (see world).
    "incidents:match-list": ("person", ""),
    # Issue 6: the conferences the organisation attends, its actions (naming the conference),
    # and the CSE reports it submitted or leads on.
    "safeguarding:conference-list": ("conference", ""),
    "safeguarding:action-list": ("conference", ""),
    "safeguarding:cse-list": ("cse", ""),
    "safeguarding:review-list": ("assessment", ""),
}
# Pages that show one record and the records linked to it: one audit entry or more.
MANY_READS = {"incidents:person-timeline"}

# The records a view's URL can name, and (issue 6) those whose every refused attempt is itself
# audited, because an agenda is confidential: an attempt by a role that may see personal data
# but is not at the meeting writes one DENIED entry.
RECORD_KINDS = (
    None,
    "person",
    "incident",
    "match",
    "incident_import",
    "assessment",
    "referral",
    "conference",
    "cse",
)
DENIAL_AUDITED = {"conference"}


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, Callable[..., Any]]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def _in_personal_data_app(view: Callable[..., Any]) -> bool:
    module = getattr(view, "__module__", "") or ""
    return any(module.startswith(f"safer.{app}.") for app in PERSONAL_DATA_APPS)


def personal_data_views() -> list[tuple[str, PersonalDataView]]:
    views = []
    for name, view in _walk(get_resolver().url_patterns):
        mark = marking(view)
        if mark is not None and mark.kind != "counts":
            views.append((name, mark))
    return sorted(views, key=lambda item: item[0])


def test_it_knows_every_personal_data_view() -> None:
    unmarked = [
        name
        for name, view in _walk(get_resolver().url_patterns)
        if _in_personal_data_app(view) and marking(view) is None
    ]
    assert not unmarked, (
        f"These views are in a personal-data app but not in the access matrix: {unmarked}. "
        "Mark each with @personal_data_view(...) or @counts_only."
    )
    for name, mark in personal_data_views():
        assert mark.record in RECORD_KINDS, f"{name}: add {mark.record} here"
        if mark.record is None and mark.kind in ("page", "export", "api"):
            assert name in LISTS, f"{name}: say in LISTS which records it shows"


@pytest.fixture
def world(lancashire: None, tasks_at_once: None, tmp_path: Path) -> dict[str, Any]:
    alice = persona("alice")
    persona("charlie")
    person, incident = alices_case(alice)
    # An earlier report makes Alice's incident a repeat, so it is on the repeat victims worklist.
    do_record_incident(
        category=IncidentCategory.DOMESTIC_ABUSE,
        occurred_on=incident.occurred_on - timedelta(days=60),
        summary="Threats by an ex-partner.",
        people=[(person, InvolvementRole.VICTIM)],
        acting_user=alice,
    )
    share_with(
        person, ORGANISATIONS["recipient"], by=alice, agreement=lancashire_sharing_agreement()
    )
    # The council's own record of Grace: suggested as a match, seen by both organisations.
    do_record_person(
        given_name="Grace",
        family_name="Okafor",
        date_of_birth=person.date_of_birth,
        acting_user=persona("bob"),
    )
    match = PersonMatch.objects.get()
    # An extract Alice imported: its report is her organisation's alone, never shared.
    extract = tmp_path / "extract.csv"
    extract.write_text(
        ",".join(COLUMNS) + "\nLC-DA-1,domestic_abuse,2025-05-19,,,Preston,Threats by text.,,"
        "psychological,ex_partner,,,,open,LC-P-1,Mary,Kershaw,1979-04-02,female,victim\n",
        encoding="utf-8",
    )
    incident_import = do_import_incidents(extract, acting_user=alice)
    assert incident_import.status == "imported", incident_import.errors
    users = {}
    for place, slug in ORGANISATIONS.items():
        organisation = Organisation.objects.get(slug=slug)
        for role in Role:
            users[(role, place)] = do_create_user(
                f"{role.value}-{place}",
                first_name=role.label,
                last_name=place,
                email=f"{role.value}-{place}@example.org",
                organisation=organisation,
                roles=[role],
                password="matrix password 2011",
                acting_user=None,
            )
    return {
        "person": person,
        "incident": incident,
        "match": match,
        "incident_import": incident_import,
        "users": users,
        **_safeguarding(alice, users),
    }


def _safeguarding(alice: User, users: dict[tuple[Role, str], User]) -> dict[str, Any]:
    """Alice's risk assessment and referral of her victim to a MARAC her force coordinates,
    the conference it is heard at (attended by her force only), and a CSE report."""
    from django.utils import timezone

    from safer.partnership.models import CspArea
    from safer.safeguarding import actions

    person = Person.objects.get(family_name="Okafor", organisation=alice.organisation)
    police = Organisation.objects.get(slug=ORGANISATIONS["owner"])
    coordinator = users[(Role.CONFERENCE_COORDINATOR, "owner")]
    today = timezone.localdate()
    assessment = actions.do_record_assessment(
        person=person,
        form=actions.current_risk_form("dash"),
        responses={n: actions.Response(answer="yes") for n in range(1, 25)},
        assessed_on=today,
        acting_user=alice,
    )
    panel = actions.do_create_panel(
        kind="marac",
        area=CspArea.objects.get(name="Lancaster"),
        coordinator=police,
        acting_user=None,
    )
    referral = actions.do_refer_case(
        panel=panel,
        person=person,
        reason="threshold",
        consent="given",
        assessments=[assessment],
        referred_on=today - timedelta(days=14),
        acting_user=alice,
    )
    conference = actions.do_schedule_conference(
        panel=panel, meets_on=today, chair="DCI Moss", attending=[police], acting_user=coordinator
    )
    (case,) = actions.do_build_agenda(conference, acting_user=coordinator)
    actions.do_add_conference_action(
        case, owner=police, text="Flag the address.", due_on=today, acting_user=coordinator
    )
    cse = actions.do_submit_cse_report(
        kind="intelligence",
        what="Older men giving lifts to girls from a children's home.",
        who="Two girls aged 14; a man known as 'Taz'.",
        where="Fishergate, Preston",
        lead_agency=police,
        acting_user=alice,
    )
    return {"assessment": assessment, "referral": referral, "conference": conference, "cse": cse}


def _should_see(mark: PersonalDataView, role: Role, place: str, record_kind: str) -> bool:
    if role not in roles_with(Permission(mark.permission)):
        return False
    if place == "owner":
        return True
    if record_kind == "match":  # both organisations holding one of its records
        return place == "recipient"
    shared = record_kind == "person" and place == "recipient"
    return shared and not mark.owner_only and mark.permission == "view_personal_data"


def _url(name: str, mark: PersonalDataView, world: dict[str, Any]) -> tuple[str, str | None]:
    if mark.record is not None:
        return reverse(name, args=[world[mark.record].pk]), mark.record
    if name in LISTS:
        kind, query = LISTS[name]
        return reverse(name) + query, kind
    return reverse(name), None


@pytest.mark.parametrize(("name", "mark"), personal_data_views(), ids=lambda v: str(v))
def test_the_access_matrix(name: str, mark: PersonalDataView, world: dict[str, Any]) -> None:
    url, record_kind = _url(name, mark, world)
    record: Any = world[record_kind] if record_kind else None
    wrong = []
    for (role, place), user in world["users"].items():
        client = Client()
        sign_in(client, user.username, "matrix password 2011")
        before = AuditEvent.objects.count()
        response = client.get(url)
        written = AuditEvent.objects.count() - before
        allowed = role in roles_with(Permission(mark.permission))
        if record is None:  # a form: the page is there for those whose role may use it
            expected = 200 if allowed else 404
            if response.status_code != expected:
                wrong.append(f"{role}@{place}: {response.status_code}, expected {expected}")
            continue
        sees = _should_see(mark, role, place, record_kind or "")
        shown = record.reference in response.content.decode()
        if mark.record is not None:
            expected = 200 if sees else 404
            audited = sees or (mark.record in DENIAL_AUDITED and allowed)
            if response.status_code != expected or shown != sees:
                wrong.append(f"{role}@{place}: {response.status_code}, expected {expected}")
            elif name in MANY_READS and sees and written >= 1:
                pass
            elif written != (1 if audited else 0):
                wrong.append(f"{role}@{place}: {written} audit entries for one read")
        else:  # a list, search or export
            expected = 200 if allowed else 404
            if response.status_code != expected or shown != sees:
                wrong.append(
                    f"{role}@{place}: {response.status_code}, record shown={shown}, "
                    f"expected {expected} shown={sees}"
                )
            elif sees and written < 1:
                wrong.append(f"{role}@{place}: the record was shown but not audited")
    assert not wrong, f"{name} ({url}):\n" + "\n".join(wrong)


@pytest.mark.parametrize(("name", "mark"), personal_data_views(), ids=lambda v: str(v))
def test_it_hides_alices_records_from_charlie(
    name: str, mark: PersonalDataView, world: dict[str, Any], charlie: User
) -> None:
    url, _ = _url(name, mark, world)
    client = Client()
    sign_in(client, "charlie")
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert "Okafor" not in response.content.decode()
    if mark.record is not None:
        assert response.status_code == 404
        assert not AuditEvent.objects.filter(actor=charlie).exclude(action="denied").exists()
        refused = AuditEvent.objects.filter(actor=charlie, action="denied").count()
        assert refused == (1 if mark.record in DENIAL_AUDITED else 0)
