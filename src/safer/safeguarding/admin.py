# Only the forms and panels are in the admin site: assessments, referrals, conferences and CSE
# reports are records about people, read only through the access layer with the audit log.
from __future__ import annotations

from django.contrib import admin

from safer.safeguarding.models import Panel, RiskForm, RiskQuestion


class RiskQuestionInline(admin.TabularInline[RiskQuestion, RiskForm]):
    model = RiskQuestion
    extra = 0
    can_delete = False
    readonly_fields = ("number", "text", "hint", "high_if_yes")


@admin.register(RiskForm)
class RiskFormAdmin(admin.ModelAdmin[RiskForm]):
    list_display = ("title", "kind", "version", "is_current", "created_at")
    readonly_fields = ("kind", "version", "title", "levels", "source", "wording_note")
    inlines = [RiskQuestionInline]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin[Panel]):
    list_display = ("name", "kind", "area", "coordinator", "cutoff_days")
