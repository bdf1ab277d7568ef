from __future__ import annotations

from django.apps import AppConfig


class CrimedataConfig(AppConfig):
    name = "safer.crimedata"
    label = "crimedata"
    verbose_name = "Crime data"

    def ready(self) -> None:
        from safer.crimedata import measure_sources  # noqa: F401 - registers the calculations
