from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from safer.accounts.actions import do_create_api_token
from safer.core.management import SaferBaseCommand
from safer.partnership.models import Organisation


class Command(SaferBaseCommand):
    help = (
        "Issue an API token for one of an organisation's systems and print it once: Safer keeps "
        "only its hash. The token reads and records incidents as that organisation, as its own "
        "account in the audit log. Revoke it on the API tokens page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation",
            required=True,
            help="The organisation's slug, e.g. lancashire-constabulary.",
        )
        parser.add_argument("--name", required=True, help="The system that will use the token.")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["organisation"]
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            known = ", ".join(Organisation.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"No organisation has the slug {slug!r}. Known: {known or 'none'}.")
        try:
            token, secret = do_create_api_token(
                organisation, name=options["name"], acting_user=None
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.success(f"Issued {token.name!r} for {organisation}. The token (shown only now):")
        self.stdout.write(secret)
