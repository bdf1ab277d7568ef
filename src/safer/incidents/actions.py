"""Every write to people and incidents: each one checked, atomic and audited."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from safer.accounts.audit import record_event
from safer.accounts.enums import AuditAction, Purpose
from safer.accounts.models import User
from safer.accounts.permissions import Permission, has_permission
from safer.incidents.enums import (
    ContactMethod,
    Ethnicity,
    Gender,
    ImportStatus,
    IncidentCategory,
    InvolvementRole,
    MatchStatus,
    VulnerabilityMarker,
)
from safer.incidents.matching import canonical_postcode
from safer.incidents.models import (
    Address,
    Incident,
    IncidentImport,
    Involvement,
    Person,
    PersonMatch,
)
from safer.incidents.repeats import recompute_people
from safer.incidents.retention import Due, retention_years
from safer.incidents.standard import check_incident

log = logging.getLogger(__name__)

STANDARD_FIELDS = (
    "area",
    "lsoa",
    "agency_reference",
    "risk_level",
    "asb_category",
    "abuse_types",
    "relationship",
    "hate_strands",
    "alcohol_involved",
    "drugs_involved",
    "outcome",
)

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "aliases",
    "date_of_birth",
    "gender",
    "ethnicity",
    "safe_contact_methods",
    "contact_notes",
    "vulnerability_markers",
)


def _require_recorder(user: User) -> int:
    """The recording user's organisation; PermissionDenied if their role does not record."""
    if not has_permission(user, Permission.RECORD_PERSONAL_DATA) or user.organisation_id is None:
        raise PermissionDenied("Your role does not record people or incidents.")
    return user.organisation_id


def _check_choices(field: str, values: Iterable[str], allowed: Iterable[str]) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValidationError({field: f"Unknown value(s): {', '.join(unknown)}."})


def _clean_person(person: Person) -> None:
    person.aliases = [alias.strip() for alias in person.aliases if alias.strip()]
    _check_choices("safe_contact_methods", person.safe_contact_methods, ContactMethod.values)
    _check_choices(
        "vulnerability_markers", person.vulnerability_markers, VulnerabilityMarker.values
    )
    person.full_clean()


@transaction.atomic
def do_record_person(
    *,
    given_name: str,
    family_name: str,
    acting_user: User,
    purpose: Purpose = Purpose.CASE_WORK,
    address: str = "",
    postcode: str = "",
    moved_in: date | None = None,
    **fields: Any,
) -> Person:
    """Record a person for the acting user's organisation, with their current address if known."""
    organisation_id = _require_recorder(acting_user)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"do_record_person got unknown fields: {sorted(unknown)}")
    person = Person(
        given_name=given_name,
        family_name=family_name,
        organisation_id=organisation_id,
        recorded_by=acting_user,
        **fields,
    )
    _clean_person(person)
    person.save()
    if address.strip():
        Address.objects.create(
            person=person,
            lines=address.strip(),
            postcode=canonical_postcode(postcode),
            moved_in=moved_in,
        )
    record_event(acting_user, AuditAction.CREATE, person, purpose=purpose)
    _suggest_matches_for(person)
    return person


MATCHED_FIELDS = {"given_name", "family_name", "date_of_birth"}


def _suggest_matches_for(person: Person) -> None:
    """Look for the person in partner organisations' records once they are recorded or their
    identity changes (SAFER_MATCHING "on_record"), in the background: scoring takes Splink a
    few hundred milliseconds. Queued in this transaction, so it runs only if the record is
    saved. `safer match-people` does everyone."""
    if getattr(settings, "SAFER_MATCHING", {}).get("on_record", True):
        from safer.incidents.tasks import suggest_matches_for_person

        suggest_matches_for_person.enqueue(person.pk)


@transaction.atomic
def do_change_person(
    person: Person, *, acting_user: User, purpose: Purpose = Purpose.DATA_QUALITY, **changes: Any
) -> Person:
    """Change a person's details (rectification); the fields changed go in the audit log."""
    _require_recorder(acting_user)
    if person.organisation_id != acting_user.organisation_id:
        raise PermissionDenied("Only the organisation that recorded a person changes them.")
    if person.restricted:
        raise ValidationError("Processing of this record is restricted: it cannot be changed.")
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"do_change_person got unknown fields: {sorted(unknown)}")
    changed = sorted(name for name, value in changes.items() if getattr(person, name) != value)
    for name in changed:
        setattr(person, name, changes[name])
    _clean_person(person)
    person.save()
    if "vulnerability_markers" in changed:
        recompute_people([person.pk])
    record_event(
        acting_user, AuditAction.CHANGE, person, purpose=purpose, detail={"fields": changed}
    )
    if MATCHED_FIELDS & set(changed):
        _suggest_matches_for(person)
    return person


