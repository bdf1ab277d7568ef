"""Read and check an agreement file (YAML or JSON) before anything is written.

The file format is `safer.agreement/1`: the shape `safer export-agreement --format json`
writes, so an export loads back unchanged. Every problem is reported with the line and the
field it concerns, all at once, so a partnership can fix its file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from safer.partnership.enums import AreaKind, OrganisationKind, Sector
from safer.strategy.plan_periods import parse_plan_period

FORMAT = "safer.agreement/1"
SHIPPED_AGREEMENT = Path(__file__).resolve().parent / "data" / "safer-lancashire-2011-2014.yaml"

_TEXT = r"^\S([\s\S]*\S)?$"
_OPTIONAL_TEXT = r"^(\S([\s\S]*\S)?)?$"
_SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ONS_CODE = r"^[EWSN]\d{8}$"
_FINANCIAL_YEAR = r"^\d{4}/\d{2}$"
_PATTERN_MEANS = {
    _TEXT: "must not be empty, nor start or end with a space",
    _OPTIONAL_TEXT: "must not start or end with a space",
    _SLUG: "must be a slug: lower-case letters, digits and single hyphens",
    _ONS_CODE: "must be an ONS code: a letter and eight digits, like E07000123",
    _FINANCIAL_YEAR: "must be a financial year like 2011/12",
}

Text = Annotated[str, StringConstraints(pattern=_TEXT)]
OptionalText = Annotated[str, StringConstraints(pattern=_OPTIONAL_TEXT)]
Slug = Annotated[str, StringConstraints(pattern=_SLUG, max_length=80)]
OnsCode = Annotated[str, StringConstraints(pattern=_ONS_CODE)]
FinancialYear = Annotated[str, StringConstraints(pattern=_FINANCIAL_YEAR)]
Year = Annotated[int, Field(ge=1900, le=2200)]
Number = Annotated[int, Field(ge=1, le=999)]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class SectionDoc(_Part):
    key: Slug
    heading: Text
    passages: list[Text] = Field(min_length=1)


class AgreementDoc(_Part):
    slug: Slug
    title: Text
    board: Slug
    start_year: Year
    end_year: Year
    delivery_plan: FinancialYear
    website: OptionalText = ""
    sections: list[SectionDoc] = []
    performance_commitments: list[Text] = []


class ProfileFactDoc(_Part):
    label: Text
    value: Decimal = Field(max_digits=14, decimal_places=2)
    unit: Text
    as_stated: Text


class BoardDoc(_Part):
    organisation: Slug
    strapline: OptionalText = ""
    chair_name: Text
    chair_role: Text
    compiled_by: Slug | None = None
    compiled_by_team: OptionalText = ""
    postal_address: OptionalText = ""
    telephone: OptionalText = ""
    website: OptionalText = ""
    profile_source: OptionalText = ""
    profile: list[ProfileFactDoc] = []


class OrganisationDoc(_Part):
    slug: Slug
    name: Text
    kind: OrganisationKind
    sector: Sector
    listed_as: Text | None = None


class AreaDoc(_Part):
    ons_code: OnsCode
    name: Text
    name_in_agreement: OptionalText = ""
    kind: AreaKind
    local_authority: Slug
    council: Slug
    partnership: Slug
    csp_code: OnsCode | None = None
    population: Annotated[int, Field(ge=0)] | None = None
    population_year: Year | None = None


class ThemeDoc(_Part):
    slug: Slug
    number: Number
    title: Text
    plan_heading: Text
    vision: Text
    focus_areas: list[Text] = []
    actions: list[Text] = []
    measures: list[Text] = []


class TargetAreaDoc(_Part):
    slug: Slug
    number: Number
    title: Text
    items: list[Text] = []
    themes: list[Slug] = []


class LinkedPlanDoc(_Part):
    title: Text
    owner: Slug
    period: Text
    start_year: Year
    end_year: Year
    themes: list[Slug] = []


class AgreementDocument(_Part):
    format: Literal["safer.agreement/1"]
    agreement: AgreementDoc
    board: BoardDoc
    organisations: list[OrganisationDoc] = Field(min_length=1)
    areas: list[AreaDoc] = []
    themes: list[ThemeDoc] = Field(min_length=1)
    target_areas: list[TargetAreaDoc] = []
    linked_plans: list[LinkedPlanDoc] = []

    @property
    def delivery_plan_start_year(self) -> int:
        return int(self.agreement.delivery_plan[:4])


Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: Path_
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        field = format_path(self.path)
        return f"{where}{field}: {self.message}" if field else f"{where}{self.message}"


class AgreementFileError(Exception):
    """The file cannot be loaded; `problems` says every reason, with lines and fields."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{source} cannot be loaded ({count}); nothing was changed:\n{lines}")


