"""The shipped agreement file holds the whole seed document, word for word."""

from __future__ import annotations

import csv
import re

import pytest
import yaml

from safer.core.upsert import Outcome
from safer.partnership.models import Board, CspArea, Organisation
from safer.strategy.actions import do_load_agreement
from safer.strategy.agreement_file import SHIPPED_AGREEMENT, parse_agreement_text
from safer.strategy.models import (
    Action,
    Agreement,
    FocusArea,
    LinkedPlan,
    Measure,
    Passage,
    PerformanceCommitment,
    TargetArea,
    TargetAreaItem,
    Theme,
)
from tests.conftest import SHARED

SEED = SHARED / "seed" / "000_a9dc786ef7d05a9f.txt"


def _squash(text: str) -> str:
    """The seed wraps lines and puts tabs after bullets; compare words, not layout."""
    return " ".join(text.replace("•", " ").split())


@pytest.fixture(scope="module")
def seed_text() -> str:
    return _squash(SEED.read_text(encoding="utf-8"))


def test_it_loads_every_part_of_the_agreement(lancashire: None) -> None:
    agreement = Agreement.objects.get()
    assert agreement.title == "Community Safety Agreement 2011-2014"
    assert (agreement.start_year, agreement.end_year) == (2011, 2014)
    assert agreement.first_plan is not None and agreement.first_plan.label == "2011/12"
    assert list(Theme.objects.values_list("title", flat=True)) == [
        "Protect and support vulnerable people",
        "Change attitudes and behaviours",
        "Reduce alcohol and drug misuse",
        "Reduce reoffending",
    ]
    # Bullets under each theme's three headings in the seed, counted by hand.
    counts = [
        (t.focus_areas.count(), t.actions.count(), t.measures.count())
        for t in Theme.objects.order_by("number")
    ]
    assert counts == [(5, 6, 6), (4, 4, 4), (5, 4, 4), (6, 5, 8)]
    assert TargetArea.objects.count() == 6
    assert TargetAreaItem.objects.count() == 21
    assert PerformanceCommitment.objects.count() == 5
    assert LinkedPlan.objects.count() == 24
    assert CspArea.objects.count() == 14


def test_it_keeps_the_seed_wording_word_for_word(lancashire: None, seed_text: str) -> None:
    texts = [
        *Theme.objects.values_list("title", flat=True),
        *Theme.objects.values_list("vision", flat=True),
        *FocusArea.objects.values_list("text", flat=True),
        *Action.objects.values_list("text", flat=True),
        *Measure.objects.values_list("text", flat=True),
        *TargetArea.objects.values_list("title", flat=True),
        *TargetAreaItem.objects.values_list("text", flat=True),
        *PerformanceCommitment.objects.values_list("text", flat=True),
        *LinkedPlan.objects.values_list("title", flat=True),
        *Passage.objects.values_list("text", flat=True),
    ]
    missing = [text for text in texts if _squash(text) not in seed_text]
    assert missing == []
    assert len(texts) == 182  # every text the file holds from the seed, none skipped


def test_it_holds_every_bullet_of_the_seed_theme_pages(lancashire: None) -> None:
    """Read the seed's own bullets under each heading and find each one in the database."""
    # One running heading wraps onto a second line; drop it with the other page furniture.
    seed = SEED.read_text(encoding="utf-8").replace(" Reduce alcohol and drugs\nmisuse", "")
    stored = {
        _squash(t)
        for model in (FocusArea, Action, Measure)
        for t in model.objects.values_list("text", flat=True)
    }
    headings = "|".join(
        [
            "We will focus on:",
            "Summary of future actions we will undertake:",
            "We will measure success by:",
        ]
    )
    blocks = re.split(headings, seed)[1:]
    bullets = []
    for block in blocks:
        block = re.split(r"\n\s*\n|The Safer Lancashire Board will monitor", block)[0]
        # Lines starting with a space are the printed pages' running headings.
        block = re.sub(r"\n [^\n]*", "\n", block)
        bullets += [_squash(b) for b in block.split("•") if _squash(b)]
    assert len(bullets) == 61
    assert [b for b in bullets if b not in stored] == []


def test_it_records_the_board_chair_and_county_profile(lancashire: None) -> None:
    board = Board.objects.get()
    assert board.organisation.name == "Safer Lancashire Board"
    assert board.chair_name == "County Councillor David Smith"
    assert board.compiled_by is not None
    assert board.compiled_by.name == "Lancashire County Council"
    facts = {fact.label: fact.value for fact in board.profile_facts.all()}
    assert facts["Area"] == 3075
    assert facts["Green space"] == 82
    assert facts["Minority ethnic backgrounds"] == 10


def test_it_lists_the_partners_the_seed_names(lancashire: None) -> None:
    statutory = set(Organisation.objects.filter(kind="statutory").values_list("name", flat=True))
    non_statutory = set(
        Organisation.objects.filter(kind="non_statutory").values_list("name", flat=True)
    )
    assert {
        "Lancashire County Council",
        "Lancashire Constabulary",
        "Lancashire Police Authority",
        "Lancashire Fire and Rescue Service",
        "East Lancashire Primary Care Trust",
        "Central Lancashire Primary Care Trust",
        "North Lancashire Primary Care Trust",
        "Lancashire Probation Trust",
    } <= statutory
    assert {
        "Crown Prosecution Service",
        "HM Prison Service",
        "Lancashire Drug and Alcohol Action Team",
        "Lancashire Youth Offending Team",
        "Voluntary, Community and Faith Sector representatives",
    } <= non_statutory
    # Every bullet of the seed's two partner lists is some organisation's `listed_as`.
    listed = set(Organisation.objects.values_list("listed_as", flat=True))
    assert "Chairs of district and unitary community safety partnerships" in listed
    assert "Representatives from the Voluntary, Community and Faith Sector" in listed
    assert (
        Organisation.objects.filter(listed_as__startswith="Lancashire County Council").count() == 13
    )