@transaction.atomic
def do_move_person(
    person: Person,
    *,
    lines: str,
    postcode: str,
    moved_in: date,
    acting_user: User,
    purpose: Purpose = Purpose.CASE_WORK,
) -> Address:
    """Add a new current address; the previous one ends the day before the move."""
    _require_recorder(acting_user)
    if person.organisation_id != acting_user.organisation_id:
        raise PermissionDenied("Only the organisation that recorded a person changes them.")
    person.addresses.filter(moved_out__isnull=True).update(moved_out=moved_in - timedelta(days=1))
    address = Address(
        person=person, lines=lines.strip(), postcode=canonical_postcode(postcode), moved_in=moved_in
    )
    address.full_clean()
    address.save()
    record_event(
        acting_user, AuditAction.CHANGE, person, purpose=purpose, detail={"fields": ["address"]}
    )
    _suggest_matches_for(person)
    return address


@transaction.atomic
def do_record_incident(
    *,
    category: IncidentCategory,
    occurred_on: date,
    summary: str,
    acting_user: User,
    location: str = "",
    people: Sequence[tuple[Person, InvolvementRole]] = (),
    purpose: Purpose = Purpose.CASE_WORK,
    **standard: Any,
) -> Incident:
    """Record an incident for the acting user's organisation, with the people in it, checked
    against the recording standard (incidents/standard.py), and flag repeat and vulnerable
    victims (incidents/repeats.py).

    The people must be records the user's organisation holds: linking someone else's record
    would copy their data into this incident without a share."""
    organisation_id = _require_recorder(acting_user)
    unknown = set(standard) - set(STANDARD_FIELDS)
    if unknown:
        raise TypeError(f"do_record_incident got unknown fields: {sorted(unknown)}")
    for person, _ in people:
        if person.organisation_id != acting_user.organisation_id:
            raise ValidationError(
                {"people": f"{person.reference} is not a record your organisation holds."}
            )
    incident = Incident(
        category=category,
        occurred_on=occurred_on,
        summary=summary,
        location=location,
        organisation_id=organisation_id,
        recorded_by=acting_user,
        **standard,
    )
    if incident.lsoa is not None and incident.area_id is None:
        incident.area_id = incident.lsoa.area_id
    check_incident(incident, people)
    incident.full_clean()
    incident.save()
    for person, role in people:
        Involvement.objects.create(incident=incident, person=person, role=role)
    recompute_people(person.pk for person, role in people if role == InvolvementRole.VICTIM)
    incident.refresh_from_db(fields=["flagged"])
    record_event(
        acting_user,
        AuditAction.CREATE,
        incident,
        purpose=purpose,
        detail={"people": [person.reference for person, _ in people]},
    )
    return incident


INCIDENT_FIELDS = ("category", "occurred_on", "summary", "location", *STANDARD_FIELDS)


