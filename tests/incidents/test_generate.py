"""The volume generator: exact counts, realistic records, flags as the rules set them."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from safer.crimedata.models import Lsoa
from safer.incidents.enums import IncidentCategory, InvolvementRole
from safer.incidents.generate import POSTCODE_DISTRICTS, _typo, write_bulk
from safer.incidents.models import Address, Incident, Involvement, Person
from safer.incidents.repeats import recompute_all


@pytest.fixture
def generated(lancashire: None) -> None:
    call_command("load_lsoas", verbosity=0)
    write_bulk(count=3000, people=1800, seed=11)


@pytest.mark.usefixtures("generated")
def test_it_makes_exactly_the_incidents_and_people_asked_for() -> None:
    assert Incident.objects.count() == 3000
    assert Person.objects.count() == 1800
    assert Address.objects.count() == 1800
    assert all(i.agency_reference.startswith("GEN-") for i in Incident.objects.all()[:100])


@pytest.mark.usefixtures("generated")
def test_kinds_come_in_the_proportions_partnerships_record_them() -> None:
    kinds = Counter(Incident.objects.values_list("category", flat=True))
    assert kinds[IncidentCategory.ASB] > kinds[IncidentCategory.DOMESTIC_ABUSE]
    assert kinds[IncidentCategory.DOMESTIC_ABUSE] > kinds[IncidentCategory.HATE_CRIME]
    assert 0.4 < kinds[IncidentCategory.ASB] / 3000 < 0.65
    assert 0.2 < kinds[IncidentCategory.DOMESTIC_ABUSE] / 3000 < 0.4
    assert all(kinds[category] > 0 for category in IncidentCategory)


@pytest.mark.usefixtures("generated")
def test_every_incident_meets_the_recording_standard() -> None:
    from safer.incidents.standard import category_errors, place_errors

    for incident in Incident.objects.select_related("lsoa", "area").iterator():
        assert category_errors(incident) == {}, incident.pk
        assert place_errors(incident) == {}, incident.pk


@pytest.mark.usefixtures("generated")
def test_places_dates_and_postcodes_are_lancashires() -> None:
    today = timezone.localdate()
    oldest = Incident.objects.order_by("occurred_on").first()
    assert oldest is not None and oldest.occurred_on >= today - timedelta(days=3 * 365)
    assert not Incident.objects.filter(occurred_on__gt=today).exists()
    assert Incident.objects.values("area").distinct().count() >= 14
    assert Incident.objects.exclude(lsoa=None).count() > 1000
    districts = {d for codes in POSTCODE_DISTRICTS.values() for d in codes}
    for address in Address.objects.all()[:300]:
        assert re.fullmatch(r"[A-Z]{1,2}\d{1,2} \d[A-Z]{2}", address.postcode), address.postcode
        assert address.postcode.split()[0] in districts
    assert Person.objects.exclude(date_of_birth=None).count() > 1600


@pytest.mark.usefixtures("generated")
def test_repeat_victims_have_several_incidents_and_flags_match_the_rules() -> None:
    per_victim = Counter(
        Involvement.objects.filter(role=InvolvementRole.VICTIM).values_list("person_id", flat=True)
    )
    assert max(per_victim.values()) >= 5
    assert sum(1 for n in per_victim.values() if n >= 3) > 50
    assert Incident.objects.filter(flagged=True).exists()
    assert recompute_all() == 0  # what the generator stored is what the rules say


@pytest.mark.usefixtures("generated")
def test_some_victims_are_recorded_again_by_another_agency_with_a_misspelt_name() -> None:
    doubles = (
        Person.objects.exclude(date_of_birth=None)
        .values("date_of_birth", "addresses__postcode")
        .annotate(records=Count("pk"), agencies=Count("organisation", distinct=True))
        .filter(records__gt=1, agencies__gt=1)
    )
    assert doubles.count() >= 10


def test_a_typo_changes_a_name_by_one_letter() -> None:
    import random

    rng = random.Random(1)  # noqa: S311 - test data
    for _ in range(50):
        typed = _typo(rng, "Holden")
        assert typed != "Holden"
        assert abs(len(typed) - len("Holden")) <= 1


def test_the_command_generates_and_refuses_bad_numbers(lancashire: None) -> None:
    call_command("generate_incidents", count=200, verbosity=0)
    assert Incident.objects.count() == 200
    assert Person.objects.count() == 120
    with pytest.raises(CommandError, match="0 or more"):
        call_command("generate_incidents", count=-5)
    assert Incident.objects.count() == 200


def test_it_uses_lsoas_only_inside_their_area(lancashire: None) -> None:
    call_command("load_lsoas", verbosity=0)
    write_bulk(count=500, seed=3)
    areas = dict(Lsoa.objects.values_list("code", "area_id"))
    for lsoa_id, area_id in Incident.objects.exclude(lsoa=None).values_list("lsoa_id", "area_id"):
        assert areas[lsoa_id] == area_id
