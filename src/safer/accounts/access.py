"""The access layer: the only place that decides who sees which records about people.

Every view, API endpoint, export and search that shows personal data gets its records from
here, and every single record it shows is written to the audit log here. The rule:

- A user sees records about people only if their role carries `view_personal_data`.
- They see the records their own organisation holds,
- and records shared with their organisation by a live share: not revoked, not expired, and
  under a sharing agreement that is itself live (`Share.objects.live()`),
- and (issue 6) records of cases referred to a conference their organisation attends:
  `conference_ids()` is the extension point that part fills in.
- Only the owning organisation changes or shares a record.
- A suggested or confirmed match between two records of one person (`PersonMatch`) is seen by
  the two organisations holding them, and no one else (`visible_matches`). It shows the other
  organisation's name, its reference and how the records compare; the other record itself only
  as far as the rules above allow.
- A person's timeline shows every incident of that person and of the records confirmed as the
  same person that the user may see (`timeline_involvements`); the rest are not mentioned.

A record a user may not see does not exist for them: `access_*` raises Http404 both for "not
yours" and for "not there", so a guessed number reveals nothing.

Counts for the Board, analysts and the agreement's measures come from `incident_counts`,
`count_incidents` and `count_flagged_victims`, which return numbers only, with small numbers
suppressed (`safer.core.suppression`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Count as DbCount
from django.db.models import Q, QuerySet
from django.http import Http404

from safer.accounts.audit import record_event, record_events
from safer.accounts.enums import AuditAction, Purpose
from safer.accounts.models import AuditEvent, Share, User
from safer.accounts.permissions import Permission, has_permission
from safer.core.suppression import Count, suppress, suppress_table
from safer.incidents.enums import IncidentCategory
from safer.incidents.models import Incident, IncidentImport, Involvement, Person, PersonMatch
from safer.partnership.models import Organisation

if TYPE_CHECKING:
    from safer.safeguarding.models import (
        Conference,
        ConferenceAction,
        CseReport,
        Referral,
        RiskAssessment,
    )

M = TypeVar("M", bound=models.Model)

NOT_FOUND = "No such record, or it has not been shared with your organisation."


def can_see_personal_data(user: User) -> bool:
    return (
        user.is_authenticated
        and user.organisation_id is not None
        and has_permission(user, Permission.VIEW_PERSONAL_DATA)
    )


def shared_ids(user: User, model: type[models.Model]) -> QuerySet[Share, int]:
    """Primary keys of `model` records shared with the user's organisation by a live share."""
    return (
        Share.objects.live()
        .filter(
            recipient_id=user.organisation_id, content_type=ContentType.objects.get_for_model(model)
        )
        .values_list("object_id", flat=True)
    )


def conference_ids(user: User, model: type[models.Model]) -> QuerySet[Any, Any] | None:
    """Records of cases referred to a conference the user's organisation attends, or to a
    panel (MARAC, ASBRAC) it coordinates: the victim, the referral, and the incidents and
    assessments attached to it. None for records conferences do not carry."""
    from safer.safeguarding.models import Referral, RiskAssessment

    referrals = Referral.objects.filter(
        Q(discussion__conference__attending=user.organisation_id)
        | Q(panel__coordinator_id=user.organisation_id)
    )
    if model is Referral:
        return referrals.values_list("pk", flat=True)
    if model is Person:
        return referrals.values_list("person_id", flat=True)
    if model is Incident:
        return referrals.filter(incidents__isnull=False).values_list("incidents", flat=True)
    if model is RiskAssessment:
        return referrals.filter(assessments__isnull=False).values_list("assessments", flat=True)
    return None


def _rules(user: User, model: type[M]) -> list[Q]:
    """The ways a record becomes visible to the user: each a condition, their OR the rule."""
    if not can_see_personal_data(user):
        return []
    rules = [Q(organisation_id=user.organisation_id), Q(pk__in=shared_ids(user, model))]
    if (conferenced := conference_ids(user, model)) is not None:
        rules.append(Q(pk__in=conferenced))
    return rules


