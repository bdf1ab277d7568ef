"""The Community Safety Agreement: its themes, target areas and yearly delivery plans."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.urls import reverse

from safer.core.models import TimeStampedModel
from safer.core.periods import FinancialYear, Quarter
from safer.partnership.models import Board, CspArea, Organisation
from safer.strategy.enums import (
    ActionStatus,
    Direction,
    MeasureKind,
    MeasureSourceKind,
    MilestoneStatus,
    PeriodStatus,
    PlanChangeKind,
    PlanItemKind,
    PlanStatus,
    UpdateStatus,
)


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def current(self) -> Agreement:
        """The agreement this installation shows: SAFER_AGREEMENT_SLUG, else the newest."""
        agreements = self.select_related("board__organisation")
        found = agreements.filter(slug=settings.SAFER_AGREEMENT_SLUG).first()
        found = found or agreements.order_by("-start_year").first()
        if found is None:
            raise Http404("No agreement is loaded yet: run `safer load-agreement`.")
        return found


class Agreement(TimeStampedModel):
    """A three-year Community Safety Agreement made by a Board."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="agreements")
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    website = models.CharField(max_length=200, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year"]

    def __str__(self) -> str:
        return f"{self.board} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("strategy:agreement")

    @property
    def period_label(self) -> str:
        return f"{self.start_year}-{self.end_year}"

    @property
    def first_plan(self) -> DeliveryPlan | None:
        return self.delivery_plans.order_by("start_year").first()


class Section(models.Model):
    """A titled part of the agreement's narrative: the foreword, the county profile, ..."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=60)
    heading = models.CharField(max_length=200)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="section_unique_key"),
        ]

    def __str__(self) -> str:
        return self.heading


class Passage(models.Model):
    """One paragraph or bullet of a section, word for word."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="passages")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="passage_unique_number"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_bullet(self) -> bool:
        return self.text.startswith("• ")

    @property
    def bullet_text(self) -> str:
        return self.text.removeprefix("• ")


class PerformanceCommitment(models.Model):
    """How the Board promises to monitor progress and manage performance."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="performance_commitments"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="performancecommitment_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class DeliveryPlan(TimeStampedModel):
    """One financial year's plan under the agreement (the rolling three-year delivery plan)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="delivery_plans"
    )
    start_year = models.PositiveSmallIntegerField(
        help_text="The financial year starting 1 April of this year: 2011 is 2011/12."
    )
    status = models.CharField(
        max_length=10, choices=PlanStatus.choices, default=PlanStatus.APPROVED
    )
    refreshed_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="refreshed_into"
    )
    strategic_assessment = models.ForeignKey(
        "StrategicAssessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        help_text="The year's strategic assessment the refresh answered.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "start_year"], name="deliveryplan_unique_year"
            ),
        ]

    def __str__(self) -> str:
        return f"Delivery Plan {self.label}"

    @property
    def label(self) -> str:
        return self.financial_year.label

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.start_year)

    def get_absolute_url(self) -> str:
        return reverse("performance:plan-changes", args=[self.start_year])


class StrategicAssessment(TimeStampedModel):
    """The partnership's yearly strategic assessment, which each annual refresh answers."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="strategic_assessments"
    )
    start_year = models.PositiveSmallIntegerField(help_text="The financial year it informs.")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "start_year"], name="strategicassessment_unique_year"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Theme(TimeStampedModel):
    """A priority theme, with the vision statement the agreement gives it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField()
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    plan_heading = models.CharField(
        max_length=200, help_text="The theme's heading in the delivery plan summary."
    )
    vision = models.TextField()
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="themes_led",
        help_text="The named theme lead, who reports on the theme each quarter.",
    )

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="theme_unique_number"),
            models.UniqueConstraint(fields=["agreement", "slug"], name="theme_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("strategy:theme-detail", args=[self.slug])


class TargetArea(TimeStampedModel):
    """An area for activity where two priority themes meet (an edge of the priority pyramid)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="target_areas")
    number = models.PositiveSmallIntegerField()
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    themes = models.ManyToManyField(Theme, related_name="target_areas")

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="targetarea_unique_number"
            ),
            models.UniqueConstraint(fields=["agreement", "slug"], name="targetarea_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.title


class TargetAreaItem(models.Model):
    target_area = models.ForeignKey(TargetArea, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["target_area", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_area", "number"], name="targetareaitem_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class PlanEntry(TimeStampedModel):
    """A numbered line of a theme in one delivery plan, word for word."""

    plan = models.ForeignKey(DeliveryPlan, on_delete=models.CASCADE)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE)
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        abstract = True
        ordering = ["theme__number", "number"]

    def __str__(self) -> str:
        return self.text

    @property
    def responsible(self) -> Any:
        """Who answers for this line: its own lead, else the theme's."""
        return getattr(self, "lead", None) or self.theme.lead


class FocusArea(PlanEntry):
    """What the theme will focus on ("We will focus on")."""

    class Meta(PlanEntry.Meta):
        default_related_name = "focus_areas"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "theme", "number"], name="focusarea_unique_number"
            ),
        ]


class Action(PlanEntry):
    """A future action the partners will undertake ("Summary of future actions")."""

    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions_led",
    )
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    carried_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_into"
    )

    class Meta(PlanEntry.Meta):
        default_related_name = "actions"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "theme", "number"], name="action_unique_number"
            ),
        ]


