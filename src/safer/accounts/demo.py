"""Demonstration accounts, one per role, for the local demo that `make run` builds.

They exist so a newcomer can try every part of Safer at once. They are refused outside a
demo (SAFER_DEMO is off under production settings): a known password must never reach a
server that holds real records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from safer.accounts import two_factor
from safer.accounts.actions import do_create_user
from safer.accounts.enums import Role
from safer.accounts.models import User
from safer.accounts.permissions import needs_two_factor
from safer.partnership.models import Organisation

DEMO_PASSWORD = "safer-demo-2011"  # noqa: S105 - published on purpose: demo only, refused in production


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    organisation: str
    role: Role
    job_title: str


DEMO_ACCOUNTS = [
    DemoAccount(
        "admin",
        "Priya",
        "Shah",
        "lancashire-county-council",
        Role.ADMINISTRATOR,
        "Safer system administrator",
    ),
    DemoAccount(
        "dpo",
        "Tom",
        "Whitaker",
        "lancashire-constabulary",
        Role.DATA_PROTECTION_OFFICER,
        "Data protection officer",
    ),
    DemoAccount(
        "board-member",
        "Margaret",
        "Holt",
        "lancashire-police-authority",
        Role.BOARD_MEMBER,
        "Member of the Safer Lancashire Board",
    ),
    DemoAccount(
        "theme-lead",
        "Sarah",
        "Ainsworth",
        "lancashire-constabulary",
        Role.THEME_LEAD,
        "Theme lead: Protect and support vulnerable people",
    ),
    DemoAccount(
        "lead-attitudes",
        "Rachel",
        "Duckworth",
        "lancashire-county-council",
        Role.THEME_LEAD,
        "Theme lead: Change attitudes and behaviours",
    ),
    DemoAccount(
        "lead-substance",
        "Imran",
        "Patel",
        "lancashire-daat",
        Role.THEME_LEAD,
        "Theme lead: Reduce alcohol and drug misuse",
    ),
    DemoAccount(
        "lead-reoffending",
        "Gillian",
        "Hargreaves",
        "lancashire-probation-trust",
        Role.THEME_LEAD,
        "Theme lead: Reduce reoffending",
    ),
    DemoAccount(
        "analyst",
        "James",
        "Pickup",
        "lancashire-county-council",
        Role.ANALYST,
        "Community safety analyst",
    ),
    DemoAccount(
        "case-worker",
        "Alice",
        "Brennan",
        "lancashire-constabulary",
        Role.CASE_WORKER,
        "Domestic abuse officer",
    ),
    DemoAccount(
        "council-case-worker",
        "Ben",
        "Bibby",
        "preston-city-council",
        Role.CASE_WORKER,
        "Anti-social behaviour officer",
    ),
    DemoAccount(
        "coordinator",
        "Helen",
        "Crook",
        "lancashire-constabulary",
        Role.CONFERENCE_COORDINATOR,
        "MARAC coordinator",
    ),
    DemoAccount(
        "offender-manager",
        "Daniel",
        "Kay",
        "lancashire-probation-trust",
        Role.OFFENDER_MANAGER,
        "Integrated Offender Management officer",
    ),
]


def _refuse_outside_a_demo() -> None:
    if not settings.SAFER_DEMO:
        raise ImproperlyConfigured(
            "Demo accounts are only created in a local demo (SAFER_DEMO=1, the default when "
            "DEBUG=1). This installation has SAFER_DEMO off, as production must."
        )


@transaction.atomic
def do_give_demo_authenticators() -> list[tuple[User, TOTPDevice]]:
    """An authenticator for every demo account whose role needs one, already confirmed, so
    `safer demo-code USERNAME` (or any authenticator app given the printed key) signs in."""
    _refuse_outside_a_demo()
    given = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None or not needs_two_factor(user):
            continue
        device = two_factor.authenticator(user)
        if device is None:
            device = two_factor.do_start_authenticator(user)
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        given.append((user, device))
    return given


@transaction.atomic
def do_create_demo_accounts() -> list[tuple[DemoAccount, bool]]:
    """Create each missing demo account; leave existing ones (and their passwords) alone."""
    _refuse_outside_a_demo()
    results = []
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            results.append((account, False))
            continue
        organisation = Organisation.objects.filter(slug=account.organisation).first()
        if organisation is None:
            raise ImproperlyConfigured(
                f"Demo account {account.username!r} belongs to {account.organisation!r}, which "
                "is not loaded: run `safer load-agreement` first."
            )
        do_create_user(
            account.username,
            first_name=account.first_name,
            last_name=account.last_name,
            email=f"{account.username}@demo.invalid",
            organisation=organisation,
            roles=[account.role],
            password=DEMO_PASSWORD,
            job_title=account.job_title,
            acting_user=None,
        )
        results.append((account, True))
    return results
