"""The content of a board pack: one structure every format renders, and a published pack keeps.

Plain data (pydantic models), so a built pack stores it as JSON and the public report reads the
published numbers back exactly as the Board saw them, whatever has been corrected since.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class RagView(BaseModel):
    status: str  # red, amber, green, unknown
    label: str
    reason: str


class TrendPoint(BaseModel):
    quarter: str  # "2012/13 Q2"
    value: float | None  # None when there is no value, or it is suppressed
    text: str  # "412", "fewer than 5", "—"


class MeasureRow(BaseModel):
    number: int
    text: str
    kind: str
    unit: str
    direction: str
    value: float | None  # None when there is none, or it is suppressed
    value_text: str
    target: float | None
    target_text: str
    suppressed: bool
    rag: RagView
    trend: list[TrendPoint]
    commentary: str

    @property
    def chart_alt(self) -> str:
        shown = [f"{p.quarter}: {p.text}" for p in self.trend if p.text != "—"]
        if not shown:
            return f"Trend of “{self.text}”: no values in the last eight quarters."
        return f"Trend of “{self.text}” over the last eight quarters. " + "; ".join(shown) + "."


class ActionRow(BaseModel):
    number: int
    text: str
    lead: str
    status: str
    due: str
    overdue: bool
    progress_note: str
    rag: RagView


class ThemeCounts(BaseModel):
    number: int
    title: str
    red: int
    amber: int
    green: int
    unknown: int
    actions: int
    overdue: int


class OffTrackItem(BaseModel):
    kind: str  # "Measure" or "Action"
    theme: str
    text: str
    rag: RagView


class Change(BaseModel):
    theme: str
    text: str
    before: str
    after: str


class BoardException(BaseModel):
    theme: str
    text: str
    why: str
    decision: str


class ThemeSection(BaseModel):
    number: int
    title: str
    lead: str
    measures: list[MeasureRow]
    actions: list[ActionRow]


class PackContent(BaseModel):
    agreement: str
    board: str
    quarter: str  # "2012/13 Q2"
    quarter_code: str  # "2012-Q2"
    months: str
    previous_quarter: str
    area: str  # "" for the whole partnership
    plan: str
    built_at: datetime
    demo: bool
    summary: list[ThemeCounts]
    off_track: list[OffTrackItem]
    changes: list[Change]
    themes: list[ThemeSection]
    exceptions: list[BoardException]

    @property
    def title(self) -> str:
        where = f", {self.area}" if self.area else ""
        return f"Board performance report, {self.quarter}{where}"

    @property
    def totals(self) -> ThemeCounts:
        return ThemeCounts(
            number=0,
            title="All themes",
            red=sum(t.red for t in self.summary),
            amber=sum(t.amber for t in self.summary),
            green=sum(t.green for t in self.summary),
            unknown=sum(t.unknown for t in self.summary),
            actions=sum(t.actions for t in self.summary),
            overdue=sum(t.overdue for t in self.summary),
        )
