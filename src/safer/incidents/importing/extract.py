"""Reading an incident extract and checking every row against the recording standard.

The format is written down in docs/recording-standard.md ("The incident extract CSV format"):
one row per person in an incident, the incident's details repeated on each of its rows, UTF-8.
Every value is checked by the rules in `incidents/standard.py` (the ones the forms use) and the
lists in `incidents/enums.py`; every problem found is kept with its row (the header is row 1),
its column and the reason, so one pass tells the agency everything to fix.

Nothing here reads the database except through the `areas` it is given: what depends on the
records an organisation already holds is checked when the extract is loaded (`load.py`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any, cast

from django.db import models

from safer.incidents.enums import (
    AbuseType,
    AsbCategory,
    Gender,
    HateStrand,
    IncidentCategory,
    InvolvementRole,
    Outcome,
    Relationship,
)
from safer.incidents.importing.columns import COLUMNS, INCIDENT_COLUMNS, PERSON_COLUMNS
from safer.incidents.models import Incident, IncidentImport, Person
from safer.incidents.standard import (
    category_errors,
    date_of_birth_error,
    occurred_on_error,
    repeat_namings,
    two_roles_reason,
)

PERSON_DETAILS = PERSON_COLUMNS[1:5]  # what must agree on every row naming one person

# The longest value each column may hold: the model's own limits.
_MAX = {
    "incident_reference": Incident._meta.get_field("agency_reference").max_length or 50,
    "location": Incident._meta.get_field("location").max_length or 300,
    "person_reference": Person._meta.get_field("agency_reference").max_length or 50,
    "given_name": Person._meta.get_field("given_name").max_length or 100,
    "family_name": Person._meta.get_field("family_name").max_length or 100,
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}
_NOT_KNOWN = {"", "not known", "unknown", "not_known"}
ABOUT_THE_FILE = 0  # the row of a problem with the file as a whole


@dataclass(frozen=True)
class Problem:
    """Something wrong in the extract: the row (the header is row 1; 0 for the whole file),
    the column ("" for the whole row) and the reason, in words an agency can act on."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = "the file" if self.row == ABOUT_THE_FILE else f"row {self.row}"
        return (
            f"{where}, column {self.column}: {self.reason}"
            if self.column
            else (f"{where}: {self.reason}")
        )

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


class ExtractRefusedError(Exception):
    """The whole extract is refused; `problems` (the first `MAX_ERRORS_KEPT`) say why."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(str(problems.kept[0]) if problems.kept else "refused")
        self.problems = problems


@dataclass
class Problems:
    """Every problem found, the first `limit` kept, and how many rows had one."""

    limit: int = IncidentImport.MAX_ERRORS_KEPT
    kept: list[Problem] = field(default_factory=list)
    total: int = 0
    rows: set[int] = field(default_factory=set)
    rows_read: int = 0

    def add(self, row: int, column: str, reason: str) -> None:
        self.total += 1
        if row != ABOUT_THE_FILE:
            self.rows.add(row)
        if len(self.kept) < self.limit:
            self.kept.append(Problem(row, column, reason))

    def __bool__(self) -> bool:
        return self.total > 0

    @property
    def not_shown(self) -> int:
        return self.total - len(self.kept)

    def refuse_if_any(self) -> None:
        if self:
            self.kept.sort(key=lambda problem: problem.row)
            raise ExtractRefusedError(self)


@dataclass(slots=True)
class PersonFields:
    """What the extract says about a person, as the Person model stores it."""

    agency_reference: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    gender: str


@dataclass(slots=True)
class IncidentFields:
    """What the extract says about an incident, as the Incident model stores it (plain values,
    so 100,000 rows need no model instances; `category_errors` reads the same names)."""

    agency_reference: str
    category: str
    occurred_on: date
    location: str
    area_id: int | None
    summary: str
    asb_category: str
    abuse_types: list[str]
    relationship: str
    hate_strands: list[str]
    alcohol_involved: bool | None
    drugs_involved: bool | None
    outcome: str


@dataclass
class PersonEntry:
    """A person named in the extract, from the first row that names them."""

    reference: str
    row: int
    details: tuple[str, ...]  # the person's columns as written, to compare later rows
    person: PersonFields


@dataclass
class IncidentEntry:
    """An incident in the extract, from its first row, with everyone its rows name."""

    reference: str
    row: int
    details: tuple[str, ...]  # the incident's columns as written, to compare later rows
    incident: IncidentFields | None  # None when its first row was refused
    people: list[tuple[str, str, int]] = field(default_factory=list)  # reference, role, row


@dataclass
class Extract:
    """A checked extract: its incidents and people by the agency's own references."""

    incidents: dict[str, IncidentEntry]
    people: dict[str, PersonEntry]
    rows_read: int


