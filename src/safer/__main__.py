"""The `safer` console command: Django's manage.py for this project.

Safer's own commands are named `verb_noun`; the hyphenated spelling (`safer load-agreement`)
runs the same command, so people can type what reads naturally.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safer.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "safer"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
