"""Reading police.uk street-level CSVs: the columns, the checks on every row, and the rules.

police.uk files (https://data.police.uk/about/#columns) have 12 columns, one month and one force
("Reported by") per file. A row is refused when a column is missing or extra, the month or
force differs from the file's, the coordinates are not a point in the United Kingdom, the LSOA
code is not an ONS code, or the crime type is not a police.uk category. A file with any refused
row is refused whole.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from django.utils.text import slugify

from safer.crimedata.enums import CRIME_TYPE_BY_LABEL, FileKind, Place

STREET_COLUMNS = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
OUTCOME_COLUMNS = [*STREET_COLUMNS[:9], "Outcome type"]
STOP_AND_SEARCH_START = ["Type", "Date", "Part of a policing operation"]

# The United Kingdom and its waters, generously: a point outside this is not a real location.
LONGITUDE_RANGE = (-9.0, 2.5)
LATITUDE_RANGE = (49.0, 61.5)
MAX_PROBLEMS_KEPT = 50

_FILE_NAME = re.compile(r"(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-(?P<kind>street|outcomes)")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# police.uk's file-name slugs that are not a prefix of the force's name.
_FORCE_SLUG_ALIASES = {"btp": "british-transport-police", "metropolitan": "metropolitan-police"}


class FileRefusedError(Exception):
    """The whole file is refused; `problems` name the rows and reasons."""

    def __init__(self, problems: list[str], rows_read: int = 0, rows_rejected: int = 0) -> None:
        super().__init__(problems[0] if problems else "refused")
        self.problems = problems
        self.rows_read = rows_read
        self.rows_rejected = rows_rejected


@dataclass
class FileFacts:
    """What the first data row and the file name say about the whole file."""

    kind: FileKind
    force: str
    month: str  # YYYY-MM

    @property
    def month_date(self) -> date:
        year, month = self.month.split("-")
        return date(int(year), int(month), 1)


@dataclass
class RowChecker:
    """Checks rows one at a time and keeps the problems found, naming file and row."""

    file_name: str
    facts: FileFacts | None = None
    problems: list[str] = field(default_factory=list)
    rejected: int = 0
    held_back: int = 0

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(f"{self.file_name}, row {line}: {reason}")


def file_kind(file_name: str, header: list[str]) -> FileKind:
    """Which police.uk file this is, from its header; raises FileRefusedError naming the columns."""
    if header == STREET_COLUMNS:
        return FileKind.STREET
    if header == OUTCOME_COLUMNS:
        return FileKind.OUTCOMES
    if header[:3] == STOP_AND_SEARCH_START:
        raise FileRefusedError(
            [f"{file_name}, row 1: a stop-and-search file; Safer imports street files"]
        )
    missing = [c for c in STREET_COLUMNS if c not in header]
    extra = [c for c in header if c not in STREET_COLUMNS]
    detail = []
    if missing:
        detail.append("missing " + ", ".join(repr(c) for c in missing))
    if extra:
        detail.append("unexpected " + ", ".join(repr(c) for c in extra[:5]))
    if not detail:
        detail.append("the columns are in the wrong order")
    raise FileRefusedError(
        [
            f"{file_name}, row 1: not a police.uk street-level file: {'; '.join(detail)}. "
            f"Expected the 12 columns {', '.join(STREET_COLUMNS)}"
        ]
    )


def check_file_name(file_name: str, facts: FileFacts, line: int) -> list[str]:
    """A police.uk file name (2021-04-lancashire-street.csv) must agree with its rows."""
    match = _FILE_NAME.search(file_name.rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    if match is None:
        return []
    problems = []
    if match["month"] != facts.month:
        problems.append(
            f"{file_name}, row {line}: the file name says {match['month']} but the rows are "
            f"for {facts.month}"
        )
    slug = _FORCE_SLUG_ALIASES.get(match["force"], match["force"])
    if slug not in slugify(facts.force):
        problems.append(
            f"{file_name}, row {line}: the file name is {match['force']!r}'s but the rows are "
            f"reported by {facts.force}"
        )
    return problems


# One checked row: source_id, force_id, month and its values (a street row's are counted in
# `Tallies`; an outcome row is stored as it is yielded).
Row = tuple[object, ...]
Head = tuple[int, int, str]


# The summary tables: each one's columns after (source_id, force_id, month) and before its
# count, and its text columns that keep '' rather than NULL through COPY. The first is the
# finest grouping by LSOA, the other LSOA tables and the area tables are its sums; the map's
# point counts are sums of the point and crime type counts.
LSOA_OUTCOMES = "crimedata_lsoaoutcomecount"
POINT_TYPES = "crimedata_pointtypecount"
SUMMARY_COLUMNS = {
    LSOA_OUTCOMES: (
        "place, area_id, crime_type, lsoa_code, lsoa_name, outcome",
        "lsoa_code, lsoa_name, outcome",
    ),
    "crimedata_lsoacount": (
        "place, area_id, crime_type, lsoa_code, lsoa_name",
        "lsoa_code, lsoa_name",
    ),
    "crimedata_lsoamonthcount": ("place, area_id, lsoa_code, lsoa_name", "lsoa_code, lsoa_name"),
    "crimedata_areacount": ("place, area_id, crime_type, outcome", "outcome"),
    "crimedata_typecount": ("place, area_id, crime_type", ""),
    POINT_TYPES: ("place, area_id, crime_type, point_id", ""),
    "crimedata_pointcount": ("place, area_id, point_id", ""),
}
SummaryRows = dict[str, list[tuple[object, ...]]]  # table -> its rows: keys, then count


def finer_table(table: str) -> str:
    """The finest summary a table is the sum of: map point tables of point × crime type,
    the others of LSOA × crime type × outcome."""
    return POINT_TYPES if "point_id" in SUMMARY_COLUMNS[table][0] else LSOA_OUTCOMES


def disk_order(columns: list[str]) -> list[str]:
    """The key columns a summary's rows of one import are written in order of: from the crime
    type on, so a page for a crime type reads one month's rows in runs rather than a row here
    and a row there (none for the tables without a crime type)."""
    return columns[columns.index("crime_type") :] if "crime_type" in columns else []


@dataclass
class Tallies:
    """Counts for the summary tables, kept while the rows are read (cheaper than re-reading)."""

    # (place, area_id, crime type, LSOA code, LSOA name, longitude text, latitude text,
    # location, outcome): the LSOA and map-point summaries are sums of these, taken after
    # reading.
    spots: Counter[tuple[str, int | None, str, str, str, str, str, str, str]] = field(
        default_factory=Counter
    )


def street_rows(
    text: Iterable[str],
    checker: RowChecker,
    lsoa_areas: dict[str, int],
    tallies: Tallies,
    *,
    ends_with_newline: bool,
    on_facts: Callable[[FileFacts], Head],
) -> Iterator[Row]:
    """Yield every valid row, counted into `tallies`; record every invalid one on `checker`.

    `text` starts after the header line (row 1). `on_facts` is called with the first valid
    row's month and force and returns the (source, force, month) every row carries.
    """
    reader = csv.reader(text)
    crime_types = {label: str(value) for label, value in CRIME_TYPE_BY_LABEL.items()}
    lon_min, lon_max = LONGITUDE_RANGE
    lat_min, lat_max = LATITUDE_RANGE
    area = Place.AREA.value
    none = Place.NO_LOCATION.value
    outside = Place.OUTSIDE.value
    spot_tally = tallies.spots
    good_points: set[tuple[str, str]] = set()
    places: dict[str, tuple[str, int | None]] = {}
    head: Head = (0, 0, "")
    month = force = ""
    short: tuple[int, int] | None = None  # a short row held back: is it the truncated last?
    # The loop runs once a record: the row number (reader.line_num + 1) is worked out only
    # for a refused row, and a row of the wrong length is caught by its unpacking failing.
    for row in reader:
        if short is not None:
            checker.reject(short[0], f"{short[1]} columns where the header has 12")
            short = None
        try:
            (crime_id, row_month, reported_by, _falls_within, lon_s, lat_s, location, lsoa_code,
             lsoa_name, type_label, outcome, _context) = row  # fmt: skip
        except ValueError:
            if not row:
                continue
            if ends_with_newline:
                checker.reject(reader.line_num + 1, f"{len(row)} columns where the header has 12")
            else:
                short = (reader.line_num + 1, len(row))
            continue
        if not month:
            if not MONTH.match(row_month):
                checker.reject(
                    reader.line_num + 1, f"Month {row_month!r} is not a month like 2021-04"
                )
                continue
            if not reported_by.strip():
                checker.reject(
                    reader.line_num + 1, "Reported by is empty: every row names its force"
                )
                continue
            checker.facts = FileFacts(FileKind.STREET, reported_by, row_month)
            month, force = row_month, reported_by
            problems = check_file_name(checker.file_name, checker.facts, reader.line_num + 1)
            checker.problems.extend(problems)
            checker.rejected += len(problems)
            head = on_facts(checker.facts)
        if row_month != month:
            checker.reject(
                reader.line_num + 1, f"Month {row_month!r} differs from the file's month {month}"
            )
            continue
        if reported_by != force:
            checker.reject(
                reader.line_num + 1,
                f"reported by {reported_by!r}, but this file is {force}'s: another force's row",
            )
            continue
        crime_type = crime_types.get(type_label)
        if crime_type is None:
            checker.reject(
                reader.line_num + 1, f"Crime type {type_label!r} is not a police.uk category"
            )
            continue
        # police.uk's snapped points repeat: a point checked once is good for the file.
        if (lon_s or lat_s) and (lon_s, lat_s) not in good_points:
            try:
                lon = float(lon_s)
                lat = float(lat_s)
            except ValueError:
                checker.reject(
                    reader.line_num + 1, f"coordinates {lon_s!r}, {lat_s!r} are not numbers"
                )
                continue
            if not (lon_min <= lon <= lon_max and lat_min <= lat <= lat_max) or "_" in (
                lon_s + lat_s
            ):
                checker.reject(
                    reader.line_num + 1,
                    f"coordinates longitude {lon_s}, latitude {lat_s} are impossible: "
                    "not a point in the United Kingdom",
                )
                continue
            good_points.add((lon_s, lat_s))
        if lsoa_code:
            placed = places.get(lsoa_code)
            if placed is None:
                if len(lsoa_code) != 9 or lsoa_code[0] not in "EWSN" or not lsoa_code[1:].isdigit():
                    checker.reject(
                        reader.line_num + 1,
                        f"LSOA code {lsoa_code!r} is not an ONS code like E01012345",
                    )
                    continue
                found = lsoa_areas.get(lsoa_code)
                placed = places[lsoa_code] = (outside if found is None else area, found)
            place, area_id = placed
        else:
            area_id = None
            place = none
        if len(crime_id) > 64 or len(location) > 200 or len(outcome) > 100 or len(lsoa_name) > 100:
            checker.reject(reader.line_num + 1, "a value is longer than police.uk ever publishes")
            continue
        spot_tally[(place, area_id, crime_type, lsoa_code, lsoa_name, lon_s, lat_s, location,
                    outcome)] += 1  # fmt: skip
        yield head  # counted into `tallies` above; a street row itself is not kept
    if short is not None:
        checker.reject(
            short[0],
            f"the file ends part-way through this row ({short[1]} of 12 columns): "
            "it is truncated; download it again",
        )


def outcome_rows(
    text: Iterable[str],
    checker: RowChecker,
    lsoa_areas: dict[str, int],
    tallies: Counter[tuple[str, int | None, str]],
    *,
    ends_with_newline: bool,
    on_facts: Callable[[FileFacts], Head],
) -> Iterator[Row]:
    """Yield every valid row of an outcomes file (10 columns) as (source, force, month,
    crime_id, lsoa_code, outcome, place, area_id); record every invalid one on `checker`."""
    reader = csv.reader(text)
    head: Head = (0, 0, "")
    month = force = ""
    short: tuple[int, int] | None = None
    for row in reader:
        line = reader.line_num + 1
        if short is not None:
            checker.reject(short[0], f"{short[1]} columns where the header has 10")
            short = None
        if len(row) != 10:
            if not row:
                continue
            if ends_with_newline:
                checker.reject(line, f"{len(row)} columns where the header has 10")
            else:
                short = (line, len(row))
            continue
        crime_id, row_month, reported_by, _falls, lon_s, lat_s, _loc, lsoa_code, _name, outcome = (
            row
        )
        if not month:
            if not MONTH.match(row_month) or not reported_by.strip():
                checker.reject(line, f"Month {row_month!r} or Reported by is not usable")
                continue
            checker.facts = FileFacts(FileKind.OUTCOMES, reported_by, row_month)
            month, force = row_month, reported_by
            problems = check_file_name(checker.file_name, checker.facts, line)
            checker.problems.extend(problems)
            checker.rejected += len(problems)
            head = on_facts(checker.facts)
        if row_month != month:
            checker.reject(line, f"Month {row_month!r} differs from the file's month {month}")
            continue
        if reported_by != force:
            checker.reject(
                line,
                f"reported by {reported_by!r}, but this file is {force}'s: another force's row",
            )
            continue
        if not crime_id or len(crime_id) > 64:
            checker.reject(line, "Crime ID is empty or too long: every outcome names its crime")
            continue
        if not outcome or len(outcome) > 100:
            checker.reject(line, "Outcome type is empty or too long")
            continue
        if lon_s or lat_s:
            try:
                lon, lat = float(lon_s), float(lat_s)
            except ValueError:
                checker.reject(line, f"coordinates {lon_s!r}, {lat_s!r} are not numbers")
                continue
            if not (
                LONGITUDE_RANGE[0] <= lon <= LONGITUDE_RANGE[1]
                and LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1]
            ):
                checker.reject(
                    line,
                    f"coordinates longitude {lon_s}, latitude {lat_s} are impossible: "
                    "not a point in the United Kingdom",
                )
                continue
        if lsoa_code:
            if len(lsoa_code) != 9 or lsoa_code[0] not in "EWSN" or not lsoa_code[1:].isdigit():
                checker.reject(line, f"LSOA code {lsoa_code!r} is not an ONS code like E01012345")
                continue
            area_id = lsoa_areas.get(lsoa_code)
            place = Place.OUTSIDE.value if area_id is None else Place.AREA.value
        else:
            area_id, place = None, Place.NO_LOCATION.value
        tallies[(place, area_id, outcome)] += 1
        yield (*head, crime_id, lsoa_code, outcome, place, area_id)
    if short is not None:
        checker.reject(
            short[0],
            f"the file ends part-way through this row ({short[1]} of 10 columns): "
            "it is truncated; download it again",
        )


def text_stream(raw: IO[bytes]) -> IO[str]:
    """The bytes as text: UTF-8 (police.uk's encoding), a byte-order mark allowed."""
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
