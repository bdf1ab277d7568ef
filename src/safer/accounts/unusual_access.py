"""Unusual access: who opened far more person records than is usual, or records no case of
theirs links them to. The data protection officer sees the alerts on their Audit log page, and
`safer alert-unusual-access` e-mails them (run it from cron, for example hourly).

The rule, over the last `SAFER_UNUSUAL_ACCESS_WINDOW_HOURS` (default 24):

1. **Volume.** A user who opened at least `SAFER_UNUSUAL_ACCESS_MINIMUM` (default 30) different
   person records, and more than `SAFER_UNUSUAL_ACCESS_MULTIPLE` (default 3) times the median
   of the other users who hold the same role and opened any (or of the minimum itself, when no
   one else with the role did), is flagged.
2. **No link.** A user who opened at least `SAFER_UNUSUAL_ACCESS_UNLINKED` (default 10) person
   records that no case of theirs links them to (they did not record the person, nor any
   incident the person is in) is flagged.

"Opened" means the person's own page, API record or subject access report (`view`,
`subject_access`); list rows and exports are not counted as opens.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from safer.accounts.enums import AuditAction, Role
from safer.accounts.models import AuditEvent, User


@dataclass(frozen=True)
class Thresholds:
    window_hours: int
    multiple: int
    minimum: int
    unlinked: int

    @classmethod
    def from_settings(cls) -> Thresholds:
        return cls(
            window_hours=settings.SAFER_UNUSUAL_ACCESS_WINDOW_HOURS,
            multiple=settings.SAFER_UNUSUAL_ACCESS_MULTIPLE,
            minimum=settings.SAFER_UNUSUAL_ACCESS_MINIMUM,
            unlinked=getattr(settings, "SAFER_UNUSUAL_ACCESS_UNLINKED", 10),
        )


@dataclass(frozen=True)
class Alert:
    user_id: int
    username: str
    reason: str


def volume_alerts(
    opened: Mapping[int, int], roles: Mapping[int, set[Role]], thresholds: Thresholds
) -> dict[int, str]:
    """Users whose count of records opened is far above the usual for their role."""
    flagged = {}
    for user_id, count in opened.items():
        if count < thresholds.minimum:
            continue
        peers = [
            other_count
            for other, other_count in opened.items()
            if other != user_id and roles.get(other, set()) & roles.get(user_id, set())
        ]
        usual = statistics.median(peers) if peers else thresholds.minimum
        if count > thresholds.multiple * usual:
            flagged[user_id] = f"opened {count} person records; usual for their role is {usual:g}"
    return flagged


def unlinked_alerts(unlinked: Mapping[int, int], thresholds: Thresholds) -> dict[int, str]:
    return {
        user_id: f"opened {count} person records no case of theirs links them to"
        for user_id, count in unlinked.items()
        if count >= thresholds.unlinked
    }


def unusual_access(
    organisation_id: int | None = None, thresholds: Thresholds | None = None
) -> list[Alert]:
    """The alerts now, for staff of one organisation (or everyone)."""
    thresholds = thresholds or Thresholds.from_settings()
    since = timezone.now() - timedelta(hours=thresholds.window_hours)
    opens = AuditEvent.objects.filter(
        at__gte=since,
        person_id__isnull=False,
        actor__isnull=False,
        action__in=[AuditAction.VIEW, AuditAction.SUBJECT_ACCESS],
    )
    opened = dict(
        opens.values("actor_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("actor_id", "n")
    )
    from safer.incidents.models import Person

    unlinked: dict[int, int] = defaultdict(int)
    for actor_id, person_id in opens.values_list("actor_id", "person_id").distinct():
        linked = Person.objects.filter(
            Q(recorded_by_id=actor_id) | Q(incidents__recorded_by_id=actor_id), Q(pk=person_id)
        ).exists()
        if not linked:
            unlinked[actor_id] += 1
    users = User.objects.filter(pk__in=set(opened) | set(unlinked)).prefetch_related("role_grants")
    roles = {user.pk: {Role(g.role) for g in user.role_grants.all()} for user in users}
    reasons: dict[int, list[str]] = defaultdict(list)
    for user_id, reason in volume_alerts(opened, roles, thresholds).items():
        reasons[user_id].append(reason)
    for user_id, reason in unlinked_alerts(unlinked, thresholds).items():
        reasons[user_id].append(reason)
    alerts = []
    for user in users:
        if user.pk in reasons and (
            organisation_id is None or user.organisation_id == organisation_id
        ):
            alerts.append(Alert(user.pk, user.username, "; ".join(reasons[user.pk])))
    return sorted(alerts, key=lambda alert: alert.username)
