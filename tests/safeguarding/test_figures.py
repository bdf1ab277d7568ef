"""Conference figures, the quarterly data return and the measure sources, from records."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from safer.core.periods import Quarter
from safer.incidents.actions import do_record_person
from safer.safeguarding import actions, figures
from safer.safeguarding.enums import ReferralReason
from safer.strategy.measure_sources import get_source
from tests.safeguarding.conftest import Marac

Q3 = Quarter(2012, 3)


def _refer_twice(marac: Marac, count: int, *, new: int = 0) -> None:
    """`count` victims referred in January 2012 and again in November; `new` first-timers."""
    people = [
        do_record_person(given_name=f"V{n}", family_name="Demo", acting_user=marac.ivy)
        for n in range(count + new)
    ]
    for index, person in enumerate(people):
        days = [date(2012, 11, 5)] if index >= count else [date(2012, 1, 5), date(2012, 11, 5)]
        for day in days:
            actions.do_refer_case(
                panel=marac.panel,
                person=person,
                reason=ReferralReason.ESCALATION,
                concern="Three call-outs in a year.",
                consent="not_given" if index == 0 else "given",
                no_consent_reason="High risk." if index == 0 else "",
                referred_on=day,
                acting_user=marac.ivy,
            )


def test_the_figures_count_cases_repeats_and_agencies(marac: Marac) -> None:
    _refer_twice(marac, 6, new=4)
    shown = figures.panel_figures(marac.panel, Q3)
    assert (shown.referrals, shown.repeats, shown.repeat_rate) == (10, 6, Decimal("60.0"))
    assert shown.by_agency == {"Lancashire IDVA Service": 10}
    assert shown.without_consent == 1


def test_the_data_return_is_a_file_of_the_figures(marac: Marac) -> None:
    _refer_twice(marac, 2, new=1)
    rows = list(
        csv.reader(
            io.StringIO(figures.data_return_csv(figures.panel_figures(marac.panel, Q3)).decode())
        )
    )
    values = {row[2]: row[3] for row in rows[1:]}
    assert values["cases referred"] == "3"
    assert values["repeat cases"] == "2"
    assert values["referrals from Lancashire IDVA Service"] == "3"


def test_the_measure_sources_suppress_small_counts(marac: Marac) -> None:
    _refer_twice(marac, 3, new=4)
    repeats = get_source("safeguarding.marac_repeat_cases").compute(Q3.start, Q3.end, None)
    rate = get_source("safeguarding.marac_repeat_rate").compute(Q3.start, Q3.end, None)
    assert (repeats, rate) == (None, None)  # 3 repeats: a count that could identify someone


def test_the_measure_sources_count_by_area(marac: Marac) -> None:
    _refer_twice(marac, 5, new=3)
    source = get_source("safeguarding.repeat_cases")
    assert source.compute(Q3.start, Q3.end, None) == Decimal(5)
    assert source.compute(Q3.start, Q3.end, marac.panel.area) == Decimal(5)
    assert get_source("safeguarding.marac_repeat_rate").compute(Q3.start, Q3.end, None) == (
        Decimal("62.5")
    )
    other = type(marac.panel.area).objects.exclude(pk=marac.panel.area_id).first()
    assert source.compute(Q3.start, Q3.end, other) == Decimal(0)


def test_the_band_says_where_the_rate_sits() -> None:
    band = figures.parse_band("28-40")
    assert figures.band_position(Decimal(30), band) == "within"
    assert figures.band_position(Decimal(45), band) == "above"
    assert figures.band_position(Decimal(10), band) == "below"
    assert figures.parse_band("") is None
    with pytest.raises(ValueError, match="written like 28-40"):
        figures.parse_band("lots")
