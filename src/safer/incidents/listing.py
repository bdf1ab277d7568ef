"""The incident list's pages, fast with millions of incidents.

A case worker's list is the newest incidents their organisation may see, filtered. Asked as one
query (`visible_incidents(user)`: own OR shared OR conferenced, newest first, and a COUNT(*) for
"page 1 of 40,000") the database can use no index for the OR and counts every row the user may
see: seconds at a million incidents. So a page is read from each part of the access rule
(`accounts.access.visible_incident_parts`) separately, each through an index that starts with
the organisation and ends with the date (migration 0003), the newest few taken from each and
merged; and the total is counted only up to `COUNT_CAP` ("more than 200 incidents": counted in the
same index order as the rows, so the count stops early too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from safer.incidents.models import Incident

COUNT_CAP = 200


@dataclass
class NewestPage:
    """One page of a newest-first list, with what the pagination and caption need."""

    number: int
    size: int
    rows: list[Incident]
    has_next: bool
    count: int
    count_capped: bool

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def object_list(self) -> list[Incident]:
        return self.rows

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.size + len(self.rows)


def page_number(value: str | None) -> int:
    """The page asked for; 1 for anything that is not a whole number of at least 1."""
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def newest_page(
    parts: Sequence[QuerySet[Incident]],
    narrow: Callable[[QuerySet[Incident]], QuerySet[Incident]],
    *,
    number: int,
    size: int,
    related: Sequence[str] = (),
) -> NewestPage:
    """Page `number` of the union of `parts`, each narrowed by the list's filters, newest
    first (by date, then most recently recorded)."""
    wanted = number * size + 1
    found: dict[int, Incident] = {}
    count, capped = 0, False
    for part in parts:
        narrowed = narrow(part)
        for incident in narrowed.select_related(*related).order_by("-occurred_on", "-pk")[:wanted]:
            found[incident.pk] = incident
        # In the rows' order: the database walks the same index and stops at the cap, where
        # an unordered count may gather every candidate row first.
        counted = narrowed.order_by("-occurred_on", "-pk")[: COUNT_CAP + 1].count()
        capped = capped or counted > COUNT_CAP
        count += min(counted, COUNT_CAP)
    newest = sorted(found.values(), key=lambda i: (i.occurred_on, i.pk), reverse=True)
    start = (number - 1) * size
    return NewestPage(
        number=number,
        size=size,
        rows=newest[start : start + size],
        has_next=len(newest) > start + size,
        count=count,
        count_capped=capped,
    )
