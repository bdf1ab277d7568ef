"""Schemathesis against the API's own OpenAPI schema: requests that fit the schema and
requests that break it, sent in-process through the WSGI application with an organisation's
token. Bad input must be a 4xx naming what is wrong: any 5xx fails (issue 5, "Bad input").

The examples are few and deterministic, so this stays well under a minute inside `make test`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import Case, GenerationMode
from schemathesis.config import SchemathesisConfig

from safer.accounts.actions import do_create_api_token
from safer.accounts.models import User
from safer.incidents.models import Incident
from safer.partnership.models import Organisation
from safer.test import alices_case
from safer.wsgi import application

MAX_EXAMPLES = 10


def _schema() -> Any:
    """The schema as a partner system fetches it; reading it touches no database."""
    config = SchemathesisConfig()
    config.projects.default.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=MAX_EXAMPLES,
        deterministic=True,
        database="none",
    )
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=config)


schema = _schema()


def _nudge(case: Case[Any], incident: Incident) -> None:
    """Point half the requests at real records, so they get past the lookups the schema
    cannot describe (an ONS code, a person's id, a date not in the future) to the recording
    standard and the action behind it. The other half stay as generated."""
    if isinstance(case.query, dict) and "area" in case.query and len(str(case.query)) % 2:
        case.query = {**case.query, "area": "E07000123"}
    body = case.body
    if not isinstance(body, dict) or not len(str(body)) % 2:
        return
    body = dict(body)
    if "area" in body:
        body["area"] = "E07000123"
    if "occurred_on" in body:
        body["occurred_on"] = "2026-01-15"
    people = body.get("people")
    if (
        isinstance(people, list)
        and people
        and isinstance(people[0], dict)
        and "person" in people[0]
    ):
        victim = incident.involvements.get().person_id
        body["people"] = [{**people[0], "person": victim}, *people[1:]]
    case.body = body


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Django closes the database connection after each request it serves; the test client
    stops it doing so, and so must we when calling the WSGI application, or the test's own
    transaction is closed under it (on PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(alice: User) -> str:
    _, secret = do_create_api_token(
        Organisation.objects.get(slug="lancashire-constabulary"), name="Fuzzer", acting_user=None
    )
    return secret


@pytest.fixture
def incident(alice: User) -> Incident:
    return alices_case(alice)[1]


@schema.parametrize()  # type: ignore[untyped-decorator]
@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
def test_no_request_is_a_server_error(case: Case[Any], token: str, incident: Incident) -> None:
    # Half the ids point at a real incident, so reads and changes reach the action itself.
    given = str((case.path_parameters or {}).get("id", ""))
    if given.isdigit() and int(given) % 2 == 0:
        case.path_parameters = {**(case.path_parameters or {}), "id": incident.pk}
    _nudge(case, incident)
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} answered {response.status_code}: "
        f"{response.text[:2000]}"
    )