@transaction.atomic
def do_change_incident(
    incident: Incident,
    *,
    acting_user: User,
    people: Sequence[tuple[Person, InvolvementRole]] | None = None,
    purpose: Purpose = Purpose.CASE_WORK,
    **changes: Any,
) -> Incident:
    """Change an incident the acting user's organisation recorded, checked against the
    recording standard as a whole; `people`, when given, replaces the people in it. Repeat
    and vulnerable victim flags are recomputed for every victim before and after; the fields
    changed go in the audit log."""
    _require_recorder(acting_user)
    if incident.organisation_id != acting_user.organisation_id:
        raise PermissionDenied("Only the organisation that recorded an incident changes it.")
    unknown = set(changes) - set(INCIDENT_FIELDS)
    if unknown:
        raise TypeError(f"do_change_incident got unknown fields: {sorted(unknown)}")
    changed = sorted(name for name, value in changes.items() if getattr(incident, name) != value)
    for name in changed:
        setattr(incident, name, changes[name])
    before = [
        (i.person, InvolvementRole(i.role)) for i in incident.involvements.select_related("person")
    ]
    after = list(people) if people is not None else before
    for person, _ in after:
        if person.organisation_id != acting_user.organisation_id:
            raise ValidationError(
                {"people": f"{person.reference} is not a record your organisation holds."}
            )
    check_incident(incident, after)
    incident.full_clean()
    incident.save()
    if {(p.pk, r) for p, r in before} != {(p.pk, r) for p, r in after}:
        incident.involvements.all().delete()
        for person, role in after:
            Involvement.objects.create(incident=incident, person=person, role=role)
        changed.append("people")
    recompute_people(
        person.pk for person, role in [*before, *after] if role == InvolvementRole.VICTIM
    )
    # A victim taken out of the incident no longer flags it.
    Incident.objects.filter(pk=incident.pk).update(
        flagged=Exists(Involvement.objects.filter(incident=OuterRef("pk")).exclude(flags=[]))
    )
    incident.refresh_from_db(fields=["flagged"])
    record_event(
        acting_user,
        AuditAction.CHANGE,
        incident,
        purpose=purpose,
        detail={"fields": changed, "people": [person.reference for person, _ in after]},
    )
    return incident


ANONYMISED = "Anonymised"


def _revoke_shares(record: Person | Incident, *, acting_user: User | None) -> None:
    from django.contrib.contenttypes.models import ContentType

    from safer.accounts.models import Share

    Share.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        revoked_at__isnull=True,
    ).update(revoked_at=timezone.now(), revoked_by=acting_user)


@transaction.atomic
def do_anonymise_person(
    person: Person, *, acting_user: User | None, purpose: Purpose, reason: str
) -> Person:
    """Remove everything that identifies a person, keeping the reference; end every share."""
    if person.anonymised_at is not None:
        return person
    person.given_name = ANONYMISED
    person.family_name = person.reference
    person.aliases = []
    person.date_of_birth = None
    person.gender = Gender.NOT_KNOWN
    person.ethnicity = Ethnicity.NOT_STATED
    person.safe_contact_methods = []
    person.contact_notes = ""
    person.vulnerability_markers = []
    person.agency_reference = ""  # the agency's reference would identify them again
    person.anonymised_at = timezone.now()
    person.save()
    person.addresses.all().delete()
    # An anonymised record is nobody: its suggested and confirmed links to others go too.
    PersonMatch.objects.filter(Q(person_a=person) | Q(person_b=person)).delete()
    _revoke_shares(person, acting_user=acting_user)
    record_event(acting_user, AuditAction.ERASE, person, purpose=purpose, detail={"reason": reason})
    return person


@transaction.atomic
def do_delete_incident(
    incident: Incident, *, acting_user: User | None, purpose: Purpose, reason: str
) -> None:
    _revoke_shares(incident, acting_user=acting_user)
    record_event(
        acting_user, AuditAction.ERASE, incident, purpose=purpose, detail={"reason": reason}
    )
    incident.delete()


@transaction.atomic
def do_apply_retention(due: Due, *, acting_user: User | None) -> tuple[int, int]:
    """Delete the incidents and anonymise the people `retention.due()` found; audited."""
    reason = f"Retention: past the {retention_years()}-year period"
    for incident in due.incidents:
        do_delete_incident(
            incident, acting_user=acting_user, purpose=Purpose.RETENTION, reason=reason
        )
    for person in due.people:
        do_anonymise_person(
            person, acting_user=acting_user, purpose=Purpose.RETENTION, reason=reason
        )
    return len(due.incidents), len(due.people)


@transaction.atomic
def do_recompute_repeats() -> int:
    """Recompute every repeat and vulnerable victim flag (incidents/repeats.py): all or nothing.

    Flags are derived from records already audited, so the recomputation is not audited."""
    from safer.incidents.repeats import recompute_all

    return recompute_all()


def _match_event(
    match: PersonMatch, *, acting_user: User | None, purpose: Purpose, what: str
) -> None:
    """Write the suggestion or decision against both records, so each organisation's data
    protection officer (and a subject access report) sees it. No names, no reason text."""
    for person, other in ((match.person_a, match.person_b), (match.person_b, match.person_a)):
        record_event(
            acting_user,
            AuditAction.CHANGE,
            person,
            purpose=purpose,
            detail={"match": match.reference, "status": what, "other": other.reference},
        )


