"""A single background writer thread, so that no disk write blocks the UI thread.

Jobs run in submission order (so "begin" is durable before "finish"). `callback`
and `errback` run on the writer thread; a UI wraps them to hop back to its own
thread (Kivy: Clock.schedule_once). A failing job is retried a few times when the
database is busy, then reported through `errback` and the log - never dropped silently.
"""
from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from typing import Any, Callable

log = logging.getLogger(__name__)
_STOP = object()


class Writer:
    """The hand-off is a C `SimpleQueue` and nothing else: no counter, lock or Event per job
    (that bookkeeping was half of the ~40 us a tap spent between threads). `flush` instead
    queues a job that sets an Event and waits for it: jobs run in order, so every job
    submitted before it has run by then."""

    def __init__(self, name: str = "kiosk-writer", retries: int = 5):
        self._q: queue.SimpleQueue = queue.SimpleQueue()
        self._retries = retries
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args, callback: Callable[[Any], None] | None = None,
               errback: Callable[[BaseException], None] | None = None) -> None:
        self._q.put((fn, args, callback, errback))

    def _loop(self) -> None:
        while True:
            item = self._q.get()
            if item is _STOP:
                return
            fn, args, callback, errback = item
            try:
                result = self._run(fn, args)
            except Exception as e:  # noqa: BLE001 - reported, not swallowed
                log.exception("write failed: %s", getattr(fn, "__qualname__", fn))
                if errback:
                    self._safe(errback, e)
            else:
                if callback:
                    self._safe(callback, result)

    def _run(self, fn, args):
        delay = 0.05
        for attempt in range(self._retries + 1):
            try:
                return fn(*args)
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) and "busy" not in str(e) or attempt == self._retries:
                    raise
                time.sleep(delay)
                delay *= 2

    @staticmethod
    def _safe(fn, arg) -> None:
        try:
            fn(arg)
        except Exception:  # noqa: BLE001
            log.exception("writer callback failed")

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every job submitted before this call has run; True if it did in time.
        Not from a job on the writer thread itself (it would wait for itself)."""
        if not self._thread.is_alive():
            return self._q.empty()
        marker = threading.Event()
        self.submit(marker.set)  # an ordinary job: reached once every earlier job has run
        return marker.wait(timeout)

    def close(self, timeout: float = 10.0) -> None:
        if not self._thread.is_alive():
            return
        self.flush(timeout)
        self._q.put(_STOP)
        self._thread.join(timeout)
