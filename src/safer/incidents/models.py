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
    MatchStatus,
    Outcome,
    Relationship,
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
        indexes = [
            # matching.candidates(): partners' people born on the day (or in the year).
            models.Index(fields=["date_of_birth"], name="person_date_of_birth_idx"),
        ]

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
        indexes = [
            # matching.candidates(): people living at a postcode now.
            models.Index(fields=["postcode"], name="address_postcode_idx"),
        ]

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
    agency_reference = models.CharField(
        max_length=50, blank=True, help_text="The recording agency's own reference."
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
    people: models.ManyToManyField[Person, Involvement] = models.ManyToManyField(
        Person, through="Involvement", related_name="incidents"
    )

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            # visible_incidents(): an organisation's own incidents, newest first.
            models.Index(fields=["organisation", "-occurred_on"], name="incident_org_date_idx"),
            models.Index(fields=["organisation", "flagged"], name="incident_org_flagged_idx"),
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


class PersonMatch(TimeStampedModel):
    """A suggestion, made by `incidents/matching.py`, that two organisations' records are the
    same person, and a case worker's decision on it.

    Never a merge: confirming a match links the two records (for the victim's timeline), and
    each stays owned, changed and shared by the organisation that holds it. Each pair of records
    has at most one match, `person_a` the lower key, so a rejected pair is not suggested again.
    The audit log records each suggestion and decision against both people's records.
    """

    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(help_text="Splink's match probability, 0 to 1.")
    agreement = models.JSONField(
        default=dict, help_text="For each field compared, how the two records compare."
    )
    status = models.CharField(
        max_length=20, choices=MatchStatus.choices, default=MatchStatus.SUGGESTED
    )
    reviewed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why the case worker decided as they did.")

    class Meta:
        ordering = ["-probability", "-pk"]
        verbose_name_plural = "person matches"
        constraints = [
            models.UniqueConstraint(
                fields=["person_a", "person_b"], name="personmatch_one_per_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")),
                name="personmatch_ordered_pair",
            ),
        ]
        indexes = [
            # linked_person_ids(): confirmed links from a person on the b side.
            models.Index(fields=["person_b", "status"], name="personmatch_b_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.person_a.reference} and {self.person_b.reference}"

    @property
    def reference(self) -> str:
        return f"M{self.pk:06d}"

    def other(self, organisation_id: int | None) -> Person:
        """The record in the pair that `organisation_id` does not hold."""
        return self.person_b if self.person_a.organisation_id == organisation_id else self.person_a

    def own(self, organisation_id: int | None) -> Person:
        """The record in the pair that `organisation_id` holds."""
        return self.person_a if self.person_a.organisation_id == organisation_id else self.person_b

    @property
    def percent(self) -> int:
        # Never "100%": it is a suggestion, and a person confirms it.
        return min(99, int(self.probability * 100))


def describe(record: Any) -> str:
    """A label for a record that names no one, for the audit log and share register."""
    return str(getattr(record, "reference", f"{type(record).__name__} {record.pk}"))
