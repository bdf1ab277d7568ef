"""police.uk street-level records: where they fall, and the counts Safer keeps of them.

police.uk publishes every force's street-level crime and anti-social behaviour records monthly
(https://data.police.uk/about/). Each record is placed in a CSP area from its LSOA; records with
no location and records outside the partnership are counted as their own groups. What Safer
keeps of a street file is its counts, by every grouping the pages and `crime-summary` ask for
(down to LSOA, crime type and outcome, and map point and crime type), not its rows: the counts
answer every question the records did, and storing a million rows costs more than three times
reading them (docs/decisions.md). Outcome files keep their rows (`OutcomeRecord`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from safer.crimedata.enums import CrimeType, FileKind, ImportStatus, Place, UploadStatus
from safer.partnership.models import CspArea


class Force(models.Model):
    """A police force as police.uk names it in "Reported by"."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Lsoa(models.Model):
    """A Lower Layer Super Output Area (2011 code) and the CSP area it lies in."""

    code = models.CharField(max_length=9, primary_key=True)
    name = models.CharField(max_length=100)
    area = models.ForeignKey(CspArea, on_delete=models.PROTECT, related_name="lsoas")

    class Meta:
        ordering = ["code"]
        verbose_name = "LSOA"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class AreaPopulation(models.Model):
    """Resident population of an area in a year (ONS mid-year estimate), for rates; with the
    women aged 16 and over where loaded, for MARAC cases per 10,000 adult women."""

    area = models.ForeignKey(CspArea, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField()
    population = models.PositiveIntegerField()
    adult_women = models.PositiveIntegerField(
        null=True, blank=True, help_text="Women aged 16 and over (ONS mid-year estimate)."
    )
    source = models.CharField(max_length=200, default="ONS mid-year estimate")

    class Meta:
        ordering = ["area", "year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="areapopulation_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.population}"


class PoliceUpload(models.Model):
    """One file uploaded on the import page (a CSV or a zip of them) and its background import.

    A django-tasks task (`crimedata/tasks.py`) imports each CSV in it as a `PoliceImport`
    (`imports`), writing how far it has got here as it goes; the uploaded file is kept in
    `upload` only until the task has run. `error` says why a whole upload was refused (a zip
    bomb, not a zip) or failed; each file's own refusal is on its `PoliceImport`.
    """

    file_name = models.CharField(max_length=300)
    upload = models.FileField(upload_to="police-uploads/", blank=True)
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes.")
    status = models.CharField(
        max_length=10, choices=UploadStatus.choices, default=UploadStatus.QUEUED
    )
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveBigIntegerField(default=0, help_text="Rows read so far.")
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    progress_message = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True, help_text="How long the import took.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("crimedata:upload-detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (UploadStatus.DONE, UploadStatus.REFUSED, UploadStatus.FAILED)


class PoliceImport(models.Model):
    """One file offered to Safer: what it held, what was loaded, and why anything was refused."""

    file_name = models.CharField(max_length=300)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the file's bytes.")
    kind = models.CharField(max_length=10, choices=FileKind.choices, default=FileKind.STREET)
    force = models.ForeignKey(Force, on_delete=models.PROTECT, null=True, blank=True)
    month = models.DateField(null=True, blank=True, help_text="The first day of the month.")
    status = models.CharField(max_length=10, choices=ImportStatus.choices)
    rows_read = models.PositiveIntegerField(default=0)
    rows_loaded = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    problems = models.TextField(blank=True, help_text="Why rows or the file were refused.")
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    seconds = models.FloatField(default=0)
    upload = models.ForeignKey(
        PoliceUpload,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imports",
        help_text="The upload on the import page it came in (none from `safer import-police`).",
    )

    summary_rows = 0  # set by the importer: summary rows this import wrote (not stored)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        indexes = [models.Index(fields=["force", "month", "status"], name="policeimport_month")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class _Summary(models.Model):
    """Counts kept up to date on import, one row per group; replaced with their import.

    Every index is paid for on every import, so each table has just the one its page query
    needs, and no index on `source`: a re-published month's rows are found by force and
    month, which those indexes serve (actions._replace_earlier).
    """

    source = models.ForeignKey(
        PoliceImport,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    force = models.ForeignKey(
        Force, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    month = models.DateField()
    place = models.CharField(max_length=8, choices=Place.choices)
    area = models.ForeignKey(
        CspArea,
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    crime_type = models.CharField(max_length=24, choices=CrimeType.choices)
    count = models.PositiveIntegerField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.crime_type}: {self.count}"


class AreaCount(_Summary):
    """Records by force, month, area, crime type and outcome."""

    outcome = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [models.Index(fields=["month", "area"], name="areacount_month_area")]


class TypeCount(_Summary):
    """Records by force, month, area and crime type (AreaCount without the outcome): the
    totals, trends, area ranking and change tables, a few hundred rows a month."""

    class Meta:
        indexes = [
            models.Index(
                fields=["force", "month", "crime_type", "area", "place", "count"],
                name="typecount_month",
            )
        ]


class LsoaCount(_Summary):
    """Records by force, month, LSOA and crime type: the hotspot tables with a crime type."""

    lsoa_code = models.CharField(max_length=9, blank=True)
    lsoa_name = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["month", "area"], name="lsoacount_month_area"),
            # LSOA hotspots for some crime types.
            models.Index(fields=["force", "crime_type", "month"], name="lsoacount_type"),
        ]


class LsoaOutcomeCount(_Summary):
    """Records by force, month, LSOA, crime type and outcome: the one grouping the other
    summaries do not hold (`safer crime-summary --by lsoa,outcome`). The finest of them, so
    with the map's point counts it is what is kept of a file's records."""

    lsoa_code = models.CharField(max_length=9, blank=True)
    lsoa_name = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [models.Index(fields=["force", "month"], name="lsoaoutcomecount_month")]


class LsoaMonthCount(models.Model):
    """Records by force, month and LSOA, all crime types: the hotspot tables without a
    crime-type filter (about a thousand rows a month for a county)."""

    source = models.ForeignKey(
        PoliceImport,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    force = models.ForeignKey(
        Force, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    month = models.DateField()
    place = models.CharField(max_length=8, choices=Place.choices)
    area = models.ForeignKey(
        CspArea,
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    lsoa_code = models.CharField(max_length=9, blank=True)
    lsoa_name = models.CharField(max_length=100, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["force", "month"], name="lsoamonthcount_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.lsoa_code}: {self.count}"


class MapPoint(models.Model):
    """A snapped map point of a force's files: police.uk's anonymised location.

    Counts refer to a point by its id, so a year of them is ranked by one integer instead of
    two coordinates and a label. A point keeps the location text it was first published with.
    """

    force = models.ForeignKey(
        Force, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    longitude = models.FloatField()
    latitude = models.FloatField()
    location = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["force", "longitude", "latitude"], name="mappoint_unique_point"
            )
        ]

    def __str__(self) -> str:
        return f"{self.location} ({self.latitude}, {self.longitude})"


class PointCount(models.Model):
    """Records by force, month and map point, all crime types: the map and location hotspots.

    The index holds every column the page reads, so a year of a force is ranked from the
    index alone."""

    source = models.ForeignKey(
        PoliceImport,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    force = models.ForeignKey(
        Force, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    month = models.DateField()
    place = models.CharField(max_length=8, choices=Place.choices)
    area = models.ForeignKey(
        CspArea,
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    point = models.ForeignKey(
        MapPoint, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["force", "month", "area", "place", "point", "count"],
                name="pointcount_month",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} point {self.point_id}: {self.count}"


class PointTypeCount(_Summary):
    """Records by force, month, map point and crime type: the map with a crime-type filter."""

    point = models.ForeignKey(
        MapPoint, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )

    class Meta:
        # Written in crime-type order, so one type's rows of a month lie together.
        indexes = [
            models.Index(fields=["force", "crime_type", "month"], name="pointtypecount_type")
        ]


class OutcomeRecord(models.Model):
    """One row of a police.uk outcomes file: an outcome recorded in a month for a crime
    (which may have been reported in an earlier month)."""

    source = models.ForeignKey(
        PoliceImport, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    force = models.ForeignKey(
        Force, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    month = models.DateField()
    crime_id = models.CharField(max_length=64)
    lsoa_code = models.CharField(max_length=9, blank=True)
    outcome = models.CharField(max_length=100)
    place = models.CharField(max_length=8, choices=Place.choices)
    area = models.ForeignKey(
        CspArea,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )

    class Meta:
        verbose_name = "published outcome"

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.outcome}"


class OutcomeCount(models.Model):
    """Outcomes recorded by force, month, area and outcome type, from outcomes files."""

    source = models.ForeignKey(
        PoliceImport, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    force = models.ForeignKey(
        Force, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    month = models.DateField()
    place = models.CharField(max_length=8, choices=Place.choices)
    area = models.ForeignKey(
        CspArea, on_delete=models.CASCADE, null=True, related_name="+", db_constraint=False
    )
    outcome = models.CharField(max_length=100)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["month", "area"], name="outcomecount_month_area")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.outcome}: {self.count}"
