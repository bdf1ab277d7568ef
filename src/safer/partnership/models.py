"""The partnership: who its members are, which areas it covers, and its Board."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from safer.core.models import TimeStampedModel
from safer.partnership.enums import AreaKind, OrganisationKind, Sector

ons_code_validator = RegexValidator(
    r"^[EWSN]\d{8}$", "An ONS code is a letter and eight digits, like E07000123."
)


class Organisation(TimeStampedModel):
    """A responsible authority, a non-statutory partner, or a partnership body itself."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    sector = models.CharField(max_length=40, choices=Sector.choices)
    listed_as = models.CharField(
        max_length=200,
        blank=True,
        help_text="How the agreement lists it among the partners, where it does.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership:organisation-detail", args=[self.slug])


class CspArea(TimeStampedModel):
    """One of the local community safety partnership areas: a district or a unitary authority."""

    ons_code = models.CharField(max_length=9, unique=True, validators=[ons_code_validator])
    name = models.CharField(max_length=100, unique=True)
    name_in_agreement = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=10, choices=AreaKind.choices)
    local_authority = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="areas_as_local_authority",
        help_text="The upper-tier authority: the county council or the unitary council.",
    )
    council = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="areas_as_council"
    )
    partnership = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="areas_as_partnership",
        help_text="The local community safety partnership; one may cover several areas.",
    )
    csp_code = models.CharField(
        max_length=9, blank=True, validators=[ons_code_validator], help_text="ONS CSP code."
    )
    population = models.PositiveIntegerField(null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "CSP area"

    def __str__(self) -> str:
        return self.name

    @property
    def shares_partnership(self) -> bool:
        return self.partnership.areas_as_partnership.count() > 1


class Board(TimeStampedModel):
    """The countywide partnership board that owns the Community Safety Agreement."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT)
    strapline = models.CharField(max_length=200, blank=True)
    chair_name = models.CharField(max_length=200)
    chair_role = models.CharField(max_length=200)
    compiled_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="boards_compiled", null=True
    )
    compiled_by_team = models.CharField(max_length=200, blank=True)
    postal_address = models.CharField(max_length=300, blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    website = models.CharField(max_length=200, blank=True)
    profile_source = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.organisation.name


class ProfileFact(models.Model):
    """A figure from the county profile, kept with the words the agreement used for it."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="profile_facts")
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=100)
    as_stated = models.TextField()

    class Meta:
        ordering = ["board", "number"]
        constraints = [
            models.UniqueConstraint(fields=["board", "number"], name="profilefact_unique_number")
        ]

    def __str__(self) -> str:
        return self.label
