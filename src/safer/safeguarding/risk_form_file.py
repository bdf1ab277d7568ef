"""Reading and checking a risk form file (format `safer.riskform/1`): questions and thresholds
as data, so a partnership loads its own wording without a code change."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DATA = Path(__file__).resolve().parent / "data"
SHIPPED_FORMS = [DATA / "dash-safelives-24.yaml", DATA / "asb-risk-assessment.yaml"]


class RiskFormFileError(ValueError):
    """A risk form file that cannot be loaded, with what is wrong and where."""


class QuestionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: int = Field(ge=1)
    text: str = Field(min_length=1)
    hint: str = ""
    high_if_yes: bool = False


class RiskFormFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Literal["safer.riskform/1"]
    kind: Literal["dash", "asb"]
    version: str = Field(min_length=1, max_length=60)
    title: str = Field(min_length=1, max_length=200)
    source: str = ""
    wording_note: str = ""
    levels: dict[Literal["medium", "high"], int]
    # Days from an assessment to its review, by level ("incomplete" for one not yet scored).
    review_days: dict[Literal["standard", "medium", "high", "incomplete"], int] = {}
    questions: list[QuestionFile] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> RiskFormFile:
        numbers = [question.number for question in self.questions]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"questions must be numbered 1, 2, 3 ... in order; got {numbers}")
        if "high" not in self.levels:
            raise ValueError("levels must give the 'high' threshold")
        if self.levels.get("medium", 0) > self.levels["high"]:
            raise ValueError("the 'medium' threshold must not be above the 'high' one")
        if not 1 <= self.levels["high"] <= len(self.questions):
            raise ValueError(
                f"the 'high' threshold ({self.levels['high']}) must be between 1 and the number "
                f"of questions ({len(self.questions)})"
            )
        return self


def read_risk_form(path: Path) -> RiskFormFile:
    """Read a risk form file; RiskFormFileError names the file and each problem."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RiskFormFileError(f"{path}: cannot be read as YAML: {exc}") from None
    try:
        return RiskFormFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'file'}: {error['msg']}"
            for error in exc.errors()
        )
        raise RiskFormFileError(f"{path}: {problems}") from None
