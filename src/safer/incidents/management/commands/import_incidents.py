from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError, CommandParser

from safer.accounts.models import User
from safer.core.management import ProgressBar, SaferBaseCommand
from safer.incidents.actions import do_import_incidents
from safer.incidents.enums import ImportStatus
from safer.partnership.models import Organisation


class Command(SaferBaseCommand):
    help = (
        "Import an incident extract (the CSV format in docs/recording-standard.md) for an "
        "organisation, as one of its users. The whole file loads or none of it: a refused file "
        "is reported row by row, column by column. Incidents and people already imported with "
        "the same references are updated, not added again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, metavar="FILE")
        parser.add_argument(
            "--organisation",
            required=True,
            metavar="SLUG",
            help="The organisation the records belong to (its slug, e.g. preston-city-council).",
        )
        parser.add_argument(
            "--user",
            required=True,
            metavar="USERNAME",
            help="Who is importing: a user of that organisation whose role records incidents.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user is called {options['user']!r}.")
        if user.organisation_id != organisation.pk:
            raise CommandError(
                f"{user.username} works for {user.organisation or 'no organisation'}, not "
                f"{organisation}: an import writes only to the importing user's organisation."
            )
        bar = ProgressBar(path.name, sys.stderr)
        try:
            record = do_import_incidents(
                path, acting_user=user, progress=lambda percent, _: bar(percent, 100)
            )
        except PermissionDenied as exc:
            raise CommandError(f"{user.username}: {exc}") from None
        finally:
            bar.close()
        if record.status == ImportStatus.IMPORTED:
            rate = record.rows_per_second if record.rows_read >= 1000 else None
            self.success(
                f"Imported {path.name} as {record.reference}: {record.rows_read:,} rows; "
                f"incidents {record.incidents_created:,} new, {record.incidents_updated:,} "
                f"updated, {record.incidents_unchanged:,} unchanged; people "
                f"{record.people_created:,} new, {record.people_updated:,} updated "
                f"({record.seconds or 0:.1f}s{f', {rate:,.0f} rows/s' if rate else ''})."
            )
            return
        self.stderr.write(
            self.style.ERROR(
                f"Refused {path.name} ({record.reference}): nothing of it was written. "
                f"{record.rows_rejected:,} of {record.rows_read:,} rows have a problem."
            )
        )
        for error in record.errors:
            where = f"row {error['row']}" if error["row"] else "the file"
            column = f", column {error['column']}" if error["column"] else ""
            self.stderr.write(f"  {where}{column}: {error['reason']}")
        if record.errors_not_shown:
            self.stderr.write(f"  ... and {record.errors_not_shown:,} more problems.")
        raise CommandError(f"{path.name} refused; see the reasons above")
