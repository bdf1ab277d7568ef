"""The `safer` command forwards to Django's management commands, hyphenated or not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from safer.__main__ import main
from safer.pytest_environment import TEST_ONLY_VARIABLES

ROOT = Path(__file__).resolve().parents[2]


def test_it_accepts_hyphenated_command_names(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["safer", "load-agreement", "--help"])
    assert exited.value.code == 0
    assert "safer.agreement/1" in capsys.readouterr().out


def test_it_passes_deploy_checks_under_production_settings(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES},
        "DEBUG": "0",
        "SECRET_KEY": "x7Hq2" * 12,
        "ALLOWED_HOSTS": "safer.example.org",
        "SAFER_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "safer", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_a_bad_setting_by_name(tmp_path: Path) -> None:
    env = {**os.environ, "DEBUG": "maybe", "SAFER_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "safer", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr
