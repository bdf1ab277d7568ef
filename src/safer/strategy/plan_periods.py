"""The period a partner plan covers, read from the end of its title.

Partner plans name their period the way their authors write it: "2011-13" (2011 to 2013),
"2011/12" (the financial year 2011/12, which ends in 2012), or a single year "2011".
"""

from __future__ import annotations

import re
from typing import NamedTuple


class PlanPeriod(NamedTuple):
    label: str
    start_year: int
    end_year: int


_PERIOD_AT_END = re.compile(r"(?P<start>(?:19|20)\d\d)(?:\s*[-/–]\s*(?P<end>\d{2}|\d{4}))?\s*$")


def parse_plan_period(title: str) -> PlanPeriod:
    """Return the period at the end of `title`; raise ValueError if it names none."""
    match = _PERIOD_AT_END.search(title.strip())
    if match is None:
        raise ValueError(f"the title does not end with a year or a period like 2011-13: {title!r}")
    start = int(match["start"])
    end_text = match["end"]
    if end_text is None:
        end = start
    elif len(end_text) == 4:
        end = int(end_text)
    else:
        end = start // 100 * 100 + int(end_text)
        if end < start:
            end += 100
    if end < start:
        raise ValueError(f"the period in {title!r} ends before it starts")
    return PlanPeriod(match.group(0).strip(), start, end)
