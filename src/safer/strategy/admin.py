from __future__ import annotations

from django.contrib import admin

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
