"""Every write to people and incidents: each one checked, atomic and audited."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
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
    IncidentCategory,
    InvolvementRole,
    MatchStatus,
    VulnerabilityMarker,
)
from safer.incidents.matching import canonical_postcode
from safer.incidents.models import Address, Incident, Involvement, Person, PersonMatch
from safer.incidents.repeats import recompute_people
from safer.incidents.retention import Due, retention_years
from safer.incidents.standard import check_incident

STANDARD_FIELDS = (
    "area",
    "agency_reference",
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
    from django.utils import timezone

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
    from django.utils import timezone

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
