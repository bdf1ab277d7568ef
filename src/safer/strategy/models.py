"""The Community Safety Agreement: its themes, target areas and yearly delivery plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.http import Http404
from django.urls import reverse

from safer.core.models import TimeStampedModel
from safer.partnership.models import Board, Organisation


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
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"


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

    class Meta(PlanEntry.Meta):
        default_related_name = "actions"
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "theme", "number"], name="action_unique_number"
            ),
        ]


class Measure(PlanEntry):
    """A success measure ("We will measure success by")."""

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
