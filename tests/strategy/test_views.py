from __future__ import annotations

from django.test import Client

from safer.strategy.models import Action, Measure


def test_the_overview_shows_themes_matrix_and_pyramid(alice_client: Client) -> None:
    page = alice_client.get("/agreement/").text
    for title in (
        "Protect and support vulnerable people",
        "Change attitudes and behaviours",
        "Reduce alcohol and drug misuse",
        "Reduce reoffending",
    ):
        assert title in page
    assert "Which themes each target area serves" in page
    assert page.count('<span class="govuk-visually-hidden">Yes</span>') == 12
    assert '<svg viewBox="0 0 900 560" role="img"' in page
    assert "Reviewing and refresh" not in page
    assert "Review and refresh the Strategic Assessment annually" in page


def test_a_theme_page_lists_its_focus_areas_actions_and_measures(alice_client: Client) -> None:
    response = alice_client.get("/agreement/themes/reduce-reoffending/")
    page = response.text
    assert "By closely managing offenders who repeatedly offend" in page
    for entry in [
        *Action.objects.filter(theme__slug="reduce-reoffending"),
        *Measure.objects.filter(theme__slug="reduce-reoffending"),
    ]:
        assert entry.text in page
    assert "Lancashire Probation Trust: Annual Business Plan 2011-12" in page
    assert "Reduce alcohol and drug misuse" in page  # previous theme link


def test_the_full_text_has_the_foreword_and_its_chair(alice_client: Client) -> None:
    page = alice_client.get("/agreement/text/").text
    assert "which we expect will receive royal ascent in late 2011." in page
    assert "County Councillor David Smith" in page
    assert "<li>Lancashire Police Authority</li>" in page


def test_the_linked_plans_register_filters_by_organisation_and_theme(
    alice_client: Client,
) -> None:
    page = alice_client.get("/agreement/linked-plans/").text
    assert "All 24 plans" in page
    page = alice_client.get("/agreement/linked-plans/?organisation=lancashire-yot").text
    assert "2 of 24 plans" in page
    assert "Youth Justice Service Plan 2011/12" in page
    assert "Wyre Community Safety Partnership Plan" not in page
    page = alice_client.get(
        "/agreement/linked-plans/?theme=reduce-alcohol-and-drug-misuse&organisation=lancashire-daat"
    ).text
    assert "1 of 24 plans" in page
    page = alice_client.get("/agreement/linked-plans/?current_in=2014").text
    assert "Ribble Valley Community Safety Partnership Plan 2011-14" in page
    assert "Wyre Community Safety Partnership Plan 2008-11" not in page


def test_a_bad_filter_is_named_and_shows_no_plans(alice_client: Client) -> None:
    page = alice_client.get("/agreement/linked-plans/?theme=nonsense&current_in=soon").text
    assert "There is a problem with the filters" in page
    assert "Choose a theme of this agreement" in page
    assert "Current in year: Enter a whole number." in page
    assert "No linked plans match these filters." in page
    assert 'value="soon"' in page  # what was typed is kept


def test_htmx_gets_just_the_results(alice_client: Client) -> None:
    response = alice_client.get(
        "/agreement/linked-plans/?organisation=lancashire-yot", headers={"HX-Request": "true"}
    )
    assert "<html" not in response.text
    assert "2 of 24 plans" in response.text
