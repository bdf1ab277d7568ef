"""Build a board pack's content for a quarter (and optionally one area) from the performance cycle.

Everything comes from `strategy.status` (the dashboard's own figures: approved values, RAG with
its reason, eight-quarter trends); this module orders it the way the Board reads it and applies
the small-numbers rule (`reports.suppression`) to every count.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.utils import timezone

from safer.core.periods import Quarter
from safer.core.templatetags.safer_tags import number
from safer.partnership.models import CspArea
from safer.reports.content import (
    ActionRow,
    BoardException,
    Change,
    MeasureRow,
    OffTrackItem,
    PackContent,
    RagView,
    ThemeCounts,
    ThemeSection,
    TrendPoint,
)
from safer.reports.suppression import SUPPRESSED, is_suppressed
from safer.strategy.enums import ActionStatus, MeasureKind
from safer.strategy.models import Agreement, MeasureValue
from safer.strategy.rag import Rag, RagResult
from safer.strategy.status import (
    ActionState,
    MeasureStatus,
    ThemeSummary,
    off_track,
    plan_for,
    theme_summaries,
)

Progress = Callable[[int, str], None]


def _quiet(percent: int, message: str) -> None:
    """No progress shown."""


def _is_count(status: MeasureStatus) -> bool:
    return status.measure.kind == MeasureKind.NUMERIC


def _value_text(value: Decimal | None, *, count: bool) -> str:
    if value is None:
        return "—"
    if count and is_suppressed(value):
        return SUPPRESSED
    return number(value)


def _rag(result: RagResult, hidden: Decimal | None = None) -> RagView:
    reason = result.reason
    if hidden is not None:  # a suppressed value must not reappear in the words
        reason = reason.replace(number(hidden), SUPPRESSED.capitalize(), 1)
    return RagView(status=result.status.value, label=result.status.label, reason=reason)


def _measure_row(status: MeasureStatus) -> MeasureRow:
    measure = status.measure
    count = _is_count(status)
    value: MeasureValue | None = status.value
    if status.is_milestone:
        value_text = value.get_milestone_status_display() if value else "—"
        target_text = f"due {measure.milestone_due:%-d %b %Y}" if measure.milestone_due else "—"
        raw = None
    else:
        raw = value.value if value else None
        value_text = _value_text(raw, count=count)
        target_text = number(status.target)
    suppressed = count and is_suppressed(raw)
    trend = [
        TrendPoint(
            quarter=q.label,
            value=None if v is None or (count and is_suppressed(v)) else float(v),
            text=_value_text(v, count=count),
        )
        for q, v in status.trend
    ]
    return MeasureRow(
        number=measure.number,
        text=measure.text,
        kind=measure.kind,
        unit=measure.unit,
        direction=measure.get_direction_display() or "Direction not set",
        value=None if raw is None or suppressed else float(raw),
        value_text=value_text,
        target=float(status.target) if status.target is not None else None,
        target_text=target_text,
        suppressed=suppressed,
        rag=_rag(status.rag, raw if suppressed else None),
        trend=[] if status.is_milestone else trend,
        commentary=value.comment if value else "",
    )


def _action_row(state: ActionState) -> ActionRow:
    action = state.action
    return ActionRow(
        number=action.number,
        text=action.text,
        lead=str(action.lead_organisation or action.lead or "—"),
        status=action.get_status_display(),
        due=f"{action.due_date:%-d %b %Y}" if action.due_date else "—",
        overdue=state.overdue,
        progress_note=state.update.progress_note if state.update else "",
        rag=_rag(state.rag),
    )


def _theme_name(summary: ThemeSummary) -> str:
    return f"{summary.theme.number}. {summary.theme.title}"


def _changes(now: list[ThemeSummary], before: list[ThemeSummary]) -> list[Change]:
    """Measures whose RAG moved since the previous quarter, worse first."""
    earlier: dict[int, Rag] = {}
    for summary in before:
        for status in summary.measures:
            for ancestor in (status.measure, status.measure.carried_from):
                if ancestor is not None:
                    earlier[ancestor.pk] = status.rag.status
    changes: list[tuple[int, Change]] = []
    for summary in now:
        for status in summary.measures:
            measure = status.measure
            was = earlier.get(measure.pk)
            if was is None and measure.carried_from_id is not None:
                was = earlier.get(measure.carried_from_id)
            if was is None or was == status.rag.status:
                continue
            changes.append(
                (
                    status.rag.status.severity,
                    Change(
                        theme=_theme_name(summary),
                        text=measure.text,
                        before=was.label,
                        after=status.rag.label,
                    ),
                )
            )
    return [change for _, change in sorted(changes, key=lambda pair: pair[0])]


def _exceptions(summaries: list[ThemeSummary]) -> list[BoardException]:
    """What the Board must decide on: Red measures, overdue actions and actions on hold."""
    items: list[BoardException] = []
    for summary in summaries:
        for status in summary.measures:
            if status.rag.status == Rag.RED:
                row = _measure_row(status)
                items.append(
                    BoardException(
                        theme=_theme_name(summary),
                        text=status.measure.text,
                        why=row.rag.reason,
                        decision="Agree a recovery plan with the theme lead, or revise the target.",
                    )
                )
        for state in summary.actions:
            if state.overdue:
                items.append(
                    BoardException(
                        theme=_theme_name(summary),
                        text=state.action.text,
                        why=state.rag.reason,
                        decision="Agree a new due date, more resources, or to stop the action.",
                    )
                )
            elif state.action.status == ActionStatus.ON_HOLD:
                items.append(
                    BoardException(
                        theme=_theme_name(summary),
                        text=state.action.text,
                        why="On hold",
                        decision="Decide whether to restart, re-scope or cancel the action.",
                    )
                )
    return items


def _actions_overdue_first(actions: list[ActionState]) -> list[ActionState]:
    return sorted(actions, key=lambda s: (not s.overdue, s.rag.status.severity, s.action.number))


def build_pack(
    agreement: Agreement,
    quarter: Quarter,
    *,
    area: CspArea | None = None,
    today: date | None = None,
    progress: Progress = _quiet,
) -> PackContent:
    """The whole pack for `quarter` (and `area`, or the whole partnership)."""
    today = today or timezone.localdate()
    progress(5, "Reading the quarter's values and actions")
    summaries = theme_summaries(agreement, quarter, today=today, area=area)
    progress(15, "Comparing with the previous quarter")
    previous = quarter.previous()
    before = theme_summaries(agreement, previous, today=today, area=area)
    progress(25, "Ordering the pack for the Board")
    plan = plan_for(agreement, quarter)
    summary_rows = []
    for summary in summaries:
        counts = summary.rag_counts()
        summary_rows.append(
            ThemeCounts(
                number=summary.theme.number,
                title=summary.theme.title,
                red=counts[Rag.RED],
                amber=counts[Rag.AMBER],
                green=counts[Rag.GREEN],
                unknown=counts[Rag.UNKNOWN],
                actions=len(summary.actions),
                overdue=summary.overdue_actions,
            )
        )
    theme_of = {
        id(item): _theme_name(summary)
        for summary in summaries
        for item in [*summary.measures, *summary.actions]
    }
    attention = []
    for item in off_track(summaries):
        if isinstance(item, MeasureStatus):
            row = _measure_row(item)
            attention.append(
                OffTrackItem(kind="Measure", theme=theme_of[id(item)], text=row.text, rag=row.rag)
            )
        else:
            attention.append(
                OffTrackItem(
                    kind="Action",
                    theme=theme_of[id(item)],
                    text=item.action.text,
                    rag=_rag(item.rag),
                )
            )
    sections = [
        ThemeSection(
            number=summary.theme.number,
            title=summary.theme.title,
            lead=", ".join(
                str(x) for x in (summary.theme.lead, summary.theme.lead_organisation) if x
            )
            or "Not named yet",
            measures=[_measure_row(status) for status in summary.measures],
            actions=[_action_row(state) for state in _actions_overdue_first(summary.actions)],
        )
        for summary in summaries
    ]
    demo = MeasureValue.objects.filter(is_demo=True, measure__plan=plan).exists()
    return PackContent(
        agreement=agreement.title,
        board=str(agreement.board),
        quarter=quarter.label,
        quarter_code=quarter.code,
        months=quarter.months,
        previous_quarter=previous.label,
        area=area.name if area else "",
        plan=str(plan) if plan else "",
        built_at=timezone.now(),
        demo=demo,
        summary=summary_rows,
        off_track=attention,
        changes=_changes(summaries, before),
        themes=sections,
        exceptions=_exceptions(summaries),
    )
