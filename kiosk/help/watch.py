"""The host's answers to help calls, read from the central queue in the background.

  watch = HelpWatch(cfg.sync, cfg.help, desk.update, clock=core.clock)   # only with sync.url
  watch.start()          # the queue stream; while it is unavailable GET /api/v1/queue
                         # every help.poll_interval_s
  watch.online()         # a good answer (or the stream's keep-alive) within help.offline_after_s
  watch.stop()

Each answer's "help" entries (kiosk.hall.client.parse_help) go to `on_help` on the reader's
thread; `online()` only reads a time under a lock, so the help button never waits for the
network. Times are the injected clock's monotonic seconds.
"""
from __future__ import annotations

import threading
from typing import Callable

from kiosk.hall.reader import QueueReaderThread



class HelpWatch(QueueReaderThread):
    thread_name, what = "help-watch", "help calls"

    def __init__(self, sync, help_settings, on_help: Callable[[tuple], None], *, clock,
                 client=None):
        self.sync = sync
        self.on_help = on_help
        self.interval_s = help_settings.poll_interval_s
        self.offline_after_s = help_settings.offline_after_s
        self.clock = clock.monotonic
        self.client = client
        self.message = ""
        self._lock = threading.Lock()
        self._last_good: float | None = None
        self._init_thread()
        self.use_stream = sync.queue_stream
        self.stream_read_s = 10.0  # central's keep-alives come every few seconds

    def make_client(self):
        from kiosk.hall.client import QueueClient
        return QueueClient.from_sync(self.sync, min(10.0, self.interval_s + 2.0))

    def online(self) -> bool:
        with self._lock:
            return self._last_good is not None and self.clock() - self._last_good < self.offline_after_s

    def on_answer(self, answer) -> None:
        with self._lock:
            self._last_good = self.clock()
        self.message = ""
        self.on_help(answer.help)

    def on_alive(self) -> None:
        with self._lock:
            if self._last_good is not None:
                self._last_good = self.clock()

    def step(self) -> None:
        self.refresh()
