"""The hall display's picture of the queue, and the thread that keeps it up to date.

  poller = HallPoller(cfg.sync, cfg.display, on_update, tz=cfg.device.timezone)
  poller.start()            # the queue stream (pushed by central); while it is unavailable
                            # GET /api/v1/queue every display.poll_interval_s, `since` = last call id
  ...                       # on_update(view, announce) runs on the poller thread
  poller.stop()

`HallBoard` is the plain state (no threads, no I/O): it merges answers, keeps the latest
calls, the waiting counts and the time of the last good answer, and says which new calls
should be announced. A `HallView` is an immutable snapshot of it, safe to hand to the
Kivy thread (Clock.schedule_once); `view.connection(now)` says whether the display is
still connected (LOST after `display.offline_after_s` without a good answer), so a hung
request never keeps a stale screen looking fresh. Times are monotonic seconds.
"""
from __future__ import annotations

import datetime as dt
import enum
import logging
import time
import zoneinfo
from dataclasses import dataclass, field
from typing import Callable

from kiosk.hall.reader import QueueReaderThread

log = logging.getLogger(__name__)


class Connection(enum.Enum):
    CONNECTING = "connecting"  # no good answer yet, but not for long
    ONLINE = "online"
    LOST = "lost"              # no good answer for display.offline_after_s


@dataclass(frozen=True)
class HallView:
    calls: tuple = ()                  # newest first: calls[0] is the latest call
    waiting: dict = field(default_factory=dict)  # service id -> people waiting
    started: float = 0.0
    last_good: float | None = None
    offline_after_s: float = 10.0
    message: str = ""                  # why the last look failed ("" when it worked)

    def connection(self, now: float) -> Connection:
        if self.last_good is not None and now - self.last_good < self.offline_after_s:
            return Connection.ONLINE
        if self.last_good is None and now - self.started < self.offline_after_s:
            return Connection.CONNECTING
        return Connection.LOST

    @property
    def latest(self):
        return self.calls[0] if self.calls else None


def _parse_time(text: str) -> dt.datetime | None:
    try:
        t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        return None
    return t if t.tzinfo is not None else None


class HallBoard:
    def __init__(self, keep: int = 6, offline_after_s: float = 10.0,
                 announce_max_age_s: float = 60.0, tz: str = "Europe/Amsterdam",
                 started: float = 0.0):
        self.keep = max(1, keep)
        self.offline_after_s = offline_after_s
        self.announce_max_age_s = announce_max_age_s
        self.tz = zoneinfo.ZoneInfo(tz)
        self.started = started
        self.calls: list = []          # newest first
        self.waiting: dict[str, int] = {}
        self.last_id: int | None = None
        self.last_good: float | None = None
        self.message = ""

    def apply(self, answer, now: float) -> list:
        """Merge a good answer; returns the new calls to announce, oldest first."""
        server = _parse_time(answer.server_time)
        first = self.last_good is None
        moved = getattr(answer, "transfers", ())  # announced, not shown as calls
        new = sorted((c for c in (*answer.calls, *moved) if self.last_id is None or c.call_id > self.last_id),
                     key=lambda c: c.call_id)
        if new:
            self.last_id = max(c.call_id for c in new)
        self.calls = ([c for c in reversed(new) if not c.transfer] + self.calls)[:self.keep]
        if server is not None:  # a new day: yesterday's calls go
            today = server.astimezone(self.tz).date()
            self.calls = [c for c in self.calls
                          if (t := _parse_time(c.called_at)) is None
                          or t.astimezone(self.tz).date() == today]
        self.waiting = {sid: s.waiting for sid, s in answer.services.items()}
        self.last_good = now
        self.message = ""
        return [c for c in new if self._fresh(c, server, first)]

    def _fresh(self, call, server: dt.datetime | None, first: bool) -> bool:
        called = _parse_time(call.called_at)
        if server is None or called is None:
            return not first  # no way to tell its age: announce unless it came with the first look
        return (server - called).total_seconds() <= self.announce_max_age_s

    def fail(self, message: str) -> None:
        self.message = message

    def alive(self, now: float) -> None:
        """A keep-alive on the stream: the connection is good, nothing changed."""
        if self.last_good is not None:
            self.last_good = now
            self.message = ""

    def view(self) -> HallView:
        return HallView(tuple(self.calls), dict(self.waiting), self.started, self.last_good,
                        self.offline_after_s, self.message)


class HallPoller(QueueReaderThread):
    """Reads the central queue on its own thread (the stream, else polling); `on_update(view,
    announce)` after each answer, and after each keep-alive of the stream."""
    thread_name, what = "hall-poller", "hall display"

    def __init__(self, sync, display, on_update: Callable, tz: str = "Europe/Amsterdam",
                 clock: Callable[[], float] = time.monotonic, client=None):
        self.sync, self.display = sync, display
        self.on_update = on_update
        self.clock = clock
        self.client = client
        self.board = HallBoard(display.calls_shown + 1, display.offline_after_s,
                               display.announce_max_age_s, tz, started=clock())
        self.interval_s = display.poll_interval_s
        self._init_thread()
        self.use_stream = sync.queue_stream
        self.stream_read_s = display.offline_after_s / 2

    def make_client(self):
        from kiosk.hall.client import QueueClient
        # each wait at most half the offline time, so a hung server shows as lost in time
        return QueueClient.from_sync(self.sync, self.display.offline_after_s / 2)

    def stream_since(self) -> int | None:
        return self.board.last_id

    def on_answer(self, answer) -> None:
        announce = self.board.apply(answer, self.clock())
        self.on_update(self.board.view(), announce)

    def on_alive(self) -> None:
        self.board.alive(self.clock())
        self.on_update(self.board.view(), [])

    def poll_once(self) -> tuple[HallView, list]:
        """One look at the queue (used by the thread, and by tests)."""
        from kiosk.hall.client import QueueError
        announce: list = []
        try:
            if self.client is None:
                self.client = self.make_client()
            answer = self.client.fetch(self.board.last_id)
            announce = self.board.apply(answer, self.clock())
        except QueueError as e:
            if e.args[0] != self.board.message:
                log.warning("hall display: %s", e)
            self.board.fail(str(e))
        return self.board.view(), announce

    def step(self) -> None:
        self.on_update(*self.poll_once())
