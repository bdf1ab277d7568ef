from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from safer.accounts import two_factor
from safer.accounts.models import User
from safer.core.management import SaferBaseCommand


class Command(SaferBaseCommand):
    help = (
        "Print the current two-factor code of a demo account, so the demo can be tried without "
        "a phone. Only in a local demo (SAFER_DEMO=1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SAFER_DEMO:
            raise CommandError("Codes are printed only in a local demo (SAFER_DEMO=1).")
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called {options['username']!r}.")
        if not user.email.endswith("@demo.invalid"):
            raise CommandError(f"{user.username} is not a demo account.")
        device = two_factor.authenticator(user)
        if device is None:
            raise CommandError(f"{user.username} has no authenticator: run `safer load-demo`.")
        self.stdout.write(two_factor.current_code(device))
