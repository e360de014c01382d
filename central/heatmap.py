"""The dashboard's busiest hours (issue #17): tickets issued per weekday x local hour, from the
tickets stats' "busiest_hours" (central/aggregate.py, read from the roll-ups), as a table of
numbers whose cells are shaded in LEVELS steps (classes heat-0..heat-5 in static/staff.css,
each with a text colour of contrast >= 4.5:1 on its shade; no inline style, so the CSP holds)."""
from __future__ import annotations

import math

from central.i18n import t

LEVELS = 5  # shades for a busy cell; heat-0 is an hour without tickets


def level(n: int, top: int) -> int:
    return 0 if n <= 0 or top <= 0 else min(LEVELS, math.ceil(LEVELS * n / top))


def table(cells: list[dict], lang: str) -> dict | None:
    """{"hours": ["08", ...], "rows": [{"day": "ma", "cells": [{"n", "level"}, ...]}, ...]} for the
    seven weekdays (Monday first) and every hour from the first to the last with tickets; None
    without tickets."""
    counts = {(c["weekday"], c["hour"]): c["tickets"] for c in cells if c["tickets"]}
    if not counts:
        return None
    first, last = min(h for _, h in counts), max(h for _, h in counts)
    top = max(counts.values())
    return {"hours": [f"{h:02d}" for h in range(first, last + 1)],
            "rows": [{"day": t(lang, f"dash.heat.day.{w}"),
                      "cells": [{"n": counts.get((w, h), 0), "level": level(counts.get((w, h), 0), top)}
                                for h in range(first, last + 1)]} for w in range(1, 8)]}
