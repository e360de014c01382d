"""Live estimated waits for the ticket kiosk, read from the central queue in the background.

  waits = LiveWaits(cfg.sync, cfg.tickets)   # only when sync.url is set
  waits.start()                              # the queue stream; while it is unavailable
                                             # GET /api/v1/queue every tickets.live_wait_interval_s
  waits.current("passport")                  # (10, 20), or None when there is no fresh answer
  waits.stop()

`current()` only reads what the reader thread stored (a dict under a lock): issuing a
ticket never waits for the network. An answer counts as fresh for
`tickets.live_wait_max_age_s` (monotonic clock; a keep-alive of the stream, which central
sends when nothing changed, keeps it fresh); after that, or when central never answered
or does not know the service, the ticket uses the configured estimate.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from kiosk.hall.reader import QueueReaderThread


LIVE = "live"
CONFIGURED = "configured"


class LiveWaits(QueueReaderThread):
    thread_name, what = "live-waits", "live waiting times"

    def __init__(self, sync, tickets, clock: Callable[[], float] = time.monotonic, client=None):
        self.sync = sync
        self.interval_s = tickets.live_wait_interval_s
        self.max_age_s = tickets.live_wait_max_age_s
        self.clock = clock
        self.client = client
        self._lock = threading.Lock()
        self._waits: dict[str, tuple[int, int]] = {}
        self._at: float | None = None
        self.message = ""
        self._init_thread()
        self.use_stream = sync.queue_stream
        self.stream_read_s = 10.0  # central's keep-alives come every few seconds

    def make_client(self):
        from kiosk.hall.client import QueueClient
        return QueueClient.from_sync(self.sync, min(10.0, self.interval_s))

    def current(self, service_id: str) -> tuple[int, int] | None:
        with self._lock:
            if self._at is None or self.clock() - self._at > self.max_age_s:
                return None
            return self._waits.get(service_id)

    def on_answer(self, answer) -> None:
        waits = {sid: s.est_wait_min for sid, s in answer.services.items() if s.est_wait_min}
        with self._lock:
            self._waits, self._at = waits, self.clock()
        self.message = ""

    def on_alive(self) -> None:
        with self._lock:
            if self._at is not None:
                self._at = self.clock()

    def step(self) -> None:
        self.refresh()
