from __future__ import annotations

import json
from pathlib import Path
from time import perf_counter
from typing import Any

from django.core.management.base import CommandError, CommandParser

from safer.core.management import SaferBaseCommand
from safer.incidents.actions import do_suggest_matches
from safer.incidents.matching import threshold, train


class Command(SaferBaseCommand):
    help = (
        "Look for the same person in different organisations' records (Splink; see "
        "incidents/matching.py): every pair of records held by partner organisations at or "
        "above the match threshold is suggested for a case worker to confirm or reject. "
        "Nothing is merged. With --train FILE, estimate the model from the partnership's own "
        "records instead and write it to FILE for SAFER_MATCH_MODEL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--train",
            metavar="FILE",
            help="Train the model (u by random sampling, m by EM) and write it to FILE.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = perf_counter()
        if options["train"]:
            target = Path(options["train"])
            if not target.parent.is_dir():
                raise CommandError(f"{target.parent} is not a folder: cannot write {target.name}.")
            try:
                model = train()
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            target.write_text(json.dumps(model, indent=2), encoding="utf-8")
            self.success(
                f"Trained the model in {perf_counter() - started:.1f} s and wrote it to {target}; "
                "set SAFER_MATCH_MODEL to use it."
            )
            return
        self.stdout.write(f"Suggesting pairs at or above {threshold():.0%} match probability.")

        def progress(percent: int, message: str) -> None:
            bar = "#" * (percent // 5)
            self.stderr.write(f"\r[{bar:<20}] {percent:3d}% {message:<45}", ending="")
            self.stderr.flush()

        matches = do_suggest_matches(acting_user=None, progress=progress)
        self.stderr.write("")
        self.success(
            f"{len(matches)} new suggested match(es) in {perf_counter() - started:.1f} s: "
            "see /incidents/matches/."
        )
