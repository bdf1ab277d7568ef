"""Red, amber, green: the status of a measure or an action, following its direction.

The rule, written out for people in docs/rag.md (keep the two in step):

* No value yet, or no target to judge it by, is **Unknown** — never Green, never Red.
* Higher is better (reports of domestic abuse and hate crime, where more reporting means more
  confidence): at or above target is **Green**; below target by no more than the tolerance (a
  percentage of the target) is **Amber**; further below is **Red**.
* Lower is better (repeat victims, reoffending): at or below target is **Green**; above target by
  no more than the tolerance is **Amber**; further above is **Red**.
* Milestones (a plan produced, a model agreed) are rated by completion and due date: complete is
  **Green**; not complete and past its due date is **Red**; not complete and due by the end of the
  quarter being rated is **Amber**; not complete and due later is **Green** (on track). A milestone
  with no due date and not complete is **Amber**.
* Actions: complete is **Green**; cancelled is **Unknown** (not rated); past its due date and not
  complete is **Red** (overdue); on hold, or due by the end of the quarter and not complete, is
  **Amber**; otherwise **Green**.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from safer.strategy.enums import ActionStatus, Direction, MilestoneStatus


class Rag(enum.StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return {"red": "Red", "amber": "Amber", "green": "Green", "unknown": "Unknown"}[self.value]

    @property
    def severity(self) -> int:
        """Order for "off track first": red, amber, unknown, green."""
        return {"red": 0, "amber": 1, "unknown": 2, "green": 3}[self.value]


@dataclass(frozen=True)
class RagResult:
    status: Rag
    reason: str

    @property
    def label(self) -> str:
        return self.status.label


def _fmt(value: Decimal) -> str:
    """4600.00 → 4,600; 27.50 → 27.5."""
    whole, _, fraction = f"{value.normalize():f}".partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def rag_for_value(
    value: Decimal | None,
    target: Decimal | None,
    direction: str,
    tolerance_percent: Decimal,
) -> RagResult:
    """The status of a numeric or percentage measure's value against its target."""
    if not direction:
        return RagResult(Rag.UNKNOWN, "No direction set, so the value cannot be judged")
    if value is None:
        return RagResult(Rag.UNKNOWN, "No value yet")
    if target is None:
        return RagResult(Rag.UNKNOWN, "No target set for this period")
    band = abs(target) * tolerance_percent / Decimal(100)
    gap = value - target if direction == Direction.HIGHER_IS_BETTER else target - value
    word = "above" if direction == Direction.HIGHER_IS_BETTER else "below"
    if gap >= 0:
        return RagResult(Rag.GREEN, f"{_fmt(value)} is at or {word} the target of {_fmt(target)}")
    short = "below" if direction == Direction.HIGHER_IS_BETTER else "above"
    tolerance = f"{_fmt(tolerance_percent)}% tolerance"
    if -gap <= band:
        return RagResult(
            Rag.AMBER,
            f"{_fmt(value)} is {short} the target of {_fmt(target)}, within the {tolerance}",
        )
    return RagResult(
        Rag.RED,
        f"{_fmt(value)} is {short} the target of {_fmt(target)}, beyond the {tolerance}",
    )


def rag_for_milestone(status: str, due: date | None, period_end: date, today: date) -> RagResult:
    """The status of a milestone measure, rated at the end of a quarter (or today, if sooner)."""
    as_of = min(period_end, today)
    if not status:
        return RagResult(Rag.UNKNOWN, "No update yet")
    if status == MilestoneStatus.COMPLETE:
        return RagResult(Rag.GREEN, "Complete")
    if due is None:
        return RagResult(Rag.AMBER, "Not complete, and no due date set")
    if due < as_of:
        return RagResult(Rag.RED, f"Not complete; was due {due:%-d %B %Y}")
    if due <= period_end:
        return RagResult(Rag.AMBER, f"Not complete; due {due:%-d %B %Y}, this quarter")
    return RagResult(Rag.GREEN, f"On track; due {due:%-d %B %Y}")


def rag_for_action(status: str, due: date | None, period_end: date, today: date) -> RagResult:
    as_of = min(period_end, today)
    if status == ActionStatus.COMPLETE:
        return RagResult(Rag.GREEN, "Complete")
    if status == ActionStatus.CANCELLED:
        return RagResult(Rag.UNKNOWN, "Cancelled, not rated")
    if due is not None and due < as_of:
        return RagResult(Rag.RED, f"Overdue: was due {due:%-d %B %Y}")
    if status == ActionStatus.ON_HOLD:
        return RagResult(Rag.AMBER, "On hold")
    if due is not None and due <= period_end:
        return RagResult(Rag.AMBER, f"Due {due:%-d %B %Y}, this quarter")
    if due is None:
        return RagResult(Rag.GREEN, "In hand; no due date set")
    return RagResult(Rag.GREEN, f"On track; due {due:%-d %B %Y}")


def is_overdue(status: str, due: date | None, today: date) -> bool:
    finished = status in (ActionStatus.COMPLETE, ActionStatus.CANCELLED)
    return due is not None and due < today and not finished
