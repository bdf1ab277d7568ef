"""Benchmark: the full Lancashire board pack for a quarter, every format, with all demo data.

Goal (issue 8): each format built in under 10 s on the project machine. The baseline, measured in
the same run, is reading the quarter the way the performance dashboard does
(`strategy.status.theme_summaries`): the ratio says what a format costs on top of the figures.

Run from the project root:

    DEBUG=1 .venv/bin/python bench/board_pack.py [--quarter 2012-Q2] [--area Preston]

It uses its own SQLite database under var/bench/ (made on the first run: agreement + demo data).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safer.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SAFER_DEMO", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'board-pack.sqlite3'}")
GOAL_SECONDS = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarter", default="2012-Q2")
    parser.add_argument("--area", default="")
    options = parser.parse_args()
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    import safer.reports.renderers.pdf  # noqa: F401 - a worker loads WeasyPrint once, not per pack
    from safer.core.periods import Quarter
    from safer.partnership.models import CspArea
    from safer.reports.builders import build_pack
    from safer.reports.charts import _svg
    from safer.reports.renderers import FORMATS
    from safer.strategy.models import Agreement, MeasureValue
    from safer.strategy.status import theme_summaries

    call_command("migrate", verbosity=0)
    if not MeasureValue.objects.exists():
        print("Preparing the bench database: agreement and demo data (once)...")
        call_command("load_agreement", verbosity=0)
        call_command("load_demo", verbosity=0)
    agreement = Agreement.objects.current()
    quarter = Quarter.parse(options.quarter)
    area = CspArea.objects.get(name=options.area) if options.area else None
    values = MeasureValue.objects.count()

    start = time.perf_counter()
    theme_summaries(agreement, quarter, today=timezone.localdate(), area=area)
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    content = build_pack(agreement, quarter, area=area)
    content_seconds = time.perf_counter() - start
    measures = sum(len(t.measures) for t in content.themes)
    actions = sum(len(t.actions) for t in content.themes)
    print(
        f"Board pack {content.quarter}{', ' + content.area if content.area else ''}: "
        f"{len(content.themes)} themes, {measures} measures, {actions} actions "
        f"({values:,} measure values in the database)"
    )
    goal = f"goal < {GOAL_SECONDS:.0f} s"
    print(f"{'step':<26}{'seconds':>9}{'× baseline':>12}{'bytes':>12}  {goal}")
    print(f"{'baseline: dashboard read':<26}{baseline:>9.3f}{1:>12.1f}")
    print(f"{'pack content':<26}{content_seconds:>9.3f}{content_seconds / baseline:>12.1f}")
    worst = 0.0
    for fmt in FORMATS.values():
        _svg.cache_clear()  # every format pays for its own charts, as a lone build would
        start = time.perf_counter()
        data = fmt.render(content)
        seconds = time.perf_counter() - start + content_seconds
        worst = max(worst, seconds)
        verdict = "ok" if seconds < GOAL_SECONDS else "TOO SLOW"
        print(
            f"{fmt.label + ' (content + render)':<26}{seconds:>9.3f}"
            f"{seconds / baseline:>12.1f}{len(data):>12,}  {verdict}"
        )
    print(
        f"slowest format: {worst:.2f} s ({'meets' if worst < GOAL_SECONDS else 'misses'} the goal)"
    )
    sys.exit(0 if worst < GOAL_SECONDS else 1)


if __name__ == "__main__":
    main()
