from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail

from safer.accounts.enums import Role
from safer.accounts.models import User
from safer.accounts.unusual_access import Thresholds, unusual_access
from safer.core.management import SaferBaseCommand


class Command(SaferBaseCommand):
    help = (
        "E-mail each data protection officer the unusual access by their organisation's staff "
        "(the rule and its thresholds: safer/accounts/unusual_access.py). Run it from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        thresholds = Thresholds.from_settings()
        officers = User.objects.filter(
            is_active=True, role_grants__role=Role.DATA_PROTECTION_OFFICER
        ).exclude(email="")
        sent = 0
        for officer in officers:
            alerts = unusual_access(officer.organisation_id, thresholds)
            if not alerts:
                continue
            lines = [f"- {alert.username}: {alert.reason}" for alert in alerts]
            send_mail(
                subject=f"Safer: unusual access in the last {thresholds.window_hours} hours",
                message="\n".join(
                    [
                        "Safer noticed access to person records you may want to look at:",
                        "",
                        *lines,
                        "",
                        "Open the Audit log in Safer and search by each username for details.",
                    ]
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[officer.email],
            )
            sent += 1
        self.success(f"Sent {sent} alert e-mail(s).")
