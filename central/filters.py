"""What a statistics request asks for: a range of local days in the site zone and a device."""
from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass


@dataclass
class Filters:
    start: dt.date | None = None     # local day, inclusive
    end: dt.date | None = None       # local day, inclusive
    device: str | None = None
    tz: str = "Europe/Amsterdam"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.tz)

    def utc_bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The local days as a half-open UTC range. Clamped at the ends of the calendar: a
        bound that falls outside the years 1..9999 in UTC (from=0001-01-01 east of UTC,
        to=9999-12-31) is no bound at all (None), which is what such a day asks for; one
        past the far end (from=9999-12-31 west of UTC) is the calendar's last moment."""
        def utc(day: dt.date, days_after: int = 0) -> dt.datetime:
            try:
                local = dt.datetime.combine(day + dt.timedelta(days=days_after), dt.time(), self.zone)
                return local.astimezone(dt.timezone.utc).replace(tzinfo=None)
            except OverflowError:  # past one end of the calendar: clamp to that end
                return dt.datetime.min if day.year < 5000 else dt.datetime.max
        lo = utc(self.start) if self.start else None
        hi = utc(self.end, 1) if self.end else None
        return (None if lo == dt.datetime.min else lo, None if hi == dt.datetime.max else hi)
