"""The register of views that touch personal data, which the access matrix test walks.

Mark every view in a personal-data app (and any elsewhere that shows records about people)
with `@personal_data_view(...)`, or `@counts_only` when it returns suppressed counts and no
record. `tests/accounts/test_access_matrix.py` walks the URLconf: a view in one of
`PERSONAL_DATA_APPS` without a mark fails the suite, and every marked view is requested by a
user of each role in each organisation, expecting the record or a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# Apps whose every view touches personal data unless marked counts-only.
PERSONAL_DATA_APPS = ("incidents", "safeguarding", "offenders")

Kind = Literal["page", "form", "api", "export", "counts"]


@dataclass(frozen=True)
class PersonalDataView:
    """What a view shows: `record` is the kind of record its URL names ("person", "incident"),
    or None for a list, search, export or form; `owner_only` when only the owning organisation
    may use it (changing or sharing); `permission` the role permission it needs."""

    kind: Kind
    record: str | None = None
    owner_only: bool = False
    permission: str = "view_personal_data"


def personal_data_view(
    *,
    kind: Kind = "page",
    record: str | None = None,
    owner_only: bool = False,
    permission: str = "view_personal_data",
) -> Callable[[F], F]:
    def mark(view: F) -> F:
        view.personal_data = PersonalDataView(  # type: ignore[attr-defined]
            kind=kind, record=record, owner_only=owner_only, permission=permission
        )
        return view

    return mark


def counts_only(view: F) -> F:
    view.personal_data = PersonalDataView(kind="counts")  # type: ignore[attr-defined]
    return view


def marking(view: Callable[..., Any]) -> PersonalDataView | None:
    return getattr(view, "personal_data", None)
