"""The commands analysts run: clear messages for bad options and files, CSV out."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safer.crimedata.models import AreaPopulation, Lsoa
from tests.crimedata.conftest import SAMPLES

pytestmark = pytest.mark.django_db


def test_load_lsoas_loads_lancashire_and_populations(lancashire: None) -> None:
    out = io.StringIO()
    call_command("load_lsoas", stdout=out)
    assert "941 added" in out.getvalue()
    assert Lsoa.objects.get(code="E01012571").area.name == "Blackburn with Darwen"
    assert AreaPopulation.objects.get(area__name="Preston", year=2020).population == 144147
    call_command("load_lsoas", stdout=(again := io.StringIO()))
    assert "0 added, 0 moved" in again.getvalue()


def test_load_lsoas_names_a_wrong_header(lancashire: None, tmp_path: Path) -> None:
    bad = tmp_path / "lsoas.csv"
    bad.write_text("code,name\nE01012571,Somewhere\n")
    with pytest.raises(CommandError, match="lsoa_code, lsoa_name, area_code"):
        call_command("load_lsoas", str(bad))


def test_crime_summary_names_bad_options(lsoas: None) -> None:
    call_command(
        "import_police", str(SAMPLES / "2021-04-lancashire-street.csv"), stdout=io.StringIO()
    )
    with pytest.raises(CommandError, match="--from must be a month like 2021-04"):
        call_command("crime_summary", "--from", "April")
    with pytest.raises(CommandError, match="choose each of area, month"):
        call_command("crime_summary", "--by", "area,colour")
    with pytest.raises(CommandError, match="names no single force"):
        call_command("crime_summary", "--force", "Cumbria")
    out = io.StringIO()
    call_command("crime_summary", "--area", "no location", "--by", "month", stdout=out)
    assert out.getvalue().splitlines()[0] == "month,count"


def test_crime_summary_by_lsoa_and_priority_group(lsoas: None) -> None:
    call_command(
        "import_police", str(SAMPLES / "2021-04-lancashire-street.csv"), stdout=io.StringIO()
    )
    out = io.StringIO()
    call_command(
        "crime_summary", "--crime-type", "acquisitive-crime", "--by", "lsoa,crime_type", stdout=out
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "lsoa_code,lsoa_name,crime_type,count"
    assert all(
        line.split(",")[2]
        in {"Burglary", "Robbery", "Vehicle crime", "Bicycle theft", "Shoplifting",
            "Theft from the person", "Other theft"}
        for line in lines[1:]
    )  # fmt: skip


def test_import_police_names_a_missing_path(lsoas: None, tmp_path: Path) -> None:
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_police", str(tmp_path / "nothing.csv"), stderr=err)
    assert "nothing.csv: no such file or folder" in err.getvalue()


def test_load_population_reads_the_ons_estimates(lancashire: None) -> None:
    from tests.conftest import SHARED

    out = io.StringIO()
    call_command(
        "load_population",
        str(SHARED / "data/geography/mye2020_lancashire14_all_ages.csv"),
        stdout=out,
    )
    assert "14 area-years loaded" in out.getvalue()
    assert AreaPopulation.objects.get(area__name="Preston", year=2020).population == 144147


def test_load_population_names_a_bad_row(lancashire: None, tmp_path: Path) -> None:
    bad = tmp_path / "people.csv"
    bad.write_text("area_code,year,population\nE07000123,2021,lots\n")
    with pytest.raises(
        CommandError, match=r"people\.csv, row 2, column population: 'lots' is not a whole number"
    ):
        call_command("load_population", str(bad))
    assert not AreaPopulation.objects.filter(year=2021).exists()


def test_load_population_reads_adult_women(lancashire: None, tmp_path: Path) -> None:
    from tests.conftest import SHARED

    women = tmp_path / "women.csv"
    women.write_text(
        "area_code,year,population,adult_women\nE07000123,2020,144147,60123\n"
        "E07000117,2020,88920,\n"
    )
    out = io.StringIO()
    call_command("load_population", str(women), stdout=out)
    assert "2 area-years loaded from women.csv, 1 with adult women" in out.getvalue()
    assert AreaPopulation.objects.get(area__name="Preston", year=2020).adult_women == 60123
    assert AreaPopulation.objects.get(area__ons_code="E07000117", year=2020).adult_women is None
    # A later file of all ages keeps the adult women.
    call_command(
        "load_population",
        str(SHARED / "data/geography/mye2020_lancashire14_all_ages.csv"),
        stdout=io.StringIO(),
    )
    assert AreaPopulation.objects.get(area__name="Preston", year=2020).adult_women == 60123


def test_load_population_refuses_a_bad_adult_women(lancashire: None, tmp_path: Path) -> None:
    bad = tmp_path / "women.csv"
    bad.write_text(
        "area_code,year,population,adult_women\nE07000123,2022,150000,61000\n"
        "E07000117,2022,90000,about 40k\n"
    )
    with pytest.raises(
        CommandError, match=r"women\.csv, row 3, column adult_women: 'about 40k' is not a whole"
    ):
        call_command("load_population", str(bad))
    assert not AreaPopulation.objects.filter(year=2022).exists()
    bad.write_text("area_code,year,population,adult_women\nE07000123,2022,150000,160000\n")
    with pytest.raises(CommandError, match="row 2, column adult_women: 160,000 women aged 16"):
        call_command("load_population", str(bad))
    assert not AreaPopulation.objects.filter(year=2022).exists()
