"""What every Safer command shares."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class SaferBaseCommand(BaseCommand):
    """Base for Safer's commands: `help` states the rule, the body calls an action.

    Errors are raised as CommandError with a message a partnership analyst can act on, and the
    command exits with status 1 without a traceback.
    """

    def success(self, message: str) -> None:
        self.stdout.write(self.style.SUCCESS(message))
