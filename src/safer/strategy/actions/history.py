from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models

from safer.accounts.models import User
from safer.strategy.models import ChangeRecord


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value, for the history."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def diff(obj: models.Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields of `obj` that `values` would change: {field: [old, new]}."""
    return {
        name: [_plain(getattr(obj, name)), _plain(value)]
        for name, value in values.items()
        if getattr(obj, name) != value
    }


def record_change(
    obj: models.Model,
    summary: str,
    *,
    actor: User | None,
    changes: dict[str, list[Any]] | None = None,
    reason: str = "",
) -> ChangeRecord:
    return ChangeRecord.objects.create(
        actor=actor,
        record_type=obj._meta.label_lower,
        record_id=obj.pk,
        summary=summary[:300],
        changes=changes or {},
        reason=reason,
    )
