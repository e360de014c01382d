"""Announcing a call in the hall: a chime, then the call spoken in one or two languages.

  texts = call_texts(call, tr, "nl")      # [("Nummer A 12, balie 4", "nl"), ("Number A12, desk 4", "en")]
  announcer = Announcer(speech, chime_path=ensure_chime(data_dir))
  announcer.announce(texts)               # returns at once; a worker plays them in order

The chime is a short two-tone WAV made here with the `wave` module (no sound files
shipped) and played through the speech device (`play(path)`; the simulated device keeps
a copy, the dummy records it). Calls are queued, not cut short: each call is heard in
full. When calls pile up (more than `max_pending`), the oldest waiting ones are dropped:
they are on the screen anyway.
"""
from __future__ import annotations

import logging
import math
import os
import queue
import struct
import threading
import time
import wave
from pathlib import Path

from kiosk.tickets.spoken import spoken_number

log = logging.getLogger(__name__)

CHIME_NAME = "chime.wav"
RATE = 22050


def call_texts(call, tr, default_lang: str, direction=None, service_name=None) -> list[tuple[str, str]]:
    """What is said for a call: in the default language and, when different (and a catalog
    exists for it), in the ticket's language. `direction(lang)`, when given, is the short way
    to the desk shown under the number ("rechts, 12 meter"); it is said after the desk, so a
    visitor who cannot see the arrow hears it too ("Nummer A twaalf, balie vier, rechts").
    A transfer (`call.transfer`) to a desk says "Nummer A 12, ga naar balie 5" (with the
    direction); to a service "Nummer A 12, wacht nu op Paspoort" (`service_name(id, lang)`,
    else the service id)."""
    key = _message(call)
    langs = [default_lang]
    if call.lang and call.lang != default_lang and tr.has(key, call.lang):
        langs.append(call.lang)
    out = []
    for lang in langs:
        name = (service_name(call.service, lang) if service_name is not None else "") or call.service
        text = tr.gettext(key, lang, number=spoken_number(call.ticket, lang, tr), desk=call.desk, service=name)
        towards = direction is not None and (key != "transfer.spoken.service")
        way = (direction(lang) or "").strip() if towards else ""
        way = way[:1].lower() + way[1:]       # inside the sentence
        out.append((f"{text}, {way}" if way else text, lang))
    return out


def _message(call) -> str:
    if not getattr(call, "transfer", False):
        return "call.spoken"
    return "transfer.spoken.desk" if call.desk else "transfer.spoken.service"


def chime_samples(rate: int = RATE) -> bytes:
    """Two soft bell tones (E5 then C5), each with a quick attack and an exponential decay."""
    out = bytearray()
    for freq, secs in ((659.25, 0.45), (523.25, 0.75)):
        n = int(rate * secs)
        for i in range(n):
            t = i / rate
            env = min(1.0, t / 0.01) * math.exp(-4.0 * t)
            v = env * (0.6 * math.sin(2 * math.pi * freq * t) + 0.2 * math.sin(4 * math.pi * freq * t))
            out += struct.pack("<h", int(max(-1.0, min(1.0, v)) * 0.7 * 32767))
    return bytes(out)


def ensure_chime(data_dir: str | os.PathLike) -> Path:
    """The chime WAV in the data dir, made (atomically) when it is not there yet."""
    path = Path(data_dir) / CHIME_NAME
    if path.exists():
        return path
    tmp = path.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(chime_samples())
    os.replace(tmp, path)
    return path


class Announcer:
    def __init__(self, speech, chime_path: str | os.PathLike | None = None, max_pending: int = 3,
                 part_limit_s: float = 15.0):
        self.speech = speech
        self.chime_path = str(chime_path) if chime_path else None
        self.max_pending = max_pending
        self.part_limit_s = part_limit_s
        self._q: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hall-announcer", daemon=True)
        self._thread.start()

    def announce(self, texts: list[tuple[str, str]]) -> None:
        while self._q.qsize() >= self.max_pending:
            try:
                self._q.get_nowait()
                self._q.task_done()
            except queue.Empty:
                break
        self._q.put(list(texts))

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """True once everything queued has been played (tests)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._q.unfinished_tasks == 0:
                return True
            time.sleep(0.01)
        return False

    def close(self) -> None:
        self._stop.set()
        self._q.put(None)
        self._thread.join(2)
        try:
            self.speech.close()
        except Exception:  # noqa: BLE001 - closing must not stop shutdown
            log.exception("closing the speech device")

    def _run(self) -> None:
        while not self._stop.is_set():
            texts = self._q.get()
            try:
                if texts is None:
                    return
                self._play(texts)
            except Exception:  # noqa: BLE001 - one failed announcement must not end the worker
                log.exception("announcing a call failed")
            finally:
                self._q.task_done()

    def _play(self, texts) -> None:
        if self.chime_path and hasattr(self.speech, "play"):
            if self.speech.play(self.chime_path):
                self._wait()
        for text, lang in texts:
            if self._stop.is_set():
                return
            if self.speech.say(text, lang):
                self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + self.part_limit_s
        while self.speech.speaking() and time.monotonic() < deadline and not self._stop.is_set():
            time.sleep(0.05)
