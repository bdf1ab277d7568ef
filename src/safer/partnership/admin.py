from __future__ import annotations

from django.contrib import admin

from safer.partnership.models import Board, CspArea, Organisation, ProfileFact


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "kind", "sector", "listed_as")
    list_filter = ("kind", "sector")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(CspArea)
class CspAreaAdmin(admin.ModelAdmin[CspArea]):
    list_display = ("name", "ons_code", "kind", "local_authority", "partnership", "population")
    list_filter = ("kind", "local_authority")
    list_select_related = ("local_authority", "partnership")
    search_fields = ("name", "ons_code")


class ProfileFactInline(admin.TabularInline[ProfileFact, Board]):
    model = ProfileFact
    extra = 0


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin[Board]):
    list_display = ("organisation", "chair_name")
    inlines = [ProfileFactInline]
