"""The recording standard's rules for one incident (docs/recording-standard.md).

Each rule names the field it is about and says what is wrong in a case worker's words; the
action raises them together as one ValidationError so the form can show every one at once.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from safer.incidents.enums import (
    HATE_CATEGORIES,
    AbuseType,
    HateStrand,
    IncidentCategory,
    InvolvementRole,
)

if TYPE_CHECKING:
    from safer.incidents.models import Incident, Person


# The lists' values, once: `Choices.values` builds a new list at every call.
_ABUSE_TYPES = frozenset(AbuseType.values)
_HATE_STRANDS = frozenset(HateStrand.values)


def _unknown(values: Iterable[str], allowed: Iterable[str]) -> list[str]:
    return sorted(set(values) - set(allowed))


def category_errors(incident: Incident) -> dict[str, str]:
    """What the incident's category asks for, and what it does not allow."""
    errors: dict[str, str] = {}
    category = incident.category
    if category == IncidentCategory.ASB:
        if not incident.asb_category:
            errors["asb_category"] = (
                "Choose the kind of anti-social behaviour: personal, nuisance or environmental."
            )
    elif incident.asb_category:
        errors["asb_category"] = "Only anti-social behaviour has an ASB category."
    if unknown := _unknown(incident.abuse_types, _ABUSE_TYPES):
        errors["abuse_types"] = f"Unknown type(s) of abuse: {', '.join(unknown)}."
    elif incident.abuse_types and category != IncidentCategory.DOMESTIC_ABUSE:
        errors["abuse_types"] = "Only domestic abuse has types of abuse."
    if incident.relationship and category != IncidentCategory.DOMESTIC_ABUSE:
        errors["relationship"] = "Only domestic abuse records the relationship."
    if unknown := _unknown(incident.hate_strands, _HATE_STRANDS):
        errors["hate_strands"] = f"Unknown hate crime strand(s): {', '.join(unknown)}."
    elif category in HATE_CATEGORIES and not incident.hate_strands:
        errors["hate_strands"] = (
            "Choose at least one strand the victim or anyone else perceived the hostility to be "
            "about."
        )
    elif incident.hate_strands and category not in HATE_CATEGORIES:
        errors["hate_strands"] = "Only hate crimes and hate incidents have strands."
    return errors


def repeat_namings(people: Sequence[tuple[Hashable, str]]) -> Iterator[tuple[int, str, str]]:
    """One person, one role: for each entry naming someone already named in the incident, its
    position, the role they were named in first and the role named now."""
    seen: dict[Hashable, str] = {}
    for index, (person, role) in enumerate(people):
        if person in seen:
            yield index, seen[person], role
        else:
            seen[person] = role


def two_roles_reason(who: str, first: str, second: str) -> str:
    """Why a second naming of someone in one incident is refused, in a case worker's words."""
    first_label = InvolvementRole(first).label.lower()
    second_label = InvolvementRole(second).label.lower()
    if first == second:
        return f"{who} is named twice as {first_label}."
    return (
        f"{who} cannot be both {first_label} and {second_label} in one incident: choose one role."
    )


def place_errors(incident: Incident) -> dict[str, str]:
    """An LSOA lies in one CSP area: a different area given with it is refused."""
    lsoa = incident.lsoa
    if lsoa is None or incident.area_id is None:
        return {}
    if lsoa.area_id != incident.area_id:
        return {
            "lsoa": f"LSOA {lsoa.code} is in {lsoa.area}, not in "
            f"{incident.area}: check the LSOA code or the area."
        }
    return {}


def people_errors(people: Sequence[tuple[Person, InvolvementRole]]) -> dict[str, str]:
    """One person, one role: someone named twice in one incident is refused."""
    for _, role in people:
        if role not in InvolvementRole.values:
            return {"people": f"Unknown role: {role}."}
    found = next(repeat_namings([(person.pk, role) for person, role in people]), None)
    if found is None:
        return {}
    index, first, second = found
    person = people[index][0]
    return {"people": two_roles_reason(f"{person} ({person.reference})", first, second)}


def occurred_on_error(day: date, today: date) -> str | None:
    """When it happened: not in the future."""
    if day > today:
        return "The date it happened cannot be in the future."
    return None


EARLIEST_BIRTH = date(1900, 1, 1)


def date_of_birth_error(born: date, today: date) -> str | None:
    """A date of birth: in the past, and not before 1900 (a typing slip, not a person)."""
    if born > today:
        return "The date of birth must be in the past."
    if born < EARLIEST_BIRTH:
        return "The date of birth is before 1900: check the year."
    return None


def check_incident(incident: Incident, people: Sequence[tuple[Person, InvolvementRole]]) -> None:
    """Raise one ValidationError with every way the incident breaks the standard."""
    errors = {**category_errors(incident), **place_errors(incident), **people_errors(people)}
    if errors:
        raise ValidationError(errors)
