"""Risk assessments, referrals, MARAC and ASBRAC conferences, CSE intelligence.

Records about people (assessments, referrals, conferences and what is said at them, CSE
submissions) are `AgencyOwned` and read only through `safer.accounts.access`: a conference's
agenda and minutes only by the agencies attending it and the one coordinating it. The risk
forms themselves (questions and thresholds) are data, loaded from a file, and versioned: an
assessment keeps the version it was answered on.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.urls import reverse

from safer.core.models import AgencyOwned, TimeStampedModel
from safer.safeguarding.enums import (
    ActionStatus,
    Answer,
    AssessmentStatus,
    ConferenceKind,
    CseKind,
    FormKind,
    ReferralConsent,
    ReferralReason,
    ReferralStatus,
    RiskLevel,
)


class RiskForm(TimeStampedModel):
    """One version of a risk assessment form: its questions and the thresholds it is scored by.

    `levels` maps a risk level to the number of "yes" answers that reaches it, e.g.
    {"medium": 10, "high": 14}. A version is never changed once loaded; a new wording is a new
    version, and the newest loaded is `is_current`."""

    kind = models.CharField(max_length=10, choices=FormKind.choices)
    version = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    wording_note = models.TextField(
        blank=True, help_text="Where the wording comes from and what to check it against."
    )
    source = models.CharField(max_length=300, blank=True)
    levels = models.JSONField(default=dict)
    review_days = models.JSONField(
        default=dict, blank=True, help_text="Days to review by level, e.g. {'high': 28}."
    )
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["kind", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="riskform_kind_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class RiskQuestion(models.Model):
    form = models.ForeignKey(RiskForm, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    hint = models.TextField(blank=True)
    high_if_yes = models.BooleanField(
        default=False, help_text="A 'yes' alone makes the assessment high risk."
    )

    class Meta:
        ordering = ["form", "number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="riskquestion_form_number"),
        ]

    def __str__(self) -> str:
        return f"Q{self.number}. {self.text}"


class RiskAssessment(AgencyOwned):
    """A victim's answers to one version of a risk form, on a date, with its score.

    A re-assessment is a new row pointing at the one it follows (`previous`), so the history is
    kept. An assessment with unanswered questions is INCOMPLETE and has no level: it is never
    taken for standard risk. `judged_level` is the level professional judgement raised it to
    (never lower than the score: safeguarding/dash.py)."""

    form = models.ForeignKey(RiskForm, on_delete=models.PROTECT, related_name="assessments")
    person = models.ForeignKey(
        "incidents.Person", on_delete=models.PROTECT, related_name="risk_assessments"
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risk_assessments",
    )
    assessed_on = models.DateField()
    status = models.CharField(max_length=12, choices=AssessmentStatus.choices)
    yes_answers = models.PositiveSmallIntegerField(default=0)
    unanswered = models.PositiveSmallIntegerField(default=0)
    scored_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    judged_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    judgement_reason = models.TextField(blank=True)
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next"
    )

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        indexes = [
            # A person's assessment history, newest first.
            models.Index(fields=["person", "-assessed_on"], name="riskassessment_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.form.get_kind_display()} on {self.assessed_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:assessment-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"RA{self.pk:06d}"

    @property
    def level(self) -> str:
        """The level the case is worked at: judgement's when it raised the score, else the
        score's; empty while incomplete."""
        return self.judged_level or self.scored_level

    def level_label(self) -> str:
        return RiskLevel(self.level).label if self.level else "Not scored: incomplete"

    def review_due(self) -> date | None:
        """When the assessment comes up for review: the form's interval for its level."""
        from datetime import timedelta

        days = self.form.review_days.get(self.level or "incomplete")
        return None if days is None else self.assessed_on + timedelta(days=int(days))


class RiskAnswer(models.Model):
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(RiskQuestion, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    victims_words = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["assessment", "question__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="riskanswer_one_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.get_answer_display() or 'unanswered'}"


class Panel(TimeStampedModel):
    """A standing MARAC or ASBRAC for an area ("Preston MARAC"), run by a coordinating
    organisation: referrals go to a panel, and its conferences are its meetings."""

    kind = models.CharField(max_length=10, choices=ConferenceKind.choices)
    area = models.ForeignKey("partnership.CspArea", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120, unique=True)
    coordinator = models.ForeignKey(
        "partnership.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    cutoff_days = models.PositiveSmallIntegerField(
        default=8, help_text="Referrals received this many days before a meeting are heard at it."
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "area"], name="panel_one_per_kind_area"),
        ]

    def __str__(self) -> str:
        return self.name


