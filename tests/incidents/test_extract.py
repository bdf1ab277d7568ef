"""The incident extract format's reading and checks (incidents/importing/extract.py), without
the database: every problem is named by row and column, all of them in one pass."""

from __future__ import annotations

import io
from datetime import date

import pytest

from safer.incidents.importing.columns import COLUMNS
from safer.incidents.importing.extract import (
    ExtractRefusedError,
    Problems,
    check_header,
    parse_date,
    parse_postcode,
    parse_yes_no,
    read_extract,
)

TODAY = date(2026, 11, 25)
AREAS = {"preston": 1, "e07000123": 1, "burnley": 2, "e07000117": 2}
ROW = {
    "incident_reference": "PCC-ASB-1",
    "category": "asb",
    "occurred_on": "2026-06-02",
    "location": "Ribbleton Avenue",
    "postcode": "PR1 5RX",
    "area": "Preston",
    "summary": "Stones thrown at her windows.",
    "asb_category": "personal",
    "abuse_types": "",
    "relationship": "",
    "hate_strands": "",
    "alcohol_involved": "yes",
    "drugs_involved": "",
    "outcome": "",
    "person_reference": "P-1",
    "given_name": "Janet",
    "family_name": "Holden",
    "date_of_birth": "1958-03-11",
    "gender": "female",
    "role": "victim",
}


def _csv(*rows: dict[str, str], header: list[str] | None = None) -> io.StringIO:
    columns = header or list(COLUMNS)
    lines = [",".join(columns)] + [",".join(row.get(c, "") for c in columns) for row in rows]
    return io.StringIO("\n".join(lines) + "\n")


def _refused(text: io.StringIO) -> list[tuple[int, str, str]]:
    with pytest.raises(ExtractRefusedError) as refused:
        read_extract(text, areas=AREAS, today=TODAY, problems=Problems())
    return [(p.row, p.column, p.reason) for p in refused.value.problems.kept]


def test_it_reads_dates_as_agencies_write_them() -> None:
    assert parse_date("2026-03-14") == date(2026, 3, 14)
    assert parse_date("14/03/2026") == date(2026, 3, 14)
    assert parse_date("4/3/2026") == date(2026, 3, 4)
    with pytest.raises(ValueError, match="not a real date"):
        parse_date("31/02/2026")
    with pytest.raises(ValueError, match="like 2026-03-14 or 14/03/2026"):
        parse_date("March 14th")


def test_it_reads_postcodes_and_yes_no() -> None:
    assert parse_postcode("pr18jb") == "PR1 8JB"
    assert parse_postcode("M1 1AE") == "M1 1AE"
    with pytest.raises(ValueError, match="not a UK postcode"):
        parse_postcode("Preston")
    assert [parse_yes_no(v) for v in ("Yes", "n", "", "not known")] == [True, False, None, None]
    with pytest.raises(ValueError, match="not yes, no or empty"):
        parse_yes_no("maybe")


def test_the_header_names_missing_unknown_and_repeated_columns() -> None:
    problems = Problems()
    header = [c for c in COLUMNS if c not in ("role", "summary")] + ["Crime type", "gender"]
    assert check_header(header, problems) is None
    found = [(p.row, p.column, p.reason) for p in problems.kept]
    assert (1, "", "missing column(s): summary, role") in found
    assert any(column == "Crime type" and "not a column" in r for _, column, r in found)
    assert (1, "gender", "appears twice in the header") in found


def test_columns_may_come_in_any_order_and_in_any_case() -> None:
    header = [c.upper() for c in reversed(COLUMNS)]
    text = _csv({c.upper(): v for c, v in ROW.items()}, header=header)
    extract = read_extract(text, areas=AREAS, today=TODAY, problems=Problems())
    incident = extract.incidents["PCC-ASB-1"].incident
    assert incident is not None
    assert incident.location == "Ribbleton Avenue, PR1 5RX"
    assert incident.area_id == 1
    assert incident.alcohol_involved is True
    assert incident.outcome == "open"
    assert extract.people["P-1"].person.date_of_birth == date(1958, 3, 11)