def _visible(user: User, model: type[M]) -> QuerySet[M]:
    manager = model._default_manager
    rules = _rules(user, model)
    if not rules:
        return manager.none()
    rule = Q()
    for part in rules:
        rule |= part
    return manager.filter(rule)


def visible_people(user: User) -> QuerySet[Person]:
    return _visible(user, Person)


def visible_incidents(user: User) -> QuerySet[Incident]:
    return _visible(user, Incident)


def visible_incident_parts(user: User) -> list[QuerySet[Incident]]:
    """`visible_incidents(user)` as the parts its rule is made of (the organisation's own
    incidents, those shared with it, those of its conferences): their union is exactly
    `visible_incidents(user)`, from the same rules. For a list over millions of incidents:
    each part is read through its own index and the newest merged (incidents/listing.py),
    where one query with the rule's OR cannot use an index at all."""
    return [Incident.objects.filter(rule) for rule in _rules(user, Incident)]


def visible_incident_owners(user: User) -> QuerySet[Organisation]:
    """The organisations whose incidents the user may see: their own, and those that shared
    one with them or brought one to their conferences (for the list's "recorded by" filter)."""
    if not can_see_personal_data(user):
        return Organisation.objects.none()
    # Each part asked on its own: with both IN lists OR-ed in one query PostgreSQL scanned
    # every incident (0.8 s at a million), where each alone is a join on the primary key.
    others = [Incident.objects.filter(pk__in=shared_ids(user, Incident))]
    if (conferenced := conference_ids(user, Incident)) is not None:
        others.append(Incident.objects.filter(pk__in=conferenced))
    owner_ids = {user.organisation_id} - {None}
    for incidents in others:
        owner_ids.update(incidents.order_by().values_list("organisation_id", flat=True).distinct())
    return Organisation.objects.filter(pk__in=owner_ids)


def _access(
    queryset: QuerySet[M], pk: object, user: User, *, purpose: Purpose, action: AuditAction
) -> M:
    try:
        record = queryset.get(pk=int(str(pk)))
    except (ValueError, ObjectDoesNotExist):
        raise Http404(NOT_FOUND) from None
    record_event(user, action, record, purpose=purpose)
    return record


def access_person(
    user: User, pk: object, *, purpose: Purpose, action: AuditAction = AuditAction.VIEW
) -> Person:
    """The person record `pk` if the user may see it, written to the audit log; else Http404."""
    return _access(visible_people(user), pk, user, purpose=purpose, action=action)


def access_incident(
    user: User, pk: object, *, purpose: Purpose, action: AuditAction = AuditAction.VIEW
) -> Incident:
    return _access(visible_incidents(user), pk, user, purpose=purpose, action=action)


def visible_incident_imports(user: User) -> QuerySet[IncidentImport]:
    """The incident extracts the user's own organisation imported, for users whose role
    records incidents. Their reports quote the extract's rows, so they are personal data and
    are never shared."""
    organisation_id = user.organisation_id
    if (
        organisation_id is None
        or not can_see_personal_data(user)
        or not has_permission(user, Permission.RECORD_PERSONAL_DATA)
    ):
        return IncidentImport.objects.none()
    return IncidentImport.objects.filter(organisation_id=organisation_id)


def access_incident_import(user: User, pk: object, *, purpose: Purpose) -> IncidentImport:
    """An import and its report of refused rows, written to the audit log; else Http404."""
    return _access(
        visible_incident_imports(user), pk, user, purpose=purpose, action=AuditAction.VIEW
    )


def incident_import_progress(user: User, pk: object) -> IncidentImport:
    """An import, for its progress bar only (per cent done and status: no row of the
    extract), so not audited; Http404 if it is not the user's organisation's."""
    try:
        return (
            visible_incident_imports(user)
            .only("pk", "organisation_id", "status", "progress", "progress_message")
            .get(pk=int(str(pk)))
        )
    except (ValueError, IncidentImport.DoesNotExist):
        raise Http404(NOT_FOUND) from None


