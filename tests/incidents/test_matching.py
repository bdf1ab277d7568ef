"""The matching rule (incidents/matching.py): Splink on DuckDB with the fixed priors."""

from __future__ import annotations

from datetime import date

import pytest

from safer.incidents.matching import (
    PersonRow,
    canonical_postcode,
    name_forms,
    normal_name,
    score,
)

POLICE, COUNCIL, HOUSING = 1, 2, 3


def partners(left: int, right: int) -> bool:
    return {left, right} == {POLICE, COUNCIL}


def janet(pk: int = 1, organisation: int = COUNCIL, **changes: object) -> PersonRow:
    values: dict[str, object] = {
        "pk": pk,
        "organisation_id": organisation,
        "given_name": "Janet",
        "family_name": "Holden",
        "date_of_birth": date(1949, 11, 2),
        "postcode": "PR1 6QT",
    }
    values.update(changes)
    return PersonRow(**values)  # type: ignore[arg-type]


def test_it_suggests_a_misspelt_name_with_the_same_date_of_birth() -> None:
    found = score(
        [janet(), janet(2, POLICE, given_name="Jannet", family_name="Holdon")],
        may_compare=partners,
    )
    assert len(found) == 1
    suggestion = found[0]
    assert (suggestion.person_a, suggestion.person_b) == (1, 2)
    assert suggestion.probability >= 0.9
    assert suggestion.agreement == {
        "given_name": "similar",
        "family_name": "similar",
        "date_of_birth": "same",
        "postcode": "same",
    }


def test_it_does_not_suggest_a_similar_name_born_elsewhen_living_elsewhere() -> None:
    found = score(
        [
            janet(),
            janet(
                2,
                POLICE,
                given_name="Jannet",
                family_name="Holdon",
                date_of_birth=date(1972, 3, 9),
                postcode="BB11 2DL",
            ),
        ],
        may_compare=partners,
    )
    assert found == []


def test_it_knows_nicknames() -> None:
    assert "elizabeth" in name_forms("Liz")
    assert "robert" in name_forms("Bob")
    assert "katherine" in name_forms("Kath")
    found = score(
        [
            janet(given_name="Liz", family_name="Smith", postcode=""),
            janet(2, POLICE, given_name="Elizabeth", family_name="Smith", postcode=""),
        ],
        may_compare=partners,
    )
    assert [s.agreement["given_name"] for s in found] == ["same name (nickname)"]
    assert found[0].agreement["postcode"] == "not known on one record"


def test_it_compares_only_partner_organisations() -> None:
    assert score([janet(), janet(2, HOUSING)], may_compare=partners) == []
    # Two records of one organisation are its own business, never a suggestion.
    assert score([janet(), janet(2, COUNCIL)], may_compare=lambda a, b: True) == []


def test_it_finds_a_typo_in_the_date_of_birth_through_the_family_name() -> None:
    found = score(
        [janet(), janet(2, POLICE, date_of_birth=date(1949, 11, 20))], may_compare=partners
    )
    assert [s.agreement["date_of_birth"] for s in found] == ["one digit different"]


def test_it_scores_the_same_pairs_the_same_every_time() -> None:
    rows = [
        janet(),
        janet(2, POLICE, given_name="Jannet"),
        janet(3, POLICE, given_name="Jan", family_name="Holden-Smith"),
        janet(4, POLICE, given_name="Janice", date_of_birth=date(1949, 2, 11)),
    ]
    first = score(rows, may_compare=partners)
    assert first == score(list(reversed(rows)), may_compare=partners)
    assert first


@pytest.mark.parametrize(
    ("name", "normal"), [("O'Brien", "obrien"), ("Anne-Marie ", "annemarie"), ("", "")]
)
def test_it_compares_names_by_their_letters(name: str, normal: str) -> None:
    assert normal_name(name) == normal


@pytest.mark.parametrize(
    ("typed", "recorded"),
    [("pr16qt", "PR1 6QT"), (" PR1  6QT ", "PR1 6QT"), ("m1 1aa", "M1 1AA"), ("n/a", "N/A")],
)
def test_it_records_postcodes_one_way(typed: str, recorded: str) -> None:
    assert canonical_postcode(typed) == recorded
