"""API tokens: issued and revoked by an organisation's administrator (page and command), kept
only as a hash, each one its own audited service account that can read and record only."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from safer.accounts.actions import do_create_api_token, do_create_user
from safer.accounts.enums import AuditAction, Role
from safer.accounts.models import ApiToken, AuditEvent, User
from safer.accounts.permissions import Permission, has_permission
from safer.partnership.models import Organisation
from safer.test import sign_in

PAGE = "/accounts/api-tokens/"


def police() -> Organisation:
    return Organisation.objects.get(slug="lancashire-constabulary")


def administrator(slug: str, username: str) -> User:
    return do_create_user(
        username,
        first_name="Priya",
        last_name="Shah",
        email=f"{username}@example.org",
        organisation=Organisation.objects.get(slug=slug),
        roles=[Role.ADMINISTRATOR],
        password="administrator password 2011",
        acting_user=None,
    )


@pytest.fixture
def police_admin(lancashire: None) -> User:
    return administrator("lancashire-constabulary", "police-admin")


@pytest.fixture
def admin_client(police_admin: User) -> Client:
    client = Client()
    sign_in(client, police_admin.username, "administrator password 2011")
    return client


def api(secret: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client.get("/api/v1/incidents/").status_code


def test_an_administrator_issues_a_token_and_sees_it_once(
    admin_client: Client, police_admin: User
) -> None:
    response = admin_client.post(PAGE, {"name": "Niche RMS export"})

    assert response.status_code == 200
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert secret.startswith("safer_") and secret in response.text
    assert api(secret) == 200
    # Only a hash is kept; the page never shows the secret again.
    assert token.token_hash == ApiToken.hash_secret(secret) != secret
    again = admin_client.get(PAGE)
    assert secret not in again.text
    assert token.prefix in again.text and "Niche RMS export" in again.text
    issued = AuditEvent.objects.get(action=AuditAction.ISSUE_TOKEN)
    assert (issued.actor, issued.record_organisation) == (police_admin, police())
    assert secret not in str(issued.detail)


def test_the_token_is_a_service_account_that_reads_and_records_only(police_admin: User) -> None:
    token, _ = do_create_api_token(police(), name="Case system", acting_user=police_admin)
    service = token.user
    assert service.organisation == police_admin.organisation
    assert [grant.role for grant in service.role_grants.all()] == [Role.PARTNER_SYSTEM]
    assert has_permission(service, Permission.RECORD_PERSONAL_DATA)
    assert not has_permission(service, Permission.SHARE_PERSONAL_DATA)
    assert not service.has_usable_password()
    assert str(service) == "Case system (API token)"


def test_a_name_is_needed_and_a_live_one_is_not_reused(admin_client: Client) -> None:
    blank = admin_client.post(PAGE, {"name": "  "})
    assert "Name the system that will use the token." in blank.text
    assert 'class="govuk-error-summary"' in blank.text
    admin_client.post(PAGE, {"name": "Niche RMS export"})

    again = admin_client.post(PAGE, {"name": "Niche  RMS export"})

    assert "already has a live token called “Niche RMS export”" in again.text
    assert ApiToken.objects.count() == 1
    assert again.context["secret"] is None


def test_revoking_stops_the_token_at_once(admin_client: Client, police_admin: User) -> None:
    token, secret = do_create_api_token(police(), name="Case system", acting_user=police_admin)
    assert api(secret) == 200

    response = admin_client.post(f"{PAGE}{token.pk}/revoke/", follow=True)

    assert "is revoked: it no longer works" in response.text
    assert api(secret) == 401
    token.refresh_from_db()
    assert (token.revoked_by, token.user.is_active) == (police_admin, False)
    assert AuditEvent.objects.filter(action=AuditAction.REVOKE_TOKEN, actor=police_admin).exists()


def test_another_organisations_administrator_cannot_see_or_revoke_it(
    police_admin: User, charlie: User
) -> None:
    token, secret = do_create_api_token(police(), name="Case system", acting_user=police_admin)
    housing_admin = administrator("community-gateway", "housing-admin")
    client = Client()
    sign_in(client, housing_admin.username, "administrator password 2011")

    assert "Case system" not in client.get(PAGE).text
    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    assert api(secret) == 200
    with pytest.raises(PermissionDenied):
        do_create_api_token(police(), name="Theirs", acting_user=housing_admin)


def test_a_case_worker_does_not_manage_tokens(alice_client: Client) -> None:
    assert alice_client.get(PAGE).status_code == 404
    assert alice_client.post(PAGE, {"name": "Mine"}).status_code == 404
    assert not ApiToken.objects.exists()


def test_the_command_issues_a_token(lancashire: None) -> None:
    out = StringIO()

    call_command(
        "create_api_token", organisation="preston-city-council", name="Flare ASB", stdout=out
    )

    secret = out.getvalue().strip().splitlines()[-1]
    assert api(secret) == 200
    assert ApiToken.objects.get().organisation.slug == "preston-city-council"


@pytest.mark.parametrize(
    ("organisation", "name", "message"),
    [
        ("nowhere-council", "Flare", "No organisation has the slug 'nowhere-council'"),
        ("preston-city-council", " ", "Name the system that will use the token."),
    ],
)
def test_the_command_says_what_is_wrong(
    lancashire: None, organisation: str, name: str, message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", organisation=organisation, name=name, stdout=StringIO())
    assert not ApiToken.objects.exists()