def _lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """A list's values by their code or their label, in any case."""
    found: dict[str, str] = {}
    for value, label in choices.choices:
        found[str(label).lower()] = str(value)
        found[str(value).lower()] = str(value)
    return found


_CATEGORY = _lookup(IncidentCategory)
_ASB = _lookup(AsbCategory)
_ABUSE = _lookup(AbuseType)
_RELATIONSHIP = _lookup(Relationship)
_STRAND = _lookup(HateStrand)
_OUTCOME = _lookup(Outcome)
_GENDER = _lookup(Gender)
_ROLE = _lookup(InvolvementRole)


def _codes(choices: type[models.TextChoices]) -> str:
    return ", ".join(str(value) for value in choices.values)


def parse_date(text: str) -> date:
    """A date written 2026-03-14 or 14/03/2026; ValueError naming the problem otherwise."""
    try:
        if len(text) == 10 and _ISO_DATE.match(text):
            return date.fromisoformat(text)
        if match := _UK_DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"not a real date: {exc}") from None
    raise ValueError("not a date like 2026-03-14 or 14/03/2026")


def parse_yes_no(text: str) -> bool | None:
    """Yes, no or not known (empty)."""
    lowered = text.lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    if lowered in _NOT_KNOWN:
        return None
    raise ValueError("not yes, no or empty (not known)")


def parse_postcode(text: str) -> str:
    """A UK postcode, written as Royal Mail writes it (PR1 8JB)."""
    match = _POSTCODE.match(text.upper().replace("  ", " "))
    if match is None:
        raise ValueError("not a UK postcode like PR1 8JB")
    return f"{match[1]} {match[2]}"


def _several(text: str, lookup: dict[str, str]) -> list[str]:
    """Semicolon-separated values, each turned into its code; an unknown one is kept as
    written, for the standard's own rule to name it."""
    if not text:
        return []
    parts = [part.strip() for part in text.split(";")]
    return [lookup.get(part.lower(), part) for part in parts if part]


