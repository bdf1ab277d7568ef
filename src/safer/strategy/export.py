"""The agreement as open data: the JSON document (format safer.agreement/1) and CSV tables.

The JSON is the same shape `safer load-agreement` reads, so a published export loads back
unchanged. Lists come out in a fixed order that does not depend on the database's collation.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal
from typing import Any

from safer.partnership.enums import OrganisationKind
from safer.partnership.models import CspArea, Organisation
from safer.strategy.agreement_file import FORMAT
from safer.strategy.models import Agreement, DeliveryPlan

Document = dict[str, Any]

_KIND_ORDER = {OrganisationKind.STATUTORY: 0, OrganisationKind.NON_STATUTORY: 1}


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def agreement_document(agreement: Agreement, plan: DeliveryPlan | None = None) -> Document:
    """Build the whole published document for `agreement` and its delivery plan."""
    plan = plan or agreement.first_plan
    board = agreement.board
    organisations = sorted(
        Organisation.objects.all(),
        key=lambda o: (_KIND_ORDER[OrganisationKind(o.kind)], o.name.casefold()),
    )
    areas = CspArea.objects.select_related("local_authority", "council", "partnership")
    themes = list(agreement.themes.order_by("number"))
    target_areas = agreement.target_areas.order_by("number").prefetch_related("items", "themes")
    linked_plans = sorted(
        agreement.linked_plans.select_related("owner").prefetch_related("themes"),
        key=lambda p: p.title.casefold(),
    )

    def entries(theme_entries: Any) -> list[str]:
        if plan is None:
            return []
        return [e.text for e in theme_entries.filter(plan=plan).order_by("number")]

    return {
        "format": FORMAT,
        "agreement": {
            "slug": agreement.slug,
            "title": agreement.title,
            "board": board.organisation.slug,
            "start_year": agreement.start_year,
            "end_year": agreement.end_year,
            "delivery_plan": plan.label if plan else None,
            "website": agreement.website,
            "sections": [
                {
                    "key": section.key,
                    "heading": section.heading,
                    "passages": [p.text for p in section.passages.all()],
                }
                for section in agreement.sections.prefetch_related("passages")
            ],
            "performance_commitments": [c.text for c in agreement.performance_commitments.all()],
        },
        "board": {
            "organisation": board.organisation.slug,
            "strapline": board.strapline,
            "chair_name": board.chair_name,
            "chair_role": board.chair_role,
            "compiled_by": board.compiled_by.slug if board.compiled_by else None,
            "compiled_by_team": board.compiled_by_team,
            "postal_address": board.postal_address,
            "telephone": board.telephone,
            "website": board.website,
            "profile_source": board.profile_source,
            "profile": [
                {
                    "label": fact.label,
                    "value": _decimal_text(fact.value),
                    "unit": fact.unit,
                    "as_stated": fact.as_stated,
                }
                for fact in board.profile_facts.all()
            ],
        },
        "organisations": [
            {
                "slug": org.slug,
                "name": org.name,
                "kind": org.kind,
                "sector": org.sector,
                "listed_as": org.listed_as or None,
            }
            for org in organisations
        ],
        "areas": [
            {
                "ons_code": area.ons_code,
                "name": area.name,
                "name_in_agreement": area.name_in_agreement,
                "kind": area.kind,
                "local_authority": area.local_authority.slug,
                "council": area.council.slug,
                "partnership": area.partnership.slug,
                "csp_code": area.csp_code or None,
                "population": area.population,
                "population_year": area.population_year,
            }
            for area in sorted(areas, key=lambda a: a.ons_code)
        ],
        "themes": [
            {
                "slug": theme.slug,
                "number": theme.number,
                "title": theme.title,
                "plan_heading": theme.plan_heading,
                "vision": theme.vision,
                "focus_areas": entries(theme.focus_areas),
                "actions": entries(theme.actions),
                "measures": entries(theme.measures),
            }
            for theme in themes
        ],
        "target_areas": [
            {
                "slug": target.slug,
                "number": target.number,
                "title": target.title,
                "items": [item.text for item in target.items.all()],
                "themes": [t.slug for t in sorted(target.themes.all(), key=lambda t: t.number)],
            }
            for target in target_areas
        ],
        "linked_plans": [
            {
                "title": linked.title,
                "owner": linked.owner.slug,
                "period": linked.period,
                "start_year": linked.start_year,
                "end_year": linked.end_year,
                "themes": [t.slug for t in sorted(linked.themes.all(), key=lambda t: t.number)],
            }
            for linked in linked_plans
        ],
    }


def to_json(document: Document) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _tables(document: Document) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Flatten the document into tables, one per kind of record, keyed by natural keys."""
    agreement = document["agreement"]
    board = document["board"]
    themes = document["themes"]
    return {
        "agreement": (
            ["slug", "title", "board", "start_year", "end_year", "delivery_plan", "website"],
            [
                [
                    agreement[k]
                    for k in (
                        "slug",
                        "title",
                        "board",
                        "start_year",
                        "end_year",
                        "delivery_plan",
                        "website",
                    )
                ]
            ],
        ),
        "sections": (
            ["section", "section_number", "heading", "passage_number", "text"],
            [
                [s["key"], n, s["heading"], i, text]
                for n, s in enumerate(agreement["sections"], start=1)
                for i, text in enumerate(s["passages"], start=1)
            ],
        ),
        "performance_commitments": (
            ["number", "text"],
            [[i, text] for i, text in enumerate(agreement["performance_commitments"], start=1)],
        ),
        "board": (
            [k for k in board if k != "profile"],
            [[board[k] for k in board if k != "profile"]],
        ),
        "county_profile": (
            ["number", "label", "value", "unit", "as_stated"],
            [
                [i, f["label"], f["value"], f["unit"], f["as_stated"]]
                for i, f in enumerate(board["profile"], start=1)
            ],
        ),
        "organisations": (
            ["slug", "name", "kind", "sector", "listed_as"],
            [
                [o["slug"], o["name"], o["kind"], o["sector"], o["listed_as"]]
                for o in document["organisations"]
            ],
        ),
        "areas": (
            list(document["areas"][0]) if document["areas"] else ["ons_code"],
            [list(a.values()) for a in document["areas"]],
        ),
        "themes": (
            ["slug", "number", "title", "plan_heading", "vision"],
            [[t["slug"], t["number"], t["title"], t["plan_heading"], t["vision"]] for t in themes],
        ),
        **{
            part: (
                ["theme", "delivery_plan", "number", "text"],
                [
                    [t["slug"], agreement["delivery_plan"], i, text]
                    for t in themes
                    for i, text in enumerate(t[part], start=1)
                ],
            )
            for part in ("focus_areas", "actions", "measures")
        },
        "target_areas": (
            ["slug", "number", "title"],
            [[t["slug"], t["number"], t["title"]] for t in document["target_areas"]],
        ),
        "target_area_items": (
            ["target_area", "number", "text"],
            [
                [t["slug"], i, text]
                for t in document["target_areas"]
                for i, text in enumerate(t["items"], start=1)
            ],
        ),
        "theme_target_areas": (
            ["theme", "target_area"],
            [[theme, t["slug"]] for t in document["target_areas"] for theme in t["themes"]],
        ),
        "linked_plans": (
            ["title", "owner", "period", "start_year", "end_year"],
            [
                [p["title"], p["owner"], p["period"], p["start_year"], p["end_year"]]
                for p in document["linked_plans"]
            ],
        ),
        "linked_plan_themes": (
            ["linked_plan", "theme"],
            [[p["title"], theme] for p in document["linked_plans"] for theme in p["themes"]],
        ),
    }


def to_csv_zip(document: Document) -> bytes:
    """A zip of CSV tables with a Frictionless `datapackage.json` describing them."""
    buffer = io.BytesIO()
    resources = []
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, (header, rows) in _tables(document).items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows([["" if v is None else v for v in row] for row in rows])
            archive.writestr(f"{name}.csv", text.getvalue())
            resources.append(
                {
                    "name": name.replace("_", "-"),
                    "path": f"{name}.csv",
                    "format": "csv",
                    "encoding": "utf-8",
                    "schema": {"fields": [{"name": column} for column in header]},
                }
            )
        package = {
            "name": document["agreement"]["slug"],
            "title": f"{document['agreement']['title']} (Safer export)",
            "profile": "tabular-data-package",
            "resources": resources,
        }
        archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=2))
    return buffer.getvalue()
