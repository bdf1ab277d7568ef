from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from safer.reports.models import BoardPack, BoardPackFile


class BoardPackFileInline(admin.TabularInline[BoardPackFile, BoardPack]):
    model = BoardPackFile
    extra = 0
    fields = ["format", "file", "size", "sha256"]
    readonly_fields = ["format", "file", "size", "sha256"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BoardPack)
class BoardPackAdmin(admin.ModelAdmin[BoardPack]):
    """Read-only: packs are built and published through their page, never edited."""

    list_display = ["__str__", "status", "requested_by", "built_at", "published_at"]
    inlines = [BoardPackFileInline]
    exclude = ["content"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
