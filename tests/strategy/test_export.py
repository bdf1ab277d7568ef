"""The agreement as open data: JSON that loads back unchanged, and CSV tables."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from safer.partnership.models import Board, CspArea, Organisation
from safer.strategy.agreement_file import SHIPPED_AGREEMENT
from safer.strategy.models import Agreement


def _export(tmp_path: Path, name: str, *args: str) -> Path:
    path = tmp_path / name
    call_command("export_agreement", *args, "--output", str(path))
    return path


def test_it_exports_the_shipped_file_exactly(lancashire: None, tmp_path: Path) -> None:
    exported = json.loads(_export(tmp_path, "a.json", "--format", "json").read_text())
    assert exported == yaml.safe_load(SHIPPED_AGREEMENT.read_text(encoding="utf-8"))
    assert list(exported) == [
        "format",
        "agreement",
        "board",
        "organisations",
        "areas",
        "themes",
        "target_areas",
        "linked_plans",
    ]
    theme = exported["themes"][0]
    assert {"title", "vision", "focus_areas", "actions", "measures"} <= set(theme)
    assert theme["measures"][0] == "Increased reported incidences of domestic abuse and hate crime."


def test_it_round_trips_through_an_empty_database(lancashire: None, tmp_path: Path) -> None:
    first = _export(tmp_path, "first.json")
    Agreement.objects.all().delete()
    Board.objects.all().delete()
    CspArea.objects.all().delete()
    Organisation.objects.all().delete()
    call_command("load_agreement", str(first))
    second = _export(tmp_path, "second.json")
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_it_writes_csv_tables_with_a_data_package(lancashire: None, tmp_path: Path) -> None:
    path = _export(tmp_path, "agreement.zip", "--format", "csv")
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        package = json.loads(archive.read("datapackage.json"))

        def rows(name: str) -> list[dict[str, str]]:
            text = archive.read(f"{name}.csv").decode("utf-8")
            return list(csv.DictReader(io.StringIO(text)))

        assert {"themes.csv", "measures.csv", "areas.csv", "linked_plans.csv"} <= names
        assert len(rows("themes")) == 4
        assert len(rows("focus_areas")) == 20
        assert len(rows("actions")) == 19
        assert len(rows("measures")) == 22
        assert len(rows("organisations")) == 42
        assert len(rows("linked_plans")) == 24
        assert len(rows("theme_target_areas")) == 12
        preston = next(r for r in rows("areas") if r["name"] == "Preston")
        assert preston["ons_code"] == "E07000123"
    assert {r["path"] for r in package["resources"]} == names - {"datapackage.json"}


def test_it_says_when_no_agreement_is_loaded(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="run `safer load-agreement` first"):
        _export(tmp_path, "none.json")


def test_it_names_an_unknown_agreement(lancashire: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"no agreement with slug 'nowhere'.*safer-lancashire"):
        _export(tmp_path, "x.json", "--agreement", "nowhere")


def test_it_says_when_it_cannot_write(lancashire: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot write"):
        call_command("export_agreement", "--output", str(tmp_path / "missing" / "a.json"))
