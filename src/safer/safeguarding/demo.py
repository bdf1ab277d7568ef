"""Demo conferences for the local demo (`safer load-demo`), made through the real actions.

- The Preston MARAC and ASBRAC, coordinated by the demo coordinator's force.
- Grace Okafor (the police demo victim): a DASH checklist with 15 "yes" answers, referred 10
  months ago and again now, so her new referral is a repeat; the next MARAC's agenda holds her
  case with actions for the police and Preston City Council, and an overdue action from the
  last meeting.
- Janet Holden (the council's repeat ASB victim): an ASB risk assessment and an ASBRAC referral.
- A CSE intelligence submission to the police.
- Three years of MARAC referrals (2011/12 to 2013/14), about a third of them repeats, so the
  agreement's measure "Number of repeat incidents at ... MARAC" is computed from records on
  the demo dashboard. The people in them are invented ("Demo victim 1", ...).

Refused outside a demo, like every demo record; made once.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from safer.accounts.models import User
from safer.core.periods import FinancialYear
from safer.incidents.actions import do_record_person
from safer.incidents.models import Person
from safer.partnership.models import CspArea, Organisation
from safer.safeguarding import actions
from safer.safeguarding.actions import Response
from safer.safeguarding.enums import ConferenceKind, CseKind, ReferralReason
from safer.safeguarding.models import Panel, Referral

CASES_PER_QUARTER = 16


@transaction.atomic
def do_create_demo_conferences() -> bool:
    """Create the demo panels, cases and conferences once; False if they are already there."""
    if not settings.SAFER_DEMO:
        raise ImproperlyConfigured("Demo records are only created in a local demo (SAFER_DEMO=1).")
    if Panel.objects.exists():
        return False
    police = User.objects.get(username="case-worker")
    council = User.objects.get(username="council-case-worker")
    coordinator = User.objects.get(username="coordinator")
    assert coordinator.organisation is not None  # noqa: S101 - demo accounts have one
    preston = CspArea.objects.get(name="Preston")
    marac = actions.do_create_panel(
        kind=ConferenceKind.MARAC,
        area=preston,
        coordinator=coordinator.organisation,
        acting_user=coordinator,
    )
    asbrac = actions.do_create_panel(
        kind=ConferenceKind.ASBRAC,
        area=preston,
        coordinator=coordinator.organisation,
        acting_user=coordinator,
    )
    _history(marac, police, coordinator)
    today = timezone.localdate()
    _grace(marac, police, coordinator, today)
    _janet(asbrac, council, today)
    actions.do_submit_cse_report(
        kind=CseKind.INTELLIGENCE,
        what="Older men seen giving lifts to girls from a children's home late at night.",
        who="Two girls aged about 14; a man known as 'Taz' driving a silver hatchback.",
        where="Fishergate, Preston",
        area=preston,
        lead_agency=coordinator.organisation,
        acting_user=council,
    )
    return True


def _grace(marac: Panel, police: User, coordinator: User, today: date) -> None:
    grace = Person.objects.get(given_name="Grace", family_name="Okafor")
    dash = actions.current_risk_form("dash")
    earlier_day = today - timedelta(days=300)
    first = actions.do_record_assessment(
        person=grace,
        form=dash,
        responses={n: Response("yes" if n <= 15 else "no") for n in range(1, 25)},
        assessed_on=earlier_day,
        acting_user=police,
    )
    actions.do_refer_case(
        panel=marac,
        person=grace,
        reason=ReferralReason.THRESHOLD,
        consent="given",
        assessments=[first],
        referred_on=earlier_day,
        acting_user=police,
    )
    again = actions.do_record_assessment(
        person=grace,
        form=dash,
        responses={
            n: Response(
                "yes" if n <= 15 else "no",
                victims_words="He said he would kill me if I ever left." if n == 14 else "",
            )
            for n in range(1, 25)
        },
        assessed_on=today - timedelta(days=10),
        previous=first,
        acting_user=police,
    )
    actions.do_refer_case(
        panel=marac,
        person=grace,
        reason=ReferralReason.THRESHOLD,
        consent="not_given",
        no_consent_reason="High risk: she fears telling him about the referral would provoke him.",
        assessments=[again],
        referred_on=today - timedelta(days=10),
        acting_user=police,
    )
    police_org = Organisation.objects.get(slug="lancashire-constabulary")
    council_org = Organisation.objects.get(slug="preston-city-council")
    probation = Organisation.objects.get(slug="lancashire-probation-trust")
    last = actions.do_schedule_conference(
        panel=marac,
        meets_on=earlier_day + timedelta(days=10),
        chair="DCI Rachel Moss",
        attending=[police_org, council_org, probation],
        acting_user=coordinator,
    )
    for case in actions.do_build_agenda(last, acting_user=coordinator):
        actions.do_add_conference_action(
            case,
            owner=council_org,
            text="Housing options interview and a sanctuary scheme assessment.",
            due_on=today - timedelta(days=3),
            acting_user=coordinator,
        )
    upcoming = actions.do_schedule_conference(
        panel=marac,
        meets_on=today + timedelta(days=7),
        chair="DCI Rachel Moss",
        attending=[police_org, council_org, probation],
        acting_user=coordinator,
    )
    for case in actions.do_build_agenda(upcoming, acting_user=coordinator):
        if case.referral.person_id != grace.pk:
            continue
        actions.do_record_discussion(
            case,
            risks="Threats to kill; separation last year; escalating stalking at her workplace.",
            outcome="",
            acting_user=coordinator,
        )
        actions.do_add_conference_action(
            case,
            owner=police_org,
            text="Flag her address for an urgent response; review bail conditions.",
            due_on=today + timedelta(days=14),
            acting_user=coordinator,
        )
        actions.do_add_conference_action(
            case,
            owner=council_org,
            text="Fit a sanctuary scheme: new locks, a door chain and a letterbox guard.",
            due_on=today + timedelta(days=21),
            acting_user=coordinator,
        )


def _janet(asbrac: Panel, council: User, today: date) -> None:
    janet = Person.objects.get(given_name="Janet", family_name="Holden")
    form = actions.current_risk_form("asb")
    answers = {1: "yes", 2: "yes", 4: "yes", 6: "yes", 7: "yes", 8: "yes", 11: "yes"}
    assessment = actions.do_record_assessment(
        person=janet,
        form=form,
        responses={n: Response(answers.get(n, "no")) for n in range(1, 13)},
        assessed_on=today - timedelta(days=20),
        acting_user=council,
    )
    actions.do_refer_case(
        panel=asbrac,
        person=janet,
        reason=ReferralReason.THRESHOLD,
        consent="given",
        assessments=[assessment],
        referred_on=today - timedelta(days=20),
        acting_user=council,
    )


def _history(marac: Panel, police: User, coordinator: User) -> None:
    """Referrals through the agreement's three years: each quarter about a third of its cases
    are victims referred in the previous 12 months."""
    rng = random.Random(2011)  # noqa: S311 - demonstration data, not security
    referred: list[tuple[Person, date]] = []
    number = 0
    for year in (FinancialYear(2011), FinancialYear(2012), FinancialYear(2013)):
        for quarter in year.quarters:
            recent = [
                person
                for person, day in referred
                if (quarter.start - day).days < 300
                and not Referral.objects.filter(person=person, referred_on__gte=quarter.start)
            ]
            repeats = rng.sample(recent, min(len(recent), rng.randint(5, 7)))
            for index in range(CASES_PER_QUARTER):
                day = quarter.start + timedelta(days=(index * 5) % 85)
                if index < len(repeats):
                    person = repeats[index]
                else:
                    number += 1
                    person = do_record_person(
                        given_name="Demo victim", family_name=str(number), acting_user=police
                    )
                actions.do_refer_case(
                    panel=marac,
                    person=person,
                    reason=ReferralReason.ESCALATION,
                    concern="Demonstration case: three police call-outs in 12 months.",
                    consent="given",
                    referred_on=day,
                    acting_user=police,
                )
                referred.append((person, day))
            conference = actions.do_schedule_conference(
                panel=marac,
                meets_on=quarter.end,
                chair="DCI Rachel Moss",
                attending=[marac.coordinator],
                acting_user=coordinator,
            )
            actions.do_build_agenda(conference, acting_user=coordinator)
