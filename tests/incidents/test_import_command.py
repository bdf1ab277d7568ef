"""`safer import-incidents FILE --organisation SLUG --user USERNAME`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safer.accounts.models import User
from safer.incidents.models import Incident, IncidentImport
from safer.test import persona

DATA = Path(__file__).resolve().parent.parent / "data" / "incidents"


def _run(path: Path, organisation: str, user: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_incidents",
        str(path),
        organisation=organisation,
        user=user,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def test_it_imports_and_says_what_it_did(bob: User) -> None:
    out, _ = _run(DATA / "extract-valid.csv", "preston-city-council", "bob")
    record = IncidentImport.objects.get()
    assert f"Imported extract-valid.csv as {record.reference}: 12 rows;" in out
    assert "incidents 8 new, 0 updated, 0 unchanged; people 8 new, 0 updated" in out
    out, _ = _run(DATA / "extract-updated.csv", "preston-city-council", "bob")
    assert "incidents 1 new, 2 updated, 6 unchanged; people 0 new, 1 updated" in out


def test_a_refused_file_exits_non_zero_with_every_row_and_column(bob: User) -> None:
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"broken-unknown-categories\.csv refused"):
        call_command(
            "import_incidents",
            str(DATA / "broken-unknown-categories.csv"),
            organisation="preston-city-council",
            user="bob",
            stderr=err,
        )
    report = err.getvalue()
    assert "nothing of it was written. 3 of 12 rows have a problem." in report
    assert "row 7, column category: 'burglary' is not a kind of incident" in report
    assert "row 11, column hate_strands: Unknown hate crime strand(s): age." in report
    assert "row 12, column outcome: 'arrested' is not one of open," in report
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    ("path", "organisation", "user", "message"),
    [
        ("nope.csv", "preston-city-council", "bob", "nope.csv: no such file"),
        ("extract-valid.csv", "narnia", "bob", "No organisation has the slug 'narnia'"),
        ("extract-valid.csv", "preston-city-council", "zed", "No active user is called 'zed'"),
        (
            "extract-valid.csv",
            "lancashire-constabulary",
            "bob",
            "an import writes only to the importing user's organisation",
        ),
        (
            "extract-valid.csv",
            "lancashire-county-council",
            "diana",
            "diana: Your role does not record people or incidents.",
        ),
    ],
)
def test_it_names_what_is_wrong_with_the_command(
    bob: User, path: str, organisation: str, user: str, message: str
) -> None:
    persona("diana")
    with pytest.raises(CommandError, match=message):
        _run(DATA / path, organisation, user)
    assert not Incident.objects.exists()
