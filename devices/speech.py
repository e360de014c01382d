"""Spoken output with espeak-ng (offline), one utterance at a time, interruptible.

  espeak://[?rate=150&voice_en=en-gb&out=DIR&player=aplay]   espeak-ng on the default audio
      device (the `volume` option, 0-100, from devices.speech.volume, is its amplitude);
      `rate` in words per minute; voice_<lang> overrides the voice for a language (default:
      the language code, e.g. nl, en); out=DIR writes each utterance to DIR/speech-N.wav
      instead of playing it (simulation and tests); `player` plays sound files such as
      the hall display's chime (aplay or paplay, default aplay; with out=DIR a copy goes to
      DIR/speech-N-sound.wav instead).
  dummy://                                       records (text, lang) in `said`, played
      sound files in `played` (the last DUMMY_HISTORY of each: a simulated kiosk runs for
      months).

`say(text, lang)` returns at once (True when speaking started); a new `say` or `stop()`
ends the previous utterance. Numbers are left as digits ("A 12") for espeak-ng to read
naturally in the voice's language ("A twaalf", "A twelve").
"""
from __future__ import annotations

import logging
import shutil
import subprocess
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger(__name__)

MAX_TEXT = 600
DUMMY_HISTORY = 50
PLAYERS = {"aplay": ["aplay", "-q"], "paplay": ["paplay"]}  # closed list: config never names a program


class DummySpeech:
    def __init__(self, url: str = "dummy://", volume: int = 100):
        self.url = url
        self.volume = volume
        self.said: list[tuple[str, str]] = []
        self.played: list[str] = []
        self.stopped = 0

    @classmethod
    def from_url(cls, url: str, volume: int = 100, **options) -> "DummySpeech":
        return cls(url, volume)

    def say(self, text: str, lang: str) -> bool:
        self.said.append((text, lang))
        del self.said[:-DUMMY_HISTORY]
        return True

    def play(self, path: str) -> bool:
        self.played.append(str(path))
        del self.played[:-DUMMY_HISTORY]
        return True

    def stop(self) -> None:
        self.stopped += 1

    def speaking(self) -> bool:
        return False

    def close(self) -> None:
        pass


class EspeakSpeech:
    def __init__(self, url: str = "espeak://", rate: int = 150, voices: dict[str, str] | None = None,
                 out_dir: str | None = None, binary: str = "espeak-ng", volume: int = 100,
                 player: str = "aplay"):
        self.url = url
        self.rate = rate
        self.volume = volume  # 0-100, passed as espeak-ng's amplitude
        self.voices = voices or {}
        self.out_dir = Path(out_dir) if out_dir else None
        self.binary = binary
        self.player = player
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._count = 0

    @classmethod
    def from_url(cls, url: str, volume: int = 100, **options) -> "EspeakSpeech":
        q = {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}
        try:
            rate = int(q.get("rate", "150"))
        except ValueError:
            raise ValueError(f"speech URL {url!r}: rate must be a whole number") from None
        if not 80 <= rate <= 450:
            raise ValueError(f"speech URL {url!r}: rate {rate} is outside 80..450")
        voices = {k[6:]: v for k, v in q.items() if k.startswith("voice_")}
        player = q.get("player", "aplay")
        if player not in PLAYERS:
            raise ValueError(f"speech URL {url!r}: player must be one of {', '.join(PLAYERS)}")
        return cls(url, rate, voices, q.get("out"), volume=volume, player=player)

    def voice(self, lang: str) -> str:
        return self.voices.get(lang, lang)

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    def command(self, text: str, lang: str) -> list[str]:
        cmd = [self.binary, "-v", self.voice(lang), "-s", str(self.rate),
               "-a", str(max(0, min(100, int(self.volume))))]
        if self.out_dir is not None:
            self._count += 1
            cmd += ["-w", str(self.out_dir / f"speech-{self._count:04d}.wav")]
        return cmd + ["--", text]

    def say(self, text: str, lang: str) -> bool:
        text = " ".join(text.split())[:MAX_TEXT]
        if not text:
            return False
        with self._lock:
            self._stop_locked()
            if self.out_dir is not None:
                self.out_dir.mkdir(parents=True, exist_ok=True)
            try:
                self._proc = subprocess.Popen(self.command(text, lang), stdin=subprocess.DEVNULL,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            except OSError as e:
                log.warning("cannot start %s: %s", self.binary, e)
                self._proc = None
                return False
        return True

    def play(self, path: str) -> bool:
        """Play a sound file (WAV) the same way: one at a time, interruptible."""
        with self._lock:
            self._stop_locked()
            if self.out_dir is not None:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                self._count += 1
                try:
                    shutil.copyfile(path, self.out_dir / f"speech-{self._count:04d}-sound.wav")
                except OSError as e:
                    log.warning("cannot keep sound %s: %s", path, e)
                    return False
                return True
            if shutil.which(self.player) is None:
                log.warning("cannot play %s: %s is not installed", path, self.player)
                return False
            try:
                self._proc = subprocess.Popen([*PLAYERS[self.player], str(path)],
                                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                              stderr=subprocess.PIPE)
            except OSError as e:
                log.warning("cannot start %s: %s", self.player, e)
                self._proc = None
                return False
        return True

    def speaking(self) -> bool:
        p = self._proc
        return p is not None and p.poll() is None

    def wait(self, timeout: float = 10.0) -> int | None:
        p = self._proc
        if p is None:
            return None
        try:
            rc = p.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        if rc != 0 and p.stderr is not None:
            log.warning("espeak-ng failed (%s): %s", rc, p.stderr.read().decode(errors="replace"))
        return rc

    def stop(self) -> None:
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        p = self._proc
        if p is not None and p.poll() is None:
            p.terminate()
            try:
                p.wait(1)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if p is not None and p.stderr is not None:
            p.stderr.close()
        self._proc = None

    def close(self) -> None:
        self.stop()
