from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from safer.core.management import SaferBaseCommand
from safer.incidents.actions import do_apply_retention
from safer.incidents.retention import due, retention_years


class Command(SaferBaseCommand):
    help = (
        "Apply the retention periods: incidents are deleted, and people with nothing recent "
        "anonymised, six years (SAFER_RETENTION_YEARS) after the last thing that happened on "
        "them. --dry-run lists what is due; --apply does it and writes each to the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--dry-run", action="store_true", help="List what is due (default).")
        group.add_argument("--apply", action="store_true", help="Delete and anonymise it.")

    def handle(self, *args: Any, **options: Any) -> None:
        found = due()
        self.stdout.write(
            f"Retention period: {retention_years()} years. Due: {len(found.incidents)} "
            f"incident(s) to delete, {len(found.people)} person record(s) to anonymise."
        )
        for incident in found.incidents:
            self.stdout.write(f"  delete    {incident.reference} ({incident.occurred_on})")
        for person in found.people:
            self.stdout.write(f"  anonymise {person.reference}")
        if not options["apply"]:
            self.stdout.write("Nothing changed (dry run). Run with --apply to do it.")
            return
        try:
            deleted, anonymised = do_apply_retention(found, acting_user=None)
        except Exception as exc:  # nothing is half-done: the action is atomic
            raise CommandError(f"Retention was not applied: {exc}") from exc
        self.success(f"Deleted {deleted} incident(s), anonymised {anonymised} person record(s).")