class Referral(AgencyOwned):
    """A victim referred to a panel by any agency, with the reason and the consent question.

    `repeat_of` is the victim's previous referral to a panel of the same kind within 12 months
    (safeguarding/repeats.py), found when the referral is made."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="referrals")
    person = models.ForeignKey(
        "incidents.Person", on_delete=models.PROTECT, related_name="referrals"
    )
    referred_on = models.DateField()
    reason = models.CharField(max_length=30, choices=ReferralReason.choices)
    concern = models.TextField(
        blank=True, help_text="What the concern is: required for judgement and escalation."
    )
    consent = models.CharField(max_length=10, choices=ReferralConsent.choices)
    no_consent_reason = models.TextField(blank=True)
    assessments = models.ManyToManyField(RiskAssessment, blank=True, related_name="referrals")
    incidents = models.ManyToManyField("incidents.Incident", blank=True, related_name="referrals")
    is_repeat = models.BooleanField(default=False)
    repeat_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="repeats"
    )
    status = models.CharField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED
    )

    class Meta:
        ordering = ["-referred_on", "-pk"]
        indexes = [
            # The repeat rule: a victim's referrals of one kind, newest first.
            models.Index(fields=["person", "-referred_on"], name="referral_person_date_idx"),
            # Measures: referrals per panel and quarter.
            models.Index(fields=["panel", "referred_on"], name="referral_panel_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.panel} on {self.referred_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:referral-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"R{self.pk:06d}"


class Conference(AgencyOwned):
    """One meeting of a panel. Its agenda and minutes are seen only by the attending agencies
    and the coordinating organisation (`organisation`), through the access layer."""

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="conferences")
    meets_on = models.DateField()
    chair = models.CharField(max_length=200)
    attending = models.ManyToManyField("partnership.Organisation", related_name="+")

    class Meta:
        ordering = ["-meets_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.panel} on {self.meets_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:conference-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"C{self.pk:06d}"

    def agenda_cutoff(self) -> date:
        from datetime import timedelta

        return self.meets_on - timedelta(days=self.panel.cutoff_days)


class CaseDiscussion(models.Model):
    """A referral on a conference's agenda: the risks discussed and the outcome."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="cases")
    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, related_name="discussion")
    position = models.PositiveSmallIntegerField()
    risks = models.TextField(blank=True)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["conference", "position"]

    def __str__(self) -> str:
        return f"Case {self.position} at {self.conference}"


class Research(models.Model):
    """What one agency found on its own records about the case, brought to the meeting."""

    case = models.ForeignKey(CaseDiscussion, on_delete=models.CASCADE, related_name="research")
    organisation = models.ForeignKey(
        "partnership.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["case", "organisation__name", "pk"]
        verbose_name_plural = "research"

    def __str__(self) -> str:
        return f"Research by {self.organisation} for {self.case}"


class ConferenceAction(TimeStampedModel):
    """Something an agency agreed at the meeting to do for a case, by a date."""

    case = models.ForeignKey(CaseDiscussion, on_delete=models.CASCADE, related_name="actions")
    owner = models.ForeignKey(
        "partnership.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # Each agency's open actions, soonest due first.
            models.Index(fields=["owner", "status", "due_on"], name="confaction_owner_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.owner}: {self.text[:60]}"

    def is_overdue(self, today: date) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < today


class CseReport(AgencyOwned):
    """Child sexual exploitation intelligence or a referral: what, who, where, routed to the
    lead agency, which sees it as well as the submitting agency."""

    kind = models.CharField(max_length=15, choices=CseKind.choices)
    submitted_on = models.DateField()
    what = models.TextField()
    who = models.TextField(help_text="The child or young person, and anyone of concern.")
    where = models.CharField(max_length=300)
    area = models.ForeignKey(
        "partnership.CspArea", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lead_agency = models.ForeignKey(
        "partnership.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "incidents.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cse_reports",
    )

    class Meta:
        ordering = ["-submitted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_kind_display()} on {self.submitted_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:cse-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"CSE{self.pk:06d}"
