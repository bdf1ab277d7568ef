from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safer.core"
    label = "core"
    verbose_name = "Safer core"
