"""Small numbers: no count of fewer than five is shown outside case-level views.

DESIGN.md: "Public and Board outputs must not let a person be identified: suppress or round counts
below a threshold (the usual rule is fewer than 5) outside case-level views." Safer applies the
usual rule to every count it puts in a board pack or the public report:

* A count of 1 to 4 is shown as "fewer than 5" and never as its number (nor in a chart, nor in the
  words of a RAG reason).
* Zero is shown: it identifies nobody, and "fewer than 5" for a quarter with no incidents would
  mislead the Board.
* Only counts are suppressed. Percentages, rates, money and milestones are not counts of people.

This module lives in `reports` because `core/suppression.py` does not exist yet; when it does,
this rule should move there and other outputs (crime data, case statistics) use it too.
"""

from __future__ import annotations

from decimal import Decimal

THRESHOLD = 5
SUPPRESSED = "fewer than 5"


def is_suppressed(count: Decimal | int | None) -> bool:
    """Whether a count must not be shown: more than nothing and fewer than the threshold."""
    return count is not None and 0 < count < THRESHOLD


def shown_count(count: Decimal | int | None) -> Decimal | int | None:
    """The count as it may be shown in numbers: None when it is suppressed."""
    return None if is_suppressed(count) else count


def count_text(count: Decimal | int | None, formatted: str) -> str:
    """The words for a count: its formatted number, or "fewer than 5"."""
    return SUPPRESSED if is_suppressed(count) else formatted
