"""A malformed agreement file is refused with the line and field named, and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from safer.partnership.models import CspArea, Organisation
from safer.strategy.agreement_file import SHIPPED_AGREEMENT, AgreementFileError, read_agreement_file
from safer.strategy.models import Agreement, Measure

SHIPPED = SHIPPED_AGREEMENT.read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _edit(old: str, new: str) -> str:
    assert SHIPPED.count(old) == 1, old
    return SHIPPED.replace(old, new)


# Each case: an edit of the shipped file, the field the error must name, the text it must say.
CASES = {
    "missing title": (
        "    title: Reduce reoffending\n",
        "",
        "themes[3].title",
        "is required",
    ),
    "misspelt field": (
        "    vision: By reducing drug",
        "    visoin: By reducing drug",
        "themes[2].visoin",
        "not a field Safer knows",
    ),
    "bad ONS code": (
        "ons_code: E07000123,",
        "ons_code: E7000123,",
        "areas[8].ons_code",
        "letter and eight digits",
    ),
    "unknown owner": (
        "owner: lancashire-probation-trust,",
        "owner: lancashire-probation-service,",
        "linked_plans[13].owner",
        "'lancashire-probation-service', which is not in 'organisations'",
    ),
    "period disagrees with title": (
        "period: 2011-15, start_year: 2011, end_year: 2015",
        "period: 2011-15, start_year: 2011, end_year: 2014",
        "linked_plans[9].end_year",
        "the title says 2015",
    ),
    "unknown theme in matrix": (
        "end_year: 2011, themes: [change-attitudes-and-behaviours, reduce-reoffending]}",
        "end_year: 2011, themes: [change-attitudes-and-behaviours, reduce-re-offending]}",
        "linked_plans[14].themes[1]",
        "names the theme 'reduce-re-offending'",
    ),
    "wrong kind": (
        "kind: non_statutory, sector: prisons",
        "kind: voluntary, sector: prisons",
        "organisations[37].kind",
        "'statutory' or 'non_statutory'",
    ),
    "text instead of a number": (
        "population: 144147,",
        "population: lots,",
        "areas[8].population",
        "valid integer",
    ),
    "duplicate slug": (
        "slug: wyre-csp, name: Wyre Community",
        "slug: wyre-borough-council, name: Wyre Community",
        "organisations[35].slug",
        "is used already by organisations[34]",
    ),
    "not a financial year": (
        "delivery_plan: 2011/12",
        "delivery_plan: 2011/13",
        "agreement.delivery_plan",
        "financial year like 2011/12",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_it_names_the_line_and_field_and_writes_nothing(
    case: str, db: None, tmp_path: Path
) -> None:
    old, new, field, message = CASES[case]
    path = tmp_path / "agreement.yaml"
    path.write_text(_edit(old, new), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("load_agreement", str(path))
    text = str(raised.value)
    assert "nothing was changed" in text
    problem = next(line for line in text.splitlines() if field in line)
    assert message in problem
    expected_line = _line_of(_edit(old, new), new.strip() or "- slug: reduce-reoffending")
    assert f"line {expected_line}," in problem
    assert Organisation.objects.count() == 0
    assert Agreement.objects.count() == 0


def test_it_reports_every_problem_at_once(db: None, tmp_path: Path) -> None:
    text = SHIPPED.replace("ons_code: E07000123,", "ons_code: E7000123,").replace(
        "population: 113067,", "population: -5,"
    )
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AgreementFileError) as raised:
        read_agreement_file(path)
    assert len(raised.value.problems) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"agreement: [unclosed\n", "line 2, not valid YAML or JSON"),
        (b'{"format": "safer.agreement/1", "agreement": ', "not valid YAML or JSON"),
        (b"- just\n- a list\n", "must be a mapping"),
        (b"format: safer.agreement/1\xff\n", "not UTF-8"),
        (b"format: safer.agreement/2\n", "format: input should be 'safer.agreement/1'"),
        (
            b"format: safer.agreement/1\nformat: safer.agreement/1\n",
            "line 2, format: appears twice",
        ),
    ],
)
def test_it_refuses_files_that_are_not_agreements(
    content: bytes, message: str, db: None, tmp_path: Path
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="nothing was changed") as raised:
        call_command("load_agreement", str(path))
    assert message in str(raised.value)


def test_it_says_when_the_file_is_missing(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_agreement", str(tmp_path / "nowhere.yaml"))


def test_a_refused_file_leaves_a_loaded_agreement_as_it_was(
    lancashire: None, tmp_path: Path
) -> None:
    before = list(Measure.objects.values_list("text", flat=True))
    text = SHIPPED.replace(
        "Reduction in reoffending rates.", "Reduction in proven reoffending rates."
    ).replace("ons_code: E07000128,", "ons_code: E0700012,")
    path = tmp_path / "edited.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_agreement", str(path))
    assert list(Measure.objects.values_list("text", flat=True)) == before


def test_a_file_that_conflicts_with_the_database_is_rolled_back_whole(
    lancashire: None, tmp_path: Path
) -> None:
    """The file is valid on its own, but an area takes a name another area already has."""
    data = yaml.safe_load(SHIPPED)
    data["organisations"][0]["name"] = "Renamed Council"
    preston = next(a for a in data["areas"] if a["name"] == "Preston")
    preston["ons_code"] = "E07000999"
    path = tmp_path / "conflict.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError, match="conflicts with the database") as raised:
        call_command("load_agreement", str(path))
    assert "nothing was changed" in str(raised.value)
    assert not Organisation.objects.filter(name="Renamed Council").exists()
    assert not CspArea.objects.filter(ons_code="E07000999").exists()
