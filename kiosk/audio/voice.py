"""The guide's mouth: speech commands handed to the speech device off the caller's thread.

  voice = Voice(source, threaded=True)   # source() -> the speech device or None (opened once)
  voice.say("Wachttijd, gekozen, 2 van 4.", "nl", rate=1.2, volume=1.0)
  voice.stop()
  voice.idle(timeout)                    # tests and the benchmark: wait until handed over
  voice.speaking()                       # still to say or saying
  voice.close()

Only the newest command matters: a `say` ends what was said before, and a `stop` after a `say`
that has not started yet cancels it, so a visitor pressing keys quickly never hears a queue of
stale sentences. With `threaded=False` (a dummy:// device, which only records) the command
runs at once on the caller's thread, so a test reads the speech log straight after a key.
Opening the device and starting espeak-ng (a process) never happen on the UI thread.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)


class Voice:
    def __init__(self, source: Callable[[], object], threaded: bool = True):
        self.source = source
        self.threaded = threaded
        self._device = None
        self._resolved = False
        self._cond = threading.Condition()
        self._pending: tuple | None = None
        self._busy = False
        self._closed = False
        self._thread: threading.Thread | None = None

    # -- commands (any thread) -------------------------------------------------------
    def say(self, text: str, lang: str, rate: float = 1.0, volume: float = 1.0) -> None:
        self._post(("say", text, lang, rate, volume))

    def stop(self) -> None:
        self._post(("stop",))

    def _post(self, cmd: tuple) -> None:
        if not self.threaded:
            self._run(cmd)
            return
        with self._cond:
            if self._closed:
                return
            self._pending = cmd          # the newest wins
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="voice", daemon=True)
                self._thread.start()
            self._cond.notify()

    def idle(self, timeout: float = 5.0) -> bool:
        """True once every command given so far was handed to the device."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._busy, timeout)

    def speaking(self) -> bool:
        """Something is still to be said or being said (a UI holds its idle reset meanwhile)."""
        with self._cond:
            if self._pending is not None and self._pending[0] == "say" or self._busy:
                return True
        dev = self._device
        try:
            return dev is not None and bool(dev.speaking())
        except Exception:  # noqa: BLE001
            return False

    @property
    def device(self):
        """The speech device (None when there is none); opened on first use."""
        if not self._resolved:
            self._resolved = True
            try:
                self._device = self.source()
            except Exception:  # noqa: BLE001 - no speech must not stop the kiosk
                log.exception("speech device not available")
            if self._device is None:
                log.warning("audio-guided mode has no speech device (devices.speech.url)")
        return self._device

    # -- the worker ----------------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending is not None or self._closed)
                if self._closed and self._pending is None:
                    return
                cmd, self._pending = self._pending, None
                self._busy = True
            try:
                self._run(cmd)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def _run(self, cmd: tuple) -> None:
        dev = self.device
        if dev is None:
            return
        try:
            if cmd[0] == "say":
                _, text, lang, rate, volume = cmd
                dev.say(text, lang, rate=rate, volume=volume)
            else:
                dev.stop()
        except Exception:  # noqa: BLE001 - a speech fault must not stop the guide
            log.exception("speech %s failed", cmd[0])

    def close(self) -> None:
        """Stop speaking and end the worker; idempotent. The device is closed by its owner."""
        with self._cond:
            self._closed = True
            self._pending = ("stop",) if self._resolved and self._device is not None else None
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(2)
        elif self._pending is not None:
            self._run(self._pending)
        self._pending = None
