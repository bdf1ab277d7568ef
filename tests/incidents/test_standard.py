"""The recording standard, enforced: each kind of incident asks for what the standard says."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from safer.accounts.models import User
from safer.incidents.actions import do_record_incident, do_record_person
from safer.incidents.enums import AbuseType, HateStrand, IncidentCategory, InvolvementRole
from safer.incidents.models import Incident, Involvement
from safer.partnership.models import CspArea


def _record(user: User, **fields: Any) -> Incident:
    fields.setdefault("occurred_on", date(2026, 3, 1))
    fields.setdefault("summary", "Something happened.")
    return do_record_incident(acting_user=user, **fields)


def test_asb_needs_one_of_the_three_national_categories(bob: User) -> None:
    with pytest.raises(ValidationError, match="personal, nuisance or environmental"):
        _record(bob, category=IncidentCategory.ASB)
    incident = _record(bob, category=IncidentCategory.ASB, asb_category="environmental")
    assert incident.get_asb_category_display().startswith("Environmental")
    assert not Incident.objects.exclude(pk=incident.pk).exists()


def test_hate_crime_needs_a_strand_and_allows_several(alice: User) -> None:
    with pytest.raises(ValidationError, match="at least one strand"):
        _record(alice, category=IncidentCategory.HATE_CRIME)
    with pytest.raises(ValidationError, match="Unknown hate crime strand"):
        _record(alice, category=IncidentCategory.HATE_INCIDENT, hate_strands=["height"])
    incident = _record(
        alice,
        category=IncidentCategory.HATE_INCIDENT,
        hate_strands=[HateStrand.RACE, HateStrand.RELIGION],
    )
    assert incident.hate_strand_labels() == ["Race or ethnicity", "Religion or belief"]


def test_fields_belong_to_their_own_category(alice: User) -> None:
    with pytest.raises(ValidationError) as caught:
        _record(
            alice,
            category=IncidentCategory.SEXUAL_VIOLENCE,
            asb_category="nuisance",
            abuse_types=[AbuseType.PHYSICAL],
            relationship="partner",
            hate_strands=[HateStrand.DISABILITY],
        )
    assert set(caught.value.message_dict) == {
        "asb_category",
        "abuse_types",
        "relationship",
        "hate_strands",
    }
    assert not Incident.objects.exists()


def test_domestic_abuse_records_relationship_types_agency_reference_and_area(
    alice: User,
) -> None:
    area = CspArea.objects.get(name="Preston")
    incident = _record(
        alice,
        category=IncidentCategory.DOMESTIC_ABUSE,
        abuse_types=[AbuseType.COERCIVE_CONTROL, AbuseType.FINANCIAL],
        relationship="ex_partner",
        agency_reference="LC/2026/123",
        area=area,
        alcohol_involved=True,
        drugs_involved=None,
        outcome="referred",
    )
    incident.refresh_from_db()
    assert incident.area == area
    assert incident.abuse_type_labels() == [
        "Controlling or coercive behaviour",
        "Financial or economic",
    ]
    assert incident.get_outcome_display().startswith("Referred")


def test_a_person_in_two_roles_in_one_incident_is_refused(alice: User) -> None:
    grace = do_record_person(given_name="Grace", family_name="Okafor", acting_user=alice)
    with pytest.raises(ValidationError, match="cannot be both victim and witness"):
        _record(
            alice,
            category=IncidentCategory.CSE_CONCERN,
            people=[(grace, InvolvementRole.VICTIM), (grace, InvolvementRole.WITNESS)],
        )
    assert not Incident.objects.exists()
    assert not Involvement.objects.exists()
