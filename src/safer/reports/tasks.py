"""The background task that builds a board pack (django-tasks; `safer db_worker` runs it)."""

from __future__ import annotations

import logging
import traceback

from django_tasks import task

from safer.reports.actions import do_fail_board_pack, do_record_build_progress, do_store_board_pack
from safer.reports.builders import Progress, build_pack
from safer.reports.content import PackContent
from safer.reports.models import BoardPack
from safer.reports.renderers import FORMATS

log = logging.getLogger(__name__)


def render_all(
    content: PackContent, progress: Progress, formats: list[str] | None = None
) -> dict[str, bytes]:
    """Every format's bytes, reporting progress from 30% to 95%."""
    codes = formats or list(FORMATS)
    files = {}
    for index, code in enumerate(codes):
        progress(30 + 65 * index // len(codes), f"Writing the {FORMATS[code].label} file")
        files[code] = FORMATS[code].render(content)
    return files


def build(pack: BoardPack) -> None:
    def progress(percent: int, message: str) -> None:
        do_record_build_progress(pack, percent, message)

    try:
        content = build_pack(pack.agreement, pack.period, area=pack.area, progress=progress)
        files = render_all(content, progress)
        do_store_board_pack(pack, content, files)
    except Exception as exc:
        log.exception("Building %s failed", pack)
        do_fail_board_pack(pack, f"{exc}\n\n{traceback.format_exc()}")
        raise


@task()
def build_board_pack(pack_id: int) -> None:
    build(BoardPack.objects.select_related("agreement", "area").get(pk=pack_id))
