"""Loading a checked extract into an organisation's records, in bulk.

The agency's own references decide what is new: an incident whose `incident_reference` the
organisation already holds (as `Incident.agency_reference`) is updated to what the extract says,
its people included, and a person whose `person_reference` it holds (`Person.agency_reference`)
is updated too; anything else is created. Only the importing organisation's records are matched
or written. What an extract says about records already held is checked here: a reference that
matches two records, or a change to a person whose processing is restricted, refuses the file.

Rows are written below the ORM (`safer.core.bulk`: COPY on PostgreSQL, executemany elsewhere),
because a model instance per row would cost more than the database's work; then the repeat and
vulnerable victim flags of every victim touched are recomputed (`incidents/repeats.py`) and
each record created or changed is written to the audit log (`record_bulk_events`).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from safer.accounts.audit import RecordRef, record_bulk_events
from safer.accounts.enums import AuditAction, Purpose
from safer.accounts.models import User
from safer.core.bulk import insert_rows, update_rows
from safer.incidents.enums import InvolvementRole
from safer.incidents.importing.extract import Extract, IncidentFields, PersonFields, Problems
from safer.incidents.models import Incident, Involvement, Person
from safer.incidents.repeats import (
    Event,
    flags_for,
    recompute_people,
    refresh_incident_flags,
    rules,
)

T = TypeVar("T")
LOOKUP_BATCH = 5000  # ids or references in one IN (...), where the database allows so many
FLAG_BATCH = 2000  # victims per recompute_people call

PERSON_FIELDS = ("given_name", "family_name", "date_of_birth", "gender")
INCIDENT_FIELDS = (
    "category",
    "occurred_on",
    "location",
    "area_id",
    "summary",
    "asb_category",
    "abuse_types",
    "relationship",
    "hate_strands",
    "alcohol_involved",
    "drugs_involved",
    "outcome",
)
_JSON_FIELDS = {"abuse_types", "hate_strands"}
Stage = Callable[[str], None]
# An anonymised person keeps no reference (do_anonymise_person) and is never matched again.
_LIVE: dict[type[Any], dict[str, Any]] = {Person: {"anonymised_at__isnull": True}}


@dataclass
class Loaded:
    """What the load did, for the import record."""

    incidents_created: int = 0
    incidents_updated: int = 0
    incidents_unchanged: int = 0
    people_created: int = 0
    people_updated: int = 0
    flags_changed: int = 0


@dataclass
class _Plan:
    """What to write, worked out before anything is written."""

    new_people: list[PersonFields] = field(default_factory=list)
    changed_people: dict[int, PersonFields] = field(default_factory=dict)
    person_ids: dict[str, int] = field(default_factory=dict)  # reference -> id
    new_incidents: list[IncidentFields] = field(default_factory=list)
    changed_incidents: dict[int, IncidentFields] = field(default_factory=dict)
    incident_ids: dict[str, int] = field(default_factory=dict)  # reference -> id, held ones


def _lookup_batch() -> int:
    """How many values one IN (...) may hold: SQLite allows 999 up to 3.31 and 32,766 since."""
    if connection.vendor != "sqlite":
        return LOOKUP_BATCH
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(LOOKUP_BATCH, int(limit) - 10))


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _held(
    model: type[Person] | type[Incident],
    organisation_id: int,
    references: list[str],
    fields: Sequence[str],
) -> dict[str, list[tuple[Any, ...]]]:
    """(id, *fields) of the organisation's records with these references, by reference. More
    than one each is possible: references typed into the form are not unique."""
    found: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    manager = model._default_manager
    for chunk in _chunks(references, _lookup_batch()):
        query = manager.filter(organisation_id=organisation_id, agency_reference__in=chunk)
        query = query.filter(**_LIVE.get(model, {}))
        # No ORDER BY: the models' default orderings would lead SQLite's planner to walk an
        # organisation's records in that order instead of looking the references up.
        for values in query.order_by().values_list("agency_reference", "pk", *fields):
            found[values[0]].append(values[1:])
    for matches in found.values():
        matches.sort()
    return found


def _plan(extract: Extract, organisation_id: int, problems: Problems) -> _Plan:
    """New and changed records; the problems with records already held go to `problems`."""
    plan = _Plan()
    held_people = _held(
        Person, organisation_id, list(extract.people), [*PERSON_FIELDS, "restricted"]
    )
    for reference, entry in extract.people.items():
        matches = held_people.get(reference)
        if not matches:
            plan.new_people.append(entry.person)
            continue
        if len(matches) > 1:
            problems.add(
                entry.row,
                "person_reference",
                f"{reference} matches {len(matches)} people your organisation holds "
                f"({', '.join(f'P{match[0]:06d}' for match in matches)}): give each person one "
                "reference",
            )
            continue
        pk, *values = matches[0]
        restricted = values.pop()
        plan.person_ids[reference] = pk
        wanted = [getattr(entry.person, name) for name in PERSON_FIELDS]
        if values == wanted:
            continue
        if restricted:
            column = next(
                n for n, old, new in zip(PERSON_FIELDS, values, wanted, strict=True) if old != new
            )
            problems.add(
                entry.row,
                column,
                f"person {reference} (P{pk:06d}) is restricted at their request: their record "
                "cannot be changed, so the extract may not change it",
            )
            continue
        plan.changed_people[pk] = entry.person

    held_incidents = _held(Incident, organisation_id, list(extract.incidents), INCIDENT_FIELDS)
    for reference, incident_entry in extract.incidents.items():
        draft = incident_entry.incident
        assert draft is not None  # noqa: S101 - the extract was checked whole
        found = held_incidents.get(reference)
        if not found:
            plan.new_incidents.append(draft)
            continue
        if len(found) > 1:
            problems.add(
                incident_entry.row,
                "incident_reference",
                f"{reference} matches {len(found)} incidents your organisation holds "
                f"({', '.join(f'I{match[0]:06d}' for match in found)}): give each incident one "
                "reference",
            )
            continue
        pk, *held = found[0]
        plan.incident_ids[reference] = pk
        if held != [getattr(draft, name) for name in INCIDENT_FIELDS]:
            plan.changed_incidents[pk] = draft
    return plan


def load_extract(
    extract: Extract,
    *,
    organisation_id: int,
    acting_user: User,
    import_reference: str,
    problems: Problems,
    stage: Stage | None = None,
) -> Loaded:
    """Write the extract for the organisation; raise ExtractRefusedError (before writing
    anything) if it conflicts with records already held. Run inside a transaction."""
    say = stage or (lambda message: None)
    now = timezone.now()
    say("Matching your references with the records you hold")
    plan = _plan(extract, organisation_id, problems)
    problems.refuse_if_any()
    loaded = Loaded(
        people_created=len(plan.new_people),
        people_updated=len(plan.changed_people),
        incidents_created=len(plan.new_incidents),
    )
    recorder = acting_user.pk

    say(f"Writing {len(plan.new_people):,} new and {len(plan.changed_people):,} changed people")
    insert_rows(
        Person._meta.db_table,
        (
            "agency_reference",
            "given_name",
            "family_name",
            "date_of_birth",
            "gender",
            "aliases",
            "ethnicity",
            "safe_contact_methods",
            "contact_notes",
            "vulnerability_markers",
            "restricted",
            "organisation_id",
            "recorded_by_id",
            "created_at",
            "updated_at",
        ),
        (
            (
                person.agency_reference,
                person.given_name,
                person.family_name,
                person.date_of_birth,
                person.gender,
                "[]",
                "not_stated",
                "[]",
                "",
                "[]",
                False,
                organisation_id,
                recorder,
                now,
                now,
            )
            for person in plan.new_people
        ),
    )
    update_rows(
        Person._meta.db_table,
        [*PERSON_FIELDS, "updated_at"],
        (
            (*(getattr(person, name) for name in PERSON_FIELDS), now, pk)
            for pk, person in plan.changed_people.items()
        ),
    )
    new_person_ids = _ids(Person, organisation_id, [p.agency_reference for p in plan.new_people])
    plan.person_ids.update(new_person_ids)

    say(
        f"Writing {len(plan.new_incidents):,} new and {len(plan.changed_incidents):,} changed "
        "incidents"
    )
    insert_rows(
        Incident._meta.db_table,
        (
            "agency_reference",
            *INCIDENT_FIELDS,
            "flagged",
            "victim_flags",
            "risk_level",
            "organisation_id",
            "recorded_by_id",
            "created_at",
            "updated_at",
        ),
        (
            (
                incident.agency_reference,
                *_incident_values(incident),
                False,
                "",
                "",  # risk_level: the extract format has no column for it yet
                organisation_id,
                recorder,
                now,
                now,
            )
            for incident in plan.new_incidents
        ),
    )
    new_incident_ids = _ids(
        Incident, organisation_id, [i.agency_reference for i in plan.new_incidents]
    )
    plan.incident_ids.update(new_incident_ids)

    say("Writing who was involved in each incident")
    new_people = set(new_person_ids.values())
    new_flags = _new_peoples_flags(extract, plan, new_people)
    victims, people_changed, unflag = _write_involvements(
        extract, plan, set(new_incident_ids.values()), new_flags
    )
    changed = set(plan.changed_incidents) | people_changed
    update_rows(
        Incident._meta.db_table,
        [*INCIDENT_FIELDS, "updated_at"],
        (
            (*_incident_values(entry.incident), now, plan.incident_ids[reference])
            for reference, entry in extract.incidents.items()
            if entry.incident is not None and plan.incident_ids[reference] in changed
        ),
    )
    loaded.incidents_updated = len(changed)
    loaded.incidents_unchanged = len(extract.incidents) - len(new_incident_ids) - len(changed)

    held_victims = sorted(victims - new_people)
    say(f"Checking {len(held_victims):,} victims already held for repeat and vulnerable flags")
    loaded.flags_changed = len(new_flags) + sum(
        recompute_people(chunk) for chunk in _chunks(held_victims, FLAG_BATCH)
    )
    _refresh_flagged(unflag | {incident_id for incident_id, _ in new_flags})

    say("Writing the audit log")
    detail = {"import": import_reference}
    person_type = ContentType.objects.get_for_model(Person).pk
    incident_type = ContentType.objects.get_for_model(Incident).pk
    for action, refs in (
        (
            AuditAction.CREATE,
            [
                RecordRef(person_type, pk, f"P{pk:06d}", organisation_id, pk)
                for pk in sorted(new_person_ids.values())
            ],
        ),
        (
            AuditAction.CHANGE,
            [
                RecordRef(person_type, pk, f"P{pk:06d}", organisation_id, pk)
                for pk in sorted(plan.changed_people)
            ],
        ),
        (
            AuditAction.CREATE,
            [
                RecordRef(incident_type, pk, f"I{pk:06d}", organisation_id)
                for pk in sorted(new_incident_ids.values())
            ],
        ),
        (
            AuditAction.CHANGE,
            [RecordRef(incident_type, pk, f"I{pk:06d}", organisation_id) for pk in sorted(changed)],
        ),
    ):
        record_bulk_events(acting_user, action, refs, purpose=Purpose.CASE_WORK, detail=detail)
    return loaded


_dumped: dict[tuple[str, ...], str] = {}


def _json(values: list[str]) -> str:
    """A short list as JSON text; the few distinct lists an extract has are dumped once."""
    key = tuple(values)
    found = _dumped.get(key)
    if found is None:
        found = _dumped[key] = json.dumps(values)
    return found


def _incident_values(incident: IncidentFields) -> tuple[Any, ...]:
    return tuple(
        _json(getattr(incident, name)) if name in _JSON_FIELDS else getattr(incident, name)
        for name in INCIDENT_FIELDS
    )


def _ids(
    model: type[Person] | type[Incident], organisation_id: int, refs: list[str]
) -> dict[str, int]:
    """The ids of records just written, by their (now unique) references. Plain SQL: the
    ORM's handling of thousands of parameters costs more than the query."""
    found: dict[str, int] = {}
    table = model._meta.db_table
    live = " AND anonymised_at IS NULL" if model is Person else ""
    with connection.cursor() as cursor:
        for chunk in _chunks(refs, _lookup_batch()):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT agency_reference, id FROM {table} "  # noqa: S608 - fixed text
                f"WHERE organisation_id = %s AND agency_reference IN ({marks}){live}",
                [organisation_id, *chunk],
            )
            found.update(cursor.fetchall())
    return found


