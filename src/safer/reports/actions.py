"""Every write of the reports app: request, build, publish a board pack."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from safer.accounts.models import User
from safer.accounts.permissions import Permission, require_permission
from safer.core.periods import Quarter
from safer.partnership.models import CspArea
from safer.reports.content import PackContent
from safer.reports.enums import PackStatus
from safer.reports.models import BoardPack, BoardPackFile
from safer.strategy.models import Agreement, ReportingPeriod


@transaction.atomic
def do_request_board_pack(
    agreement: Agreement,
    quarter: Quarter,
    *,
    area: CspArea | None,
    acting_user: User | None,
) -> BoardPack:
    """Make the next version of a quarter's pack and queue it to be built in the background."""
    from safer.reports.tasks import build_board_pack

    require_permission(acting_user, Permission.BUILD_BOARD_PACK)
    if not ReportingPeriod.objects.filter(
        agreement=agreement, start_year=quarter.start_year, quarter=quarter.number
    ).exists():
        raise ValidationError(
            {"quarter": f"There is no reporting period for {quarter.label}: open it first."}
        )
    Agreement.objects.select_for_update().filter(pk=agreement.pk).first()  # one version at a time
    latest = BoardPack.objects.filter(
        agreement=agreement, start_year=quarter.start_year, quarter=quarter.number, area=area
    ).aggregate(latest=Max("version"))["latest"]
    pack = BoardPack.objects.create(
        agreement=agreement,
        start_year=quarter.start_year,
        quarter=quarter.number,
        area=area,
        version=(latest or 0) + 1,
        requested_by=acting_user,
        progress_message="Waiting for a worker",
    )
    build_board_pack.enqueue(pack.pk)
    return pack


@transaction.atomic
def do_record_build_progress(pack: BoardPack, percent: int, message: str) -> None:
    """Note how far a build has got (saved at once, so the page's progress bar moves)."""
    BoardPack.objects.filter(pk=pack.pk).update(
        status=PackStatus.BUILDING, progress=percent, progress_message=message[:200]
    )


@transaction.atomic
def do_store_board_pack(pack: BoardPack, content: PackContent, files: dict[str, bytes]) -> None:
    """Keep a finished build: its content and one file per format. A published pack is frozen."""
    pack = BoardPack.objects.select_for_update().get(pk=pack.pk)
    if pack.is_published or pack.status == PackStatus.READY:
        raise ValidationError(
            f"{pack} is already built{' and published' if pack.is_published else ''}: "
            "build a new version instead."
        )
    from safer.reports.renderers import FORMATS

    slug = f"board-pack-{pack.period.code}{f'-{pack.area.ons_code}' if pack.area else ''}"
    for code, data in files.items():
        stored = BoardPackFile(
            pack=pack, format=code, size=len(data), sha256=hashlib.sha256(data).hexdigest()
        )
        stored.file.save(f"{slug}-v{pack.version}.{FORMATS[code].extension}", ContentFile(data))
    pack.content = content.model_dump(mode="json")
    pack.status = PackStatus.READY
    pack.progress = 100
    pack.progress_message = "Ready"
    pack.built_at = timezone.now()
    pack.save()


@transaction.atomic
def do_fail_board_pack(pack: BoardPack, error: str) -> None:
    BoardPack.objects.filter(pk=pack.pk).update(
        status=PackStatus.FAILED, error=error[:2000], progress_message="Failed"
    )


@transaction.atomic
def do_publish_board_pack(pack: BoardPack, *, acting_user: User | None) -> BoardPack:
    """Publish a built pack: from now on it is frozen and the public report shows it."""
    require_permission(acting_user, Permission.PUBLISH_BOARD_PACK)
    pack = BoardPack.objects.select_for_update().get(pk=pack.pk)
    if pack.status != PackStatus.READY:
        raise ValidationError(f"{pack} is not built yet ({pack.get_status_display().lower()}).")
    if pack.is_published:
        raise ValidationError(f"{pack} is already published.")
    pack.published_at = timezone.now()
    pack.published_by = acting_user
    pack.save(update_fields=["published_at", "published_by", "updated_at"])
    return pack
