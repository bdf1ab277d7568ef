from __future__ import annotations

from django.test import Client


def test_organisations_are_grouped_statutory_first(alice_client: Client) -> None:
    page = alice_client.get("/partnership/organisations/").text
    assert page.index("Responsible authority (statutory)s") < page.index("Non-statutory partners")
    assert "Crown Prosecution Service" in page
    assert "East, Central and North Lancashire Primary Care Trusts" in page


def test_an_organisation_shows_its_areas_and_plans(alice_client: Client) -> None:
    page = alice_client.get("/partnership/organisations/chorley-and-south-ribble-csp/").text
    assert "Chorley (E07000118), South Ribble (E07000126)" in page
    assert "Chorley and South Ribble Partnership Plan 2011-12" in page


def test_the_areas_page_lists_all_fourteen_with_codes(alice_client: Client) -> None:
    page = alice_client.get("/partnership/areas/").text
    for code in ["E06000008", "E06000009", *[f"E07000{n}" for n in range(117, 129)]]:
        assert f"<code>{code}</code>" in page
    assert page.count("One partnership plan for two areas") == 2
    assert (
        "Blackburn with Darwen Borough Council, Blackpool Council and Lancashire County Council"
        in page
    )
    assert "1,515,487" in page  # ONS mid-2020: the 14 areas together


def test_the_board_page_has_chair_profile_and_members(alice_client: Client) -> None:
    page = alice_client.get("/partnership/board/").text
    assert "County Councillor David Smith" in page
    assert "Source: Safer Lancashire Strategic Assessment 2011" in page
    assert "Lancashire Probation Trust" in page
