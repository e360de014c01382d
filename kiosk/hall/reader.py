"""The thread both central-queue readers share (the hall display's poller and the ticket
kiosk's live waits). It reads the queue stream (`GET /api/v1/queue/stream`, server-sent
events pushed by central within a moment of every change) and falls back to polling
(`step()` every `interval_s`) while the stream is unavailable:

- a stream that breaks (server restart, proxy, no byte within `stream_read_s`) -> one poll
  at once, polling on, and the stream tried again after 2, 4, 8 ... 60 s (plus up to 1 s of
  jitter); a stream that delivered anything starts that series again;
- a service without a stream (404/405) -> polling, the stream tried again every 5 minutes;
- `sync.queue_stream = false` -> polling only, as before.

`mode` says which is in use (ReadMode.STREAM or ReadMode.POLL). `stop()` also closes the reader's HTTP
client, which ends a blocked stream read. A failing step is logged and the loop goes on."""
from __future__ import annotations

import enum
import logging
import random
import threading
import time

log = logging.getLogger(__name__)
NO_STREAM_RETRY_S = 300.0
STREAM_RETRY_CAP_S = 60.0


class ReadMode(str, enum.Enum):
    POLL = "poll"      # no stream (yet, or it broke): GET /api/v1/queue every interval_s
    STREAM = "stream"  # a stream is open and has delivered


class QueueReaderThread:
    thread_name = "queue-reader"
    what = "queue reader"  # names the reader in the log
    client = None
    message = ""  # the last fetch's error, "" after a good one
    interval_s: float = 2.0
    use_stream: bool = False
    stream_read_s: float = 5.0  # no byte (event or keep-alive) for this long: the stream is broken

    def _init_thread(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.mode = ReadMode.POLL
        self.stream_message = ""
        self._stream_failures = 0
        self._stream_next = 0.0  # time.monotonic() of the next stream attempt
        self._rng = random.Random()

    # -- what a reader provides ------------------------------------------------------
    def step(self) -> None:
        """One poll."""
        raise NotImplementedError

    def make_client(self):
        """The QueueClient (raises QueueError when [sync] does not allow one)."""
        raise NotImplementedError

    def stream_since(self) -> int | None:
        return None

    def on_answer(self, answer) -> None:
        """A state pushed by the stream (or fetched by `refresh`)."""

    def refresh(self) -> bool:
        """One GET of the central queue, handed to `on_answer` (a poll step; tests call it
        directly). A failure is logged once per distinct message, kept in `message`."""
        from kiosk.hall.client import QueueError
        try:
            if self.client is None:
                self.client = self.make_client()
            answer = self.client.fetch()
        except QueueError as e:
            if str(e) != self.message:
                logging.getLogger(type(self).__module__).warning("%s: %s", self.what, e)
            self.message = str(e)
            return False
        self.on_answer(answer)
        return True

    def on_alive(self) -> None:
        """A keep-alive: the stream (so the connection) is still there."""

    def on_stream_lost(self, message: str) -> None:
        """The stream broke or could not be opened (polling takes over)."""

    # -- the thread -----------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self.client is not None:
            self.client.close()  # ends a stream read that is waiting for the next byte
        if self._thread is not None:
            self._thread.join(timeout)
        if self.client is not None:
            self.client.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            if self.use_stream and time.monotonic() >= self._stream_next:
                self._stream()
                if self._stop.is_set():
                    return
            began = self.clock()
            try:
                self.step()
            except Exception:  # noqa: BLE001 - the reader must outlive any one failure
                log.exception("%s: unexpected error", self.what)
            wait = max(0.05, self.interval_s - (self.clock() - began))
            if self.use_stream:
                wait = min(wait, max(0.05, self._stream_next - time.monotonic()))
            self._stop.wait(wait)

    def _stream(self) -> None:
        """Read the stream until it breaks or stop(); then plan the next attempt."""
        from kiosk.hall.client import NoStream, QueueError
        delay, message = None, "the queue stream ended"
        try:
            if self.client is None:
                self.client = self.make_client()
            for item in self.client.stream(self.stream_since(), self.stream_read_s):
                if self._stop.is_set():
                    return
                if item is None:
                    self.on_alive()
                else:
                    self.on_answer(item)
                if self.mode is not ReadMode.STREAM:
                    log.info("%s: reading the central queue stream", self.what)
                self.mode, self._stream_failures, self.stream_message = ReadMode.STREAM, 0, ""
        except NoStream as e:
            delay, message = NO_STREAM_RETRY_S, str(e)
        except QueueError as e:
            self._stream_failures += 1
            delay = min(STREAM_RETRY_CAP_S, 2.0 ** min(self._stream_failures, 6))
            message = str(e)
        except Exception as e:  # noqa: BLE001 - a failing callback must not end the reader
            log.exception("%s: unexpected error in the stream", self.what)
            delay, message = STREAM_RETRY_CAP_S, f"unexpected error: {e}"
        finally:
            self.mode = ReadMode.POLL
        if self._stop.is_set():
            return
        self._stream_next = time.monotonic() + (delay or 1.0) + self._rng.uniform(0, 1)
        if message != self.stream_message:
            log.warning("%s: %s; polling, stream again in %.0f s", self.what, message, delay or 1.0)
        self.stream_message = message
        try:
            self.on_stream_lost(message)
        except Exception:  # noqa: BLE001
            log.exception("%s: unexpected error", self.what)
