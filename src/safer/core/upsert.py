"""Write a row only when it differs, so that loading the same data twice changes nothing."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class Outcome(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REMOVED = "removed"


def upsert(
    model: type[M], lookup: Mapping[str, Any], values: Mapping[str, Any]
) -> tuple[M, Outcome]:
    """Create the row `lookup` names with `values`, or update only the fields that changed."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values)
        return obj, Outcome.CREATED
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if not changed:
        return obj, Outcome.UNCHANGED
    for name in changed:
        setattr(obj, name, values[name])
    obj.save(update_fields=[*changed, *(["updated_at"] if hasattr(obj, "updated_at") else [])])
    return obj, Outcome.UPDATED


def set_related(manager: Any, objs: Iterable[models.Model]) -> Outcome:
    """Set a many-to-many relation, touching it only if the set of related rows differs."""
    wanted = {obj.pk for obj in objs}
    current = set(manager.values_list("pk", flat=True))
    if wanted == current:
        return Outcome.UNCHANGED
    manager.set(list(wanted))
    return Outcome.CREATED if not current else Outcome.UPDATED
