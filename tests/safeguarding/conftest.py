from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from safer.accounts.models import User
from safer.incidents.actions import do_record_person
from safer.incidents.enums import Gender
from safer.incidents.models import Person
from safer.partnership.models import CspArea, Organisation
from safer.safeguarding import actions
from safer.safeguarding.actions import Response
from safer.safeguarding.models import Panel, RiskAssessment, RiskForm
from safer.test import persona


@dataclass
class Marac:
    """The Preston MARAC, coordinated by Cora for the Preston CSP, and Ivy's client Grace."""

    panel: Panel
    ivy: User
    cora: User
    grace: Person
    dash: RiskForm

    @property
    def idva(self) -> Organisation:
        return Organisation.objects.get(users=self.ivy)

    @property
    def csp(self) -> Organisation:
        return Organisation.objects.get(users=self.cora)


@pytest.fixture
def marac(lancashire: None) -> Marac:
    ivy, cora = persona("ivy"), persona("cora")
    panel = actions.do_create_panel(
        kind="marac",
        area=CspArea.objects.get(name="Preston"),
        coordinator=Organisation.objects.get(slug="preston-csp"),
        acting_user=cora,
    )
    grace = do_record_person(
        given_name="Grace", family_name="Okafor", gender=Gender.FEMALE, acting_user=ivy
    )
    return Marac(panel, ivy, cora, grace, actions.current_risk_form("dash"))


def dash_answers(yes: int, total: int = 24) -> dict[int, Response]:
    """`yes` questions answered yes, the rest no."""
    return {
        n: Response(answer="yes" if n <= yes else "no", victims_words="", notes="")
        for n in range(1, total + 1)
    }


def assess(marac: Marac, person: Person, yes: int, on: date) -> RiskAssessment:
    return actions.do_record_assessment(
        person=person,
        form=marac.dash,
        responses=dash_answers(yes),
        assessed_on=on,
        acting_user=marac.ivy,
    )