ONS_CODES = {
    "Blackburn with Darwen": ("E06000008", "unitary"),
    "Blackpool": ("E06000009", "unitary"),
    "Burnley": ("E07000117", "district"),
    "Chorley": ("E07000118", "district"),
    "Fylde": ("E07000119", "district"),
    "Hyndburn": ("E07000120", "district"),
    "Lancaster": ("E07000121", "district"),
    "Pendle": ("E07000122", "district"),
    "Preston": ("E07000123", "district"),
    "Ribble Valley": ("E07000124", "district"),
    "Rossendale": ("E07000125", "district"),
    "South Ribble": ("E07000126", "district"),
    "West Lancashire": ("E07000127", "district"),
    "Wyre": ("E07000128", "district"),
}


def test_it_knows_the_fourteen_areas_and_their_authorities(lancashire: None) -> None:
    areas = {a.name: (a.ons_code, a.kind) for a in CspArea.objects.all()}
    assert areas == ONS_CODES
    authorities = set(CspArea.objects.values_list("local_authority__name", flat=True))
    assert authorities == {
        "Blackburn with Darwen Borough Council",
        "Blackpool Council",
        "Lancashire County Council",
    }
    chorley = CspArea.objects.get(name="Chorley")
    south_ribble = CspArea.objects.get(name="South Ribble")
    assert chorley.partnership == south_ribble.partnership
    assert chorley.shares_partnership
    assert not CspArea.objects.get(name="Wyre").shares_partnership


def test_it_matches_the_ons_population_and_csp_codes(lancashire: None) -> None:
    geography = SHARED / "data" / "geography"
    with (geography / "mye2020_lancashire14_all_ages.csv").open(encoding="utf-8") as f:
        population = {
            row["Code"]: int(row["Persons_all_ages_mid2020"]) for row in csv.DictReader(f)
        }
    with (geography / "lancashire_lsoa11_ward19_lad19_csp19.csv").open(encoding="utf-8-sig") as f:
        csp_codes = {row["LAD19CD"]: row["CSP19CD"] for row in csv.DictReader(f)}
    for area in CspArea.objects.all():
        assert area.population == population[area.ons_code]
        assert area.csp_code == csp_codes[area.ons_code]


def test_it_parses_each_linked_plan_period_and_owner(lancashire: None) -> None:
    plan = LinkedPlan.objects.get(title="Lancashire Constabulary: Local Policing Plan 2011-15")
    assert (plan.owner.name, plan.start_year, plan.end_year) == (
        "Lancashire Constabulary",
        2011,
        2015,
    )
    plan = LinkedPlan.objects.get(
        title="Lancashire Youth Offending Team: Youth Justice Service Plan 2011/12"
    )
    assert (plan.start_year, plan.end_year) == (2011, 2012)
    plan = LinkedPlan.objects.get(title="West Lancashire Community Safety Partnership Plan 2010")
    assert (plan.start_year, plan.end_year) == (2010, 2010)
    plan = LinkedPlan.objects.get(title="Chorley and South Ribble Partnership Plan 2011-12")
    assert plan.owner.slug == "chorley-and-south-ribble-csp"


def test_it_relates_target_areas_to_themes_as_the_pyramid_does(lancashire: None) -> None:
    for target_area in TargetArea.objects.all():
        assert target_area.themes.count() == 2
    pairs = {
        frozenset(ta.themes.values_list("number", flat=True)) for ta in TargetArea.objects.all()
    }
    assert len(pairs) == 6  # every pair of the four themes meets in exactly one target area


def test_it_changes_nothing_when_loaded_twice(lancashire: None) -> None:
    before = {
        model: list(model.objects.order_by("pk").values())
        for model in (Organisation, CspArea, Theme, Measure, LinkedPlan, Passage)
    }
    document = parse_agreement_text(SHIPPED_AGREEMENT.read_text(encoding="utf-8"))
    report = do_load_agreement(document)
    assert not report.changed
    after = {
        model: list(model.objects.order_by("pk").values())
        for model in (Organisation, CspArea, Theme, Measure, LinkedPlan, Passage)
    }
    assert after == before


def test_it_rewords_in_place_and_keeps_the_record(lancashire: None) -> None:
    data = yaml.safe_load(SHIPPED_AGREEMENT.read_text(encoding="utf-8"))
    measure = Measure.objects.get(theme__number=4, number=1)
    data["themes"][3]["measures"][0] = "Reduction in proven reoffending rates."
    data["agreement"]["sections"][0]["passages"].pop()
    report = do_load_agreement(parse_agreement_text(yaml.safe_dump(data)))
    measure.refresh_from_db()
    assert measure.text == "Reduction in proven reoffending rates."
    assert report.counts["measures"][Outcome.UPDATED] == 1
    assert report.counts["passages"][Outcome.REMOVED] == 1
    assert Measure.objects.count() == 22
