"""The thread both central-queue readers share (the hall display's poller and the ticket
kiosk's live waits): `step()` every `interval_s` on a daemon thread until `stop()`, which
also closes the reader's HTTP client. A failing step is logged and the loop goes on."""
from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


class QueueReaderThread:
    thread_name = "queue-reader"
    what = "queue reader"  # names the reader in the log
    client = None
    interval_s: float = 2.0

    def _init_thread(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def step(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self.client is not None:
            self.client.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            began = self.clock()
            try:
                self.step()
            except Exception:  # noqa: BLE001 - the reader must outlive any one failure
                log.exception("%s: unexpected error", self.what)
            self._stop.wait(max(0.05, self.interval_s - (self.clock() - began)))
