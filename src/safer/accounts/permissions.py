"""What each role may do: the one table, mirrored in docs/access.md (a test keeps them equal).

This decides what a *role* may do anywhere in Safer. Which *records about people* a user may see
is decided separately, by the access layer (`accounts/access.py`), from the organisation that
holds the record and what has been shared with it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models

from safer.accounts.enums import Role


class Permission(models.TextChoices):
    VIEW_AGREEMENT = "view_agreement", "Read the agreement, its plans and performance"
    SUBMIT_PERFORMANCE = "submit_performance", "Submit quarterly values and action progress"
    REVIEW_PERFORMANCE = "review_performance", "Approve or return submitted updates"
    MANAGE_AGREEMENT = "manage_agreement", "Edit measures, targets, actions and periods"
    REFRESH_PLAN = "refresh_plan", "Carry a delivery plan into the next year"
    APPROVE_PLAN = "approve_plan", "Approve the annual refresh of the delivery plan"
    MANAGE_USERS = "manage_users", "Manage users, organisations and roles"
    IMPORT_DATA = "import_data", "Import police.uk and partners' data extracts"
    VIEW_PERSONAL_DATA = (
        "view_personal_data",
        "See records about people held by, or shared with, their organisation",
    )
    RECORD_PERSONAL_DATA = "record_personal_data", "Record and change people and incidents"
    SHARE_PERSONAL_DATA = (
        "share_personal_data",
        "Share a record with another organisation under a live agreement",
    )
    RUN_CONFERENCES = (
        "run_conferences",
        "Schedule MARAC and ASBRAC conferences, build agendas, record actions",
    )
    VIEW_AGGREGATES = "view_aggregates", "See counts of incidents, small numbers suppressed"
    VIEW_AUDIT_LOG = "view_audit_log", "Search and export the audit log; subject access"
    MANAGE_SHARING_AGREEMENTS = (
        "manage_sharing_agreements",
        "Keep the register of information sharing agreements",
    )
    MANAGE_RETENTION = "manage_retention", "Apply retention and act on data subjects' requests"
    BUILD_BOARD_PACK = "build_board_pack", "Build the quarterly board pack"
    PUBLISH_BOARD_PACK = "publish_board_pack", "Publish a board pack and the public report"


_ALL = set(Role)
_CASE_ROLES = {Role.CASE_WORKER, Role.CONFERENCE_COORDINATOR, Role.OFFENDER_MANAGER}

ROLE_PERMISSIONS: dict[Permission, set[Role]] = {
    Permission.VIEW_AGREEMENT: _ALL,
    Permission.SUBMIT_PERFORMANCE: {Role.THEME_LEAD, Role.ANALYST},
    Permission.REVIEW_PERFORMANCE: {Role.ANALYST},
    Permission.MANAGE_AGREEMENT: {Role.ANALYST, Role.ADMINISTRATOR},
    Permission.REFRESH_PLAN: {Role.ANALYST},
    Permission.APPROVE_PLAN: {Role.BOARD_MEMBER},
    Permission.MANAGE_USERS: {Role.ADMINISTRATOR},
    Permission.IMPORT_DATA: {Role.ANALYST, Role.ADMINISTRATOR},
    # A partner system (an organisation's API token) reads and records, and nothing else.
    Permission.VIEW_PERSONAL_DATA: {*_CASE_ROLES, Role.PARTNER_SYSTEM},
    Permission.RECORD_PERSONAL_DATA: {*_CASE_ROLES, Role.PARTNER_SYSTEM},
    Permission.SHARE_PERSONAL_DATA: set(_CASE_ROLES),
    Permission.RUN_CONFERENCES: {Role.CONFERENCE_COORDINATOR},
    Permission.VIEW_AGGREGATES: {
        Role.BOARD_MEMBER,
        Role.THEME_LEAD,
        Role.ANALYST,
        Role.DATA_PROTECTION_OFFICER,
        *_CASE_ROLES,
    },
    Permission.VIEW_AUDIT_LOG: {Role.DATA_PROTECTION_OFFICER},
    Permission.MANAGE_SHARING_AGREEMENTS: {
        Role.DATA_PROTECTION_OFFICER,
        Role.ADMINISTRATOR,
    },
    Permission.MANAGE_RETENTION: {Role.DATA_PROTECTION_OFFICER},
    Permission.BUILD_BOARD_PACK: {Role.ANALYST},
    Permission.PUBLISH_BOARD_PACK: {Role.ANALYST},
}

# Roles that can see or reach personal data must sign in with a second factor.
TWO_FACTOR_PERMISSIONS = {
    Permission.VIEW_PERSONAL_DATA,
    Permission.VIEW_AUDIT_LOG,
    Permission.MANAGE_USERS,
    Permission.MANAGE_RETENTION,
}


def require_permission(user: object | None, permission: Permission) -> None:
    """Refuse (403) unless `user` may; None is Safer itself (a command, the demo loader)."""
    if user is not None and not has_permission(user, permission):
        raise PermissionDenied(f"Your role does not allow this ({permission.label.lower()}).")


def roles_with(permission: Permission) -> set[Role]:
    return ROLE_PERMISSIONS[permission]


def has_permission(user: object, permission: Permission) -> bool:
    """Whether `user` holds a role that carries `permission`; anonymous users hold none."""
    if not getattr(user, "is_authenticated", False):
        return False
    granted = {Role(grant.role) for grant in user.role_grants.all()}  # type: ignore[attr-defined]
    return bool(granted & ROLE_PERMISSIONS[permission])


def needs_two_factor(user: object) -> bool:
    """Whether `user` must pass a second factor: any role that can reach personal data, or staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_staff", False):
        return True
    return any(has_permission(user, permission) for permission in TWO_FACTOR_PERMISSIONS)
