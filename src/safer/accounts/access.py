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

A record a user may not see does not exist for them: `access_*` raises Http404 both for "not
yours" and for "not there", so a guessed number reveals nothing.

Counts for the Board and analysts come from `incident_counts`, which returns numbers only,
with small numbers suppressed (`safer.core.suppression`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar

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
from safer.incidents.models import Incident, Person

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


def conference_ids(user: User, model: type[models.Model]) -> QuerySet[models.Model, int] | None:
    """Extension point for issue 6: records of cases referred to a conference the user's
    organisation attends. None until conferences exist."""
    return None


def _visible(user: User, model: type[M]) -> QuerySet[M]:
    manager = model._default_manager
    if not can_see_personal_data(user):
        return manager.none()
    rule = Q(organisation_id=user.organisation_id) | Q(pk__in=shared_ids(user, model))
    if (conferenced := conference_ids(user, model)) is not None:
        rule |= Q(pk__in=conferenced)
    return manager.filter(rule)


def visible_people(user: User) -> QuerySet[Person]:
    return _visible(user, Person)


def visible_incidents(user: User) -> QuerySet[Incident]:
    return _visible(user, Incident)


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


def count_incidents(category: IncidentCategory, start: date, end: date) -> Count:
    """Incidents of one kind that happened between two dates, partnership-wide: a suppressed
    count for measures and the Board, never records."""
    return suppress(
        Incident.objects.filter(category=category, occurred_on__range=(start, end)).count()
    )
