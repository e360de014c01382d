"""Spoken output with espeak-ng (offline), one utterance at a time, interruptible.

  espeak://[?rate=150&voice_en=en-gb&out=DIR&player=aplay&stream=1]   espeak-ng on the default
      audio device (the `volume` option, 0-100, from devices.speech.volume, is its amplitude);
      `rate` in words per minute; voice_<lang> overrides the voice for a language (default:
      the language code, e.g. nl, en); out=DIR streams each utterance into DIR/speech-N.wav
      instead of playing it (simulation, tests, the benchmark): espeak-ng writes to its
      standard output and a pump thread copies the audio into the file as it comes, so the
      first audio exists while the rest is still being made; `player` plays sound files
      such as the hall display's chime (aplay or paplay, default aplay; with out=DIR a copy
      goes to DIR/speech-N-sound.wav instead); stream=1 sends espeak-ng's audio the same way
      (its standard output, the pump) into `player` reading from its stdin, instead of
      espeak-ng's own audio output: the path the benchmark measures, and a stop kills the
      player too, so nothing buffered plays on.
  dummy://                                       records (text, lang) in `said`, every
      utterance with its rate and volume in `spoken`, played sound files in `played` (the
      last DUMMY_HISTORY of each: a simulated kiosk runs for months).

`say(text, lang, rate=1.0, volume=1.0)` returns at once (True when speaking started); `rate`
and `volume` scale the configured rate and volume for this utterance only (a visitor's own
setting in audio-guided mode; the caller keeps it). A new `say` or `stop()` ends the previous
utterance at once: espeak-ng is killed (SIGKILL, no grace period: there is nothing to save),
so its audio stops within milliseconds. Option `on_audio` (a callable, out=DIR only) is called
on the pump thread when an utterance's first audio bytes arrive: "audio starts".
Numbers are left as digits ("A 12") for espeak-ng to read naturally in the voice's language
("A twaalf", "A twelve").
"""
from __future__ import annotations

import logging
import os
import shutil
import struct
import subprocess
import threading
from pathlib import Path
from typing import Callable, NamedTuple
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger(__name__)

MAX_TEXT = 2000   # a whole spoken ticket with its directions fits
DUMMY_HISTORY = 50
PLAYERS = {"aplay": ["aplay", "-q"], "paplay": ["paplay"]}  # closed list: config never names a program
STREAM_PLAYERS = {"aplay": ["aplay", "-q", "-"], "paplay": ["paplay"]}   # the same, reading stdin
RATE_WPM = (80, 450)      # what espeak-ng accepts
AMPLITUDE = (0, 200)      # espeak-ng's amplitude; 100 is its normal level
WAV_HEADER = 44           # espeak-ng --stdout: a RIFF header with open-ended sizes, then samples


class Utterance(NamedTuple):
    text: str
    lang: str
    rate: float = 1.0
    volume: float = 1.0


class DummySpeech:
    def __init__(self, url: str = "dummy://", volume: int = 100):
        self.url = url
        self.volume = volume
        self.said: list[tuple[str, str]] = []
        self.spoken: list[Utterance] = []
        self.played: list[str] = []
        self.stopped = 0
        self.busy = False   # a test sets it to play "speech still playing" (speaking())

    @classmethod
    def from_url(cls, url: str, volume: int = 100, **options) -> "DummySpeech":
        return cls(url, volume)

    def say(self, text: str, lang: str, rate: float = 1.0, volume: float = 1.0) -> bool:
        self.said.append((text, lang))
        del self.said[:-DUMMY_HISTORY]
        self.spoken.append(Utterance(text, lang, rate, volume))
        del self.spoken[:-DUMMY_HISTORY]
        return True

    def play(self, path: str) -> bool:
        self.played.append(str(path))
        del self.played[:-DUMMY_HISTORY]
        return True

    def stop(self) -> None:
        self.stopped += 1

    def speaking(self) -> bool:
        return self.busy

    def close(self) -> None:
        pass