def check_header(header: list[str], problems: Problems) -> list[int] | None:
    """Where each column of the format is in the file, or None with the problems named."""
    names = [name.strip().lower() for name in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        problems.add(1, "", f"missing column(s): {', '.join(missing)}")
    for index, name in enumerate(names):
        if name not in COLUMNS:
            problems.add(
                1,
                header[index].strip()[:60] or f"number {index + 1}",
                "not a column of the incident extract format "
                "(docs/recording-standard.md lists them)",
            )
        elif names.index(name) != index:
            problems.add(1, name, "appears twice in the header")
    if problems:
        return None
    return [names.index(column) for column in COLUMNS]


class _Checker:
    """Checks rows one at a time and builds the extract; problems go to `problems`."""

    def __init__(self, areas: dict[str, int], today: date, problems: Problems) -> None:
        self.areas = areas
        self.today = today
        self.problems = problems
        self.incidents: dict[str, IncidentEntry] = {}
        self.people: dict[str, PersonEntry] = {}

    def check(self, line: int, values: tuple[str, ...]) -> None:
        details = values[:14]
        reference = details[0]
        if not reference:
            self.problems.add(
                line, "incident_reference", "empty: every row names its incident by your reference"
            )
            return
        entry = self.incidents.get(reference)
        if entry is None:
            incident = self.incident(line, details)
            self.incidents[reference] = entry = IncidentEntry(reference, line, details, incident)
        elif entry.details != details:
            for column, first, now in zip(INCIDENT_COLUMNS, entry.details, details, strict=True):
                if first != now:
                    self.problems.add(
                        line,
                        column,
                        f"{now!r} differs from {first!r} on row {entry.row}, the first row of "
                        f"incident {reference}: each row of an incident repeats its details",
                    )
        person_values = values[14:]
        if not any(person_values):
            return  # an incident with no one named on this row
        person_reference, role_text = person_values[0], person_values[5]
        if not person_reference:
            self.problems.add(
                line,
                "person_reference",
                "empty, but the row names a person: give your reference for them",
            )
            return
        role = _ROLE.get(role_text.lower())
        if role is None:
            self.problems.add(
                line,
                "role",
                f"{role_text!r} is not a role in an incident: use one of {_codes(InvolvementRole)}"
                if role_text
                else "empty: say whether the person is the victim, perpetrator, witness or "
                "reporter",
            )
        person_details = person_values[1:5]
        known = self.people.get(person_reference)
        if known is None:
            person = self.person(line, person_reference, person_details)
            if person is not None:
                self.people[person_reference] = PersonEntry(
                    person_reference, line, person_details, person
                )
        elif known.details != person_details:
            for column, first, now in zip(
                PERSON_DETAILS, known.details, person_details, strict=True
            ):
                if first != now:
                    self.problems.add(
                        line,
                        column,
                        f"{now!r} differs from {first!r} on row {known.row}, the first row naming "
                        f"person {person_reference}: each row of a person repeats their details",
                    )
        if role is not None:
            entry.people.append((person_reference, role, line))

    def incident(self, line: int, details: tuple[str, ...]) -> IncidentFields | None:
        """The incident its first row describes, or None with every problem noted."""
        (reference, category_text, occurred_text, location, postcode_text, area_text, summary,
         asb_text, abuse_text, relationship_text, strands_text, alcohol_text, drugs_text,
         outcome_text) = details  # fmt: skip
        add = self.problems.add
        before = self.problems.total
        if len(reference) > _MAX["incident_reference"]:
            add(line, "incident_reference", f"longer than {_MAX['incident_reference']} characters")
        category = _CATEGORY.get(category_text.lower())
        if category is None:
            add(
                line,
                "category",
                f"{category_text!r} is not a kind of incident in the recording standard: use one "
                f"of {_codes(IncidentCategory)}"
                if category_text
                else "empty: say what kind of incident it is",
            )
        occurred_on: date | None = None
        if not occurred_text:
            add(line, "occurred_on", "empty: give the date it happened")
        else:
            try:
                occurred_on = parse_date(occurred_text)
            except ValueError as exc:
                add(line, "occurred_on", f"{occurred_text!r} is {exc}")
            else:
                if (error := occurred_on_error(occurred_on, self.today)) is not None:
                    add(line, "occurred_on", f"{occurred_text}: {error}")
        if postcode_text:
            try:
                location = ", ".join(filter(None, [location, parse_postcode(postcode_text)]))
            except ValueError as exc:
                add(line, "postcode", f"{postcode_text!r} is {exc}")
        if len(location) > _MAX["location"]:
            add(line, "location", f"longer than {_MAX['location']} characters with the postcode")
        area_id = None
        if area_text:
            area_id = self.areas.get(area_text.lower())
            if area_id is None:
                add(
                    line,
                    "area",
                    f"{area_text!r} is not one of the partnership's CSP areas: give its name "
                    "(Preston) or ONS code (E07000123)",
                )
        if not summary:
            add(line, "summary", "empty: say briefly what happened")
        asb_category = ""
        if asb_text:
            asb_category = _ASB.get(asb_text.lower(), "")
            if not asb_category:
                add(line, "asb_category", f"{asb_text!r} is not one of {_codes(AsbCategory)}")
        relationship = ""
        if relationship_text:
            relationship = _RELATIONSHIP.get(relationship_text.lower(), "")
            if not relationship:
                add(
                    line,
                    "relationship",
                    f"{relationship_text!r} is not one of {_codes(Relationship)}",
                )
        yes_no: dict[str, bool | None] = {}
        for column, text in (("alcohol_involved", alcohol_text), ("drugs_involved", drugs_text)):
            try:
                yes_no[column] = parse_yes_no(text)
            except ValueError as exc:
                add(line, column, f"{text!r} is {exc}")
        outcome = _OUTCOME.get(outcome_text.lower()) if outcome_text else Outcome.OPEN.value
        if outcome is None:
            add(line, "outcome", f"{outcome_text!r} is not one of {_codes(Outcome)}")
        incident = IncidentFields(
            category=category or "",
            # A refused date leaves a stand-in: the incident is dropped with the row anyway.
            occurred_on=occurred_on or self.today,
            location=location,
            area_id=area_id,
            summary=summary,
            agency_reference=reference,
            asb_category=asb_category,
            abuse_types=_several(abuse_text, _ABUSE),
            relationship=relationship,
            hate_strands=_several(strands_text, _STRAND),
            alcohol_involved=yes_no.get("alcohol_involved"),
            drugs_involved=yes_no.get("drugs_involved"),
            outcome=outcome or Outcome.OPEN.value,
        )
        if category is not None:
            # The standard's own rules: what each kind asks for, and what it does not allow.
            for column, reason in category_errors(cast(Incident, incident)).items():
                if not (column == "asb_category" and asb_text and not asb_category):
                    add(line, column, reason)
        return incident if self.problems.total == before else None

    def person(self, line: int, reference: str, details: tuple[str, ...]) -> PersonFields | None:
        """The person a row first names, or None with every problem noted."""
        given_name, family_name, born_text, gender_text = details
        add = self.problems.add
        before = self.problems.total
        if len(reference) > _MAX["person_reference"]:
            add(line, "person_reference", f"longer than {_MAX['person_reference']} characters")
        for column, name in (("given_name", given_name), ("family_name", family_name)):
            if not name:
                add(line, column, "empty: a person named needs a given name and a family name")
            elif len(name) > _MAX[column]:
                add(line, column, f"longer than {_MAX[column]} characters")
        born: date | None = None
        if born_text:
            try:
                born = parse_date(born_text)
            except ValueError as exc:
                add(line, "date_of_birth", f"{born_text!r} is {exc}")
            else:
                if (error := date_of_birth_error(born, self.today)) is not None:
                    add(line, "date_of_birth", f"{born_text}: {error}")
        gender = _GENDER.get(gender_text.lower()) if gender_text else Gender.NOT_KNOWN.value
        if gender is None:
            add(line, "gender", f"{gender_text!r} is not one of {_codes(Gender)}")
        if self.problems.total != before:
            return None
        return PersonFields(
            given_name=given_name,
            family_name=family_name,
            date_of_birth=born,
            gender=gender or Gender.NOT_KNOWN.value,
            agency_reference=reference,
        )

    def finish(self, rows_read: int) -> Extract:
        """The checks that need every row: one person, one role in each incident."""
        for entry in self.incidents.values():
            if len(entry.people) < 2:
                continue
            pairs = [(reference, role) for reference, role, _ in entry.people]
            for index, first, second in repeat_namings(pairs):
                reference, _, line = entry.people[index]
                first_line = next(row for ref, _, row in entry.people if ref == reference)
                self.problems.add(
                    line,
                    "role",
                    two_roles_reason(f"Person {reference}", first, second)
                    + f" (named first on row {first_line}, incident {entry.reference})",
                )
        return Extract(self.incidents, self.people, rows_read)


def read_extract(
    text: Iterable[str], *, areas: dict[str, int], today: date, problems: Problems
) -> Extract:
    """Check every row of an extract (`text` from its first line, the header); raise
    ExtractRefusedError with the problems if any, else return what it holds.

    `areas` maps each CSP area's name and ONS code, lower-cased, to its id."""
    reader = csv.reader(text)
    checker = _Checker(areas, today, problems)
    rows = 0
    try:
        header = next(reader, None)
        if header is None:
            problems.add(ABOUT_THE_FILE, "", "the file is empty: it has no header row")
            problems.refuse_if_any()
            return Extract({}, {}, 0)
        positions = check_header(header, problems)
        if positions is None:
            problems.refuse_if_any()
            return Extract({}, {}, 0)
        in_order = itemgetter(*positions)
        width = len(header)
        for number, row in enumerate(reader, start=2):
            if len(row) != width:
                if not any(value.strip() for value in row):
                    continue  # a blank line
                problems.add(number, "", f"{len(row)} values where the header has {width} columns")
                rows += 1
                continue
            rows += 1
            checker.check(number, tuple(map(str.strip, in_order(row))))
    except csv.Error as exc:
        problems.add(max(reader.line_num, 1), "", f"not readable as CSV: {exc}")
    problems.rows_read = rows
    if not rows and not problems:
        problems.add(2, "", "the file has a header but no rows: it is not the extract meant")
    extract = checker.finish(rows)
    problems.refuse_if_any()
    return extract


def area_lookup(areas: Iterable[tuple[int, str, str]]) -> dict[str, int]:
    """Each CSP area's id by its name and its ONS code, lower-cased."""
    found: dict[str, int] = {}
    for pk, name, code in areas:
        found[name.lower()] = pk
        found[code.lower()] = pk
    return found
