"""The recording standard's rules for one incident (docs/recording-standard.md).

Each rule names the field it is about and says what is wrong in a case worker's words; the
action raises them together as one ValidationError so the form can show every one at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
    if unknown := _unknown(incident.abuse_types, AbuseType.values):
        errors["abuse_types"] = f"Unknown type(s) of abuse: {', '.join(unknown)}."
    elif incident.abuse_types and category != IncidentCategory.DOMESTIC_ABUSE:
        errors["abuse_types"] = "Only domestic abuse has types of abuse."
    if incident.relationship and category != IncidentCategory.DOMESTIC_ABUSE:
        errors["relationship"] = "Only domestic abuse records the relationship."
    if unknown := _unknown(incident.hate_strands, HateStrand.values):
        errors["hate_strands"] = f"Unknown hate crime strand(s): {', '.join(unknown)}."
    elif category in HATE_CATEGORIES and not incident.hate_strands:
        errors["hate_strands"] = (
            "Choose at least one strand the victim or anyone else perceived the hostility to be "
            "about."
        )
    elif incident.hate_strands and category not in HATE_CATEGORIES:
        errors["hate_strands"] = "Only hate crimes and hate incidents have strands."
    return errors


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
    seen: dict[int, InvolvementRole] = {}
    for person, role in people:
        if role not in InvolvementRole.values:
            return {"people": f"Unknown role: {role}."}
        if person.pk in seen:
            first = InvolvementRole(seen[person.pk]).label.lower()
            second = InvolvementRole(role).label.lower()
            if first == second:
                return {"people": f"{person} ({person.reference}) is named twice as {first}."}
            return {
                "people": f"{person} ({person.reference}) cannot be both {first} and {second} "
                "in one incident: choose one role."
            }
        seen[person.pk] = role
    return {}


def check_incident(incident: Incident, people: Sequence[tuple[Person, InvolvementRole]]) -> None:
    """Raise one ValidationError with every way the incident breaks the standard."""
    errors = {**category_errors(incident), **place_errors(incident), **people_errors(people)}
    if errors:
        raise ValidationError(errors)
