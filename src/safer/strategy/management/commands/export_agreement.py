from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from safer.core.management import SaferBaseCommand
from safer.strategy.export import agreement_document, to_csv_zip, to_json
from safer.strategy.models import Agreement


class Command(SaferBaseCommand):
    help = (
        "Write the agreement as open data: --format json (the document `load-agreement` reads "
        "back) or --format csv (a zip of CSV tables with a datapackage.json). Writes to --output, "
        "or to standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
        parser.add_argument(
            "--agreement",
            help="the agreement's slug (default: SAFER_AGREEMENT_SLUG, or the only agreement)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        agreement = self._agreement(options["agreement"])
        document = agreement_document(agreement)
        data = (
            to_json(document).encode("utf-8")
            if options["format"] == "json"
            else to_csv_zip(document)
        )
        output: Path | None = options["output"]
        if output is None:
            if options["format"] == "csv" and sys.stdout.isatty():
                raise CommandError("a CSV export is a zip file: give --output FILE.zip")
            self.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from None
        self.stderr.write(f"Wrote {agreement.title} to {output} ({len(data):,} bytes)")

    def _agreement(self, slug: str | None) -> Agreement:
        agreements = Agreement.objects.select_related("board__organisation")
        if slug:
            found = agreements.filter(slug=slug).first()
            if found is None:
                known = ", ".join(agreements.values_list("slug", flat=True)) or "none loaded"
                raise CommandError(f"no agreement with slug {slug!r} (known: {known})")
            return found
        if agreements.count() == 1:
            return agreements.get()
        default = agreements.filter(slug=settings.SAFER_AGREEMENT_SLUG).first()
        if default is None:
            raise CommandError(
                "no agreement loaded: run `safer load-agreement` first"
                if not agreements.exists()
                else "several agreements are loaded: choose one with --agreement SLUG"
            )
        return default
