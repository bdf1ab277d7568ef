from __future__ import annotations

from django.contrib import admin

from safer.crimedata.models import AreaPopulation, Force, Lsoa, PoliceImport, PoliceUpload


@admin.register(PoliceImport)
class PoliceImportAdmin(admin.ModelAdmin[PoliceImport]):
    """The record of every file offered: read it here; imports are made by the importer."""

    list_display = [
        "file_name",
        "force",
        "month",
        "kind",
        "status",
        "rows_read",
        "rows_loaded",
        "rows_rejected",
        "imported_at",
    ]
    list_filter = ["status", "kind", "force"]
    search_fields = ["file_name", "checksum"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(PoliceUpload)
class PoliceUploadAdmin(admin.ModelAdmin[PoliceUpload]):
    """Files uploaded on the import page and how their background import went: read only."""

    list_display = ["file_name", "status", "files_done", "files_total", "rows_read", "created_at"]
    list_filter = ["status"]
    search_fields = ["file_name"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Lsoa)
class LsoaAdmin(admin.ModelAdmin[Lsoa]):
    list_display = ["code", "name", "area"]
    list_filter = ["area"]
    search_fields = ["code", "name"]


@admin.register(AreaPopulation)
class AreaPopulationAdmin(admin.ModelAdmin[AreaPopulation]):
    list_display = ["area", "year", "population", "adult_women", "source"]


admin.site.register(Force)
