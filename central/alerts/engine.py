"""One check of the alert rules at an explicit time, and the loop that runs it.

    check(engine, settings, now) -> Result    # tests pass `now`; the loop passes the real time

Outside opening hours (`[central.alerts] hours`, in the site zone `[central.queue] timezone`)
a check does nothing at all: no rule is evaluated, nothing opens or clears, nothing is sent.
An alert open at closing time stays open and is not sent again; the first check after opening
clears it if its condition no longer holds. Only an alert's opening is sent (no "cleared"
message): the dashboard and GET /api/v1/alerts show when it cleared.

The loop (`AlertLoop`) is a daemon thread started with the application (when enabled) and
stopped with it; it waits `interval_s` before each check, so a process that starts and stops
quickly checks nothing. A failing check is logged and the next one runs as usual.
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import threading
import time
import zoneinfo
from dataclasses import dataclass, field

import sqlalchemy as sa

from central.alerts import delivery, rules, state
from central.db import utcnow
from central.hours import is_open
from central.settings import CentralSettings

log = logging.getLogger("central.alerts")


@dataclass
class Result:
    checked: bool                      # False: outside opening hours
    opened: list[int] = field(default_factory=list)
    cleared: list[int] = field(default_factory=list)
    sent: dict[int, dict] = field(default_factory=dict)  # alert id -> delivery outcome


def is_open_at(cfg: CentralSettings, now: dt.datetime) -> bool:
    local = now.replace(tzinfo=dt.timezone.utc).astimezone(zoneinfo.ZoneInfo(cfg.queue.timezone))
    return is_open(cfg.alerts.hours, local)


def check(engine: sa.Engine, cfg: CentralSettings, now: dt.datetime, sleep=time.sleep) -> Result:
    """Evaluate the rules at `now` (naive UTC), open and clear alerts, send the new ones."""
    if not is_open_at(cfg, now):
        return Result(False)
    opened, cleared = state.apply(engine, rules.conditions(engine, cfg, now), now)
    out = Result(True, opened, cleared)
    for row in state.claim(engine):  # new ones, and any a stopped process had not sent
        outcome = delivery.deliver(cfg.alerts, row, sleep)
        state.delivered(engine, row.id, outcome)
        out.sent[row.id] = outcome
    return out


class AlertLoop:
    """`check` every `interval_s` seconds in a thread of its own, with the real time."""

    def __init__(self, engine: sa.Engine, cfg: CentralSettings, clock=utcnow):
        self.engine, self.cfg, self.clock = engine, cfg, clock
        self.checks = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="alerts", daemon=True)

    def start(self) -> "AlertLoop":
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.cfg.alerts.interval_s):
            try:
                check(self.engine, self.cfg, self.clock(), sleep=self._stop.wait)
            except Exception:  # noqa: BLE001 - a database outage or a bug: logged, tried again next time
                log.exception("alert check failed")
            self.checks += 1

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)


@contextlib.asynccontextmanager
async def lifespan(app):
    """The application's lifespan: the loop runs while the app serves (when enabled)."""
    cfg = app.state.settings
    loop = AlertLoop(app.state.engine, cfg).start() if cfg.alerts.enabled else None
    app.state.alert_loop = loop
    try:
        yield
    finally:
        if loop is not None:
            await asyncio.to_thread(loop.stop)
