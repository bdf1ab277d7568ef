"""People and incidents: the records about people every later part builds on.

Each is owned by the organisation that recorded it (`AgencyOwned`); who else may see it is
decided only by `safer.accounts.access`. Names never appear in the audit log: it refers to
records by their reference, so erasing a person leaves the log intact and anonymous.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models
from django.urls import reverse

from safer.core.models import AgencyOwned, TimeStampedModel
from safer.incidents.enums import (
    AbuseType,
    AsbCategory,
    Ethnicity,
    Flag,
    Gender,
    HateStrand,
    IncidentCategory,
    InvolvementRole,
    Outcome,
    Relationship,
    RiskLevel,
)

if TYPE_CHECKING:
    from safer.accounts.models import User


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user: User) -> PersonQuerySet:
        from safer.accounts.access import visible_people

        return self & visible_people(user)


class Person(AgencyOwned):
    """A person an agency holds a record about: a victim, an alleged perpetrator, a witness."""

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other names the person is known by."
    )
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_KNOWN)
    ethnicity = models.CharField(
        max_length=30, choices=Ethnicity.choices, default=Ethnicity.NOT_STATED
    )
    safe_contact_methods = models.JSONField(
        default=list, blank=True, help_text="ContactMethod values it is safe to use."
    )
    contact_notes = models.TextField(
        blank=True, help_text="For example: do not leave voicemail; call only after 6pm."
    )
    vulnerability_markers = models.JSONField(
        default=list, blank=True, help_text="VulnerabilityMarker values."
    )
    restricted = models.BooleanField(
        default=False,
        help_text="Processing restricted at the person's request: kept, not shared or changed.",
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("incidents:person-detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def reference(self) -> str:
        return f"P{self.pk:06d}"

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def gender_label(self) -> str:
        return Gender(self.gender).label

    def ethnicity_label(self) -> str:
        return Ethnicity(self.ethnicity).label

    def vulnerability_labels(self) -> list[str]:
        from safer.incidents.enums import VulnerabilityMarker

        return [VulnerabilityMarker(m).label for m in self.vulnerability_markers]

    def contact_method_labels(self) -> list[str]:
        from safer.incidents.enums import ContactMethod

        return [ContactMethod(m).label for m in self.safe_contact_methods]


class Address(TimeStampedModel):
    """Where a person lived, and when: the address history (the current one has no end)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    lines = models.TextField()
    postcode = models.CharField(max_length=10, blank=True)
    moved_in = models.DateField(null=True, blank=True)
    moved_out = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person", "-moved_in", "-pk"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join([*self.lines.splitlines(), self.postcode])

    @property
    def is_current(self) -> bool:
        return self.moved_out is None


class IncidentQuerySet(models.QuerySet["Incident"]):
    def visible_to(self, user: User) -> IncidentQuerySet:
        from safer.accounts.access import visible_incidents

        return self & visible_incidents(user)


class Incident(AgencyOwned):
    """Something that happened and was reported to an agency: ASB, domestic abuse, hate crime."""

    category = models.CharField(max_length=20, choices=IncidentCategory.choices)
    occurred_on = models.DateField()
    location = models.CharField(max_length=300, blank=True)
    summary = models.TextField()
    # The recording standard (docs/recording-standard.md); incidents/standard.py checks them.
    area = models.ForeignKey(
        "partnership.CspArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        help_text="The CSP area it happened in, when known.",
    )
    lsoa = models.ForeignKey(
        "crimedata.Lsoa",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The LSOA it happened in, when known (its CSP area follows from it).",
    )
    agency_reference = models.CharField(
        max_length=50, blank=True, help_text="The recording agency's own reference."
    )
    risk_level = models.CharField(
        max_length=10,
        choices=RiskLevel.choices,
        blank=True,
        help_text="The recording agency's risk grading of the victim; empty if not assessed.",
    )
    asb_category = models.CharField(max_length=20, choices=AsbCategory.choices, blank=True)
    abuse_types = models.JSONField(default=list, blank=True, help_text="AbuseType values.")
    relationship = models.CharField(max_length=20, choices=Relationship.choices, blank=True)
    hate_strands = models.JSONField(default=list, blank=True, help_text="HateStrand values.")
    alcohol_involved = models.BooleanField(null=True, blank=True)
    drugs_involved = models.BooleanField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.OPEN)
    flagged = models.BooleanField(
        default=False, help_text="A victim in it is flagged by the repeat and high-risk rules."
    )
    victim_flags = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="Its victims' flags, space-separated with a space either side "
        "(incidents/repeats.py), so the list filters by a flag without a join.",
    )
    people: models.ManyToManyField[Person, Involvement] = models.ManyToManyField(
        Person, through="Involvement", related_name="incidents"
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            # The incident list (incidents/listing.py) reads an organisation's own incidents
            # newest first, filtered by nothing, by kind, by area or by flags: each index hands
            # them over already in order, so the first page stops after a few dozen rows.
            models.Index(
                fields=["organisation", "-occurred_on", "-id"], name="incident_org_newest_idx"
            ),
            models.Index(
                fields=["organisation", "category", "-occurred_on", "-id"],
                name="incident_org_kind_newest_idx",
            ),
            models.Index(
                fields=["organisation", "area", "-occurred_on", "-id"],
                name="incident_org_area_newest_idx",
            ),
            models.Index(
                fields=["organisation", "flagged", "-occurred_on", "-id"],
                name="incident_org_flag_newest_idx",
            ),
            # Measures (accounts.access.count_incidents): incidents of a kind in a quarter, in
            # an area; and the list filtered by kind and area together.
            models.Index(
                fields=["category", "area", "occurred_on"], name="incident_kind_area_date_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.get_category_display()} on {self.occurred_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"I{self.pk:06d}"

    def abuse_type_labels(self) -> list[str]:
        return [AbuseType(value).label for value in self.abuse_types]

    def hate_strand_labels(self) -> list[str]:
        return [HateStrand(value).label for value in self.hate_strands]


class Involvement(models.Model):
    """A person's part in an incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="involvements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="involvements")
    role = models.CharField(max_length=20, choices=InvolvementRole.choices)
    flags = models.JSONField(
        default=list, blank=True, help_text="Flag values set by incidents/repeats.py."
    )

    class Meta:
        ordering = ["incident", "role", "pk"]
        constraints = [
            # The standard: one person, one role in an incident.
            models.UniqueConstraint(fields=["incident", "person"], name="involvement_one_role"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.incident.reference}"

    def flag_labels(self) -> list[str]:
        return [Flag(value).label for value in self.flags]


def describe(record: Any) -> str:
    """A label for a record that names no one, for the audit log and share register."""
    return str(getattr(record, "reference", f"{type(record).__name__} {record.pk}"))
