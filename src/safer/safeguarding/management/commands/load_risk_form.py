from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from safer.core.management import SaferBaseCommand
from safer.safeguarding.actions import do_load_risk_form
from safer.safeguarding.risk_form_file import SHIPPED_FORMS, RiskFormFileError, read_risk_form


class Command(SaferBaseCommand):
    help = (
        "Load a risk assessment form (questions and thresholds, format safer.riskform/1) as a "
        "new version and make it current; with no file, load the forms Safer ships. A version "
        "already loaded is left as it is; a changed form needs a new version."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help="YAML files; default: shipped")

    def handle(self, *args: Any, **options: Any) -> None:
        for path in options["files"] or SHIPPED_FORMS:
            try:
                form, created = do_load_risk_form(read_risk_form(path), acting_user=None)
            except (RiskFormFileError, ValidationError) as exc:
                message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
                raise CommandError(message) from None
            state = "loaded and now current" if created else "already loaded"
            self.success(f"{form.title} version {form.version}: {state}.")
