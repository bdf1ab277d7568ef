"""The crime data feeds the agreement's measures, and says Unknown where a month is missing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from safer.core.periods import Quarter
from safer.crimedata.actions import do_import_police_file
from safer.crimedata.importers.sources import file_source
from safer.partnership.models import CspArea
from safer.strategy.measure_sources import get_source
from tests.crimedata.conftest import LANCASHIRE_MONTHS

pytestmark = pytest.mark.django_db


def test_it_offers_asb_per_1000_and_burglary_counts_by_quarter(lsoas: None) -> None:
    for path in LANCASHIRE_MONTHS:
        do_import_police_file(file_source(path), acting_user=None)
    q1 = Quarter(2021, 1)
    preston = CspArea.objects.get(name="Preston")
    asb = get_source("crimedata.asb_per_1000").compute(q1.start, q1.end, preston)
    asb_count = get_source("crimedata.asb_count").compute(q1.start, q1.end, preston)
    assert asb is not None and asb_count is not None
    assert asb == (asb_count * 1000 / 144147).quantize(Decimal("0.01"))
    burglary = get_source("crimedata.burglary_count").compute(q1.start, q1.end, None)
    assert burglary is not None and burglary > 0
    q2 = Quarter(2021, 2)
    assert get_source("crimedata.burglary_count").compute(q2.start, q2.end, None) is None
    may = get_source("crimedata.burglary_count").compute(date(2021, 5, 1), date(2021, 5, 31), None)
    assert may is not None and may < burglary
