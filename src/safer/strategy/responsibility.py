"""Who answers for a measure or an action each quarter.

The agreement names "lead agencies and named theme lead responsible for the delivery of targets
and key activities". A theme lead updates the measures and actions of the themes they lead, and a
named lead the lines they are named on; an analyst may update any line (on a lead's behalf).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from safer.accounts.models import User
from safer.accounts.permissions import Permission, has_permission
from safer.strategy.models import Action, Measure


def may_update(user: User, item: Measure | Action) -> bool:
    if has_permission(user, Permission.REVIEW_PERFORMANCE):
        return True
    if not has_permission(user, Permission.SUBMIT_PERFORMANCE):
        return False
    return user.pk in (item.theme.lead_id, item.lead_id)


def lines_for(user: User, model: type[Any]) -> QuerySet[Any]:
    """The measures or actions `user` answers for."""
    if not has_permission(user, Permission.SUBMIT_PERFORMANCE):
        return model.objects.none()  # type: ignore[no-any-return]
    return model.objects.filter(Q(theme__lead=user) | Q(lead=user))  # type: ignore[no-any-return]