def format_path(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def read_agreement_file(path: Path) -> AgreementDocument:
    """Parse and check the file at `path`; raise AgreementFileError naming every problem."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AgreementFileError(source, [Problem((), "no such file")]) from None
    except UnicodeDecodeError as exc:
        problem = Problem((), f"the file is not UTF-8 text (byte {exc.start})")
        raise AgreementFileError(source, [problem]) from None
    except OSError as exc:
        raise AgreementFileError(source, [Problem((), exc.strerror or str(exc))]) from None
    return parse_agreement_text(text, source=source)


def parse_agreement_text(text: str, *, source: str = "<text>") -> AgreementDocument:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        problem = Problem((), f"not valid YAML or JSON: {exc.problem or exc}", line)
        raise AgreementFileError(source, [problem]) from None
    except yaml.YAMLError as exc:
        raise AgreementFileError(source, [Problem((), f"not valid YAML or JSON: {exc}")]) from None
    if root is None:
        raise AgreementFileError(source, [Problem((), "the file is empty")])
    lines = dict(_node_lines(root, ()))
    problems = list(_duplicate_keys(root, ()))
    if not isinstance(data, dict):
        problems.append(Problem((), "the file must be a mapping with keys such as 'agreement'", 1))
        raise AgreementFileError(source, problems)

    document: AgreementDocument | None = None
    try:
        document = AgreementDocument.model_validate(data)
    except ValidationError as exc:
        problems.extend(Problem(tuple(err["loc"]), _message(err)) for err in exc.errors())
    if document is not None:
        problems.extend(check_references(document))
    if problems or document is None:
        raise AgreementFileError(source, [_with_line(p, lines) for p in problems])
    return document


def _message(error: Any) -> str:
    if error["type"] == "missing":
        return "is required"
    if error["type"] == "extra_forbidden":
        return "is not a field Safer knows (check the spelling)"
    if error["type"] == "string_pattern_mismatch":
        meaning = _PATTERN_MEANS.get(error["ctx"]["pattern"], error["msg"])
        return f"{meaning}; got {error['input']!r}"
    message: str = error["msg"]
    return message[0].lower() + message[1:]


def _with_line(problem: Problem, lines: dict[Path_, int]) -> Problem:
    path = problem.path
    while path not in lines and path:
        path = path[:-1]
    return Problem(problem.path, problem.message, problem.line or lines.get(path))


def _node_lines(node: yaml.Node, path: Path_) -> Iterator[tuple[Path_, int]]:
    yield path, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                yield (*path, key.value), key.start_mark.line + 1
                yield from _node_lines(value, (*path, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _node_lines(item, (*path, index))


def _duplicate_keys(node: yaml.Node, path: Path_) -> Iterator[Problem]:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key)
            if name in seen:
                yield Problem((*path, name), "appears twice", key.start_mark.line + 1)
            seen.add(name)
            yield from _duplicate_keys(value, (*path, name))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _duplicate_keys(item, (*path, index))


def check_references(doc: AgreementDocument) -> Iterator[Problem]:
    """Check what a schema cannot: unique keys, references between parts, derived periods."""
    yield from _unique(doc.organisations, "organisations", "slug")
    yield from _unique(doc.organisations, "organisations", "name")
    yield from _unique(doc.areas, "areas", "ons_code")
    yield from _unique(doc.areas, "areas", "name")
    yield from _unique(doc.themes, "themes", "slug")
    yield from _unique(doc.themes, "themes", "number")
    yield from _unique(doc.target_areas, "target_areas", "slug")
    yield from _unique(doc.target_areas, "target_areas", "number")
    yield from _unique(doc.linked_plans, "linked_plans", "title")
    yield from _unique(doc.agreement.sections, "agreement.sections", "key")

    organisations = {org.slug for org in doc.organisations}
    themes = {theme.slug for theme in doc.themes}

    def organisation(slug: str | None, path: Path_) -> Iterator[Problem]:
        if slug is not None and slug not in organisations:
            yield Problem(path, f"names the organisation {slug!r}, which is not in 'organisations'")

    def theme_list(slugs: list[str], path: Path_) -> Iterator[Problem]:
        for index, slug in enumerate(slugs):
            if slug not in themes:
                yield Problem((*path, index), f"names the theme {slug!r}, which is not in 'themes'")
        if len(set(slugs)) != len(slugs):
            yield Problem(path, "names the same theme twice")

    agreement = doc.agreement
    yield from organisation(agreement.board, ("agreement", "board"))
    if agreement.board != doc.board.organisation:
        yield Problem(("agreement", "board"), "must be the same organisation as board.organisation")
    if agreement.end_year <= agreement.start_year:
        yield Problem(("agreement", "end_year"), "must be after start_year")
    start = int(agreement.delivery_plan[:4])
    if int(agreement.delivery_plan[5:]) != (start + 1) % 100:
        yield Problem(
            ("agreement", "delivery_plan"),
            f"must be a financial year like {start}/{(start + 1) % 100:02d}; "
            f"got {agreement.delivery_plan!r}",
        )
    elif not agreement.start_year <= start < agreement.end_year:
        yield Problem(("agreement", "delivery_plan"), "must fall within the agreement's years")

    yield from organisation(doc.board.organisation, ("board", "organisation"))
    yield from organisation(doc.board.compiled_by, ("board", "compiled_by"))
    for index, area in enumerate(doc.areas):
        for field in ("local_authority", "council", "partnership"):
            yield from organisation(getattr(area, field), ("areas", index, field))
    for index, target_area in enumerate(doc.target_areas):
        yield from theme_list(target_area.themes, ("target_areas", index, "themes"))
    for index, plan in enumerate(doc.linked_plans):
        path: Path_ = ("linked_plans", index)
        yield from organisation(plan.owner, (*path, "owner"))
        yield from theme_list(plan.themes, (*path, "themes"))
        try:
            period = parse_plan_period(plan.title)
        except ValueError as exc:
            yield Problem((*path, "title"), str(exc))
            continue
        for field, expected in zip(("period", "start_year", "end_year"), period, strict=True):
            if getattr(plan, field) != expected:
                yield Problem(
                    (*path, field),
                    f"is {getattr(plan, field)!r} but the title says {expected!r}",
                )


def _unique(items: list[Any], where: str, field: str) -> Iterator[Problem]:
    seen: dict[Any, int] = {}
    base = tuple(where.split("."))
    for index, item in enumerate(items):
        value = getattr(item, field)
        if value in seen:
            yield Problem(
                (*base, index, field),
                f"{value!r} is used already by {format_path((*base, seen[value]))}",
            )
        else:
            seen[value] = index