@transaction.atomic
def do_suggest_matches(
    person_ids: Iterable[int] | None = None,
    *,
    acting_user: User | None,
    progress: Callable[[int, str], None] | None = None,
) -> list[PersonMatch]:
    """Suggest matches (incidents/matching.py) for these people, or for everyone; returns the
    new suggestions. A pair already suggested, confirmed or rejected is left as it is."""
    from safer.incidents import matching

    if person_ids is None:
        found = matching.all_suggestions(progress)
    else:
        found = []
        for person in Person.objects.filter(pk__in=list(person_ids)):
            found.extend(matching.suggestions_for(person))
    report = progress or (lambda percent, message: None)
    report(80, f"Saving {len(found):,} suggestion(s)")
    existing: set[tuple[int, int]] = set()
    ids = sorted({pk for s in found for pk in (s.person_a, s.person_b)})
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        existing |= set(
            PersonMatch.objects.filter(person_a__in=chunk).values_list("person_a", "person_b")
        )
    new = {
        (s.person_a, s.person_b): PersonMatch(
            person_a_id=s.person_a,
            person_b_id=s.person_b,
            probability=s.probability,
            agreement=s.agreement,
        )
        for s in found
        if (s.person_a, s.person_b) not in existing
    }
    created = PersonMatch.objects.bulk_create(new.values(), batch_size=1000)
    matches = list(
        PersonMatch.objects.filter(pk__in=[match.pk for match in created])
        .select_related("person_a", "person_b")
        .order_by("pk")
    )
    for match in matches:
        _match_event(match, acting_user=acting_user, purpose=Purpose.DATA_QUALITY, what="suggested")
    report(100, f"{len(matches):,} new suggestion(s)")
    return matches


def _decide(
    match: PersonMatch, status: MatchStatus, *, acting_user: User, reason: str
) -> PersonMatch:
    _require_recorder(acting_user)
    match = (
        PersonMatch.objects.select_for_update()
        .select_related("person_a", "person_b")
        .get(pk=match.pk)
    )
    if acting_user.organisation_id not in (
        match.person_a.organisation_id,
        match.person_b.organisation_id,
    ):
        raise PermissionDenied("Only the organisations holding the two records decide a match.")
    if match.status != MatchStatus.SUGGESTED:
        when = f" on {match.reviewed_at:%-d %B %Y}" if match.reviewed_at else ""
        raise ValidationError(
            {"reason": f"This match was already decided{when}: {match.get_status_display()}."}
        )
    if status == MatchStatus.REJECTED and not reason.strip():
        raise ValidationError({"reason": "Say why these records are not the same person."})
    match.status = status
    match.reason = reason.strip()
    match.reviewed_by = acting_user
    match.reviewed_at = timezone.now()
    match.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at", "updated_at"])
    _match_event(match, acting_user=acting_user, purpose=Purpose.DATA_QUALITY, what=status.value)
    return match


@transaction.atomic
def do_confirm_match(match: PersonMatch, *, acting_user: User, reason: str = "") -> PersonMatch:
    """Confirm two records are the same person: they are linked, never merged."""
    return _decide(match, MatchStatus.CONFIRMED, acting_user=acting_user, reason=reason)


@transaction.atomic
def do_reject_match(match: PersonMatch, *, acting_user: User, reason: str) -> PersonMatch:
    """Reject a suggestion: the two records are not the same person. The reason is required."""
    return _decide(match, MatchStatus.REJECTED, acting_user=acting_user, reason=reason)


# Importing incident extracts (docs/recording-standard.md, "The incident extract CSV format").

ImportProgress = Callable[[int, str], None]  # (per cent done, what is happening)
_SCAN_CHUNK = 1 << 20


def incident_import_limit() -> int:
    """The largest extract accepted, in bytes (setting SAFER_INCIDENT_IMPORT_MAX_BYTES)."""
    return int(getattr(settings, "SAFER_INCIDENT_IMPORT_MAX_BYTES", 50 << 20))


def megabytes(size: int) -> str:
    """A file's size as people read it: 52.4 MB, or 2,509 bytes when under a megabyte."""
    return f"{size / (1 << 20):,.1f} MB" if size >= 1 << 20 else f"{size:,} bytes"


