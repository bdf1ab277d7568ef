from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from safer.accounts.audit import verify_chain
from safer.accounts.models import AuditEvent
from safer.core.management import SaferBaseCommand


class Command(SaferBaseCommand):
    help = (
        "Check the audit log: `safer audit verify` recomputes the hash chain from the first "
        "entry and names every entry that was altered, removed or added out of turn. It exits "
        "with status 1 if any was."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("check", choices=["verify"], help="What to do: verify.")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(f"  {problem}")
            raise CommandError(
                f"The audit log has been tampered with: {len(problems)} problem(s), listed above."
            )
        self.success(f"The audit log is intact: {AuditEvent.objects.count():,} entries checked.")
