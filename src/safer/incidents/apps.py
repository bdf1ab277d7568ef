from __future__ import annotations

from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "safer.incidents"
    label = "incidents"
    verbose_name = "Incidents and people"

    def ready(self) -> None:
        from safer.incidents import measure_sources  # noqa: F401 - registers the sources
