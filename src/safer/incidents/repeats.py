"""Repeat and vulnerable victims: the rules in docs/recording-standard.md.

A rule flags a victim's involvement in an incident when, counting that incident, the same
victim (the same person record) has had `count` or more incidents of the rule's categories in
the `days` up to and including its date. Incidents on one day are taken in the order recorded.
The rules are configured per partnership in the setting SAFER_REPEAT_RULES (a list of
{"flag", "categories", "count", "days"}); `rules()` reads and checks it.

A victim in an incident the recording agency graded high risk (`Incident.risk_level`: the DASH
grading for domestic abuse, the victim risk assessment for ASB) is flagged high-risk on it.

A victim with a vulnerability marker (other than the marker "repeat victim" itself) is flagged
vulnerable on each incident in which they are a victim.

`flags_for` is the rule itself, a plain function of a victim's history; `recompute_people`
stores its answer (on each Involvement, and on the Incident as `flagged` and `victim_flags`)
and is what the save action calls; `recompute_all` is `safer recompute-repeats`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Q

from safer.incidents.enums import (
    Flag,
    IncidentCategory,
    InvolvementRole,
    RiskLevel,
    VulnerabilityMarker,
)

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
    high_risk: bool = False


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
    for event in ordered:
        if event.high_risk:
            flags[event.incident_id].append(Flag.HIGH_RISK.value)
    if vulnerable:
        for found in flags.values():
            found.append(Flag.VULNERABLE.value)
    return flags


def is_vulnerable(markers: Iterable[str]) -> bool:
    return any(marker != VulnerabilityMarker.REPEAT_VICTIM for marker in markers)


# One victim involvement as the rules read it: (involvement, person, incident, category,
# occurred_on, risk_level, flags).
_Row = tuple[int, int, int, str, date, str, list[str]]
_COLUMNS = (
    "pk",
    "person_id",
    "incident_id",
    "incident__category",
    "incident__occurred_on",
    "incident__risk_level",
    "flags",
)


def _answer(
    rows: Sequence[_Row], *, vulnerable: bool, rule_set: Sequence[Rule]
) -> Iterator[tuple[int, list[str]]]:
    """(involvement, its new flags) for each of one victim's rows whose flags change."""
    history = [
        Event(incident, category, day, risk == RiskLevel.HIGH)
        for _, _, incident, category, day, risk, _ in rows
    ]
    answer = flags_for(history, vulnerable=vulnerable, rule_set=rule_set)
    for pk, _, incident, _, _, _, flags in rows:
        if flags != answer[incident]:
            yield pk, answer[incident]


def _write_flags(changed: Iterable[tuple[int, list[str]]]) -> int:
    """Store new flags with one UPDATE per distinct set of flags and batch of rows: there are
    only a few dozen distinct sets, so this is far fewer statements than a row each."""
    from safer.incidents.models import Involvement

    by_value: dict[str, list[int]] = defaultdict(list)
    for pk, flags in changed:
        by_value[json.dumps(flags)].append(pk)
    for value, pks in by_value.items():
        flags = json.loads(value)
        batch = _batch()
        for start in range(0, len(pks), batch):
            Involvement.objects.filter(pk__in=pks[start : start + batch]).update(flags=flags)
    return sum(len(pks) for pks in by_value.values())


def _batch() -> int:
    """Rows per UPDATE: under SQLite's limit on parameters in a statement; on PostgreSQL far
    more, because at a million flags the round trips, not the rows, are the cost."""
    return 10_000 if connection.vendor == "postgresql" else 900


def _vulnerable(person_ids: Iterable[int] | None = None) -> set[int]:
    """People whose record carries a vulnerability marker (other than "repeat victim")."""
    from safer.incidents.models import Person

    people = Person.objects.exclude(vulnerability_markers=[])
    if person_ids is not None:
        people = people.filter(pk__in=list(person_ids))
    return {
        pk
        for pk, markers in people.values_list("pk", "vulnerability_markers")
        if is_vulnerable(markers)
    }


def flags_text(flags: Iterable[str]) -> str:
    """`Incident.victim_flags` for these flags: " high_risk repeat_asb " (empty for none), so
    `victim_flags__contains=" repeat_asb "` finds a flag on both databases without JSON."""
    found = sorted(set(flags))
    return f" {' '.join(found)} " if found else ""


def _store_incident_flags(wanted: dict[int, str], was: dict[int, str]) -> None:
    """Set `victim_flags` and `flagged` where they change, one UPDATE per value and batch."""
    by_value: dict[str, list[int]] = defaultdict(list)
    for pk in wanted.keys() | was.keys():
        text = wanted.get(pk, "")
        if text != was.get(pk, ""):
            by_value[text].append(pk)
    from safer.incidents.models import Incident

    for text, pks in by_value.items():
        pks.sort()
        batch = _batch()
        for start in range(0, len(pks), batch):
            Incident.objects.filter(pk__in=pks[start : start + batch]).update(
                victim_flags=text, flagged=bool(text)
            )


