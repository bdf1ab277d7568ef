from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "safer.reports"
    label = "reports"
    verbose_name = "Board packs and the public report"
