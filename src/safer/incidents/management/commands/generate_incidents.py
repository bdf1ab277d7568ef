from __future__ import annotations

import sys
from time import perf_counter
from typing import Any

from django.core.management.base import CommandError, CommandParser

from safer.core.management import SaferBaseCommand
from safer.crimedata.management.commands.import_police import ProgressBar
from safer.incidents.generate import write_bulk
from safer.partnership.models import CspArea


class Command(SaferBaseCommand):
    help = (
        "Generate realistic incidents and people in bulk for benchmarks and load tests: kinds "
        "in proportion, names with typos, dates of birth, postcodes, the 14 areas, three years "
        "of dates, several incidents per repeat victim, flags set by the partnership's rules. "
        "Written straight to the tables (no checks, NOT in the audit log): never in production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, required=True, help="How many incidents.")
        parser.add_argument(
            "--people", type=int, help="How many people (default: 0.6 for each incident)."
        )
        parser.add_argument("--seed", type=int, default=5, help="Same seed, same records.")

    def handle(self, *args: Any, **options: Any) -> None:
        count, people = options["count"], options["people"]
        if count < 0 or (people is not None and people < 0):
            raise CommandError("--count and --people must be 0 or more.")
        if not CspArea.objects.exists():
            raise CommandError("There are no CSP areas yet: run `safer load-agreement` first.")
        bar = ProgressBar("Generating incidents", sys.stderr)
        started = perf_counter()
        try:
            made = write_bulk(count=count, people=people, seed=options["seed"], progress=bar)
        finally:
            bar.close()
        seconds = perf_counter() - started
        self.success(
            f"Generated {made.incidents:,} incidents, {made.people:,} people and "
            f"{made.involvements:,} involvements in {seconds:.1f} s "
            f"({(made.incidents + made.people) / max(seconds, 1e-9):,.0f} records/s)."
        )
