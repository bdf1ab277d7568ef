"""The people our tests are about: named persons in named agencies (STYLE.md, pattern 10).

Alice is a domestic abuse officer with Lancashire Constabulary; Bob is Preston City Council's
anti-social behaviour officer, who works cases with Alice; Charlie works for a housing
association and shares nothing with either. Later parts give them records to see or not see.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from safer.accounts import two_factor
from safer.accounts.actions import do_create_user
from safer.accounts.enums import Role
from safer.accounts.models import User
from safer.accounts.permissions import needs_two_factor
from safer.partnership.enums import OrganisationKind, Sector
from safer.partnership.models import Organisation
from safer.strategy.actions import do_load_agreement
from safer.strategy.agreement_file import SHIPPED_AGREEMENT, read_agreement_file

PASSWORD = "correct horse battery staple"  # noqa: S105 - test persona password


def load_lancashire() -> None:
    do_load_agreement(read_agreement_file(SHIPPED_AGREEMENT))


def persona(username: str) -> User:
    """Create (once) and return one of the named test personas."""
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    organisation_slug, first, last, role, title = _PERSONAS[username]
    if organisation_slug == "community-gateway":
        organisation, _ = Organisation.objects.get_or_create(
            slug="community-gateway",
            defaults={
                "name": "Community Gateway Association",
                "kind": OrganisationKind.NON_STATUTORY,
                "sector": Sector.HOUSING,
            },
        )
    else:
        organisation = Organisation.objects.get(slug=organisation_slug)
    return do_create_user(
        username,
        first_name=first,
        last_name=last,
        email=f"{username}@example.org",
        organisation=organisation,
        roles=[role],
        password=PASSWORD,
        job_title=title,
        acting_user=None,
    )


_PERSONAS = {
    "alice": (
        "lancashire-constabulary",
        "Alice",
        "Ashworth",
        Role.CASE_WORKER,
        "Domestic abuse officer",
    ),
    "bob": (
        "preston-city-council",
        "Bob",
        "Barton",
        Role.CASE_WORKER,
        "Anti-social behaviour officer",
    ),
    "charlie": (
        "community-gateway",
        "Charlie",
        "Clegg",
        Role.CASE_WORKER,
        "Neighbourhood housing officer",
    ),
    "diana": (
        "lancashire-county-council",
        "Diana",
        "Dewhurst",
        Role.ANALYST,
        "Community safety analyst",
    ),
}


def give_authenticator(user: User) -> TOTPDevice:
    """Set up the user's authenticator app as they would: start it, confirm it with a code."""
    existing = two_factor.authenticator(user)
    if existing is not None:
        return existing
    device = two_factor.do_start_authenticator(user)
    assert two_factor.do_confirm_authenticator(device, two_factor.current_code(device))  # noqa: S101
    return device


def sign_in(client: Client, username: str, password: str = PASSWORD) -> HttpResponse:
    """Sign in through the real pages: the password form, then (if the role needs it) the code
    from the user's authenticator app. Returns the last response."""
    response = client.post(
        "/accounts/sign-in/", {"username": username, "password": password}, follow=True
    )
    user = User.objects.get(username=username)
    if not needs_two_factor(user):
        return response  # type: ignore[no-any-return]
    device = give_authenticator(user)
    # A test signs in far more often than once per 30-second step, and django-otp rightly
    # refuses a code twice; forget the last step used so the current code is fresh again.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    return client.post(  # type: ignore[no-any-return]
        "/accounts/two-factor/",
        {"code": two_factor.current_code(device), "next": "/agreement/"},
        follow=True,
    )
