"""What each role may do: the one table, mirrored in docs/access.md (a test keeps them equal).

This decides what a *role* may do anywhere in Safer. Which *records about people* a user may see
is decided separately, by the access layer (`accounts/access.py`), from the organisation that
holds the record and what has been shared with it.
"""

from __future__ import annotations

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
    BUILD_BOARD_PACK = "build_board_pack", "Build the quarterly board pack"
    PUBLISH_BOARD_PACK = "publish_board_pack", "Publish a board pack and the public report"


_ALL = set(Role)

ROLE_PERMISSIONS: dict[Permission, set[Role]] = {
    Permission.VIEW_AGREEMENT: _ALL,
    Permission.SUBMIT_PERFORMANCE: {Role.THEME_LEAD, Role.ANALYST},
    Permission.REVIEW_PERFORMANCE: {Role.ANALYST},
    Permission.MANAGE_AGREEMENT: {Role.ANALYST, Role.ADMINISTRATOR},
    Permission.REFRESH_PLAN: {Role.ANALYST},
    Permission.APPROVE_PLAN: {Role.BOARD_MEMBER},
    Permission.MANAGE_USERS: {Role.ADMINISTRATOR},
    Permission.BUILD_BOARD_PACK: {Role.ANALYST},
    Permission.PUBLISH_BOARD_PACK: {Role.ANALYST},
}


def roles_with(permission: Permission) -> set[Role]:
    return ROLE_PERMISSIONS[permission]


def has_permission(user: object, permission: Permission) -> bool:
    """Whether `user` holds a role that carries `permission`; anonymous users hold none."""
    if not getattr(user, "is_authenticated", False):
        return False
    granted = {Role(grant.role) for grant in user.role_grants.all()}  # type: ignore[attr-defined]
    return bool(granted & ROLE_PERMISSIONS[permission])
