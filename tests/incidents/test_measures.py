"""The agreement's incident measures: counts by kind, strand and area, repeat and high-risk
victims, each equal to a count made by hand, and small numbers suppressed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from safer.accounts.models import User
from safer.core.periods import Quarter
from safer.incidents.actions import do_record_incident, do_record_person
from safer.incidents.enums import (
    AbuseType,
    AsbCategory,
    HateStrand,
    IncidentCategory,
    InvolvementRole,
    Relationship,
    RiskLevel,
)
from safer.incidents.models import Person
from safer.partnership.models import CspArea
from safer.strategy.measure_sources import get_source

Q3 = Quarter(2025, 3)  # October to December 2025
IN_Q3 = date(2025, 11, 3)
BEFORE = date(2025, 9, 30)


def _victim(user: User, name: str) -> Person:
    return do_record_person(given_name=name, family_name="Fixture", acting_user=user)


def _abuse(user: User, victim: Person, day: date, **extra: Any) -> None:
    do_record_incident(
        category=IncidentCategory.DOMESTIC_ABUSE,
        occurred_on=day,
        summary="Assault at home.",
        abuse_types=[AbuseType.PHYSICAL],
        relationship=Relationship.PARTNER,
        people=[(victim, InvolvementRole.VICTIM)],
        acting_user=user,
        **extra,
    )


def _hate(user: User, victim: Person, day: date, strands: Sequence[str], **extra: Any) -> None:
    do_record_incident(
        category=IncidentCategory.HATE_CRIME,
        occurred_on=day,
        summary="Abuse in the street.",
        hate_strands=strands,
        people=[(victim, InvolvementRole.VICTIM)],
        acting_user=user,
        **extra,
    )


def _value(key: str, area: CspArea | None = None) -> Decimal | None:
    return get_source(key).compute(Q3.start, Q3.end, area)


@pytest.fixture
def preston(lancashire: None) -> CspArea:
    return CspArea.objects.get(name="Preston")


def test_reported_incidents_count_by_kind_and_area_with_small_numbers_suppressed(
    alice: User, bob: User, preston: CspArea
) -> None:
    burnley = CspArea.objects.get(name="Burnley")
    # By hand: 4 domestic abuse in Preston and 2 in Burnley within the quarter (6 in all),
    # one the day before it began, which does not count.
    for number in range(4):
        _abuse(alice, _victim(alice, f"P{number}"), IN_Q3, area=preston)
    for number in range(2):
        _abuse(alice, _victim(alice, f"B{number}"), IN_Q3, area=burnley)
    _abuse(alice, _victim(alice, "Early"), BEFORE, area=preston)

    assert _value("incidents.domestic_abuse_reported") == Decimal(6)
    assert _value("incidents.domestic_abuse_reported", preston) is None  # 4: suppressed
    assert _value("incidents.domestic_abuse_reported", burnley) is None  # 2: suppressed
    assert _value("incidents.asb_reported") == Decimal(0)  # none is no one: shown

    # Bob's hate crime in Preston makes 5 there: shown now.
    _hate(bob, _victim(bob, "H"), IN_Q3, [HateStrand.RACE], area=preston)
    assert _value("incidents.domestic_abuse_and_hate_reported") == Decimal(7)
    assert _value("incidents.domestic_abuse_and_hate_reported", preston) == Decimal(5)


def test_hate_crime_counts_by_strand_count_an_incident_in_each_of_its_strands(bob: User) -> None:
    for number in range(5):
        strands = [HateStrand.RACE, HateStrand.RELIGION] if number < 2 else [HateStrand.RACE]
        _hate(bob, _victim(bob, f"V{number}"), IN_Q3, strands)
    assert _value("incidents.hate_race_reported") == Decimal(5)
    assert _value("incidents.hate_religion_reported") is None  # 2: suppressed
    assert _value("incidents.hate_disability_reported") == Decimal(0)
    assert _value("incidents.hate_crime_reported") == Decimal(5)


def test_high_risk_victims_are_those_in_an_incident_graded_high(alice: User) -> None:
    victims = [_victim(alice, f"V{number}") for number in range(6)]
    for victim in victims[:5]:
        _abuse(alice, victim, IN_Q3, risk_level=RiskLevel.HIGH)
        _abuse(alice, victim, IN_Q3, risk_level=RiskLevel.HIGH)  # the same victim twice
    _abuse(alice, victims[5], IN_Q3, risk_level=RiskLevel.MEDIUM)
    # By hand: five victims (not ten incidents) were graded high risk.
    assert _value("incidents.high_risk_victims") == Decimal(5)
    assert _value("incidents.repeat_victims") == Decimal(5)  # each had a further DA incident


def test_repeat_victims_by_area_count_only_incidents_placed_there(
    bob: User, preston: CspArea
) -> None:
    for number in range(5):
        victim = _victim(bob, f"V{number}")
        for day in (date(2025, 10, 1), date(2025, 10, 20), IN_Q3):
            do_record_incident(
                category=IncidentCategory.ASB,
                asb_category=AsbCategory.PERSONAL,
                occurred_on=day,
                summary="Youths at her door.",
                area=preston if number < 4 else None,
                people=[(victim, InvolvementRole.VICTIM)],
                acting_user=bob,
            )
    assert _value("incidents.repeat_victims") == Decimal(5)
    assert _value("incidents.repeat_victims", preston) is None  # 4 placed in Preston