@transaction.atomic
def do_request_incident_import(upload: File[Any], *, acting_user: User) -> IncidentImport:
    """Keep an uploaded extract and queue its import for a background worker (`safer
    db_worker`; the local demo imports at once). Refused at once if it is too big."""
    from safer.incidents.tasks import import_incident_extract

    organisation_id = _require_recorder(acting_user)
    name = Path(upload.name or "extract.csv").name[:300]
    record = IncidentImport(
        organisation_id=organisation_id,
        recorded_by=acting_user,
        file_name=name,
        size=upload.size or 0,
        progress_message="Waiting for a worker",
    )
    if record.size > incident_import_limit():
        return _refuse_too_big(record, acting_user)
    record.upload.save(f"{uuid.uuid4().hex}.csv", upload, save=False)
    record.save()
    record_event(acting_user, AuditAction.CREATE, record, purpose=Purpose.CASE_WORK)
    import_incident_extract.enqueue(record.pk)
    return record


def _refuse_too_big(record: IncidentImport, acting_user: User) -> IncidentImport:
    record.status = ImportStatus.REFUSED
    record.progress, record.progress_message = 100, "Refused"
    record.errors = [
        {
            "row": 0,
            "column": "",
            "reason": f"the file is {megabytes(record.size)}, over the limit of "
            f"{megabytes(incident_import_limit())}: split the extract into smaller files "
            "(by date, for example) and import each",
        }
    ]
    record.finished_at = timezone.now()
    record.save()
    record_event(acting_user, AuditAction.CREATE, record, purpose=Purpose.CASE_WORK)
    return record


@transaction.atomic
def do_record_import_progress(record: IncidentImport, percent: int, message: str) -> None:
    """Note how far an import has got (saved at once, so the page's progress bar moves)."""
    IncidentImport.objects.filter(pk=record.pk).update(
        progress=percent, progress_message=message[:200]
    )


def do_import_incidents(
    path: Path, *, acting_user: User, progress: ImportProgress | None = None
) -> IncidentImport:
    """Import an extract file for the acting user's organisation, now (the command's way)."""
    organisation_id = _require_recorder(acting_user)
    with transaction.atomic():
        record = IncidentImport.objects.create(
            organisation_id=organisation_id,
            recorded_by=acting_user,
            file_name=path.name[:300],
            size=path.stat().st_size,
        )
        record_event(acting_user, AuditAction.CREATE, record, purpose=Purpose.CASE_WORK)
    return run_incident_import(record, lambda: path.open("rb"), progress=progress)


