"""The people our tests are about: named persons in named agencies (STYLE.md, pattern 10).

Alice is a domestic abuse officer with Lancashire Constabulary; Bob is Preston City Council's
anti-social behaviour officer, who works cases with Alice; Charlie works for a housing
association and shares nothing with either. Later parts give them records to see or not see.
For the agreement's performance: Erin leads the "Protect and support vulnerable people" theme for
the constabulary, Diana is the partnership analyst, and Frank sits on the Board.
"""

from __future__ import annotations

from safer.accounts.actions import do_create_user
from safer.accounts.enums import Role
from safer.accounts.models import User
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
    "diana": (
        "lancashire-county-council",
        "Diana",
        "Dewhurst",
        Role.ANALYST,
        "Community safety analyst",
    ),
}
