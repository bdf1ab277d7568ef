"""Small numbers in board packs and the public report, by the rule in `core/suppression.py`.

A count of 1 to 4 is shown as "fewer than 5" and never as its number (nor in a chart, nor in the
words of a RAG reason). Zero is shown. Only counts are suppressed: percentages, rates, money and
milestones are not counts of people. The threshold and the rule itself live in `core`; this
module adds what the pack's renderers need: counts that may be Decimal or missing, and words.
"""

from __future__ import annotations

from decimal import Decimal

from safer.core.suppression import THRESHOLD

SUPPRESSED = f"fewer than {THRESHOLD}"


def is_suppressed(count: Decimal | int | None) -> bool:
    """Whether a count must not be shown: more than nothing and fewer than the threshold."""
    return count is not None and 0 < count < THRESHOLD


def shown_count(count: Decimal | int | None) -> Decimal | int | None:
    """The count as it may be shown in numbers: None when it is suppressed."""
    return None if is_suppressed(count) else count


def count_text(count: Decimal | int | None, formatted: str) -> str:
    """The words for a count: its formatted number, or "fewer than 5"."""
    return SUPPRESSED if is_suppressed(count) else formatted
