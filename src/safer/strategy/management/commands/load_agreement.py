from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import IntegrityError

from safer.core.management import SaferBaseCommand
from safer.strategy.actions import do_load_agreement
from safer.strategy.agreement_file import (
    SHIPPED_AGREEMENT,
    AgreementFileError,
    read_agreement_file,
)


class Command(SaferBaseCommand):
    help = (
        "Load a Community Safety Agreement from a YAML or JSON file (format safer.agreement/1); "
        "without FILE, the Safer Lancashire agreement 2011-2014 that ships with Safer. The whole "
        "file is checked first: any problem is reported with its line and field and nothing is "
        "written. Loading the same file again changes nothing; nothing is ever deleted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=SHIPPED_AGREEMENT)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            document = read_agreement_file(options["file"])
        except AgreementFileError as exc:
            raise CommandError(str(exc)) from None
        try:
            report = do_load_agreement(document)
        except IntegrityError as exc:
            raise CommandError(
                f"{options['file']} conflicts with the database, so nothing was changed: {exc}. "
                "A record in the file takes a name or number that another record already has."
            ) from None
        if options["verbosity"] >= 2 or (report.changed and options["verbosity"] >= 1):
            for line in report.lines():
                self.stdout.write(f"  {line}")
        agreement = report.agreement
        if agreement is None:  # every valid document has one; this keeps the types honest
            raise CommandError(f"{options['file']} holds no agreement")
        verb = "Loaded" if report.changed else "Already up to date:"
        self.success(f"{verb} {agreement.board} {agreement.title} from {options['file'].name}")
