from __future__ import annotations

import subprocess
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from safer.core.periods import Quarter
from safer.partnership.models import CspArea
from safer.reports.actions import do_publish_board_pack, do_request_board_pack
from safer.reports.models import BoardPack
from safer.strategy import actions
from safer.strategy.enums import ActionStatus, MilestoneStatus
from safer.strategy.models import MeasureValue
from safer.test import sign_in
from tests.strategy.conftest import Cycle, cycle  # noqa: F401 - the shared fixture

Q1 = Quarter(2011, 1)


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any, tmp_path: Any) -> None:
    """Build packs in the test itself (production runs them in `safer db_worker`)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Closed:
    """2011/12 Q1 of the cycle with approved values, closed: ready for a board pack."""

    cycle: Cycle
    reports: MeasureValue  # 97 against a target of 100: Amber
    repeats: MeasureValue  # 3 repeat victims: a small count, suppressed
    preston: MeasureValue  # Preston's reports: 40


@pytest.fixture
def closed(cycle: Cycle) -> Closed:  # noqa: F811
    c = cycle

    def save(measure: Any, value: str, area: CspArea | None = None, **kw: Any) -> MeasureValue:
        update = actions.do_save_measure_value(
            measure,
            c.q1,
            value=Decimal(value) if value else None,
            area=area,
            evidence_url="https://example.org/evidence/q1.xlsx",
            submit=True,
            acting_user=c.erin,
            **kw,
        )
        actions.do_approve_update(update, acting_user=c.diana)
        return update

    reports = save(c.reports, "97", comment="Reporting dipped over the summer holidays.")
    repeats = save(c.repeats, "3", comment="Three repeat victims, each now supported.")
    preston = save(c.reports, "40", area=CspArea.objects.get(name="Preston"))
    save(c.milestone, "", milestone_status=MilestoneStatus.IN_PROGRESS)
    update = actions.do_save_action_update(
        c.action,
        c.q1,
        action_status=ActionStatus.IN_PROGRESS,
        progress_note="Training booked for September.",
        submit=True,
        acting_user=c.erin,
    )
    actions.do_approve_update(update, acting_user=c.diana)
    actions.do_close_period(c.q1, acting_user=c.diana)
    return Closed(c, reports, repeats, preston)


@pytest.fixture
def published(closed: Closed) -> BoardPack:
    pack = do_request_board_pack(
        closed.cycle.agreement, Q1, area=None, acting_user=closed.cycle.diana
    )
    pack.refresh_from_db()
    return do_publish_board_pack(pack, acting_user=closed.cycle.diana)


@pytest.fixture
def diana_client(closed: Closed) -> Client:
    client = Client()
    sign_in(client, "diana")
    return client


def poppler(*args: object) -> str:
    """Run one of poppler-utils' programs (Debian) and return what it printed."""
    return subprocess.run(  # noqa: S603 - fixed programs from the tests
        [str(a) for a in args], capture_output=True, text=True, check=True
    ).stdout