def _new_peoples_flags(
    extract: Extract, plan: _Plan, new_people: set[int]
) -> dict[tuple[int, int], str]:
    """The flags of victims first recorded by this import, by (incident, person), as JSON.

    Their whole history is in the extract and they carry no vulnerability marker yet, so the
    rule (`repeats.flags_for`) is applied here and the flags written with the involvements;
    only victims already held need `recompute_people`, which reads their history back."""
    victim = InvolvementRole.VICTIM.value
    history: dict[int, list[Event]] = defaultdict(list)
    for reference, entry in extract.incidents.items():
        incident = entry.incident
        assert incident is not None  # noqa: S101 - the extract was checked whole
        incident_id = plan.incident_ids[reference]
        for person, role, _ in entry.people:
            person_id = plan.person_ids[person]
            if role == victim and person_id in new_people:
                history[person_id].append(
                    Event(incident_id, incident.category, incident.occurred_on)
                )
    rule_set = rules()
    found: dict[tuple[int, int], str] = {}
    for person_id, events in history.items():
        for incident_id, flags in flags_for(events, vulnerable=False, rule_set=rule_set).items():
            if flags:
                found[(incident_id, person_id)] = _json(flags)
    return found


def _write_involvements(
    extract: Extract,
    plan: _Plan,
    new_incidents: set[int],
    new_flags: dict[tuple[int, int], str],
) -> tuple[set[int], set[int], set[int]]:
    """Make each incident's people what the extract says. Returns the victims before or after
    (their flags to recompute), the held incidents whose people changed, and the incidents a
    victim was taken out of (their `flagged` to recompute)."""
    held_ids = sorted(set(plan.incident_ids.values()) - new_incidents)
    held: dict[int, dict[int, tuple[int, str]]] = defaultdict(dict)
    victims: set[int] = set()
    victim = InvolvementRole.VICTIM.value
    for chunk in _chunks(held_ids, _lookup_batch()):
        for pk, incident_id, person_id, role in (
            Involvement.objects.filter(incident_id__in=chunk)
            .order_by()
            .values_list("pk", "incident_id", "person_id", "role")
        ):
            held[incident_id][person_id] = (pk, role)
            if role == victim:
                victims.add(person_id)
    new: list[tuple[int, int, str, str]] = []
    recast: list[tuple[str, int]] = []
    gone: list[int] = []
    changed: set[int] = set()
    unflag: set[int] = set()
    person_ids = plan.person_ids
    for reference, entry in extract.incidents.items():
        incident_id = plan.incident_ids[reference]
        before = held.get(incident_id, {})
        wanted = {person_ids[person]: role for person, role, _ in entry.people}
        for person_id, role in wanted.items():
            if role == victim:
                victims.add(person_id)
            found = before.get(person_id)
            if found is None:
                flags = new_flags.get((incident_id, person_id), "[]")
                new.append((incident_id, person_id, role, flags))
                changed.add(incident_id)
            elif found[1] != role:
                recast.append((role, found[0]))
                changed.add(incident_id)
                unflag.add(incident_id)
        for person_id, (pk, _) in before.items():
            if person_id not in wanted:
                gone.append(pk)
                changed.add(incident_id)
                unflag.add(incident_id)
    for chunk in _chunks(gone, _lookup_batch()):
        Involvement.objects.filter(pk__in=chunk).delete()
    update_rows(Involvement._meta.db_table, ["role"], recast)
    insert_rows(Involvement._meta.db_table, ("incident_id", "person_id", "role", "flags"), new)
    return victims, changed - new_incidents, unflag


def _refresh_flagged(incident_ids: set[int]) -> None:
    """Store each incident's victims' flags (`flagged`, `victim_flags`): those a victim was
    taken out of, and those whose new victims the import flagged itself."""
    for chunk in _chunks(sorted(incident_ids), _lookup_batch()):
        refresh_incident_flags(chunk)
