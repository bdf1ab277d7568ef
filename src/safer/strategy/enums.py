from __future__ import annotations

from django.db import models


class MeasureKind(models.TextChoices):
    NUMERIC = "numeric", "Numeric indicator"
    PERCENTAGE = "percentage", "Percentage"
    MILESTONE = "milestone", "Milestone"


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", "Higher is better"
    LOWER_IS_BETTER = "lower", "Lower is better"
    MILESTONE = "milestone", "Milestone"


class MeasureSourceKind(models.TextChoices):
    ENTERED = "entered", "Entered by the theme lead, with evidence"
    COMPUTED = "computed", "Computed from data Safer holds"


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    ON_HOLD = "on_hold", "On hold"
    CANCELLED = "cancelled", "Cancelled"


class UpdateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    RETURNED = "returned", "Returned for changes"
    APPROVED = "approved", "Approved"


class PeriodStatus(models.TextChoices):
    OPEN = "open", "Open for updates"
    CLOSED = "closed", "Closed"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved by the Board"


class PlanChangeKind(models.TextChoices):
    CARRIED = "carried", "Carried forward"
    COMPLETED = "completed", "Completed, not carried forward"
    ADDED = "added", "Added"
    REWORDED = "reworded", "Reworded"
    REMOVED = "removed", "Removed"
    TARGET_CHANGED = "target_changed", "Target changed"


class PlanItemKind(models.TextChoices):
    FOCUS_AREA = "focus_area", "Focus area"
    ACTION = "action", "Action"
    MEASURE = "measure", "Measure"
