"""Speech benchmark (issue 13): `speech.key_to_voice_p95`, a keypad key press to the start of
its spoken answer, against espeak-ng alone on the same text, measured interleaved in one run.

The path measured: the simulated keypad (sim://) -> Kiosk.open_keypad's handler ->
AudioGuide.key("down") (focus moves, the item's text from the catalogs) -> the voice's worker
thread -> EspeakSpeech.say (espeak-ng started, the previous utterance stopped if still on) ->
its pump thread. "Audio starts" is the moment the first audio samples (past espeak-ng's 44-byte
WAV header) from espeak-ng's standard output reach the kiosk's pump, which hands them on to the
player (here: a WAV file, `out=DIR`, so it runs headless). Baseline: the bench starts
`espeak-ng --stdout` itself with the same voice, rate, amplitude and text and reads its output
until the first audio samples arrive. The kiosk's UI-thread hop (one Kivy frame at most) is
not part of this path; each round waits until both are quiet before the next.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench.report import percentile

ROUNDS = int(os.environ.get("BENCH_SPEECH_ROUNDS", "60"))
WARMUP = 5
WAV_HEADER = 44


def _baseline_once(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    got = 0
    fd = p.stdout.fileno()
    while got <= WAV_HEADER:
        chunk = os.read(fd, 65536)
        if not chunk:
            raise RuntimeError(f"espeak-ng gave no audio for {cmd!r}")
        got += len(chunk)
    t = time.perf_counter() - t0
    p.stdout.close()
    p.wait()
    return t


def run(report) -> None:
    if shutil.which("espeak-ng") is None:
        raise RuntimeError("espeak-ng is not installed (apt install espeak-ng)")
    from devices.speech import EspeakSpeech
    from kiosk.appliance.core import Kiosk
    from kiosk.audio.focus import FocusItem
    from kiosk.clock import FakeClock
    from kiosk.config.loader import Layer, validate_layers

    tmp = Path(tempfile.mkdtemp(prefix="bench-speech-"))
    cfg, _ = validate_layers([Layer("bench.toml", {"device": {"role": "feedback"},
                                                   "devices": {"keypad": {"url": "sim://"}}})])
    core = Kiosk(cfg, data_dir=tmp / "data", clock=FakeClock())
    started = threading.Event()
    mark = {}

    def on_audio():
        mark["t"] = time.perf_counter()
        started.set()
    speech = EspeakSpeech.from_url(f"espeak://?out={tmp / 'speech'}", on_audio=on_audio)
    core.devices.put("speech", speech)
    try:
        keypad = core.open_keypad()
        labels = ["Wachttijd", "Vriendelijkheid", "Duidelijkheid", "Resultaat"]
        core.audio.enter("reasons", "Wat was de reden?", "Kies een of meer redenen",
                         [FocusItem(f"r{i}", label, role="toggle", chosen=False,
                                    activate=lambda: None) for i, label in enumerate(labels)])
        keypad.press("down")                       # the first key: audio mode and its welcome
        core.audio.voice.idle(10)
        speech.wait(30)
        ours, base = [], []
        for i in range(WARMUP + ROUNDS):
            started.clear()
            t0 = time.perf_counter()
            keypad.press("down")
            if not started.wait(10):
                raise RuntimeError("no audio from the guide within 10 s")
            a = mark["t"] - t0
            core.audio.voice.idle(10)
            speech.wait(10)
            text = core.audio.last
            b = _baseline_once(speech.command(text, "nl"))
            if i >= WARMUP:
                ours.append(a * 1000)
                base.append(b * 1000)
    finally:
        core.close()
        shutil.rmtree(tmp, ignore_errors=True)
    a95, b95 = percentile(ours, 95), percentile(base, 95)
    report.add("speech.key_to_voice_p95", a95, "ms", baseline=b95, target="ratio <= 1.5",
               met=a95 <= 1.5 * b95,
               note=f"{ROUNDS} keypad 'down' presses through the audio guide to espeak-ng's first "
                    f"audio samples reaching the kiosk's pump (p50 {percentile(ours, 50):.1f} ms); "
                    f"baseline: espeak-ng --stdout alone on the same text, first samples "
                    f"(p50 {percentile(base, 50):.1f} ms), interleaved")