def _owned(queryset: QuerySet[M], user: User, permission: Permission) -> QuerySet[M]:
    if not has_permission(user, permission):
        return queryset.none()
    return queryset.filter(organisation_id=user.organisation_id)


def access_person_to_change(user: User, pk: object, *, purpose: Purpose) -> Person:
    """A person record the user's organisation owns, for changing; Http404 otherwise.

    The audit entry is the change itself, written by the action."""
    try:
        return _owned(visible_people(user), user, Permission.RECORD_PERSONAL_DATA).get(
            pk=int(str(pk))
        )
    except (ValueError, Person.DoesNotExist):
        raise Http404(NOT_FOUND) from None


def access_incident_to_change(user: User, pk: object) -> Incident:
    """An incident the user's organisation recorded, for changing; Http404 otherwise (another
    organisation's incident, shared or not, cannot be changed and is not revealed).

    The audit entry is the change itself, written by the action."""
    try:
        return _owned(visible_incidents(user), user, Permission.RECORD_PERSONAL_DATA).get(
            pk=int(str(pk))
        )
    except (ValueError, Incident.DoesNotExist):
        raise Http404(NOT_FOUND) from None


def access_record_to_share(user: User, model: type[M], pk: object, *, purpose: Purpose) -> M:
    """A record the user's organisation owns and the user may share, written to the audit log
    as viewed (the form shows it); Http404 otherwise."""
    queryset = _owned(_visible(user, model), user, Permission.SHARE_PERSONAL_DATA)
    return _access(queryset, pk, user, purpose=purpose, action=AuditAction.VIEW)


def show_people(
    user: User, people: Sequence[Person], *, purpose: Purpose, action: AuditAction
) -> Sequence[Person]:
    """Record that each person in a list, search result or export was shown to the user."""
    if people:
        record_events(user, action, list(people), purpose=purpose)
    return people


def show_incidents(
    user: User, incidents: Sequence[Incident], *, purpose: Purpose, action: AuditAction
) -> Sequence[Incident]:
    if incidents:
        record_events(user, action, list(incidents), purpose=purpose)
    return incidents


def visible_matches(user: User) -> QuerySet[PersonMatch]:
    """Matches in which the user's organisation holds one of the two records."""
    if not can_see_personal_data(user):
        return PersonMatch.objects.none()
    return PersonMatch.objects.filter(
        Q(person_a__organisation_id=user.organisation_id)
        | Q(person_b__organisation_id=user.organisation_id)
    ).select_related("person_a__organisation", "person_b__organisation", "reviewed_by")


def access_match(user: User, pk: object, *, purpose: Purpose) -> PersonMatch:
    """A match the user's organisation is party to, written to the audit log; else Http404."""
    return _access(visible_matches(user), pk, user, purpose=purpose, action=AuditAction.VIEW)


def matched_people_visible(user: User, matches: Sequence[PersonMatch]) -> set[int]:
    """Which of the people in these matches the user may see (their name is then shown)."""
    ids = {pk for match in matches for pk in (match.person_a_id, match.person_b_id)}
    return set(visible_people(user).filter(pk__in=ids).values_list("pk", flat=True))


def show_matches(
    user: User, matches: Sequence[PersonMatch], *, purpose: Purpose, action: AuditAction
) -> Sequence[PersonMatch]:
    """Record that both records of each match were shown (the other one at least by its
    reference and how it compares), so both organisations' logs show the disclosure."""
    people = [person for match in matches for person in (match.person_a, match.person_b)]
    if people:
        record_events(user, action, people, purpose=purpose)
    return matches


def timeline_involvements(user: User, person: Person) -> QuerySet[Involvement]:
    """The involvements of `person` and of every record confirmed as the same person, in the
    incidents the user may see, oldest first. `person` must come from `access_person`."""
    from safer.incidents.matching import linked_person_ids

    return (
        Involvement.objects.filter(
            person_id__in=linked_person_ids(person.pk), incident__in=visible_incidents(user)
        )
        .select_related("incident__organisation", "incident__area")
        .order_by("incident__occurred_on", "incident_id")
    )


