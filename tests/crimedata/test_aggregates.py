"""The analysis rules: change, rates, priority groups, months, and counts from real files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from safer.core.periods import Quarter
from safer.crimedata import aggregates as agg
from safer.crimedata.actions import do_import_police_file
from safer.crimedata.enums import CrimeType
from safer.crimedata.importers.sources import file_source
from safer.partnership.models import CspArea
from tests.crimedata.conftest import LANCASHIRE_MONTHS

APRIL, MAY, JUNE = date(2021, 4, 1), date(2021, 5, 1), date(2021, 6, 1)


def test_it_computes_change_and_says_when_there_is_nothing_to_compare() -> None:
    assert agg.Change(120, 100).difference == 20
    assert agg.Change(120, 100).percent == Decimal("20.0")
    assert agg.Change(80, 100).direction == "down"
    assert agg.Change(5, None).direction == "no comparison"
    assert agg.Change(5, 0).percent is None


def test_it_treats_a_missing_month_as_unknown_not_zero() -> None:
    series = {APRIL: 10, MAY: 12}
    loaded = {APRIL, MAY, JUNE}
    assert agg.month_on_month(series, JUNE, loaded) == agg.Change(0, 12)
    assert agg.month_on_month(series, APRIL, loaded).previous is None  # March not loaded
    quarter = Quarter(2021, 1)
    assert agg.quarter_on_quarter(series, quarter, loaded) == agg.Change(22, None)
    assert agg.year_on_year(series, [JUNE], loaded).previous is None


def test_it_rates_per_1000_residents() -> None:
    assert agg.rate_per_1000(6689, 144147) == Decimal("46.40")
    assert agg.rate_per_1000(5, None) is None


def test_priority_groups_are_the_agreements_priorities_as_police_uk_categories() -> None:
    groups = {g.label: set(g.crime_types) for g in agg.PRIORITY_GROUPS}
    assert groups["ASB and criminal damage"] == {CrimeType.ASB, CrimeType.CRIMINAL_DAMAGE}
    assert CrimeType.VIOLENCE in groups["Violence and sexual offences"]
    assert {CrimeType.BURGLARY, CrimeType.ROBBERY, CrimeType.VEHICLE_CRIME} <= groups[
        "Acquisitive crime"
    ]
    assert CrimeType.SHOPLIFTING in groups["Acquisitive crime"]


def test_it_counts_months_across_a_year_end() -> None:
    assert agg.months_between(date(2021, 11, 1), date(2022, 2, 1))[-1] == date(2022, 2, 1)
    assert len(agg.quarter_months(Quarter(2021, 4))) == 3


@pytest.mark.django_db
def test_it_ranks_areas_and_finds_hotspots_in_real_data(lsoas: None) -> None:
    for path in LANCASHIRE_MONTHS:
        do_import_police_file(file_source(path), acting_user=None)
    everything = agg.CrimeFilter(force="Lancashire Constabulary")
    ranking = agg.area_ranking(everything, 2021)
    labels = [row["label"] for row in ranking]
    assert labels[-2:] == ["No location", "Outside the partnership"]
    assert len(labels) == 16
    rates = [row["rate"] for row in ranking[:14]]
    assert rates == sorted(rates, reverse=True)
    preston = CspArea.objects.get(name="Preston")
    in_preston = everything.replace(area=preston)
    assert agg.total(in_preston) == 6689
    spots = agg.lsoa_hotspots(in_preston)
    assert len(spots) == 10 and all(s["area"] == "Preston" for s in spots)
    assert spots[0]["count"] >= spots[-1]["count"]
    rising = agg.rising_lsoas(in_preston)
    assert all(s["change"].difference > 0 for s in rising)
    assert agg.location_hotspots(in_preston)[0]["location"].startswith("On or near")
    assert sum(p["count"] for p in agg.map_points(in_preston, limit=100_000)) == 6689
    asb = everything.replace(crime_types=(str(CrimeType.ASB),))
    assert agg.counts(asb, ["outcome"]) == [
        {"outcome": "No outcome published", "count": agg.total(asb)}
    ]
    table = agg.change_table(everything, "crime_type", JUNE, set(agg.loaded_months()))
    burglary = next(row for row in table if row["label"] == "Burglary")
    assert burglary["month_on_month"].previous is not None
    assert burglary["year_on_year"].previous is None
