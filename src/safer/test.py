"""The people our tests are about: named persons in named agencies (STYLE.md, pattern 10).

Alice is a domestic abuse officer with Lancashire Constabulary; Bob is Preston City Council's
anti-social behaviour officer, who works cases with Alice; Charlie works for a housing
association and shares nothing with either. Later parts give them records to see or not see.
For the agreement's performance: Erin leads the "Protect and support vulnerable people" theme for
the constabulary, Diana is the partnership analyst, and Frank sits on the Board.
For risk assessment and conferences (issue 6): Ivy is an independent domestic violence adviser
(IDVA) with the Lancashire IDVA Service, and Cora coordinates the Preston MARAC for the Preston
Community Safety Partnership.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safer.accounts import two_factor
from safer.accounts.actions import do_create_sharing_agreement, do_create_user, do_share_record
from safer.accounts.enums import Consent, DataCategory, LegalBasis, Role
from safer.accounts.models import Share, SharingAgreement, User
from safer.accounts.permissions import needs_two_factor
from safer.incidents.actions import do_record_incident, do_record_person
from safer.incidents.enums import (
    ContactMethod,
    Ethnicity,
    Gender,
    IncidentCategory,
    InvolvementRole,
    VulnerabilityMarker,
)
from safer.incidents.models import Incident, Person
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
    if organisation_slug in _EXTRA_ORGANISATIONS:
        name, sector = _EXTRA_ORGANISATIONS[organisation_slug]
        organisation, _ = Organisation.objects.get_or_create(
            slug=organisation_slug,
            defaults={"name": name, "kind": OrganisationKind.NON_STATUTORY, "sector": sector},
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


# Organisations the tests need that the agreement does not list.
_EXTRA_ORGANISATIONS = {
    "community-gateway": ("Community Gateway Association", Sector.HOUSING),
    "lancashire-idva-service": ("Lancashire IDVA Service", Sector.VOLUNTARY_COMMUNITY_FAITH),
}

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
    "erin": (
        "lancashire-constabulary",
        "Erin",
        "Eccles",
        Role.THEME_LEAD,
        "Theme lead: Protect and support vulnerable people",
    ),
    "frank": (
        "lancashire-police-authority",
        "Frank",
        "Fletcher",
        Role.BOARD_MEMBER,
        "Board member",
    ),
    "ivy": (
        "lancashire-idva-service",
        "Ivy",
        "Ingham",
        Role.CASE_WORKER,
        "Independent domestic violence adviser (IDVA)",
    ),
    "cora": (
        "preston-csp",
        "Cora",
        "Cartwright",
        Role.CONFERENCE_COORDINATOR,
        "MARAC coordinator, Preston",
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


def sign_in(client: Client, username: str, password: str = PASSWORD) -> Any:
    """Sign in through the real pages: the password form, then (if the role needs it) the code
    from the user's authenticator app. Returns the last response."""
    response = client.post(
        "/accounts/sign-in/", {"username": username, "password": password}, follow=True
    )
    user = User.objects.get(username=username)
    if not needs_two_factor(user):
        return response
    return client.post(
        "/accounts/two-factor/", {"code": fresh_code(user), "next": "/agreement/"}, follow=True
    )


def fresh_code(user: User) -> str:
    """The code the user's authenticator app shows now (set up first if need be).

    A test signs in far more often than once per 30-second step, and django-otp rightly refuses
    a code twice; this forgets the last step used so the current code is fresh again."""
    device = give_authenticator(user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return two_factor.current_code(device)


def lancashire_sharing_agreement(*organisation_slugs: str) -> SharingAgreement:
    """A live section 115 agreement between the named organisations (police and Preston by
    default), as a partnership's data protection officers would register it."""
    slugs = organisation_slugs or ("lancashire-constabulary", "preston-city-council")
    today = timezone.localdate()
    return do_create_sharing_agreement(
        title="Safer Lancashire information sharing protocol",
        parties=Organisation.objects.filter(slug__in=slugs),
        purpose="Reducing crime and disorder: domestic abuse and anti-social behaviour cases.",
        legal_basis=LegalBasis.CDA_1998_S115,
        data_categories=[DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.INCIDENTS],
        starts_on=today - timedelta(days=30),
        review_on=today + timedelta(days=335),
        acting_user=None,
    )


def alices_case(alice: User) -> tuple[Person, Incident]:
    """A victim of domestic abuse Alice has recorded, and the incident she reported."""
    person = do_record_person(
        given_name="Grace",
        family_name="Okafor",
        aliases=["Grace Taylor"],
        date_of_birth=date(1986, 5, 14),
        gender=Gender.FEMALE,
        ethnicity=Ethnicity.BLACK_AFRICAN,
        safe_contact_methods=[ContactMethod.VIA_AGENCY],
        contact_notes="Do not leave voicemail.",
        vulnerability_markers=[VulnerabilityMarker.REPEAT_VICTIM],
        address="14 Fishergate Hill\nPreston",
        postcode="pr1 8jb",
        acting_user=alice,
    )
    incident = do_record_incident(
        category=IncidentCategory.DOMESTIC_ABUSE,
        occurred_on=timezone.localdate() - timedelta(days=3),
        summary="Assault by an ex-partner at her home; third report this year.",
        location="Fishergate Hill, Preston",
        people=[(person, InvolvementRole.VICTIM)],
        acting_user=alice,
    )
    return person, incident


def share_with(
    record: Person | Incident,
    recipient_slug: str,
    *,
    by: User,
    agreement: SharingAgreement,
    days: int = 30,
) -> Share:
    return do_share_record(
        record,
        recipient=Organisation.objects.get(slug=recipient_slug),
        agreement=agreement,
        purpose="Joint safety planning for a high-risk victim.",
        consent=Consent.GIVEN,
        expires_at=timezone.now() + timedelta(days=days),
        acting_user=by,
    )
