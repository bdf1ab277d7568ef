from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db.models import Q

from safer.core.management import SaferBaseCommand
from safer.core.periods import Quarter
from safer.partnership.models import CspArea
from safer.reports.builders import build_pack
from safer.reports.renderers import FORMATS, get_format
from safer.reports.tasks import render_all
from safer.strategy.models import Agreement


class Command(SaferBaseCommand):
    help = (
        "Write the board pack for a quarter (optionally one area) as a PDF, Word, Excel or web "
        "page file, showing progress as it goes. Counts of fewer than 5 are suppressed. The file "
        "is not stored in Safer: build and publish stored versions on the Board packs page."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quarter", required=True, help="the quarter, like 2012-Q2")
        parser.add_argument("--format", required=True, help=f"one of {', '.join(FORMATS)}")
        parser.add_argument("--area", help="a partnership area's name or ONS code, like Preston")
        parser.add_argument("--output", help="where to write the file (default: in this folder)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            quarter = Quarter.parse(options["quarter"])
        except ValueError as exc:
            raise CommandError(f"--quarter: {exc}") from None
        try:
            fmt = get_format(options["format"])
        except ValueError as exc:
            raise CommandError(f"--format: {exc}") from None
        area = None
        if name := options["area"]:
            area = CspArea.objects.filter(Q(name__iexact=name) | Q(ons_code__iexact=name)).first()
            if area is None:
                known = ", ".join(CspArea.objects.order_by("name").values_list("name", flat=True))
                raise CommandError(f"--area: there is no area {name!r}. The areas are: {known}")
        agreement = Agreement.objects.current()
        if not agreement.reporting_periods.filter(
            start_year=quarter.start_year, quarter=quarter.number
        ).exists():
            raise CommandError(f"--quarter: there is no reporting period for {quarter.label}")
        output = Path(
            options["output"]
            or f"board-pack-{quarter.code}{f'-{area.ons_code}' if area else ''}.{fmt.extension}"
        )
        if not output.parent.is_dir():
            raise CommandError(f"--output: the folder {str(output.parent)!r} does not exist")

        def progress(percent: int, message: str) -> None:
            bar = "#" * (percent // 5)
            self.stderr.write(f"\r[{bar:<20}] {percent:3d}% {message:<45}", ending="")
            self.stderr.flush()

        content = build_pack(agreement, quarter, area=area, progress=progress)
        data = render_all(content, progress, [fmt.code])[fmt.code]
        progress(100, "Done")
        self.stderr.write("")
        output.write_bytes(data)
        self.success(f"{content.title}: {fmt.label} written to {output} ({len(data):,} bytes)")
