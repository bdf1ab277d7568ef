"""Retention: how long records about people are kept, and which are due to go.

Each record type has a retention period (`RETENTION_YEARS`), counted from the last thing that
happened on the record:

- an **incident** is deleted six years after it happened;
- a **person** is anonymised (names, date of birth, contact details, markers and addresses
  removed; the reference kept so statistics and the audit log still add up) once six years
  have passed since their record last changed and no incident of theirs is younger than that.

Six years is the period the Safer Lancashire information sharing protocol sets for case
records, matching the Limitation Act 1980's six years for most claims; a partnership changes it
with `SAFER_RETENTION_YEARS`. `safer retention --dry-run` lists what is due; `--apply` does it
through `do_apply_retention`, which writes each deletion and anonymisation to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from safer.incidents.models import Incident, Person


def retention_years() -> int:
    return int(getattr(settings, "SAFER_RETENTION_YEARS", 6))


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Due:
    incidents: list[Incident]
    people: list[Person]


def incidents_due(today: date) -> QuerySet[Incident]:
    return Incident.objects.filter(occurred_on__lt=years_before(today, retention_years()))


def people_due(today: date, *, after_deleting: QuerySet[Incident]) -> QuerySet[Person]:
    cutoff = years_before(today, retention_years())
    kept_incidents = Incident.objects.exclude(pk__in=after_deleting.values("pk"))
    recent = kept_incidents.filter(occurred_on__gte=cutoff).values("people")
    return (
        Person.objects.filter(anonymised_at__isnull=True, updated_at__date__lt=cutoff)
        .exclude(pk__in=recent)
        .annotate(last_incident=Max("incidents__occurred_on"))
        .filter(Q(last_incident__isnull=True) | Q(last_incident__lt=cutoff))
    )


def due(today: date | None = None) -> Due:
    today = today or timezone.localdate()
    incidents = incidents_due(today)
    return Due(
        incidents=list(incidents.order_by("occurred_on")),
        people=list(people_due(today, after_deleting=incidents)),
    )