def run_incident_import(
    record: IncidentImport,
    opener: Callable[[], IO[bytes]],
    *,
    progress: ImportProgress | None = None,
) -> IncidentImport:
    """Check the extract whole, then write it whole in one transaction, or refuse it whole
    and record every problem with its row and column. Never raises for a bad file."""
    from safer.incidents.importing.extract import (
        ExtractRefusedError,
        Problems,
        area_lookup,
        read_extract,
    )
    from safer.incidents.importing.load import load_extract
    from safer.partnership.models import CspArea, Organisation

    started = time.perf_counter()
    shown = [-1, ""]

    def report(percent: int, message: str) -> None:
        if [percent, message] != shown:
            shown[:] = [percent, message]
            if progress is not None:
                progress(percent, message)

    record.status = ImportStatus.RUNNING
    record.started_at = timezone.now()
    record.save(update_fields=["status", "started_at", "updated_at"])
    problems = Problems()
    user = record.recorded_by
    try:
        if user is None or _require_recorder(user) != record.organisation_id:
            raise PermissionDenied("The importing user no longer records for this organisation.")
        if record.size > incident_import_limit():
            problems.add(
                0,
                "",
                f"the file is {megabytes(record.size)}, over the limit of "
                f"{megabytes(incident_import_limit())}: split the extract into smaller files "
                "(by date, for example) and import each",
            )
            problems.refuse_if_any()
        report(0, "Reading the file")
        record.checksum, binary = _scan(opener)
        if binary:
            problems.add(0, "", "not a CSV file: it holds binary data (save the extract as CSV)")
            problems.refuse_if_any()
        areas = area_lookup(CspArea.objects.values_list("pk", "name", "ons_code"))
        size = max(record.size, 1)
        with opener() as raw:
            counted = _CountingReader(
                raw, lambda done: report(min(60, done * 60 // size), "Checking every row")
            )
            text = io.TextIOWrapper(
                io.BufferedReader(counted, _SCAN_CHUNK), encoding="utf-8-sig", newline=""
            )
            try:
                extract = read_extract(
                    text, areas=areas, today=timezone.localdate(), problems=problems
                )
            except UnicodeDecodeError:
                problems.add(*_where_not_utf8(opener))
                problems.refuse_if_any()
                raise  # not reached
        record.rows_read = extract.rows_read
        report(60, "Writing")
        with transaction.atomic(), _big_cache():
            # One import at a time per organisation, so two cannot both create one reference.
            Organisation.objects.select_for_update().filter(pk=record.organisation_id).first()
            loaded = load_extract(
                extract,
                organisation_id=record.organisation_id,
                acting_user=user,
                import_reference=record.reference,
                problems=problems,
                stage=lambda message: report(80, message),
            )
    except ExtractRefusedError as refused:
        kept = refused.problems
        record.status = ImportStatus.REFUSED
        record.rows_read = kept.rows_read or record.rows_read
        record.rows_rejected = len(kept.rows)
        record.errors = [problem.as_dict() for problem in kept.kept]
        record.errors_not_shown = kept.not_shown
    except PermissionDenied as denied:
        record.status = ImportStatus.REFUSED
        record.errors = [{"row": 0, "column": "", "reason": str(denied)}]
    except Exception:
        log.exception("Importing %s failed", record)
        record.status = ImportStatus.FAILED
        record.errors = [
            {
                "row": 0,
                "column": "",
                "reason": "Safer could not finish this import because of a fault of its own; "
                "nothing of the file was written. The fault is in the server's log.",
            }
        ]
    else:
        record.status = ImportStatus.IMPORTED
        record.incidents_created = loaded.incidents_created
        record.incidents_updated = loaded.incidents_updated
        record.incidents_unchanged = loaded.incidents_unchanged
        record.people_created = loaded.people_created
        record.people_updated = loaded.people_updated
    record.progress = 100
    record.progress_message = ImportStatus(record.status).label
    record.finished_at = timezone.now()
    record.seconds = time.perf_counter() - started
    if record.upload:
        record.upload.delete(save=False)  # the extract is personal data: keep it no longer
    record.save()
    report(100, record.progress_message)
    return record


@contextmanager
def _big_cache() -> Iterator[None]:
    """On SQLite, a page cache big enough for the indexes a bulk load writes into (the
    default 2 MB makes every insert into a large table read pages back); reset afterwards."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


IMPORT_CACHE_KIB = 256 * 1024


class _CountingReader(io.RawIOBase):
    """A byte stream that says how much of it has been read, for the progress bar."""

    def __init__(self, raw: IO[bytes], told: Callable[[int], None]) -> None:
        self.raw = raw
        self.done = 0
        self.told = told

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        self.done += len(data)
        self.told(self.done)
        return len(data)


def _scan(opener: Callable[[], IO[bytes]]) -> tuple[str, bool]:
    """The file's SHA-256, and whether its start holds binary data (a NUL byte)."""
    digest = hashlib.sha256()
    binary = False
    with opener() as handle:
        first = True
        while chunk := handle.read(_SCAN_CHUNK):
            if first:
                binary = b"\x00" in chunk[:8192]
                first = False
            digest.update(chunk)
    return digest.hexdigest(), binary


def _where_not_utf8(opener: Callable[[], IO[bytes]]) -> tuple[int, str, str]:
    """The row, column and reason for the first bytes that are not UTF-8."""
    from safer.incidents.importing.columns import COLUMNS

    with opener() as handle:
        data = handle.read()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
    else:  # pragma: no cover - the caller found a bad byte
        return 0, "", "the file is not UTF-8"
    line_start = data.rfind(b"\n", 0, start) + 1
    row = data.count(b"\n", 0, start) + 1
    header = next(csv.reader([data.split(b"\n", 1)[0].decode("utf-8", "replace")]), [])
    before = data[line_start:start].decode("utf-8", "replace")
    index = len(next(csv.reader([before]), [""])) - 1 if before else 0
    column = header[index].strip() if 0 <= index < len(header) else ""
    column = column if column in COLUMNS else ""
    byte = data[start : start + 1]
    guess = byte.decode("cp1252", "replace")
    return (
        row,
        column,
        f"byte 0x{byte.hex().upper()} is not UTF-8: the file is in another encoding (in "
        f'Windows-1252 it would be {guess!r}). Save it as "CSV UTF-8" and import it again',
    )
