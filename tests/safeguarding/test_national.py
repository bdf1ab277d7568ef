"""A MARAC against SafeLives' published figures: cases per 10,000 adult women, the expected 40,
the national 47 and the national repeat rate, as the figures page shows them."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from django.test import Client

from safer.core import suppression
from safer.core.periods import Quarter
from safer.incidents.actions import do_record_person
from safer.partnership.models import CspArea, Organisation
from safer.safeguarding import actions, figures
from safer.safeguarding.enums import ReferralReason
from safer.test import persona, sign_in
from tests.safeguarding.conftest import Marac

Q3 = Quarter(2012, 3)  # October to December 2012: its 12 months are calendar 2012


def _refer(marac: Marac, days: list[date]) -> None:
    """One new victim referred on each day."""
    for n, day in enumerate(days):
        person = do_record_person(given_name=f"V{n}", family_name="Demo", acting_user=marac.ivy)
        actions.do_refer_case(
            panel=marac.panel,
            person=person,
            reason=ReferralReason.ESCALATION,
            concern="Three call-outs in a year.",
            consent="given",
            no_consent_reason="",
            referred_on=day,
            acting_user=marac.ivy,
        )


def _load_women(tmp_path: Path, *rows: tuple[int, int]) -> None:
    """Load Preston's women aged 16 and over as a partnership would: (year, women) rows."""
    code = CspArea.objects.get(name="Preston").ons_code
    data = tmp_path / "preston-women.csv"
    data.write_text(
        "area_code,year,population,adult_women\n"
        + "".join(f"{code},{year},140000,{women}\n" for year, women in rows)
    )
    call_command("load_population", str(data), stdout=io.StringIO())


def _against_safelives(panel_id: int, quarter: Quarter = Q3) -> str:
    """The figures page's SafeLives section, as Diana the analyst sees it."""
    persona("diana")
    client = Client()
    sign_in(client, "diana")
    page = client.get(f"/safeguarding/figures/?panel={panel_id}&quarter={quarter.code}")
    assert page.status_code == 200
    text = page.content.decode()
    return text.split("Against SafeLives", 1)[1].split("Referrals by agency", 1)[0]


def test_it_shows_cases_per_10000_adult_women(marac: Marac, tmp_path: Path) -> None:
    _refer(marac, [date(2012, 2, 1)] * 6 + [date(2012, 11, 1)] * 6)
    _load_women(tmp_path, (2012, 30_000))
    section = _against_safelives(marac.panel.pk)
    assert "1 January 2012 to 31 December 2012" in section
    assert ">12<" in section
    assert ">4.0<" in section
    assert "30,000 women aged 16 and over, 2012" in section


def test_it_counts_one_decimal_place_per_10000() -> None:
    assert figures.cases_per_10000_women(12, 30_000) == Decimal("4.0")
    assert figures.cases_per_10000_women(47, 10_000) == Decimal("47.0")
    assert figures.cases_per_10000_women(1, 30_000) == Decimal("0.3")


def test_it_uses_the_estimate_for_the_year_the_12_months_start(
    marac: Marac, tmp_path: Path
) -> None:
    _refer(marac, [date(2012, 5, 1)] * 10)
    _load_women(tmp_path, (2011, 20_000), (2012, 25_000), (2014, 50_000))
    section = _against_safelives(marac.panel.pk, Quarter(2012, 4))  # April 2012 to March 2013
    assert ">4.0<" in section and "25,000 women" in section


def test_it_says_how_to_load_adult_women_when_there_are_none(marac: Marac) -> None:
    _refer(marac, [date(2012, 11, 1)] * 6)
    section = _against_safelives(marac.panel.pk)
    assert "No adult female population is loaded for Preston" in section
    assert "safer load-population FILE" in section and "adult_women" in section
    assert ">6<" in section


def test_it_hides_a_small_count_and_its_rate(marac: Marac, tmp_path: Path) -> None:
    _refer(marac, [date(2012, 11, 1)] * 3)
    _load_women(tmp_path, (2012, 30_000))
    section = _against_safelives(marac.panel.pk)
    assert "fewer than 5" in section and "Not shown: too few cases" in section
    assert "1.0" not in section and "30,000" not in section


def test_it_hides_a_year_that_would_give_a_small_quarter_away(marac: Marac, tmp_path: Path) -> None:
    # January to March: 6, shown on its own page; October to December: 3, "fewer than 5".
    _refer(marac, [date(2012, 2, 1)] * 6 + [date(2012, 11, 1)] * 3)
    _load_women(tmp_path, (2012, 30_000))
    section = _against_safelives(marac.panel.pk)
    assert "a quarter's count under 5 could be worked out" in section
    assert ">9<" not in section and "3.0" not in section
    assert suppression.can_show_total([6, 0, 0, 3]) is False
    assert suppression.can_show_total([3, 0, 0, 3]) is True  # only the 6 together can be known
    assert suppression.can_show_total([6, 0, 0, 0]) is True


def test_the_page_shows_safelives_figures_and_their_source(marac: Marac) -> None:
    section = _against_safelives(marac.panel.pk)
    assert "40 per 10,000 adult women a year" in section
    assert "SafeLives, Reviewing your Marac data" in section
    assert "47 per 10,000 adult women; 31% repeat cases" in section
    assert "SafeLives, Marac national dataset" in section
    assert "12 months 1 October 2023 to 30 September 2024: 276 Maracs, 119,985 cases" in section
    assert "https://safelives.org.uk/research-policy/practitioner-datasets/marac-data" in section


def test_the_national_repeat_rate_is_beside_the_panels(marac: Marac) -> None:
    persona("diana")
    client = Client()
    sign_in(client, "diana")
    page = client.get(f"/safeguarding/figures/?panel={marac.panel.pk}&quarter={Q3.code}")
    repeat_row = page.content.decode().split("Repeat rate", 1)[1].split("</dd>", 1)[0]
    assert "Not shown: too few cases" in repeat_row
    assert "National: 31% repeat cases" in repeat_row


def test_an_asbrac_is_not_set_against_marac_figures(marac: Marac) -> None:
    asbrac = actions.do_create_panel(
        kind="asbrac",
        area=CspArea.objects.get(name="Preston"),
        coordinator=Organisation.objects.get(slug="preston-csp"),
        acting_user=marac.cora,
    )
    persona("diana")
    client = Client()
    sign_in(client, "diana")
    page = client.get(f"/safeguarding/figures/?panel={asbrac.pk}&quarter={Q3.code}")
    text = page.content.decode()
    assert "Against SafeLives" not in text and "31%" not in text and "per 10,000" not in text
