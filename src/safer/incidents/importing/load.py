"""Loading a checked extract into an organisation's records, in bulk.

The agency's own references decide what is new: an incident whose `incident_reference` the
organisation already holds (as `Incident.agency_reference`) is updated to what the extract says,
its people included, and a person whose `person_reference` it holds (`Person.agency_reference`)
is updated too; anything else is created. Only the importing organisation's records are matched
or written. What an extract says about records already held is checked here: a reference that
matches two records, or a change to a person whose processing is restricted, refuses the file.

Everything is written with bulk statements in batches, inside the caller's transaction, then
the repeat and vulnerable victim flags of every victim touched are recomputed
(`incidents/repeats.py`) and each record created or changed is written to the audit log.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

from django.utils import timezone

from safer.accounts.audit import record_events
from safer.accounts.enums import AuditAction, Purpose
from safer.accounts.models import User
from safer.incidents.enums import InvolvementRole
from safer.incidents.importing.extract import Extract, Problems
from safer.incidents.models import Incident, Involvement, Person
from safer.incidents.repeats import recompute_people, refresh_flagged

T = TypeVar("T")
BATCH = 2000
LOOKUP_BATCH = 5000  # references per IN (...) query: well under SQLite's variable limit

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
Stage = Callable[[str], None]


@dataclass
class Loaded:
    """What the load did, for the import record."""

    incidents_created: int = 0
    incidents_updated: int = 0
    incidents_unchanged: int = 0
    people_created: int = 0
    people_updated: int = 0
    flags_changed: int = 0
    victims: set[int] = field(default_factory=set)


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _held(
    model: type[Person] | type[Incident], organisation_id: int, references: list[str], **extra: Any
) -> dict[str, list[Any]]:
    """The organisation's records with these references, by reference (more than one each
    is possible: references typed into the form are not unique)."""
    found: dict[str, list[Any]] = defaultdict(list)
    for chunk in _chunks(references, LOOKUP_BATCH):
        for record in model._default_manager.filter(
            organisation_id=organisation_id, agency_reference__in=chunk, **extra
        ).order_by("pk"):
            found[record.agency_reference].append(record)
    return found


def _changed(record: Any, draft: Any, names: Sequence[str]) -> list[str]:
    return [name for name in names if getattr(record, name) != getattr(draft, name)]


def load_extract(
    extract: Extract,
    *,
    organisation_id: int,
    acting_user: User,
    import_reference: str,
    problems: Problems,
    stage: Stage | None = None,
) -> Loaded:
    """Write the extract for the organisation; raise ExtractRefusedError (nothing written by
    this function yet) if it conflicts with records already held. Run inside a transaction."""
    say = stage or (lambda message: None)
    now = timezone.now()
    loaded = Loaded()

    say("Matching your references with the records you hold")
    held_people = _held(Person, organisation_id, list(extract.people), anonymised_at__isnull=True)
    held_incidents = _held(Incident, organisation_id, list(extract.incidents))

    person_ids: dict[str, int] = {}
    new_people: list[Person] = []
    changed_people: list[Person] = []
    for reference, entry in extract.people.items():
        matches = held_people.get(reference, [])
        if len(matches) > 1:
            problems.add(
                entry.row,
                "person_reference",
                f"{reference} matches {len(matches)} people your organisation holds "
                f"({', '.join(p.reference for p in matches)}): give each person one reference",
            )
            continue
        draft = entry.person
        if not matches:
            draft.organisation_id = organisation_id
            draft.recorded_by = acting_user
            new_people.append(draft)
            continue
        person = matches[0]
        person_ids[reference] = person.pk
        changes = _changed(person, draft, PERSON_FIELDS)
        if not changes:
            continue
        if person.restricted:
            problems.add(
                entry.row,
                changes[0],
                f"person {reference} ({person.reference}) is restricted at their request: "
                "their record cannot be changed, so the extract may not change it",
            )
            continue
        for name in changes:
            setattr(person, name, getattr(draft, name))
        person.updated_at = now
        changed_people.append(person)

    incident_drafts: list[tuple[Incident, list[tuple[str, str, int]]]] = []
    new_incidents: list[Incident] = []
    changed_incidents: list[Incident] = []
    matched_incidents: list[Incident] = []
    for reference, incident_entry in extract.incidents.items():
        matches = held_incidents.get(reference, [])
        if len(matches) > 1:
            problems.add(
                incident_entry.row,
                "incident_reference",
                f"{reference} matches {len(matches)} incidents your organisation holds "
                f"({', '.join(i.reference for i in matches)}): give each incident one reference",
            )
            continue
        draft_incident = incident_entry.incident
        assert draft_incident is not None  # noqa: S101 - the extract was checked whole
        if not matches:
            draft_incident.organisation_id = organisation_id
            draft_incident.recorded_by = acting_user
            new_incidents.append(draft_incident)
            incident_drafts.append((draft_incident, incident_entry.people))
            continue
        incident = matches[0]
        changes = _changed(incident, draft_incident, INCIDENT_FIELDS)
        for name in changes:
            setattr(incident, name, getattr(draft_incident, name))
        if changes:
            incident.updated_at = now
            changed_incidents.append(incident)
        matched_incidents.append(incident)
        incident_drafts.append((incident, incident_entry.people))
    problems.refuse_if_any()

    say(f"Writing {len(new_people):,} new and {len(changed_people):,} changed people")
    Person.objects.bulk_create(new_people, batch_size=BATCH)
    Person.objects.bulk_update(changed_people, [*PERSON_FIELDS, "updated_at"], batch_size=BATCH)
    for person in new_people:
        person_ids[person.agency_reference] = person.pk

    say(f"Writing {len(new_incidents):,} new and {len(changed_incidents):,} changed incidents")
    Incident.objects.bulk_create(new_incidents, batch_size=BATCH)
    Incident.objects.bulk_update(
        changed_incidents, [*INCIDENT_FIELDS, "updated_at"], batch_size=BATCH
    )

    say("Writing who was involved in each incident")
    people_changed = _write_involvements(incident_drafts, matched_incidents, person_ids, loaded)
    # An incident whose people alone changed is changed too.
    changed_ids = {incident.pk for incident in changed_incidents}
    also = [i for i in matched_incidents if i.pk in people_changed and i.pk not in changed_ids]
    for chunk in _chunks([incident.pk for incident in also], LOOKUP_BATCH):
        Incident.objects.filter(pk__in=chunk).update(updated_at=now)
    changed_incidents.extend(also)

    loaded.incidents_created = len(new_incidents)
    loaded.incidents_updated = len(changed_incidents)
    loaded.incidents_unchanged = len(matched_incidents) - len(changed_incidents)
    loaded.people_created = len(new_people)
    loaded.people_updated = len(changed_people)

    say(f"Checking {len(loaded.victims):,} victims for repeat and vulnerable flags")
    victims = sorted(loaded.victims)
    loaded.flags_changed = sum(recompute_people(chunk) for chunk in _chunks(victims, BATCH))
    refresh_flagged(people_changed)  # an incident whose flagged victim was taken out of it

    say("Writing the audit log")
    detail = {"import": import_reference}
    for action, records in (
        (AuditAction.CREATE, new_people),
        (AuditAction.CHANGE, changed_people),
        (AuditAction.CREATE, new_incidents),
        (AuditAction.CHANGE, changed_incidents),
    ):
        for batch in _batched(records, 20_000):
            record_events(acting_user, action, batch, purpose=Purpose.CASE_WORK, detail=detail)
    return loaded


def _write_involvements(
    drafts: list[tuple[Incident, list[tuple[str, str, int]]]],
    matched: list[Incident],
    person_ids: dict[str, int],
    loaded: Loaded,
) -> set[int]:
    """Make each incident's people what the extract says; return the ids of incidents already
    held whose people changed. Every victim before or after goes in `loaded.victims`."""
    held: dict[int, dict[int, Involvement]] = defaultdict(dict)
    matched_ids = [incident.pk for incident in matched]
    for chunk in _chunks(matched_ids, LOOKUP_BATCH):
        for found in Involvement.objects.filter(incident_id__in=chunk).only(
            "pk", "incident_id", "person_id", "role"
        ):
            held[found.incident_id][found.person_id] = found
            if found.role == InvolvementRole.VICTIM:
                loaded.victims.add(found.person_id)
    new: list[Involvement] = []
    recast: list[Involvement] = []
    gone: list[int] = []
    changed: set[int] = set()
    victim = InvolvementRole.VICTIM.value
    for incident, people in drafts:
        wanted = {person_ids[reference]: role for reference, role, _ in people}
        before = held.get(incident.pk, {})
        for person_id, role in wanted.items():
            if role == victim:
                loaded.victims.add(person_id)
            involvement = before.get(person_id)
            if involvement is None:
                new.append(Involvement(incident_id=incident.pk, person_id=person_id, role=role))
                changed.add(incident.pk)
            elif involvement.role != role:
                involvement.role = role
                recast.append(involvement)
                changed.add(incident.pk)
        for person_id, involvement in before.items():
            if person_id not in wanted:
                gone.append(involvement.pk)
                changed.add(incident.pk)
    for chunk in _chunks(gone, LOOKUP_BATCH):
        Involvement.objects.filter(pk__in=chunk).delete()
    Involvement.objects.bulk_update(recast, ["role"], batch_size=BATCH)
    Involvement.objects.bulk_create(new, batch_size=BATCH)
    return changed & set(matched_ids)