def incident_counts(user: User) -> dict[str, Count]:
    """Incidents across the partnership by category, as counts only, small numbers suppressed.

    The one path for aggregates: it returns no record and no name, so it is not audited.
    """
    if not has_permission(user, Permission.VIEW_AGGREGATES):
        raise PermissionDenied
    raw = dict(
        Incident.objects.values_list("category")
        .annotate(n=DbCount("pk"))
        .values_list("category", "n")
    )
    return suppress_table(
        {IncidentCategory(key).label: raw.get(key, 0) for key in IncidentCategory.values}
    )


def visible_audit_events(user: User) -> QuerySet[AuditEvent]:
    """The audit entries a data protection officer answers for: about records their
    organisation holds, or by its staff."""
    if not has_permission(user, Permission.VIEW_AUDIT_LOG) or user.organisation_id is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(
        Q(record_organisation_id=user.organisation_id)
        | Q(actor_organisation_id=user.organisation_id)
    )


def access_subject(user: User, pk: object) -> Person:
    """A person held by the DPO's organisation, for a subject access report; Http404 otherwise.

    The DPO answers for their own organisation's records, shared or not, restricted or not."""
    if not has_permission(user, Permission.VIEW_AUDIT_LOG) or user.organisation_id is None:
        raise Http404(NOT_FOUND)
    try:
        person = Person.objects.get(pk=int(str(pk)), organisation_id=user.organisation_id)
    except (ValueError, Person.DoesNotExist):
        raise Http404(NOT_FOUND) from None
    record_event(user, AuditAction.SUBJECT_ACCESS, person, purpose=Purpose.SUBJECT_RIGHTS)
    return person


def subject_people(user: User) -> QuerySet[Person]:
    """People the DPO may answer a request about (their organisation's): for finding one."""
    if not has_permission(user, Permission.VIEW_AUDIT_LOG) or user.organisation_id is None:
        return Person.objects.none()
    return Person.objects.filter(organisation_id=user.organisation_id)


def count_incidents(
    categories: Iterable[str],
    start: date,
    end: date,
    *,
    area_id: int | None = None,
    hate_strand: str | None = None,
) -> Count:
    """Incidents of these kinds that happened between two dates, partnership-wide or in one CSP
    area, optionally of one hate crime strand: a suppressed count for measures and the Board,
    never records."""
    incidents = Incident.objects.filter(
        category__in=list(categories), occurred_on__range=(start, end)
    )
    if area_id is not None:
        incidents = incidents.filter(area_id=area_id)
    if hate_strand is not None:
        incidents = incidents.filter(hate_strands__icontains=f'"{hate_strand}"')
    return suppress(incidents.count())


def count_flagged_victims(
    flags: Iterable[str], start: date, end: date, *, area_id: int | None = None
) -> Count:
    """Victims (person records) given any of these flags by an incident that happened between
    two dates, partnership-wide or in one CSP area: a suppressed count, never records."""
    from safer.incidents.enums import InvolvementRole
    from safer.incidents.models import Involvement

    flagged = Q()
    for flag in flags:
        flagged |= Q(flags__icontains=f'"{flag}"')
    involvements = Involvement.objects.filter(
        flagged,
        role=InvolvementRole.VICTIM,
        incident__occurred_on__range=(start, end),
    )
    if area_id is not None:
        involvements = involvements.filter(incident__area_id=area_id)
    return suppress(involvements.values("person_id").distinct().count())


# Safeguarding (issue 6): assessments, referrals, conferences, CSE reports ------------------


def visible_assessments(user: User) -> QuerySet[RiskAssessment]:
    from safer.safeguarding.models import RiskAssessment

    return _visible(user, RiskAssessment)


