"""Opening hours as staff write them: "mon-fri 08:30-17:00; sat 09:00-12:00" (docs/insight.md).

Parts are separated by ";" or ","; each is a day or a range of days (mon tue wed thu fri sat sun)
and a time range. An empty text means always open. `parse_hours` raises ValueError with a
message naming the part that is wrong; `is_open(spec, local_time)` answers for a local time.
"""
from __future__ import annotations

import datetime as dt
import re

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PART = re.compile(r"^(?P<d1>[a-z]{3})(?:-(?P<d2>[a-z]{3}))?\s+(?P<t1>\d{1,2}:\d{2})-(?P<t2>\d{1,2}:\d{2})$")

Window = tuple[int, dt.time, dt.time]  # weekday (0 = Monday), from, until


def _time(text: str, part: str) -> dt.time:
    h, m = (int(x) for x in text.split(":"))
    if h == 24 and m == 0:
        return dt.time.max
    if not (0 <= h < 24 and 0 <= m < 60):
        raise ValueError(f"{text!r} in {part!r} is not a time of day (HH:MM)")
    return dt.time(h, m)


def parse_hours(spec: str) -> list[Window]:
    """The windows of `spec`; [] for an empty spec (always open)."""
    out: list[Window] = []
    for raw in re.split(r"[;,]", spec or ""):
        part = " ".join(raw.lower().split())
        if not part:
            continue
        m = _PART.match(part)
        if not m or m["d1"] not in DAYS or (m["d2"] and m["d2"] not in DAYS):
            raise ValueError(f"{raw.strip()!r} is not like \"mon-fri 08:30-17:00\" (days mon..sun, times HH:MM)")
        a, b = DAYS.index(m["d1"]), DAYS.index(m["d2"] or m["d1"])
        t1, t2 = _time(m["t1"], part), _time(m["t2"], part)
        if t2 <= t1:
            raise ValueError(f"{raw.strip()!r}: the closing time must come after the opening time")
        days = range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)]  # fri-mon wraps
        out.extend((d, t1, t2) for d in days)
    return out


def is_open(spec: str, local: dt.datetime) -> bool:
    windows = parse_hours(spec)
    if not windows:
        return True
    t = local.time()
    return any(d == local.weekday() and t1 <= t < t2 for d, t1, t2 in windows)
