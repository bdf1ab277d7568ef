from __future__ import annotations

from time import perf_counter
from typing import Any

from safer.core.management import SaferBaseCommand
from safer.incidents.actions import do_recompute_repeats
from safer.incidents.repeats import rules


class Command(SaferBaseCommand):
    help = (
        "Recompute every repeat and vulnerable victim flag with the partnership's rules "
        "(SAFER_REPEAT_RULES), for example after the rules change."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for rule in rules():
            self.stdout.write(
                f"Rule {rule.flag.value}: {rule.count} or more of "
                f"{', '.join(sorted(rule.categories))} within {rule.days} days."
            )
        started = perf_counter()
        changed = do_recompute_repeats()
        self.stdout.write(
            self.style.SUCCESS(
                f"{changed} victim involvement(s) changed flags "
                f"in {perf_counter() - started:.1f} s."
            )
        )
