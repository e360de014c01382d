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
    def __init__(self, name: str = "kiosk-writer", retries: int = 5):
        self._q: queue.Queue = queue.Queue()
        self._retries = retries
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._idle = threading.Event()
        self._idle.set()
        self._pending = 0
        self._lock = threading.Lock()
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args, callback: Callable[[Any], None] | None = None,
               errback: Callable[[BaseException], None] | None = None) -> None:
        with self._lock:
            self._pending += 1
            self._idle.clear()
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
            finally:
                with self._lock:
                    self._pending -= 1
                    if self._pending == 0:
                        self._idle.set()

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
        """Wait until every submitted job has run; True if it did in time."""
        return self._idle.wait(timeout)

    def close(self, timeout: float = 10.0) -> None:
        self.flush(timeout)
        self._q.put(_STOP)
        self._thread.join(timeout)