class Measure(PlanEntry):
    """A success measure ("We will measure success by"), and how its status is judged."""

    kind = models.CharField(max_length=12, choices=MeasureKind.choices, default=MeasureKind.NUMERIC)
    direction = models.CharField(
        max_length=10,
        choices=Direction.choices,
        blank=True,
        help_text="Whether more is better, less is better, or the measure is a milestone.",
    )
    unit = models.CharField(max_length=60, blank=True, help_text="For example: incidents, %")
    baseline_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_period = models.CharField(
        max_length=20, blank=True, help_text="The period the baseline describes, e.g. 2010/11."
    )
    tolerance_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=Decimal(5),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="How far short of target, as a % of the target, is still Amber rather than Red.",
    )
    source = models.CharField(
        max_length=10, choices=MeasureSourceKind.choices, default=MeasureSourceKind.ENTERED
    )
    source_key = models.CharField(
        max_length=80, blank=True, help_text="The registered calculation a computed measure uses."
    )
    by_area = models.BooleanField(
        default=False, help_text="Values are reported for each CSP area as well as in total."
    )
    milestone_due = models.DateField(null=True, blank=True)
    lead_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures_led",
    )
    carried_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_into"
    )

    class Meta(PlanEntry.Meta):
        default_related_name = "measures"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "theme", "number"], name="measure_unique_number"
            ),
        ]


class LinkedPlan(TimeStampedModel):
    """A partner's plan or strategy the agreement links to."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="linked_plans")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plans")
    period = models.CharField(max_length=20, help_text="The period as the title writes it.")
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    themes = models.ManyToManyField(Theme, related_name="linked_plans", blank=True)

    class Meta:
        ordering = ["agreement", "title"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "title"], name="linkedplan_unique_title"),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="linkedplan_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_current_in(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class Target(TimeStampedModel):
    """What a measure should reach in a financial year, or in one quarter of it."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    start_year = models.PositiveSmallIntegerField(help_text="The financial year: 2011 is 2011/12.")
    quarter = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="Leave empty for the whole year's target.",
    )
    value = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["measure", "start_year", "quarter"]
        constraints = [
            # One year target and one per quarter; NULL quarter means the whole year, and
            # SQLite cannot make NULLs equal in a unique constraint, hence two.
            models.UniqueConstraint(
                fields=["measure", "start_year", "quarter"],
                condition=models.Q(quarter__isnull=False),
                name="target_unique_quarter",
            ),
            models.UniqueConstraint(
                fields=["measure", "start_year"],
                condition=models.Q(quarter__isnull=True),
                name="target_unique_year",
            ),
        ]

    def __str__(self) -> str:
        when = FinancialYear(self.start_year).label
        return f"{when} Q{self.quarter}" if self.quarter else when


class ReportingPeriod(TimeStampedModel):
    """A quarter the Board hears a report on: open for updates, then closed."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="reporting_periods"
    )
    start_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    status = models.CharField(
        max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    deadline = models.DateField(help_text="When theme leads' updates are due.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "start_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "start_year", "quarter"], name="reportingperiod_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.period.label

    @property
    def period(self) -> Quarter:
        return Quarter(self.start_year, self.quarter)

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN

    @property
    def code(self) -> str:
        return self.period.code


class UpdateBase(TimeStampedModel):
    """A theme lead's quarterly update, through submit → review → approve (or return)."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT)
    status = models.CharField(
        max_length=10, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    is_demo = models.BooleanField(
        default=False, help_text="Demonstration data made by `make run`, not real performance."
    )

    class Meta:
        abstract = True


class MeasureValue(UpdateBase):
    """A measure's value for a quarter (in total, or for one area), with its evidence."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey(CspArea, on_delete=models.PROTECT, null=True, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    milestone_status = models.CharField(max_length=12, choices=MilestoneStatus.choices, blank=True)
    comment = models.TextField(blank=True)
    evidence_file = models.FileField(upload_to="evidence/%Y/%m/", blank=True)
    evidence_url = models.URLField(blank=True)
    computed = models.BooleanField(default=False)

    class Meta:
        ordering = ["measure", "period__start_year", "period__quarter"]
        default_related_name = "values"
        constraints = [
            # One value per area and one for the whole partnership (NULL area).
            models.UniqueConstraint(
                fields=["measure", "period", "area"],
                condition=models.Q(area__isnull=False),
                name="measurevalue_unique_area",
            ),
            models.UniqueConstraint(
                fields=["measure", "period"],
                condition=models.Q(area__isnull=True),
                name="measurevalue_unique_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period}"


class ActionUpdate(UpdateBase):
    """An action's progress in a quarter: its status then and a progress note."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    action_status = models.CharField(max_length=20, choices=ActionStatus.choices)
    progress_note = models.TextField()

    class Meta:
        ordering = ["action", "period__start_year", "period__quarter"]
        constraints = [
            models.UniqueConstraint(fields=["action", "period"], name="actionupdate_unique_period"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.period}"


class ChangeRecord(models.Model):
    """History of the performance cycle: who changed what, when, and why.

    Every action in strategy/actions.py that changes a measure, target, value, action, period or
    plan writes one row: the record (by type and id), each changed field with its old and new
    value, the person, the time, and the reason where one is required (a correction of a closed
    period, a change at the annual refresh). Rows are never edited.
    """

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    record_type = models.CharField(max_length=40)
    record_id = models.PositiveBigIntegerField()
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            # The history panel on a measure or action page.
            models.Index(fields=["record_type", "record_id"], name="changerecord_record_idx"),
        ]

    def __str__(self) -> str:
        return self.summary


class PlanChange(models.Model):
    """One difference between a delivery plan and the year before, with its reason."""

    plan = models.ForeignKey(DeliveryPlan, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=PlanChangeKind.choices)
    item_kind = models.CharField(max_length=12, choices=PlanItemKind.choices)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="+")
    old_text = models.TextField(blank=True)
    new_text = models.TextField(blank=True)
    reason = models.TextField()
    strategic_assessment = models.ForeignKey(
        StrategicAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "theme__number", "item_kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.new_text or self.old_text}"
