"""The DASH risk checklist: counting "yes" answers against the form's thresholds.

Source: SafeLives, "Dash risk checklist" and "Marac referral criteria"; local guidance
(Plymouth, Southampton, Norfolk) bands the count 0-9 standard, 10-13 medium, 14 or more high
(see ../shared/data/reference/risk-tools-and-published-figures.md, sections A and B). The
thresholds come from the loaded form (`RiskForm.levels`), not from this code.

Two rules that protect victims:
- A checklist with any question unanswered is *incomplete* and gets no level. It is never
  scored as standard risk just because the answers are missing ("not known" is an answer).
- Professional judgement can raise the level (and refer below the threshold) but never lower a
  scored level: "professional judgement must not be used to downgrade an actuarial result".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from safer.safeguarding.enums import Answer, AssessmentStatus, RiskLevel

ORDER = [RiskLevel.STANDARD, RiskLevel.MEDIUM, RiskLevel.HIGH]


@dataclass(frozen=True)
class Score:
    yes: int
    unanswered: int
    status: AssessmentStatus
    level: RiskLevel | None

    @property
    def complete(self) -> bool:
        return self.status == AssessmentStatus.COMPLETE


def level_for(yes: int, levels: Mapping[str, int]) -> RiskLevel:
    """The highest level whose threshold the count of "yes" answers reaches."""
    reached = RiskLevel.STANDARD
    for level in ORDER[1:]:
        threshold = levels.get(level.value)
        if threshold is not None and yes >= threshold:
            reached = level
    return reached


def score(
    answers: Iterable[str],
    levels: Mapping[str, int],
    *,
    high_if_yes: Iterable[bool] = (),
) -> Score:
    """Score answers ("yes", "no", "not_known" or "" for unanswered), one per question in
    order. `high_if_yes` marks questions whose "yes" alone means high risk (ASB form)."""
    given = list(answers)
    triggers = list(high_if_yes) or [False] * len(given)
    yes = sum(1 for answer in given if answer == Answer.YES)
    unanswered = sum(1 for answer in given if answer not in Answer.values)
    if unanswered:
        return Score(yes, unanswered, AssessmentStatus.INCOMPLETE, None)
    level = level_for(yes, levels)
    if any(
        answer == Answer.YES and trigger for answer, trigger in zip(given, triggers, strict=False)
    ):
        level = RiskLevel.HIGH
    return Score(yes, 0, AssessmentStatus.COMPLETE, level)


def is_lower(level: str, than: str) -> bool:
    return ORDER.index(RiskLevel(level)) < ORDER.index(RiskLevel(than))


def check_judgement(scored: RiskLevel | None, judged: str) -> str | None:
    """Why a professional judgement may not be recorded, or None if it may.

    Judgement may raise a level, never lower one; it may not stand in for missing answers."""
    if not judged:
        return None
    if scored is not None and is_lower(judged, scored):
        return (
            f"Professional judgement cannot lower the checklist's result: it scored "
            f"{RiskLevel(scored).label.lower()} risk, and judgement may only raise it."
        )
    return None


def meets_threshold(level: str | None) -> bool:
    """Whether the result reaches the MARAC referral threshold (high risk)."""
    return level == RiskLevel.HIGH
