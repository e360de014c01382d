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
        def utc(day: dt.date) -> dt.datetime:
            local = dt.datetime.combine(day, dt.time(), self.zone)
            return local.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return (utc(self.start) if self.start else None,
                utc(self.end + dt.timedelta(days=1)) if self.end else None)
