"""Repeat and vulnerable victims: the rules in docs/recording-standard.md.

A rule flags a victim's involvement in an incident when, counting that incident, the same
victim (the same person record) has had `count` or more incidents of the rule's categories in
the `days` up to and including its date. Incidents on one day are taken in the order recorded.
The rules are configured per partnership in the setting SAFER_REPEAT_RULES (a list of
{"flag", "categories", "count", "days"}); `rules()` reads and checks it.

A victim with a vulnerability marker (other than the marker "repeat victim" itself) is flagged
vulnerable on each incident in which they are a victim.

`flags_for` is the rule itself, a plain function of a victim's history; `recompute_people`
stores its answer (on each Involvement, and Incident.flagged) and is what the save action and
`safer recompute-repeats` call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef

from safer.incidents.enums import Flag, IncidentCategory, InvolvementRole, VulnerabilityMarker

DEFAULT_RULES: list[dict[str, object]] = [
    {"flag": Flag.REPEAT_ASB, "categories": [IncidentCategory.ASB], "count": 3, "days": 365},
    {
        "flag": Flag.REPEAT_DOMESTIC_ABUSE,
        "categories": [IncidentCategory.DOMESTIC_ABUSE],
        "count": 2,
        "days": 365,
    },
    {
        "flag": Flag.REPEAT_HATE,
        "categories": [IncidentCategory.HATE_CRIME, IncidentCategory.HATE_INCIDENT],
        "count": 2,
        "days": 365,
    },
]


@dataclass(frozen=True)
class Rule:
    flag: Flag
    categories: frozenset[str]
    count: int
    days: int


@dataclass(frozen=True)
class Event:
    """One incident in a victim's history."""

    incident_id: int
    category: str
    occurred_on: date


def rules() -> list[Rule]:
    """The partnership's rules from SAFER_REPEAT_RULES, checked; ImproperlyConfigured if wrong."""
    configured = getattr(settings, "SAFER_REPEAT_RULES", DEFAULT_RULES)
    result = []
    for number, entry in enumerate(configured, start=1):
        try:
            rule = Rule(
                flag=Flag(entry["flag"]),
                categories=frozenset(IncidentCategory(c).value for c in entry["categories"]),
                count=int(entry["count"]),
                days=int(entry["days"]),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise ImproperlyConfigured(f"SAFER_REPEAT_RULES rule {number}: {exc!r}") from exc
        if rule.count < 1 or rule.days < 1:
            raise ImproperlyConfigured(f"SAFER_REPEAT_RULES rule {number}: count and days >= 1")
        result.append(rule)
    return result


def flags_for(
    history: Sequence[Event], *, vulnerable: bool, rule_set: Sequence[Rule]
) -> dict[int, list[str]]:
    """The flags on each of one victim's incidents (by incident id), from their history."""
    ordered = sorted(history, key=lambda event: (event.occurred_on, event.incident_id))
    flags: dict[int, list[str]] = {event.incident_id: [] for event in ordered}
    for rule in rule_set:
        relevant = [event for event in ordered if event.category in rule.categories]
        for index, event in enumerate(relevant):
            since = event.occurred_on - timedelta(days=rule.days - 1)
            within = sum(1 for earlier in relevant[: index + 1] if earlier.occurred_on >= since)
            if within >= rule.count:
                flags[event.incident_id].append(rule.flag.value)
    if vulnerable:
        for found in flags.values():
            found.append(Flag.VULNERABLE.value)
    return flags


def is_vulnerable(markers: Iterable[str]) -> bool:
    return any(marker != VulnerabilityMarker.REPEAT_VICTIM for marker in markers)


def recompute_people(person_ids: Iterable[int]) -> int:
    """Store the flags of every victim involvement of these people; returns how many changed."""
    from safer.incidents.models import Incident, Involvement, Person

    ids = list(set(person_ids))
    if not ids:
        return 0
    rule_set = rules()
    vulnerable = {
        pk: is_vulnerable(markers)
        for pk, markers in Person.objects.filter(pk__in=ids).values_list(
            "pk", "vulnerability_markers"
        )
    }
    involvements = list(
        Involvement.objects.filter(person_id__in=ids, role=InvolvementRole.VICTIM).select_related(
            "incident"
        )
    )
    by_person: dict[int, list[Involvement]] = defaultdict(list)
    for involvement in involvements:
        by_person[involvement.person_id].append(involvement)
    changed: list[Involvement] = []
    for person_id, own in by_person.items():
        history = [Event(i.incident_id, i.incident.category, i.incident.occurred_on) for i in own]
        answer = flags_for(history, vulnerable=vulnerable.get(person_id, False), rule_set=rule_set)
        for involvement in own:
            if involvement.flags != answer[involvement.incident_id]:
                involvement.flags = answer[involvement.incident_id]
                changed.append(involvement)
    Involvement.objects.bulk_update(changed, ["flags"], batch_size=1000)
    touched = {i.incident_id for i in involvements}
    if touched:
        flagged = Involvement.objects.filter(incident=OuterRef("pk")).exclude(flags=[])
        for start in range(0, len(touched), 1000):
            chunk = sorted(touched)[start : start + 1000]
            Incident.objects.filter(pk__in=chunk).update(flagged=Exists(flagged))
    return len(changed)


def recompute_all(batch: int = 2000) -> int:
    """Recompute every victim's flags, in batches of people; returns how many changed."""
    from safer.incidents.models import Involvement

    victims = sorted(
        set(
            Involvement.objects.filter(role=InvolvementRole.VICTIM).values_list(
                "person_id", flat=True
            )
        )
    )
    return sum(
        recompute_people(victims[start : start + batch]) for start in range(0, len(victims), batch)
    )


REPEAT_FLAGS = (Flag.REPEAT_ASB, Flag.REPEAT_DOMESTIC_ABUSE, Flag.REPEAT_HATE)


def count_repeat_victims(start: date, end: date, area_id: int | None = None) -> int:
    """How many victims (person records) were flagged a repeat victim by an incident that
    happened between two dates, optionally in one CSP area: a number, never a record."""
    from django.db.models import Q

    from safer.incidents.models import Involvement

    repeat = Q()
    for flag in REPEAT_FLAGS:
        repeat |= Q(flags__icontains=f'"{flag.value}"')
    involvements = Involvement.objects.filter(
        repeat,
        role=InvolvementRole.VICTIM,
        incident__occurred_on__range=(start, end),
    )
    if area_id is not None:
        involvements = involvements.filter(incident__area_id=area_id)
    return involvements.values("person_id").distinct().count()
