"""The crime-picture and import pages, as signed-in people use them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.test import Client

from safer.crimedata.actions import do_import_police_file
from safer.crimedata.importers.sources import file_source
from safer.test import persona, sign_in
from tests.crimedata.conftest import LANCASHIRE_MONTHS

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_months(lsoas: None) -> None:
    for path in LANCASHIRE_MONTHS:
        do_import_police_file(file_source(path), acting_user=None)


@pytest.fixture
def diana_client(lancashire: None) -> Client:
    persona("diana")
    client = Client()
    sign_in(client, "diana")
    return client


def test_it_shows_preston_the_same_numbers_as_the_csvs(
    real_months: None, alice_client: Client
) -> None:
    response = alice_client.get("/crime/", {"area": "Preston"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Crime picture: Preston" in page
    assert '<dd class="govuk-summary-list__value" id="total-records">6,689</dd>' in page
    assert "46.40" in page  # per 1,000 of Preston's 144,147 residents
    assert "No location" in page and "Outside the partnership" in page
    assert "Anti-social behaviour incidents have no outcome" in page
    assert page.count('<svg class="safer-chart"') == 4


def test_it_downloads_what_is_shown_as_csv(real_months: None, alice_client: Client) -> None:
    response = alice_client.get(
        "/crime/", {"area": "Preston", "crime": "acquisitive-crime", "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    trend = {r["month"]: int(r["count"]) for r in rows if r["label"] == "All selected records"}
    assert set(trend) == {"2021-04", "2021-05", "2021-06"}
    preston = next(r for r in rows if r["table"] == "areas" and r["label"] == "Preston")
    assert int(preston["count"]) == sum(trend.values())


def test_it_explains_bad_filters(real_months: None, alice_client: Client) -> None:
    response = alice_client.get("/crime/", {"start": "2021-06", "end": "2021-04"})
    assert "The last month must not be before the first" in response.content.decode()
    response = alice_client.get("/crime/", {"area": "Atlantis"})
    assert "Select a valid choice" in response.content.decode()


def test_it_says_when_there_is_no_data(lancashire: None, alice_client: Client) -> None:
    response = alice_client.get("/crime/")
    assert "No police.uk data is loaded yet" in response.content.decode()


def test_only_analysts_import(lsoas: None, alice_client: Client, diana_client: Client) -> None:
    assert alice_client.get("/crime/import/").status_code == 403
    assert diana_client.get("/crime/import/").status_code == 200


def test_the_strategic_assessment_sets_a_year_against_the_last(
    lsoas: None, alice_client: Client, tmp_path: Path
) -> None:
    from bench.generate_police import generate

    for start, rows in (("2020-04", 30), ("2021-04", 45)):
        for path in generate(tmp_path / start, rows, months=1, seed=3, start=start):
            assert do_import_police_file(file_source(path), acting_user=None).rows_loaded == rows
    page = alice_client.get("/crime/assessment/").content.decode()
    assert "Strategic assessment 2021/22" in page
    assert "April 2021 to April 2021" in page
    assert "up 15 (50.0%)" in page  # all records, all areas: 45 against 30
    page = alice_client.get("/crime/assessment/", {"year": "2020/21"}).content.decode()
    assert "no comparison" in page


def test_it_sets_an_area_beside_the_peer_group_the_analyst_chooses(
    real_months: None, alice_client: Client
) -> None:
    response = alice_client.get(
        "/crime/", {"area": "Preston", "peers": ["Burnley", "Lancaster", "Hyndburn"]}
    )
    page = response.content.decode()
    assert "Preston beside its peer group" in page
    rates = response.context["peer_group"]
    assert [row["label"] for row in rates["members"]] == ["Burnley", "Lancaster", "Hyndburn"]
    assert rates["mean"] == round(sum(r["rate"] for r in rates["members"]) / 3, 2)