def access_assessment(
    user: User, pk: object, *, purpose: Purpose, action: AuditAction = AuditAction.VIEW
) -> RiskAssessment:
    return _access(visible_assessments(user), pk, user, purpose=purpose, action=action)


def visible_referrals(user: User) -> QuerySet[Referral]:
    """Referrals the user's organisation made, and those to a panel it coordinates or on a
    conference it attends (through `conference_ids`)."""
    from safer.safeguarding.models import Referral

    return _visible(user, Referral)


def access_referral(
    user: User, pk: object, *, purpose: Purpose, action: AuditAction = AuditAction.VIEW
) -> Referral:
    return _access(visible_referrals(user), pk, user, purpose=purpose, action=action)


def visible_conferences(user: User) -> QuerySet[Conference]:
    """Conferences the user's organisation attends or coordinates: only they see the agenda
    and minutes."""
    from safer.safeguarding.models import Conference

    if not can_see_personal_data(user):
        return Conference.objects.none()
    return Conference.objects.filter(
        Q(organisation_id=user.organisation_id) | Q(attending=user.organisation_id)
    ).distinct()


def access_conference(
    user: User,
    pk: object,
    *,
    purpose: Purpose = Purpose.CONFERENCE,
    action: AuditAction = AuditAction.VIEW,
) -> Conference:
    """A conference's agenda and minutes for an attending or coordinating agency, audited.

    Anyone else gets Http404, as for a conference that does not exist; because an agenda is
    confidential, an attempt on a real one is itself written to the audit log (`DENIED`), so
    the coordinating organisation's data protection officer sees who tried."""
    from safer.safeguarding.models import Conference

    try:
        key = int(str(pk))
    except ValueError:
        raise Http404(NOT_FOUND) from None
    conference = visible_conferences(user).filter(pk=key).first()
    if conference is not None:
        record_event(user, action, conference, purpose=purpose)
        return conference
    existing = Conference.objects.filter(pk=key).first()
    if existing is not None and user.is_authenticated:
        record_event(user, AuditAction.DENIED, existing, purpose=purpose)
    raise Http404(NOT_FOUND)


def visible_conference_actions(user: User) -> QuerySet[ConferenceAction]:
    """The actions the user's organisation owns, on conferences it attends."""
    from safer.safeguarding.models import ConferenceAction

    if not can_see_personal_data(user):
        return ConferenceAction.objects.none()
    return ConferenceAction.objects.filter(
        owner_id=user.organisation_id, case__conference__attending=user.organisation_id
    )


def coordinated_conference_actions(user: User) -> QuerySet[ConferenceAction]:
    """Every action on the conferences of panels the user coordinates (for completion by
    agency)."""
    from safer.safeguarding.models import ConferenceAction

    if not has_permission(user, Permission.RUN_CONFERENCES) or user.organisation_id is None:
        return ConferenceAction.objects.none()
    return ConferenceAction.objects.filter(
        case__conference__panel__coordinator_id=user.organisation_id
    )


def visible_cse_reports(user: User) -> QuerySet[CseReport]:
    """CSE reports the user's organisation submitted, leads on, or had shared with it."""
    from safer.safeguarding.models import CseReport

    if not can_see_personal_data(user):
        return CseReport.objects.none()
    return CseReport.objects.filter(
        Q(organisation_id=user.organisation_id)
        | Q(lead_agency_id=user.organisation_id)
        | Q(pk__in=shared_ids(user, CseReport))
    )


def access_cse_report(
    user: User, pk: object, *, purpose: Purpose, action: AuditAction = AuditAction.VIEW
) -> CseReport:
    return _access(visible_cse_reports(user), pk, user, purpose=purpose, action=action)


def show_records(
    user: User, records: Sequence[models.Model], *, purpose: Purpose, action: AuditAction
) -> Sequence[models.Model]:
    """Record that each safeguarding record in a list was shown to the user."""
    if records:
        record_events(user, action, list(records), purpose=purpose)
    return records
