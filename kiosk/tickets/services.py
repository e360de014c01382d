"""The services a visitor can take a ticket for, as configured, with their opening hours.

Plain data over `cfg.services` (kiosk/tickets/settings.py ServiceEntry): look-up by id,
names per language with Dutch/English fallback, and "open now?" in site-local time.
Opening hours are lines like 'mon-fri 09:00-17:00' or 'thu 18:00-20:00'.
"""
from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS = re.compile(r"^\s*([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class HoursError(ValueError):
    pass


@dataclass(frozen=True)
class Span:
    days: frozenset[int]
    start: dt.time
    end: dt.time


def parse_hours_line(line: str) -> Span:
    """'mon-fri 09:00-17:00' -> Span. Raises HoursError saying what is wrong."""
    m = _HOURS.match(line.lower())
    if not m:
        raise HoursError(f"{line!r} is not like 'mon-fri 09:00-17:00'")
    d1, d2, h1, m1, h2, m2 = m.groups()
    for d in (d1, d2):
        if d and d not in DAYS:
            raise HoursError(f"{line!r}: unknown day {d!r} (use {', '.join(DAYS)})")
    i1 = DAYS.index(d1)
    i2 = DAYS.index(d2) if d2 else i1
    if i2 < i1:
        raise HoursError(f"{line!r}: day range runs backwards")
    try:
        start, end = dt.time(int(h1), int(m1)), dt.time(int(h2), int(m2))
    except ValueError:
        raise HoursError(f"{line!r}: not a valid time of day") from None
    if end <= start:
        raise HoursError(f"{line!r}: closing time is not after opening time")
    return Span(frozenset(range(i1, i2 + 1)), start, end)


def is_open(hours: list[str], when: dt.datetime, tz: str) -> bool:
    """True when `when` (aware) falls in one of the lines; an empty list means always open."""
    if not hours:
        return True
    local = when.astimezone(zoneinfo.ZoneInfo(tz))
    t = local.time().replace(tzinfo=None)
    for line in hours:
        span = parse_hours_line(line)
        if local.weekday() in span.days and span.start <= t < span.end:
            return True
    return False


class ServiceCatalog:
    """Configured services; never raises for a name missing in a language (falls back)."""

    def __init__(self, services, timezone: str = "Europe/Amsterdam"):
        self.services = list(services)
        self.tz = timezone
        self._by_id = {s.id: s for s in self.services}

    @classmethod
    def from_config(cls, cfg) -> "ServiceCatalog":
        return cls(cfg.services, cfg.device.timezone)

    def __iter__(self):
        return iter(self.services)

    def __len__(self) -> int:
        return len(self.services)

    def get(self, service_id: str):
        s = self._by_id.get(service_id)
        if s is None:
            known = ", ".join(self._by_id) or "none configured"
            raise KeyError(f"unknown service {service_id!r} (known: {known})")
        return s

    def name(self, service, lang: str) -> str:
        return _pick(service.names, lang) or service.id

    def wait_at(self, service, lang: str) -> str:
        return _pick(service.wait_at, lang)

    def open_now(self, service, when: dt.datetime) -> bool:
        return service.desks_open > 0 and is_open(service.hours, when, self.tz)

    def walk_in(self) -> list:
        return [s for s in self.services if not s.needs_appointment]

    def appointment_service(self, preferred: str = ""):
        if preferred and preferred in self._by_id:
            return self._by_id[preferred]
        for s in self.services:
            if s.needs_appointment:
                return s
        return None


def _pick(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang) or texts.get("nl") or texts.get("en") or next(iter(texts.values()), "")
