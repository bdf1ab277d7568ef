from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from safer.accounts.models import User
from safer.strategy import actions
from safer.strategy.enums import UpdateStatus
from safer.strategy.models import MeasureValue
from safer.test import sign_in
from tests.strategy.conftest import Cycle


def _client(user: User) -> Client:
    client = Client()
    sign_in(client, user.username)
    return client


def test_erin_sees_her_updates_due_this_quarter(cycle: Cycle) -> None:
    page = _client(cycle.erin).get("/performance/my-updates/").text
    assert "2011/12 Q1" in page
    assert "Due by 15 July 2011" in page
    assert cycle.reports.text in page
    assert cycle.action.text in page
    assert page.count("To do") >= 4


def test_a_refused_value_keeps_what_was_typed(cycle: Cycle) -> None:
    url = f"/performance/measures/{cycle.reports.pk}/2011-Q1/"
    response = _client(cycle.erin).post(
        url, {"value": "ninety", "comment": "From the force system", "submit": "1"}
    )
    assert response.status_code == 200
    assert "Enter the value as a number" in response.text
    assert 'value="ninety"' in response.text
    assert "From the force system" in response.text
    response = _client(cycle.erin).post(url, {"value": "97", "comment": "Typed", "submit": "1"})
    assert "Add evidence, a file or a link, before submitting" in response.text
    assert not MeasureValue.objects.exists()


def test_submitting_through_the_form(cycle: Cycle) -> None:
    url = f"/performance/measures/{cycle.reports.pk}/2011-Q1/"
    response = _client(cycle.erin).post(
        url,
        {"value": "97", "comment": "Q1", "evidence_url": "https://example.org/q1", "submit": "1"},
        follow=True,
    )
    assert "Your 2011/12 Q1 value is submitted for review." in response.text
    assert MeasureValue.objects.get().status == UpdateStatus.SUBMITTED


def test_the_analyst_approves_in_place_with_htmx(cycle: Cycle) -> None:
    update = actions.do_save_measure_value(
        cycle.reports,
        cycle.q1,
        value=Decimal(97),
        evidence_url="https://example.org/q1",
        submit=True,
        acting_user=cycle.erin,
    )
    client = _client(cycle.diana)
    assert cycle.reports.text in client.get("/performance/review/").text
    response = client.post(
        f"/performance/review/value/{update.pk}/",
        {"decision": "return", "comment": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Say what the theme lead should change" in response.text
    response = client.post(
        f"/performance/review/value/{update.pk}/",
        {"decision": "approve"},
        headers={"HX-Request": "true"},
    )
    assert "<html" not in response.text
    assert "Approved" in response.text


def test_theme_leads_cannot_review_or_manage(cycle: Cycle) -> None:
    client = _client(cycle.erin)
    assert client.get("/performance/review/").status_code == 403
    assert client.get(f"/performance/measures/{cycle.reports.pk}/edit/").status_code == 403
    assert (
        client.post(
            "/performance/periods/", {"quarter": "2011-Q2", "deadline": "2011-10-15"}
        ).status_code
        == 403
    )


def test_a_case_worker_reads_the_dashboard_but_cannot_update(
    cycle: Cycle, alice_client: Client
) -> None:
    assert alice_client.get("/performance/").status_code == 200
    assert alice_client.get(f"/performance/measures/{cycle.reports.pk}/2011-Q1/").status_code == 403


def test_the_dashboard_names_bad_filters(cycle: Cycle) -> None:
    page = _client(cycle.frank).get("/performance/?quarter=2011-Q9&area=X123&theme=nope").text
    assert "There is a problem with the filters" in page
    assert "A quarter is written like 2012-Q2" in page
    assert "There is no area with the code &#x27;X123&#x27;" in page


def test_the_dashboard_shows_rag_with_words(cycle: Cycle) -> None:
    for measure, value in ((cycle.reports, 97), (cycle.repeats, 130)):
        update = actions.do_save_measure_value(
            measure,
            cycle.q1,
            value=Decimal(value),
            evidence_url="https://example.org/q1",
            submit=True,
            acting_user=cycle.erin,
        )
        actions.do_approve_update(update, acting_user=cycle.diana)
    page = _client(cycle.frank).get("/performance/?quarter=2011-Q1").text
    assert '<strong class="safer-rag safer-rag--amber">Amber</strong>' in page
    assert "97 is below the target of 100, within the 5% tolerance" in page
    assert '<strong class="safer-rag safer-rag--red">Red</strong>' in page
    assert "130 is above the target of 100, beyond the 5% tolerance" in page


def test_opening_a_period_with_a_bad_quarter_keeps_the_input(cycle: Cycle) -> None:
    response = _client(cycle.diana).post("/performance/periods/", {"quarter": "Q7", "deadline": ""})
    assert "A quarter is written like 2012-Q2" in response.text
    assert 'value="Q7"' in response.text


def test_the_measure_page_shows_targets_values_and_history(cycle: Cycle) -> None:
    page = _client(cycle.diana).get(f"/performance/measures/{cycle.reports.pk}/").text
    assert "Higher is better" in page
    assert "2011/12" in page
    assert "Target for 2011/12 set" in page
    response = _client(cycle.diana).post(
        f"/performance/measures/{cycle.reports.pk}/targets/", {"year": "2011/13", "value": "5"}
    )
    assert response.status_code == 422
    assert "not a financial year" in response.text


def test_anyone_reads_an_action_but_only_an_analyst_changes_it(cycle: Cycle) -> None:
    url = f"/performance/actions/{cycle.action.pk}/"
    page = _client(cycle.frank).get(url).text
    assert "Lancashire Constabulary" in page
    assert "Due</dt>" in page and "31 March 2012" in page
    assert '<h2 class="govuk-heading-m">Lead and dates</h2>' not in page
    assert _client(cycle.frank).post(url, {"due_date": "2013-03-31"}).status_code == 403
    response = _client(cycle.diana).post(
        url, {"start_date": "2012-04-01", "due_date": "2011-04-01"}
    )
    assert "The due date must be on or after the start date." in response.text
    assert 'value="2011-04-01"' in response.text


def test_reminders_by_command(cycle: Cycle) -> None:
    from django.core import mail
    from django.core.management import CommandError, call_command

    call_command("send_reminders", "--quarter", "2011-Q1")
    assert [m.to for m in mail.outbox] == [[cycle.erin.email]]
    with pytest.raises(CommandError, match="not an open reporting period"):
        call_command("send_reminders", "--quarter", "2012-Q1")
    with pytest.raises(CommandError, match="written like"):
        call_command("send_reminders", "--quarter", "next")