def test_labels_are_read_as_the_standards_codes() -> None:
    row = {
        **ROW,
        "category": "Hate crime",
        "asb_category": "",
        "hate_strands": "Race or ethnicity; religion",
        "outcome": "Charged or summonsed",
        "role": "Victim",
    }
    extract = read_extract(_csv(row), areas=AREAS, today=TODAY, problems=Problems())
    incident = extract.incidents["PCC-ASB-1"].incident
    assert incident is not None
    assert (incident.category, incident.hate_strands, incident.outcome) == (
        "hate_crime",
        ["race", "religion"],
        "charged",
    )


def test_every_problem_is_named_by_row_and_column_in_one_pass() -> None:
    rows = [
        {**ROW, "occurred_on": "2026-02-30"},
        {**ROW, "incident_reference": "PCC-2", "category": "burglary"},
        {**ROW, "incident_reference": "PCC-3", "area": "Manchester", "person_reference": "P-3"},
        {**ROW, "incident_reference": "PCC-4", "occurred_on": "2027-01-01", "person_reference": ""},
        {**ROW, "incident_reference": "PCC-5", "asb_category": "", "hate_strands": "race"},
    ]
    found = {(row, column) for row, column, _ in _refused(_csv(*rows))}
    assert found == {
        (2, "occurred_on"),
        (3, "category"),
        (4, "area"),
        (5, "occurred_on"),
        (5, "person_reference"),
        (6, "asb_category"),
        (6, "hate_strands"),
    }


def test_the_standard_says_what_each_kind_asks_for() -> None:
    row = {**ROW, "category": "domestic_abuse", "abuse_types": "physical;shouting"}
    reasons = {c: r for _, c, r in _refused(_csv(row))}
    assert reasons["asb_category"] == "Only anti-social behaviour has an ASB category."
    assert reasons["abuse_types"] == "Unknown type(s) of abuse: shouting."


def test_a_person_in_two_roles_is_refused_with_both_rows() -> None:
    witness = {**ROW, "role": "witness"}
    found = _refused(_csv(ROW, witness))
    assert found == [
        (
            3,
            "role",
            "Person P-1 cannot be both victim and witness in one incident: choose one role. "
            "(named first on row 2, incident PCC-ASB-1)",
        )
    ]


def test_rows_of_one_incident_must_agree() -> None:
    second = {**ROW, "summary": "Something else.", "person_reference": "P-2", "role": "witness"}
    [(row, column, reason)] = _refused(_csv(ROW, second))
    assert (row, column) == (3, "summary")
    assert "differs from 'Stones thrown at her windows.' on row 2" in reason


def test_rows_of_one_person_must_agree() -> None:
    later = {**ROW, "incident_reference": "PCC-2", "date_of_birth": "1958-03-12"}
    [(row, column, reason)] = _refused(_csv(ROW, later))
    assert (row, column) == (3, "date_of_birth")
    assert "the first row naming person P-1" in reason


def test_a_row_of_the_wrong_width_is_named() -> None:
    text = _csv(ROW)
    text = io.StringIO(text.getvalue() + "PCC-9,asb,2026-01-01\n")
    assert _refused(text) == [(3, "", "3 values where the header has 20 columns")]


def test_an_incident_may_name_no_one_and_blank_lines_are_skipped() -> None:
    empty = {c: v for c, v in ROW.items() if c in COLUMNS[:14]}
    text = io.StringIO(_csv(empty).getvalue() + "\n,,,\n")
    extract = read_extract(text, areas=AREAS, today=TODAY, problems=Problems())
    assert extract.incidents["PCC-ASB-1"].people == []
    assert extract.people == {}
    assert extract.rows_read == 1


def test_a_file_with_a_header_and_no_rows_is_refused() -> None:
    assert _refused(_csv()) == [
        (2, "", "the file has a header but no rows: it is not the extract meant")
    ]
    assert _refused(io.StringIO("")) == [(0, "", "the file is empty: it has no header row")]


def test_the_report_keeps_the_first_thousand_and_counts_the_rest() -> None:
    rows = [{**ROW, "incident_reference": f"R{n}", "category": "nope"} for n in range(1200)]
    with pytest.raises(ExtractRefusedError) as refused:
        read_extract(_csv(*rows), areas=AREAS, today=TODAY, problems=Problems())
    problems = refused.value.problems
    assert len(problems.kept) == 1000
    assert problems.not_shown == 200
    assert len(problems.rows) == 1200
