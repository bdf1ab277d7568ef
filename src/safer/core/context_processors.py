from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The service navigation, with the current section marked for screen readers too."""
    if not request.user.is_authenticated:
        return {"nav_items": []}
    items = [
        ("Agreement", reverse("strategy:agreement")),
        ("Performance", reverse("performance:dashboard")),
        ("Board packs", reverse("reports:list")),
        ("Linked plans", reverse("strategy:linked-plans")),
        ("Board", reverse("partnership:board")),
        ("Organisations", reverse("partnership:organisation-list")),
        ("Areas", reverse("partnership:area-list")),
        ("Crime picture", reverse("crimedata:picture")),
    ]
    # Issue 4: records about people, and the data protection officer's audit log.
    from safer.accounts.permissions import Permission, has_permission

    if has_permission(request.user, Permission.VIEW_PERSONAL_DATA):
        items.append(("Incidents", reverse("incidents:incident-list")))
        items.append(("Conferences", reverse("safeguarding:conference-list")))
    if has_permission(request.user, Permission.VIEW_AUDIT_LOG):
        items.append(("Audit log", reverse("accounts:audit-log")))
    if request.user.is_staff:
        items.append(("Admin", reverse("admin:index")))
    path = request.path
    linked_plans = reverse("strategy:linked-plans")

    def is_active(url: str) -> bool:
        if url == reverse("strategy:agreement"):
            return path.startswith(url) and not path.startswith(linked_plans)
        return path.startswith(url)

    return {"nav_items": [(label, url, is_active(url)) for label, url in items]}
