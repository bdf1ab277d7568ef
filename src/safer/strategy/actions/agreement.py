"""Loading an agreement file into the database."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from safer.accounts.models import User
from safer.core.upsert import Outcome, set_related, upsert
from safer.partnership.models import Board, CspArea, Organisation, ProfileFact
from safer.strategy.agreement_file import AgreementDocument
from safer.strategy.models import (
    Action,
    Agreement,
    DeliveryPlan,
    FocusArea,
    LinkedPlan,
    Measure,
    Passage,
    PerformanceCommitment,
    Section,
    TargetArea,
    TargetAreaItem,
    Theme,
)


@dataclass
class LoadReport:
    """What a load did, per kind of record: created, updated, unchanged."""

    agreement: Agreement | None = None
    counts: dict[str, Counter[Outcome]] = field(default_factory=dict)

    def note(self, label: str, outcome: Outcome) -> None:
        self.counts.setdefault(label, Counter())[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(
            c[Outcome.CREATED] or c[Outcome.UPDATED] or c[Outcome.REMOVED]
            for c in self.counts.values()
        )

    def note_removed(self, label: str, queryset: models.QuerySet[Any]) -> None:
        """Remove rows the document no longer has: only for parts nothing else refers to."""
        removed, _ = queryset.delete()
        if removed:
            self.counts.setdefault(label, Counter())[Outcome.REMOVED] += removed

    def total(self, outcome: Outcome) -> int:
        return sum(c[outcome] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{label}: {sum(c.values())} "
            f"({c[Outcome.CREATED]} created, {c[Outcome.UPDATED]} updated, "
            f"{c[Outcome.UNCHANGED]} unchanged"
            + (f", {c[Outcome.REMOVED]} removed)" if c[Outcome.REMOVED] else ")")
            for label, c in self.counts.items()
        ]


@transaction.atomic
def do_load_agreement(
    document: AgreementDocument, *, acting_user: User | None = None
) -> LoadReport:
    """Create or update everything the document describes; change nothing that is the same.

    Records are matched by their natural keys (slugs, ONS codes, numbers within their parent),
    so loading the same file twice changes nothing, and loading an edited file rewords in place
    without losing what later parts of Safer have attached to those records. Nothing is deleted.
    """
    report = LoadReport()

    def put(
        label: str, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
    ) -> Any:
        obj, outcome = upsert(model, lookup, values)
        report.note(label, outcome)
        return obj

    organisations: dict[str, Organisation] = {}
    for org in document.organisations:
        organisations[org.slug] = put(
            "organisations",
            Organisation,
            {"slug": org.slug},
            {
                "name": org.name,
                "kind": org.kind.value,
                "sector": org.sector.value,
                "listed_as": org.listed_as or "",
            },
        )

    for area in document.areas:
        put(
            "areas",
            CspArea,
            {"ons_code": area.ons_code},
            {
                "name": area.name,
                "name_in_agreement": area.name_in_agreement,
                "kind": area.kind.value,
                "local_authority": organisations[area.local_authority],
                "council": organisations[area.council],
                "partnership": organisations[area.partnership],
                "csp_code": area.csp_code or "",
                "population": area.population,
                "population_year": area.population_year,
            },
        )

    board_doc = document.board
    board = put(
        "board",
        Board,
        {"organisation": organisations[board_doc.organisation]},
        {
            "strapline": board_doc.strapline,
            "chair_name": board_doc.chair_name,
            "chair_role": board_doc.chair_role,
            "compiled_by": organisations.get(board_doc.compiled_by or ""),
            "compiled_by_team": board_doc.compiled_by_team,
            "postal_address": board_doc.postal_address,
            "telephone": board_doc.telephone,
            "website": board_doc.website,
            "profile_source": board_doc.profile_source,
        },
    )
    for number, fact in enumerate(board_doc.profile, start=1):
        put(
            "county profile facts",
            ProfileFact,
            {"board": board, "number": number},
            {
                "label": fact.label,
                "value": fact.value,
                "unit": fact.unit,
                "as_stated": fact.as_stated,
            },
        )
    report.note_removed(
        "county profile facts", board.profile_facts.filter(number__gt=len(board_doc.profile))
    )

    agreement_doc = document.agreement
    agreement = put(
        "agreement",
        Agreement,
        {"slug": agreement_doc.slug},
        {
            "title": agreement_doc.title,
            "board": board,
            "start_year": agreement_doc.start_year,
            "end_year": agreement_doc.end_year,
            "website": agreement_doc.website,
        },
    )
    report.agreement = agreement
    for number, section_doc in enumerate(agreement_doc.sections, start=1):
        section = put(
            "sections",
            Section,
            {"agreement": agreement, "key": section_doc.key},
            {"number": number, "heading": section_doc.heading},
        )
        for passage_number, text in enumerate(section_doc.passages, start=1):
            put("passages", Passage, {"section": section, "number": passage_number}, {"text": text})
        report.note_removed(
            "passages", section.passages.filter(number__gt=len(section_doc.passages))
        )
    for number, text in enumerate(agreement_doc.performance_commitments, start=1):
        put(
            "performance commitments",
            PerformanceCommitment,
            {"agreement": agreement, "number": number},
            {"text": text},
        )
    report.note_removed(
        "performance commitments",
        agreement.performance_commitments.filter(
            number__gt=len(agreement_doc.performance_commitments)
        ),
    )

    plan = put(
        "delivery plans",
        DeliveryPlan,
        {"agreement": agreement, "start_year": document.delivery_plan_start_year},
        {},
    )
    themes: dict[str, Theme] = {}
    for theme_doc in document.themes:
        theme = put(
            "themes",
            Theme,
            {"agreement": agreement, "slug": theme_doc.slug},
            {
                "number": theme_doc.number,
                "title": theme_doc.title,
                "plan_heading": theme_doc.plan_heading,
                "vision": theme_doc.vision,
            },
        )
        themes[theme.slug] = theme
        for label, model, texts in (
            ("focus areas", FocusArea, theme_doc.focus_areas),
            ("actions", Action, theme_doc.actions),
            ("measures", Measure, theme_doc.measures),
        ):
            for number, text in enumerate(texts, start=1):
                put(label, model, {"plan": plan, "theme": theme, "number": number}, {"text": text})

    for target_doc in document.target_areas:
        target_area = put(
            "target areas",
            TargetArea,
            {"agreement": agreement, "slug": target_doc.slug},
            {"number": target_doc.number, "title": target_doc.title},
        )
        report.note(
            "theme × target area links",
            set_related(target_area.themes, [themes[slug] for slug in target_doc.themes]),
        )
        for number, text in enumerate(target_doc.items, start=1):
            put(
                "target area items",
                TargetAreaItem,
                {"target_area": target_area, "number": number},
                {"text": text},
            )
        report.note_removed(
            "target area items", target_area.items.filter(number__gt=len(target_doc.items))
        )

    for plan_doc in document.linked_plans:
        linked_plan = put(
            "linked plans",
            LinkedPlan,
            {"agreement": agreement, "title": plan_doc.title},
            {
                "owner": organisations[plan_doc.owner],
                "period": plan_doc.period,
                "start_year": plan_doc.start_year,
                "end_year": plan_doc.end_year,
            },
        )
        report.note(
            "linked plan themes",
            set_related(linked_plan.themes, [themes[slug] for slug in plan_doc.themes]),
        )
    return report
