"""Small-number suppression: counts about people that could identify someone are not shown.

The rule (DESIGN.md, "Small numbers"; the Government Statistical Service's guidance on
disclosure control, and the usual partnership practice) is that a count of fewer than five
people or incidents is not published outside case-level views. A zero is shown: it tells no one
anything about a person. Where a table shows a total, one suppressed cell could be worked out by
subtraction, so the next smallest cell is suppressed too (secondary suppression).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

THRESHOLD = 5

K = TypeVar("K")


@dataclass(frozen=True)
class Count:
    """A count as it may be shown: the number, or None when it is suppressed."""

    value: int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return f"fewer than {THRESHOLD}" if self.value is None else f"{self.value:,}"


def is_disclosive(count: int) -> bool:
    return 0 < count < THRESHOLD


def suppress(count: int) -> Count:
    return Count(None if is_disclosive(count) else count)


def suppress_table(counts: Mapping[K, int], *, with_total: bool = True) -> dict[K, Count]:
    """Suppress each small cell; with a total shown, never leave exactly one cell suppressed."""
    hidden = {key for key, count in counts.items() if is_disclosive(count)}
    if with_total and len(hidden) == 1:
        others = sorted(
            (count, str(key), key)
            for key, count in counts.items()
            if key not in hidden and count > 0
        )
        if others:
            hidden.add(others[0][2])
    return {key: Count(None if key in hidden else count) for key, count in counts.items()}


def can_show_total(counts: list[int]) -> bool:
    """Whether a total may be shown beside its parts' own suppressed counts (a year beside its
    quarters): not when it is 1 to 4, nor when the hidden parts add up to 1 to 4, since taking
    the shown parts from the total would give that small count back."""
    hidden = sum(count for count in counts if is_disclosive(count))
    return not (is_disclosive(sum(counts)) or is_disclosive(hidden))


def suppressed_total(counts: Mapping[K, int]) -> Count:
    return suppress(sum(counts.values()))
