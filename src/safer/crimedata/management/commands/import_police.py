from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from safer.core.management import SaferBaseCommand
from safer.crimedata.actions import do_import_police_file, lsoa_areas
from safer.crimedata.enums import ImportStatus
from safer.crimedata.importers.readahead import read_ahead
from safer.crimedata.importers.sources import SourceError, sources_for
from safer.crimedata.importers.writers import refresh_statistics


class ProgressBar:
    """A one-line progress bar on the terminal (nothing when output is not a terminal)."""

    def __init__(self, label: str, stream: Any) -> None:
        self.label = label[-40:]
        self.stream = stream
        self.shown = -1
        self.live = hasattr(stream, "isatty") and stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.live or total <= 0:
            return
        percent = min(100, done * 100 // total)
        if percent == self.shown:
            return
        self.shown = percent
        filled = percent * 30 // 100
        self.stream.write(f"\r{self.label:<40} [{'#' * filled}{'.' * (30 - filled)}] {percent:3d}%")
        self.stream.flush()

    def close(self) -> None:
        if self.live and self.shown >= 0:
            self.stream.write("\r" + " " * 80 + "\r")
            self.stream.flush()


class Command(SaferBaseCommand):
    help = (
        "Import police.uk street-level crime and ASB files: CSVs, folders of them, or the zip "
        "archive police.uk publishes, for any force. Each file loads whole or not at all; a "
        "refused file is reported with its rows and reasons. A month published again replaces "
        "the month for that force; the same file again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    def handle(self, *args: Any, **options: Any) -> None:
        areas = lsoa_areas()
        if not areas:
            self.stderr.write(
                "No LSOA table is loaded (run `safer load-lsoas`): every located record will "
                "count as outside the partnership."
            )
        refused = added = 0
        for path in options["paths"]:
            try:
                sources = list(sources_for(path))
            except SourceError as exc:
                self.stderr.write(self.style.ERROR(f"Refused {exc}"))
                refused += 1
                continue
            for source, prepared in read_ahead(sources, areas):
                bar = ProgressBar(source.name, sys.stderr)
                started = time.perf_counter()
                record = do_import_police_file(
                    source,
                    acting_user=None,
                    progress=bar,
                    areas=areas,
                    prepared=prepared,
                    analyze=False,
                )
                added += record.summary_rows
                bar.close()
                seconds = time.perf_counter() - started
                if record.status == ImportStatus.LOADED:
                    replaced = " (replaces the month loaded before)" if record.replaces else ""
                    self.success(
                        f"Loaded {source.name}: {record.rows_loaded:,} rows for {record.force}, "
                        f"{record.month:%B %Y}{replaced} in {seconds:.1f}s"
                    )
                elif record.status == ImportStatus.UNCHANGED:
                    self.stdout.write(f"Unchanged {source.name}: {record.problems}")
                else:
                    refused += 1
                    self.stderr.write(
                        self.style.ERROR(
                            f"Refused {source.name}: nothing of it was written "
                            f"({record.rows_rejected:,} of {record.rows_read:,} rows refused)"
                        )
                    )
                    for problem in record.problems.splitlines():
                        self.stderr.write(f"  {problem}")
        refresh_statistics(added)
        if refused:
            raise CommandError(f"{refused} file(s) refused; see the reasons above")
