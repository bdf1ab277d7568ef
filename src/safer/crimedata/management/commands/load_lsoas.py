from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from safer.core.management import SaferBaseCommand
from safer.crimedata.actions import do_load_lsoas

SHIPPED_LSOAS = Path(__file__).resolve().parents[2] / "data" / "lancashire-lsoas.csv"


class Command(SaferBaseCommand):
    help = (
        "Load the LSOA to CSP area table that places police.uk records in areas (CSV columns "
        "lsoa_code, lsoa_name, area_code, the area's ONS code); without FILE, Lancashire's 941 "
        "LSOAs that ship with Safer. Also records each area's population for rates. Loading "
        "again changes only what differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=SHIPPED_LSOAS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = do_load_lsoas(options["file"], acting_user=None)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if result.unmatched_areas:
            self.stdout.write(
                "Skipped LSOAs of areas Safer does not hold: " + ", ".join(result.unmatched_areas)
            )
        self.success(
            f"LSOAs: {result.created} added, {result.updated} moved to another area "
            f"from {options['file'].name}"
        )
