"""The agreement's measures fed by incidents: when the analyst closes the quarter, "Reduced
number of ... repeat victims" and "Increased reported incidences of domestic abuse and hate
crime" fill in on the performance dashboard from the incidents partners recorded."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.test import Client, override_settings

from safer.accounts.enums import AuditAction
from safer.accounts.models import AuditEvent
from safer.incidents.actions import do_record_incident, do_record_person
from safer.incidents.enums import AbuseType, IncidentCategory, InvolvementRole
from safer.incidents.models import Incident
from safer.strategy import actions
from safer.strategy.enums import MeasureKind, MeasureSourceKind
from safer.strategy.models import MeasureValue
from safer.test import persona, sign_in
from tests.strategy.conftest import Cycle


def _bind(cycle: Cycle) -> None:
    for measure, key in (
        (cycle.reports, "incidents.domestic_abuse_and_hate_reported"),
        (cycle.repeats, "incidents.repeat_victims"),
    ):
        actions.do_define_measure(
            measure,
            kind=MeasureKind.NUMERIC,
            direction=measure.direction,
            unit=measure.unit,
            source=MeasureSourceKind.COMPUTED,
            source_key=key,
            acting_user=cycle.diana,
        )


def test_closing_the_quarter_puts_computed_incident_measures_on_the_dashboard(
    cycle: Cycle,
) -> None:
    _bind(cycle)
    alice = persona("alice")
    # By hand: six victims of domestic abuse in 2011/12 Q1, each reporting twice: twelve
    # incidents, six repeat victims. One more in July belongs to Q2.
    for number in range(6):
        victim = do_record_person(given_name=f"V{number}", family_name="Q1", acting_user=alice)
        for day in (date(2011, 4, 10 + number), date(2011, 6, 1 + number)):
            do_record_incident(
                category=IncidentCategory.DOMESTIC_ABUSE,
                abuse_types=[AbuseType.PHYSICAL],
                occurred_on=day,
                summary="Assault at home.",
                people=[(victim, InvolvementRole.VICTIM)],
                acting_user=alice,
            )
    do_record_incident(
        category=IncidentCategory.DOMESTIC_ABUSE,
        occurred_on=date(2011, 7, 2),
        summary="Later.",
        acting_user=alice,
    )
    client = Client()
    sign_in(client, cycle.diana.username)
    client.post("/performance/periods/", {"close": cycle.q1.pk})

    values = {
        v.measure_id: v.value for v in MeasureValue.objects.filter(period=cycle.q1, area=None)
    }
    assert values == {cycle.reports.pk: Decimal(12), cycle.repeats.pk: Decimal(6)}
    page = client.get("/performance/?quarter=2011-Q1").text
    assert _shown(page, cycle.reports.text) == "12"
    assert _shown(page, cycle.repeats.text) == "6"


def _shown(page: str, measure_text: str) -> str:
    """The value the dashboard shows in a measure's row."""
    row = re.search(
        re.escape(measure_text) + r".*?govuk-table__cell--numeric\">([^<]*)</td>", page, re.S
    )
    assert row is not None, measure_text
    return row.group(1).strip()


@override_settings(SAFER_DEMO=True, SAFER_DEMO_INCIDENTS=420)
def test_the_demo_dashboard_shows_the_computed_measures(lancashire: None) -> None:
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    demo = Incident.objects.filter(agency_reference__startswith="DEMO-")
    assert demo.count() == 420
    assert demo.values("area").distinct().count() >= 14
    # Recorded through the actions, so each is in the audit log.
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.CREATE,
            object_id__in=demo.values("pk"),
            content_type__model="incident",
        ).count()
        == 420
    )
    computed = MeasureValue.objects.filter(computed=True, area=None).select_related("measure")
    texts = {value.measure.text for value in computed}
    assert "Increased reported incidences of domestic abuse and hate crime." in texts
    assert (
        "Reduced number of anti-social behaviour, domestic abuse and hate crime repeat victims."
        in texts
    )
    # Eleven closed quarters: most of them have a count of five or more, shown.
    shown = [v for v in computed if v.value is not None]
    assert len(shown) >= 20
    client = Client()
    sign_in(client, persona("frank").username)
    latest = max(shown, key=lambda v: (v.period.start_year, v.period.quarter))
    page = client.get(f"/performance/?quarter={latest.period.code}").text
    assert _shown(page, latest.measure.text) == f"{latest.value:.0f}"
