from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from safer.core.management import SaferBaseCommand
from safer.core.periods import Quarter
from safer.strategy.actions import do_send_reminders
from safer.strategy.models import Agreement


class Command(SaferBaseCommand):
    help = (
        "E-mail each theme lead and named lead the measures and actions they have not yet "
        "submitted for an open quarter (default: every open quarter). Run it from cron a week "
        "before the deadline."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quarter", help="the quarter, like 2012-Q2 (default: all open)")

    def handle(self, *args: Any, **options: Any) -> None:
        agreement = Agreement.objects.current()
        periods = agreement.reporting_periods.filter(status="open")
        if options["quarter"]:
            try:
                quarter = Quarter.parse(options["quarter"])
            except ValueError as exc:
                raise CommandError(str(exc)) from None
            periods = periods.filter(start_year=quarter.start_year, quarter=quarter.number)
            if not periods.exists():
                raise CommandError(f"{quarter.label} is not an open reporting period")
        for period in periods:
            sent = do_send_reminders(period, acting_user=None)
            self.success(f"{period}: reminders e-mailed to {sent} people")
