from __future__ import annotations

from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "safer.strategy"
    label = "strategy"
    verbose_name = "Strategy"

    def ready(self) -> None:
        from safer.strategy.builtin_sources import register_builtin_sources

        register_builtin_sources()
