from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from safer.core.management import SaferBaseCommand
from safer.crimedata.actions import do_set_population
from safer.partnership.models import CspArea

_ONS_PERSONS = re.compile(r"^Persons_all_ages_mid(?P<year>\d{4})$")


@dataclass(frozen=True)
class _Cells:
    """One row's cells, read so that a bad one is named by file, row and column."""

    path: Path
    number: int
    row: dict[str, str]

    def given(self, column: str) -> bool:
        return bool((self.row.get(column) or "").strip())

    def whole(self, column: str) -> int:
        raw = self.row[column] or ""
        text = raw.strip().replace(",", "")
        if not (text.isascii() and text.isdigit()):
            raise CommandError(
                f"{self.path}, row {self.number}, column {column}: {raw!r} is not a whole number"
            )
        return int(text)


class Command(SaferBaseCommand):
    help = (
        "Load resident populations for rates per 1,000: a CSV with an area code column "
        "(area_code or Code, the area's ONS code) and either year and population columns or an "
        "ONS mid-year estimate column such as Persons_all_ages_mid2020. An adult_women column "
        "(women aged 16 and over) gives MARAC cases per 10,000 adult women; a blank cell keeps "
        "what was loaded before. Rows for codes that are not partnership areas (England, "
        "regions) are skipped. The whole file or nothing."
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
                people_field = ons.string if ons else "population"
                rows = []
                for number, row in enumerate(reader, start=2):
                    area = areas.get(row[code_field].strip())
                    if area is None:
                        continue
                    cell = _Cells(path, number, row)
                    year = int(ons["year"]) if ons else cell.whole("year")
                    people = cell.whole(people_field)
                    women = cell.whole("adult_women") if cell.given("adult_women") else None
                    if women is not None and women > people:
                        raise CommandError(
                            f"{path}, row {number}, column adult_women: {women:,} women aged 16 "
                            f"and over is more than the population of {people:,}"
                        )
                    rows.append((area, year, people, women))
        except OSError as exc:
            raise CommandError(f"{path}: {exc}") from None
        with transaction.atomic():
            for area, year, people, women in rows:
                do_set_population(
                    area, year, people, acting_user=None, source=path.name, adult_women=women
                )
        with_women = sum(women is not None for *_, women in rows)
        self.success(
            f"Populations: {len(rows)} area-years loaded from {path.name}"
            + (f", {with_women} with adult women" if with_women else "")
        )