def recompute_people(person_ids: Iterable[int]) -> int:
    """Store the flags of every victim involvement of these people; returns how many changed.

    The path taken when an incident is saved: a handful of people, a few indexed queries."""
    from safer.incidents.models import Involvement

    ids = sorted(set(person_ids))
    if not ids:
        return 0
    rule_set = rules()
    vulnerable = _vulnerable(ids)
    rows: list[_Row] = list(
        Involvement.objects.filter(person_id__in=ids, role=InvolvementRole.VICTIM).values_list(
            *_COLUMNS
        )
    )
    by_person: dict[int, list[_Row]] = defaultdict(list)
    for row in rows:
        by_person[row[1]].append(row)
    changed = [
        change
        for person_id, own in by_person.items()
        for change in _answer(own, vulnerable=person_id in vulnerable, rule_set=rule_set)
    ]
    _write_flags(changed)
    refresh_incident_flags({row[2] for row in rows})
    return len(changed)


def refresh_incident_flags(incident_ids: Iterable[int]) -> None:
    """Store on each incident the union of its victims' flags (`victim_flags`, `flagged`)."""
    from safer.incidents.models import Incident, Involvement

    touched = sorted(set(incident_ids))
    unions: dict[int, set[str]] = defaultdict(set)
    for incident_id, flags in Involvement.objects.filter(
        incident_id__in=touched, role=InvolvementRole.VICTIM
    ).values_list("incident_id", "flags"):
        unions[incident_id].update(flags)
    was = dict(Incident.objects.filter(pk__in=touched).values_list("pk", "victim_flags"))
    _store_incident_flags({pk: flags_text(unions[pk]) for pk in touched}, was)


def _victim_rows() -> Iterator[_Row]:
    """Every victim involvement with its incident, in person order, read with a plain cursor
    in chunks: at a million rows the ORM's per-value conversions cost more than the query."""
    from safer.incidents.models import Incident, Involvement

    involvement, incident = Involvement._meta.db_table, Incident._meta.db_table
    sql = (
        f"SELECT v.id, v.person_id, v.incident_id, i.category, i.occurred_on, i.risk_level, "  # noqa: S608 - table names from the models
        f"v.flags FROM {involvement} v JOIN {incident} i ON i.id = v.incident_id "
        f"WHERE v.role = %s ORDER BY v.person_id, v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [InvolvementRole.VICTIM.value])
        while chunk := cursor.fetchmany(10_000):
            for pk, person, incident_id, category, day, risk, flags in chunk:
                if isinstance(day, str):  # SQLite hands back text
                    day = date.fromisoformat(day)
                if isinstance(flags, str):
                    flags = [] if flags == "[]" else json.loads(flags)
                yield pk, person, incident_id, category, day, risk, flags


def recompute_all() -> int:
    """Recompute every victim's flags in one pass over the victim involvements in person
    order, then correct `Incident.flagged` where it changed; returns how many involvements
    changed."""
    from safer.incidents.models import Incident

    rule_set = rules()
    vulnerable = _vulnerable()
    changed: list[tuple[int, list[str]]] = []
    unions: dict[int, set[str]] = defaultdict(set)
    own: list[_Row] = []

    def settle(rows: list[_Row]) -> None:
        person = rows[0][1]
        new = dict(_answer(rows, vulnerable=person in vulnerable, rule_set=rule_set))
        changed.extend(new.items())
        for pk, _, incident_id, _, _, _, flags in rows:
            if now := new.get(pk, flags):
                unions[incident_id].update(now)

    for row in _victim_rows():
        if own and row[1] != own[0][1]:
            settle(own)
            own = []
        own.append(row)
    if own:
        settle(own)
    _write_flags(changed)
    # A row whose `flagged` disagrees with its `victim_flags` (from before the text was kept,
    # or changed by hand) counts as different, so both are written.
    was = {
        pk: text if flagged == bool(text) else "?"
        for pk, flagged, text in Incident.objects.filter(
            Q(flagged__in=[True]) | ~Q(victim_flags="")
        )
        .values_list("pk", "flagged", "victim_flags")
        .iterator(chunk_size=10_000)
    }
    _store_incident_flags({pk: flags_text(flags) for pk, flags in unions.items()}, was)
    return len(changed)


REPEAT_FLAGS = (Flag.REPEAT_ASB, Flag.REPEAT_DOMESTIC_ABUSE, Flag.REPEAT_HATE)
