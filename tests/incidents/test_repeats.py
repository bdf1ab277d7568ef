"""The repeat and vulnerable victim rules: a plain function, stored when incidents are saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from safer.accounts.models import User
from safer.incidents.actions import do_change_person, do_record_incident, do_record_person
from safer.incidents.enums import AsbCategory, Flag, IncidentCategory, InvolvementRole
from safer.incidents.models import Incident, Involvement, Person
from safer.incidents.repeats import Event, Rule, flags_for, recompute_all, rules

ASB_RULE = Rule(Flag.REPEAT_ASB, frozenset({"asb"}), count=3, days=365)
DA_RULE = Rule(Flag.REPEAT_DOMESTIC_ABUSE, frozenset({"domestic_abuse"}), count=2, days=365)


def _events(*items: tuple[int, str, date]) -> list[Event]:
    return [Event(*item) for item in items]


def test_it_flags_the_third_asb_incident_within_twelve_months() -> None:
    history = _events(
        (1, "asb", date(2026, 1, 1)), (2, "asb", date(2026, 2, 1)), (3, "asb", date(2026, 3, 1))
    )
    flags = flags_for(history, vulnerable=False, rule_set=[ASB_RULE])
    assert flags == {1: [], 2: [], 3: ["repeat_asb"]}


def test_it_does_not_count_incidents_older_than_the_window() -> None:
    history = _events(
        (1, "asb", date(2025, 1, 1)), (2, "asb", date(2026, 2, 1)), (3, "asb", date(2026, 3, 1))
    )
    assert flags_for(history, vulnerable=False, rule_set=[ASB_RULE])[3] == []


def test_it_flags_any_further_domestic_abuse_within_twelve_months_in_date_order() -> None:
    # Recorded out of order: the later date is the further incident.
    history = _events(
        (7, "domestic_abuse", date(2026, 5, 1)), (8, "domestic_abuse", date(2026, 1, 1))
    )
    assert flags_for(history, vulnerable=False, rule_set=[DA_RULE]) == {
        7: ["repeat_domestic_abuse"],
        8: [],
    }


def test_other_categories_do_not_count_towards_a_rule() -> None:
    history = _events((1, "asb", date(2026, 1, 1)), (2, "domestic_abuse", date(2026, 1, 2)))
    assert flags_for(history, vulnerable=False, rule_set=[DA_RULE, ASB_RULE]) == {1: [], 2: []}


def test_a_vulnerable_victim_is_flagged_on_every_incident() -> None:
    history = _events((1, "asb", date(2026, 1, 1)))
    assert flags_for(history, vulnerable=True, rule_set=[ASB_RULE]) == {1: ["vulnerable"]}


def test_the_rules_come_from_the_partnerships_settings() -> None:
    assert {rule.flag for rule in rules()} >= {Flag.REPEAT_ASB, Flag.REPEAT_DOMESTIC_ABUSE}
    with override_settings(
        SAFER_REPEAT_RULES=[{"flag": "repeat_asb", "categories": ["asb"], "count": 2, "days": 90}]
    ):
        assert rules() == [Rule(Flag.REPEAT_ASB, frozenset({"asb"}), 2, 90)]
    with (
        override_settings(SAFER_REPEAT_RULES=[{"flag": "repeat_asb", "categories": ["nonsense"]}]),
        pytest.raises(ImproperlyConfigured, match="rule 1"),
    ):
        rules()


def _asb(victim: Person, day: date, user: User) -> Incident:
    return do_record_incident(
        category=IncidentCategory.ASB,
        asb_category=AsbCategory.PERSONAL,
        occurred_on=day,
        summary="Youths throwing stones at her windows.",
        people=[(victim, InvolvementRole.VICTIM)],
        acting_user=user,
    )


def test_saving_the_third_asb_incident_flags_the_victim(bob: User) -> None:
    janet = do_record_person(given_name="Janet", family_name="Holden", acting_user=bob)
    today = timezone.localdate()
    first = _asb(janet, today - timedelta(days=60), bob)
    second = _asb(janet, today - timedelta(days=30), bob)
    assert not Incident.objects.filter(flagged=True).exists()
    third = _asb(janet, today, bob)
    third.refresh_from_db()
    assert third.flagged
    assert Involvement.objects.get(incident=third).flags == ["repeat_asb"]
    assert not Incident.objects.filter(pk__in=[first.pk, second.pk], flagged=True).exists()


def test_a_vulnerability_marker_flags_past_incidents_and_bulk_recompute_agrees(
    bob: User,
) -> None:
    janet = do_record_person(given_name="Janet", family_name="Holden", acting_user=bob)
    incident = _asb(janet, timezone.localdate(), bob)
    do_change_person(janet, vulnerability_markers=["older_person"], acting_user=bob)
    incident.refresh_from_db()
    assert incident.flagged
    Involvement.objects.update(flags=[])
    Incident.objects.update(flagged=False)
    assert recompute_all() == 1
    call_command("recompute_repeats", verbosity=0)
    incident.refresh_from_db()
    assert incident.flagged


def test_repeat_victims_feed_a_measure_with_small_numbers_suppressed(bob: User) -> None:
    from decimal import Decimal

    from safer.accounts.access import count_flagged_victims
    from safer.core.periods import Quarter
    from safer.incidents.measure_sources import REPEAT_FLAGS
    from safer.partnership.models import CspArea
    from safer.strategy.measure_sources import get_source

    source = get_source("incidents.repeat_victims")
    quarter = Quarter.containing(date(2026, 2, 1))
    victims = [
        do_record_person(given_name=f"V{n}", family_name="Holden", acting_user=bob)
        for n in range(5)
    ]
    for victim in victims[:4]:
        for day in (date(2026, 1, 1), date(2026, 1, 10), date(2026, 2, 1)):
            _asb(victim, day, bob)
    assert count_flagged_victims(REPEAT_FLAGS, quarter.start, quarter.end).suppressed
    assert source.compute(quarter.start, quarter.end, None) is None  # 4 is suppressed
    for day in (date(2026, 1, 2), date(2026, 1, 11), date(2026, 2, 2)):
        _asb(victims[4], day, bob)
    assert source.compute(quarter.start, quarter.end, None) == Decimal(5)
    preston = CspArea.objects.get(name="Preston")
    assert source.compute(quarter.start, quarter.end, preston) == 0
