from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from safer.strategy.models import (
    Action,
    ActionUpdate,
    Agreement,
    ChangeRecord,
    DeliveryPlan,
    FocusArea,
    LinkedPlan,
    Measure,
    MeasureValue,
    Passage,
    PerformanceCommitment,
    PlanChange,
    ReportingPeriod,
    Section,
    StrategicAssessment,
    Target,
    TargetArea,
    TargetAreaItem,
    Theme,
)


class SectionInline(admin.TabularInline[Section, Agreement]):
    model = Section
    extra = 0
    show_change_link = True


class PerformanceCommitmentInline(admin.TabularInline[PerformanceCommitment, Agreement]):
    model = PerformanceCommitment
    extra = 0


class DeliveryPlanInline(admin.TabularInline[DeliveryPlan, Agreement]):
    model = DeliveryPlan
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin[Agreement]):
    list_display = ("title", "board", "start_year", "end_year")
    inlines = [DeliveryPlanInline, PerformanceCommitmentInline, SectionInline]


class PassageInline(admin.TabularInline[Passage, Section]):
    model = Passage
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin[Section]):
    list_display = ("heading", "agreement", "number")
    inlines = [PassageInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin[Theme]):
    list_display = ("number", "title", "agreement")
    list_display_links = ("title",)


class TargetAreaItemInline(admin.TabularInline[TargetAreaItem, TargetArea]):
    model = TargetAreaItem
    extra = 0


@admin.register(TargetArea)
class TargetAreaAdmin(admin.ModelAdmin[TargetArea]):
    list_display = ("number", "title", "agreement")
    list_display_links = ("title",)
    filter_horizontal = ("themes",)
    inlines = [TargetAreaItemInline]


class PlanEntryAdmin(admin.ModelAdmin[FocusArea]):
    list_display = ("theme", "number", "text", "plan")
    list_filter = ("plan", "theme")
    list_select_related = ("theme", "plan")
    search_fields = ("text",)


admin.site.register(FocusArea, PlanEntryAdmin)
admin.site.register(Action, PlanEntryAdmin)
admin.site.register(Measure, PlanEntryAdmin)


@admin.register(LinkedPlan)
class LinkedPlanAdmin(admin.ModelAdmin[LinkedPlan]):
    list_display = ("title", "owner", "start_year", "end_year")
    list_filter = ("owner", "themes")
    list_select_related = ("owner",)
    filter_horizontal = ("themes",)
    search_fields = ("title",)


@admin.register(StrategicAssessment)
class StrategicAssessmentAdmin(admin.ModelAdmin[StrategicAssessment]):
    list_display = ("title", "agreement", "start_year", "published_on")


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin[ReportingPeriod]):
    """Periods are opened and closed on the Reporting periods page, where it is recorded."""

    list_display = ("__str__", "status", "deadline", "closed_at")
    list_filter = ("status",)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin[Target]):
    list_display = ("measure", "start_year", "quarter", "value")
    list_select_related = ("measure",)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # targets change on the measure's page, which keeps the history


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """History and submitted updates are seen here, never edited: the actions keep them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(MeasureValue)
class MeasureValueAdmin(ReadOnlyAdmin):
    list_display = ("measure", "period", "area", "value", "milestone_status", "status", "is_demo")
    list_filter = ("status", "is_demo", "period")
    list_select_related = ("measure", "period", "area")


@admin.register(ActionUpdate)
class ActionUpdateAdmin(ReadOnlyAdmin):
    list_display = ("action", "period", "action_status", "status", "is_demo")
    list_filter = ("status", "action_status", "period")
    list_select_related = ("action", "period")


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "record_type", "record_id", "summary")
    list_filter = ("record_type",)
    search_fields = ("summary", "reason")


@admin.register(PlanChange)
class PlanChangeAdmin(ReadOnlyAdmin):
    list_display = ("plan", "kind", "item_kind", "theme", "reason")
    list_filter = ("plan", "kind", "item_kind")
