from __future__ import annotations

from pathlib import Path

import pytest

from safer.crimedata.actions import do_load_lsoas
from safer.crimedata.management.commands.load_lsoas import SHIPPED_LSOAS
from tests.conftest import DATA, SHARED

POLICE_UK = SHARED / "data" / "police-uk"
SAMPLES = DATA / "police-uk"
LANCASHIRE_MONTHS = [POLICE_UK / f"2021-0{m}-lancashire-street.csv" for m in (4, 5, 6)]


@pytest.fixture
def lsoas(lancashire: None) -> None:
    """The shipped Lancashire LSOA table, as `make run` loads it."""
    do_load_lsoas(SHIPPED_LSOAS, acting_user=None)


@pytest.fixture
def sample_april() -> Path:
    return SAMPLES / "2021-04-lancashire-street.csv"


def records_counted() -> int:
    """How many street records Safer holds: what it keeps of them is their counts."""
    from django.db.models import Sum

    from safer.crimedata.models import TypeCount

    return int(TypeCount.objects.aggregate(n=Sum("count"))["n"] or 0)
