from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from safer.core.management import SaferBaseCommand
from safer.crimedata.actions import do_set_population
from safer.partnership.models import CspArea

_ONS_PERSONS = re.compile(r"^Persons_all_ages_mid(?P<year>\d{4})$")


class Command(SaferBaseCommand):
    help = (
        "Load resident populations for rates per 1,000: a CSV with an area code column "
        "(area_code or Code, the area's ONS code) and either year and population columns or an "
        "ONS mid-year estimate column such as Persons_all_ages_mid2020. Rows for codes that are "
        "not partnership areas (England, regions) are skipped. The whole file or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        areas = {area.ons_code: area for area in CspArea.objects.all()}
        try:
            with path.open(newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                fields = reader.fieldnames or []
                code_field = next((f for f in ("area_code", "Code") if f in fields), None)
                ons = next((m for f in fields if (m := _ONS_PERSONS.match(f))), None)
                if code_field is None or not (ons or {"year", "population"} <= set(fields)):
                    raise CommandError(
                        f"{path}, row 1: expected an area_code (or Code) column and year and "
                        "population columns (or Persons_all_ages_midYYYY); "
                        f"found {', '.join(fields)}"
                    )
                rows = []
                for number, row in enumerate(reader, start=2):
                    area = areas.get(row[code_field].strip())
                    if area is None:
                        continue
                    raw_year = ons["year"] if ons else row["year"]
                    raw_people = row[ons.string] if ons else row["population"]
                    try:
                        year, people = int(raw_year), int(raw_people.replace(",", ""))
                    except ValueError:
                        raise CommandError(
                            f"{path}, row {number}: year {raw_year!r} and population "
                            f"{raw_people!r} must be whole numbers"
                        ) from None
                    rows.append((area, year, people))
        except OSError as exc:
            raise CommandError(f"{path}: {exc}") from None
        with transaction.atomic():
            for area, year, people in rows:
                do_set_population(area, year, people, acting_user=None, source=path.name)
        self.success(f"Populations: {len(rows)} area-years loaded from {path.name}")
