"""What every Safer command shares."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


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


class SaferBaseCommand(BaseCommand):
    """Base for Safer's commands: `help` states the rule, the body calls an action.

    Errors are raised as CommandError with a message a partnership analyst can act on, and the
    command exits with status 1 without a traceback.
    """

    def success(self, message: str) -> None:
        self.stdout.write(self.style.SUCCESS(message))
