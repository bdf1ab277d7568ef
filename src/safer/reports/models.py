"""Board packs: each build of a quarter's pack is a numbered version with its files.

A published version is frozen: its content and files are never rebuilt. A correction made after
publication appears in the next version, which is built alongside it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from safer.core.models import TimeStampedModel
from safer.core.periods import Quarter
from safer.partnership.models import CspArea
from safer.reports.content import PackContent
from safer.reports.enums import PackStatus
from safer.strategy.models import Agreement


class BoardPackQuerySet(models.QuerySet["BoardPack"]):
    def published(self) -> BoardPackQuerySet:
        return self.filter(published_at__isnull=False, status=PackStatus.READY)


class BoardPack(TimeStampedModel):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="board_packs")
    start_year = models.PositiveSmallIntegerField(help_text="The financial year: 2012 is 2012/13.")
    quarter = models.PositiveSmallIntegerField()
    area = models.ForeignKey(
        CspArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="Empty for the whole partnership.",
    )
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=PackStatus.choices, default=PackStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent built.")
    progress_message = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    content = models.JSONField(null=True, blank=True, help_text="What the files show, as built.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    built_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = BoardPackQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year", "-quarter", "area__name", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="board_pack_quarter_1_4"
            ),
            # One version number per quarter and area (a pair: SQLite's NULLs are distinct).
            models.UniqueConstraint(
                fields=["agreement", "start_year", "quarter", "area", "version"],
                condition=models.Q(area__isnull=False),
                name="one_area_board_pack_version",
            ),
            models.UniqueConstraint(
                fields=["agreement", "start_year", "quarter", "version"],
                condition=models.Q(area__isnull=True),
                name="one_partnership_board_pack_version",
            ),
        ]

    def __str__(self) -> str:
        where = f", {self.area.name}" if self.area else ""
        return f"Board pack {self.period.label}{where}, version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    @property
    def period(self) -> Quarter:
        return Quarter(self.start_year, self.quarter)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_finished(self) -> bool:
        return self.status in (PackStatus.READY, PackStatus.FAILED)

    def pack_content(self) -> PackContent | None:
        return PackContent.model_validate(self.content) if self.content else None

    def files_by_format(self) -> dict[str, BoardPackFile]:
        return {f.format: f for f in self.files.all()}


def _pack_file_path(instance: BoardPackFile, filename: str) -> str:
    pack = instance.pack
    area = f"-{pack.area.ons_code}" if pack.area else ""
    return f"board-packs/{pack.period.code}{area}/v{pack.version}/{filename}"


class BoardPackFile(models.Model):
    pack = models.ForeignKey(BoardPack, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=8)
    file = models.FileField(upload_to=_pack_file_path, max_length=300)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["format"]
        constraints = [
            models.UniqueConstraint(fields=["pack", "format"], name="one_file_per_format")
        ]

    def __str__(self) -> str:
        return f"{self.pack} ({self.format})"

    def get_absolute_url(self) -> str:
        return reverse("reports:download", args=[self.pack_id, self.format])

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            data: Any = handle.read()
        return bytes(data)
