from __future__ import annotations

import csv
import os
import sys
from typing import Any

from django.core.management.base import CommandError, CommandParser

from safer.core.management import SaferBaseCommand
from safer.crimedata.aggregates import DIMENSIONS, counts
from safer.crimedata.filters import FilterError, build_filter


class Command(SaferBaseCommand):
    help = (
        "Print police.uk record counts as CSV with a header, one row per group: areas by name, "
        "with 'No location' and 'Outside the partnership' as their own rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", help="a force as police.uk names it (part of it will do)")
        parser.add_argument("--area", help="an area's name or ONS code, 'no location' or 'outside'")
        parser.add_argument("--from", dest="start", metavar="YYYY-MM")
        parser.add_argument("--to", dest="end", metavar="YYYY-MM")
        parser.add_argument("--crime-type", help="a police.uk category or a priority group slug")
        parser.add_argument(
            "--by",
            default="area,month,crime_type",
            help=f"comma-separated groupings from {','.join(DIMENSIONS)} (default %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        by = [name.strip() for name in options["by"].split(",") if name.strip()]
        unknown = [name for name in by if name not in DIMENSIONS]
        if unknown or not by or len(set(by)) != len(by):
            raise CommandError(
                f"--by {options['by']!r}: choose each of {', '.join(DIMENSIONS)} at most once"
            )
        try:
            crime_filter = build_filter(
                force=options["force"],
                area=options["area"],
                start=options["start"],
                end=options["end"],
                crime_type=options["crime_type"],
            )
        except FilterError as exc:
            raise CommandError(str(exc)) from None
        rows = counts(crime_filter, by)
        header = [("lsoa_code", "lsoa_name") if n == "lsoa" else (n,) for n in by]
        fields = [name for group in header for name in group] + ["count"]
        writer = csv.DictWriter(self.stdout, fieldnames=fields, lineterminator="\n")
        try:
            writer.writeheader()
            writer.writerows(rows)
        except BrokenPipeError:
            # The reader stopped early (`| head`): what it read is what it wanted. Python's
            # recipe: point stdout at nothing, so flushing it at exit raises no second error.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
