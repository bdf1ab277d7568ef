"""Issue 6, "How it will be checked", through the pages, as the people who do it.

Ivy (IDVA) completes a DASH checklist with 15 "yes" answers and refers Grace to the Preston
MARAC; 10 months later she refers her again and Safer flags it a repeat, showing the earlier
case. Cora (coordinator) builds the agenda and records actions for the police and for housing;
Alice (police) and Charlie (housing) each see only their own agency's action; Bob's council is
not at the meeting, gets 404 for the agenda, and the attempt is in the audit log. The quarter's
repeat rate then appears on the agreement's measure "Number of repeat incidents at ... MARAC".
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import time_machine
from django.test import Client

from safer.accounts.enums import AuditAction
from safer.accounts.models import AuditEvent
from safer.core.periods import Quarter
from safer.incidents.actions import do_record_person
from safer.partnership.models import Organisation
from safer.safeguarding import actions
from safer.safeguarding.enums import ReferralReason
from safer.safeguarding.models import CaseDiscussion, Referral
from safer.strategy import actions as strategy
from safer.strategy.enums import Direction, MeasureKind, MeasureSourceKind
from safer.strategy.models import Agreement
from safer.strategy.status import plan_for
from safer.test import persona, sign_in
from tests.safeguarding.conftest import Marac, assess

FIRST = datetime(2012, 1, 16, 10, tzinfo=UTC)
AGAIN = datetime(2012, 11, 14, 10, tzinfo=UTC)  # 10 months later, in 2012/13 Q3


def _client(username: str) -> Client:
    client = Client()
    sign_in(client, username)
    return client


def _dash_post(person_pk: int, yes: int, on: date) -> dict[str, Any]:
    data: dict[str, Any] = {"person": person_pk, "assessed_on": on.isoformat()}
    for n in range(1, 25):
        data[f"q{n}"] = "yes" if n <= yes else "no"
        data[f"q{n}_words"] = "He said he'd kill me if I left." if n == 14 else ""
        data[f"q{n}_notes"] = ""
    return data


def _refer(marac: Marac, name: str, on: date) -> None:
    """Another of the IDVA service's high-risk clients, referred on the day."""
    person = do_record_person(given_name=name, family_name="Client", acting_user=marac.ivy)
    assessment = assess(marac, person, 16, on)
    actions.do_refer_case(
        panel=marac.panel,
        person=person,
        reason=ReferralReason.THRESHOLD,
        consent="given",
        assessments=[assessment],
        referred_on=on,
        acting_user=marac.ivy,
    )


