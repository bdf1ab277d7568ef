from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from safer.accounts.models import RoleGrant, User


class RoleGrantInline(admin.TabularInline[RoleGrant, User]):
    model = RoleGrant
    extra = 0


@admin.register(User)
class SaferUserAdmin(UserAdmin[User]):
    list_display = ("username", "first_name", "last_name", "organisation", "is_active")
    list_filter = ("organisation", "role_grants__role", "is_active")
    list_select_related = ("organisation",)
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Safer", {"fields": ("organisation", "job_title")}),
    )
    inlines = [RoleGrantInline]