class EspeakSpeech:
    def __init__(self, url: str = "espeak://", rate: int = 150,
                 voices: dict[str, str] | None = None, out_dir: str | None = None,
                 binary: str = "espeak-ng", volume: int = 100, player: str = "aplay",
                 on_audio: Callable[[], None] | None = None, stream: bool = False):
        self.url = url
        self.rate = rate
        self.volume = volume  # 0-100, passed as espeak-ng's amplitude
        self.voices = voices or {}
        self.out_dir = Path(out_dir) if out_dir else None
        self.binary = binary
        self.player = player
        self.on_audio = on_audio
        self.stream = stream            # espeak-ng's audio through our pump into `player`
        self._proc: subprocess.Popen | None = None
        self._sink: subprocess.Popen | None = None   # the player fed by the pump (stream=1)
        self._pump: threading.Thread | None = None
        self._lock = threading.Lock()
        self._count = 0

    @classmethod
    def from_url(cls, url: str, volume: int = 100, **options) -> "EspeakSpeech":
        q = {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}
        try:
            rate = int(q.get("rate", "150"))
        except ValueError:
            raise ValueError(f"speech URL {url!r}: rate must be a whole number") from None
        if not RATE_WPM[0] <= rate <= RATE_WPM[1]:
            raise ValueError(f"speech URL {url!r}: rate {rate} is outside 80..450")
        voices = {k[6:]: v for k, v in q.items() if k.startswith("voice_")}
        player = q.get("player", "aplay")
        if player not in PLAYERS:
            raise ValueError(f"speech URL {url!r}: player must be one of {', '.join(PLAYERS)}")
        stream = q.get("stream", "0")
        if stream not in ("0", "1"):
            raise ValueError(f"speech URL {url!r}: stream must be 1 or 0 (got {stream!r})")
        return cls(url, rate, voices, q.get("out"), volume=volume, player=player,
                   on_audio=options.get("on_audio"), stream=stream == "1")

    def voice(self, lang: str) -> str:
        return self.voices.get(lang, lang)

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    def command(self, text: str, lang: str, rate: float = 1.0, volume: float = 1.0) -> list[str]:
        """espeak-ng's arguments; `rate` and `volume` scale the configured ones."""
        wpm = max(RATE_WPM[0], min(RATE_WPM[1], round(self.rate * rate)))
        amp = max(AMPLITUDE[0], min(AMPLITUDE[1], round(int(self.volume) * volume)))
        cmd = [self.binary, "-v", self.voice(lang), "-s", str(wpm), "-a", str(amp)]
        if self.out_dir is not None or self.stream:
            cmd.append("--stdout")
        return cmd + ["--", text]

    def say(self, text: str, lang: str, rate: float = 1.0, volume: float = 1.0) -> bool:
        text = " ".join(text.split())[:MAX_TEXT]
        if not text:
            return False
        with self._lock:
            self._stop_locked()
            out = None
            if self.out_dir is not None:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                self._count += 1
                out = self.out_dir / f"speech-{self._count:04d}.wav"
            elif self.stream:
                try:
                    self._sink = subprocess.Popen(
                        STREAM_PLAYERS[self.player], stdin=subprocess.PIPE,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                except OSError as e:
                    log.warning("cannot start %s: %s", self.player, e)
                    return False
            piped = out is not None or self._sink is not None
            try:
                self._proc = subprocess.Popen(
                    self.command(text, lang, rate, volume), stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE if piped else subprocess.DEVNULL, stderr=subprocess.PIPE)
            except OSError as e:
                log.warning("cannot start %s: %s", self.binary, e)
                self._proc = None
                self._stop_locked()
                return False
            if out is not None:
                target, args = self._stream, (self._proc, out)
            elif piped:
                target, args = self._to_player, (self._proc, self._sink)
            if piped:
                self._pump = threading.Thread(target=target, args=args, name="speech-pump",
                                              daemon=True)
                self._pump.start()
        return True

    def _copy(self, proc: subprocess.Popen, write: Callable[[bytes], object]) -> None:
        """espeak-ng's output to `write` as it comes; on_audio at the first audio samples."""
        fd, total = proc.stdout.fileno(), 0
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                return
            write(chunk)
            before, total = total, total + len(chunk)
            if before <= WAV_HEADER < total and self.on_audio is not None:
                try:
                    self.on_audio()
                except Exception:  # noqa: BLE001 - an observer must not stop audio
                    log.exception("speech on_audio failed")

    def _to_player(self, proc: subprocess.Popen, player: subprocess.Popen) -> None:
        """stream=1: the audio into the player's stdin; stopping kills both."""
        try:
            self._copy(proc, player.stdin.write)
            player.stdin.close()       # the player plays what it has, then ends
        except (OSError, ValueError):
            pass                       # stopped: the player was killed
        finally:
            proc.stdout.close()

    def _stream(self, proc: subprocess.Popen, out: Path) -> None:
        """Copy espeak-ng's audio into `out` as it comes; the WAV sizes are set at the end."""
        try:
            with open(out, "wb") as f:
                self._copy(proc, f.write)
                f.flush()
                _close_wav(f)
            if out.stat().st_size <= WAV_HEADER:
                out.unlink()      # stopped before any sound: nothing was said
        except OSError as e:
            log.warning("speech into %s failed: %s", out, e)
        finally:
            proc.stdout.close()

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
        return any(p is not None and p.poll() is None for p in (self._proc, self._sink))

    def wait(self, timeout: float = 10.0) -> int | None:
        """Wait for the utterance (with out=DIR its file, with stream=1 its player) to end."""
        p, pump = self._proc, self._pump
        if p is None:
            return None
        try:
            rc = p.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        if pump is not None:
            pump.join(timeout)
        sink = self._sink
        if sink is not None:
            try:
                sink.wait(timeout)
            except subprocess.TimeoutExpired:
                return None
        if rc != 0 and p.stderr is not None:
            try:
                log.warning("espeak-ng failed (%s): %s", rc,
                            p.stderr.read().decode(errors="replace"))
            except (OSError, ValueError):
                pass
        return rc

    def stop(self) -> None:
        with self._lock:
            self._stop_locked()

    def _stop_locked(self) -> None:
        for p in (self._sink, self._proc):       # the player first: silence comes from it
            if p is not None and p.poll() is None:
                p.kill()          # at once: a visitor's key or touch must silence it now
                try:
                    p.wait(2)
                except subprocess.TimeoutExpired:
                    log.warning("speech process %s did not end after SIGKILL", p.pid)
            if p is not None and p.stderr is not None:
                p.stderr.close()
        self._proc = self._sink = None

    def close(self) -> None:
        self.stop()
        pump = self._pump
        if pump is not None:
            pump.join(2)


def _close_wav(f) -> None:
    """Set the RIFF and data sizes of a streamed WAV file (espeak-ng cannot seek a pipe)."""
    size = f.tell()
    if size < WAV_HEADER:
        return
    f.seek(4)
    f.write(struct.pack("<I", size - 8))
    f.seek(40)
    f.write(struct.pack("<I", size - WAV_HEADER))