def test_the_marac_cycle_from_checklist_to_measure(marac: Marac) -> None:
    for name in ("alice", "bob", "charlie", "diana"):
        persona(name)
    police = Organisation.objects.get(slug="lancashire-constabulary")
    housing = Organisation.objects.get(slug="community-gateway")
    others = ["Amy", "Beth", "Cath", "Dee"]

    with time_machine.travel(FIRST, tick=False):
        ivy = _client("ivy")
        page = ivy.get("/safeguarding/assessments/new/?kind=dash")
        assert "Check them against your partnership&#x27;s current SafeLives form" in (
            page.content.decode()
        )
        response = ivy.post(
            "/safeguarding/assessments/new/?kind=dash",
            _dash_post(marac.grace.pk, 15, FIRST.date()),
            follow=True,
        )
        text = response.content.decode()
        assert "15 &#x27;yes&#x27; answers, high risk" in text
        assessment = marac.grace.risk_assessments.get()
        response = ivy.post(
            "/safeguarding/referrals/new/",
            {
                "panel": marac.panel.pk,
                "person": marac.grace.pk,
                "reason": ReferralReason.THRESHOLD,
                "assessments": [assessment.pk],
                "consent": "given",
            },
            follow=True,
        )
        assert "referred to Preston MARAC" in response.content.decode()
        first = Referral.objects.get(person=marac.grace)
        assert not first.is_repeat
        for name in others:
            _refer(marac, name, FIRST.date())
        january = actions.do_schedule_conference(
            panel=marac.panel,
            meets_on=date(2012, 1, 26),
            chair="DCI Rachel Moss",
            attending=[police, marac.idva, marac.csp],
            acting_user=marac.cora,
        )
        assert len(actions.do_build_agenda(january, acting_user=marac.cora)) == 5

    with time_machine.travel(AGAIN, tick=False):
        ivy = _client("ivy")
        response = ivy.post(
            "/safeguarding/referrals/new/",
            {
                "panel": marac.panel.pk,
                "person": marac.grace.pk,
                "reason": ReferralReason.PROFESSIONAL_JUDGEMENT,
                "concern": "Breach of a non-molestation order; he followed her to work.",
                "consent": "not_given",
                "no_consent_reason": "High risk: she fears telling him would provoke him.",
            },
            follow=True,
        )
        text = response.content.decode()
        assert "It is a repeat referral." in text
        assert "this victim was referred on 16 January 2012" in text
        assert first.reference in text
        again = Referral.objects.filter(person=marac.grace).exclude(pk=first.pk).get()
        assert (again.is_repeat, again.repeat_of) == (True, first)
        for name in others:
            person = Referral.objects.get(person__given_name=name).person
            actions.do_refer_case(
                panel=marac.panel,
                person=person,
                reason=ReferralReason.ESCALATION,
                concern="Three police call-outs since the last MARAC.",
                consent="given",
                acting_user=marac.ivy,
            )
        _refer(marac, "Erin", AGAIN.date())
        _refer(marac, "Fay", AGAIN.date())

        cora = _client("cora")
        response = cora.post(
            "/safeguarding/conferences/new/",
            {
                "panel": marac.panel.pk,
                "meets_on": "2012-11-27",
                "chair": "DCI Rachel Moss",
                "attending": [
                    police.pk,
                    housing.pk,
                    marac.idva.pk,
                    marac.csp.pk,
                ],
            },
            follow=True,
        )
        conference = marac.panel.conferences.get(meets_on=date(2012, 11, 27))
        url = conference.get_absolute_url()
        cora.post(url, {"do": "build-agenda"})
        assert conference.cases.count() == 7
        case = CaseDiscussion.objects.get(referral=again)
        refused = cora.post(
            url,
            {
                "do": "action",
                "case": case.pk,
                "owner": "",
                "text": "Flag the address.",
                "due_on": "",
            },
        )
        assert refused.status_code == 400
        assert "Owning agency: Choose the agency that owns the action." in refused.content.decode()
        assert not case.actions.exists()
        for owner, text in (
            (police, "Flag Grace's address for an urgent response."),
            (housing, "Fit a sanctuary scheme: new locks and a door chain."),
        ):
            done = cora.post(
                url,
                {
                    "do": "action",
                    "case": case.pk,
                    "owner": owner.pk,
                    "text": text,
                    "due_on": "2012-12-11",
                },
            )
            assert done.status_code == 302
        agenda = cora.get(url).content.decode()
        assert "Grace Okafor" in agenda and "Repeat" in agenda

        alice_page = _client("alice").get("/safeguarding/actions/").content.decode()
        assert "Flag Grace&#x27;s address" in alice_page
        assert "sanctuary scheme" not in alice_page
        charlie_page = _client("charlie").get("/safeguarding/actions/").content.decode()
        assert "sanctuary scheme" in charlie_page
        assert "Flag Grace" not in charlie_page

        bob = _client("bob")
        assert bob.get(url).status_code == 404
        denied = AuditEvent.objects.filter(
            actor__username="bob", action=AuditAction.DENIED, object_id=conference.pk
        )
        assert denied.count() == 1
        assert denied.get().record_reference == conference.reference

    diana = persona("diana")
    agreement = Agreement.objects.get()
    plan = plan_for(agreement, Quarter(2012, 3))
    assert plan is not None
    measure = plan.measures.get(theme__number=1, number=4)
    assert "Multi Agency Risk Assessment Conference" in measure.text
    strategy.do_define_measure(
        measure,
        kind=MeasureKind.PERCENTAGE,
        direction=Direction.LOWER_IS_BETTER,
        unit="% repeat cases",
        source=MeasureSourceKind.COMPUTED,
        source_key="safeguarding.marac_repeat_rate",
        acting_user=diana,
    )
    period = strategy.do_open_period(
        agreement, Quarter(2012, 3), deadline=date(2013, 1, 15), acting_user=diana
    )
    (value,) = strategy.do_compute_measure_values(period, acting_user=diana)
    # 7 cases in 2012/13 Q3, 5 of them repeats.
    assert value.value is not None and str(value.value) == "71.4"
    shown = _client("diana").get(f"/performance/measures/{measure.pk}/").content.decode()
    assert "71.4" in shown
