from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

from safer.accounts import two_factor
from safer.accounts.demo import DEMO_PASSWORD, do_create_demo_accounts, do_give_demo_authenticators
from safer.core.management import SaferBaseCommand
from safer.incidents.demo import do_create_demo_records
from safer.safeguarding.demo import do_create_demo_conferences
from safer.strategy.demo import do_load_demo_performance
from safer.strategy.models import Agreement


class Command(SaferBaseCommand):
    help = (
        "Create the demonstration accounts, one per role, with authenticators for the roles "
        "that need two-factor sign-in, and demo records in two organisations; print how to sign "
        "in. Only in a local demo (SAFER_DEMO=1); existing accounts are left as they are."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = do_create_demo_accounts()
            authenticators = dict(do_give_demo_authenticators())
            records = do_create_demo_records()
            conferences = do_create_demo_conferences()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        created = sum(1 for _, new in results if new)
        self.stdout.write("")
        self.success(f"Demo accounts: {created} created, {len(results) - created} already there.")
        if records:
            self.stdout.write(
                "Demo records: case-worker (police) and council-case-worker (Preston) each hold "
                "a person and an incident, under a live sharing agreement."
            )
        if conferences:
            self.stdout.write(
                "Demo conferences: the Preston MARAC (Grace Okafor's repeat referral, actions "
                "for the police and the council) and ASBRAC; coordinator runs them."
            )
        self.stdout.write("Sign in at http://127.0.0.1:8000/accounts/sign-in/ as any of:")
        keys = {user.username: device for user, device in authenticators.items()}
        for account, _ in results:
            device = keys.get(account.username)
            key = f"  authenticator key {two_factor.secret_of(device)}" if device else ""
            self.stdout.write(f"  {account.username:<20} {account.role.label:<24}{key}")
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        agreement = Agreement.objects.filter(slug=settings.SAFER_AGREEMENT_SLUG).first()
        if agreement is not None:
            made = do_load_demo_performance(agreement)
            self.stdout.write(
                "Demonstration performance data for 2011/12 to 2013/14 "
                + ("made." if made else "already there (left as it is).")
            )
        self.stdout.write(
            "Roles that see records about people also need a code: add the key to an "
            "authenticator app (links below), or run `.venv/bin/safer demo-code USERNAME`."
        )
        for device in keys.values():
            self.stdout.write(f"  {device.config_url}")
        self.stdout.write("(An account whose password you have changed keeps your password.)\n")
