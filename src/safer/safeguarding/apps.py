from __future__ import annotations

from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    name = "safer.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding: risk assessments, conferences, CSE"

    def ready(self) -> None:
        from safer.safeguarding import measure_sources  # noqa: F401 - registers the sources
