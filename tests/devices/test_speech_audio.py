"""Speech for audio-guided mode: a visitor's rate and volume per utterance, audio streamed
as it is made (the first bytes observable), and stop() silencing it at once."""
import shutil
import time
import wave

import pytest

from devices.speech import DummySpeech, EspeakSpeech, Utterance

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed")


def test_rate_and_volume_scale_the_configured_ones_within_espeak_bounds():
    sp = EspeakSpeech(rate=150, volume=80)
    cmd = sp.command("Hallo", "nl", rate=1.5, volume=0.5)
    assert cmd[3:7] == ["-s", "225", "-a", "40"]
    assert sp.command("x", "nl", rate=10, volume=10)[3:7] == ["-s", "450", "-a", "200"]
    assert sp.command("x", "nl", rate=0.1, volume=0)[3:7] == ["-s", "80", "-a", "0"]
    assert sp.command("x", "nl")[3:7] == ["-s", "150", "-a", "80"]   # the staff's setting


def test_dummy_keeps_said_and_every_utterance_with_its_setting():
    sp = DummySpeech()
    sp.say("Harder", "nl", rate=1.0, volume=1.25)
    sp.say("Hello", "en")
    assert sp.said == [("Harder", "nl"), ("Hello", "en")]
    assert sp.spoken == [Utterance("Harder", "nl", 1.0, 1.25), Utterance("Hello", "en", 1.0, 1.0)]
    for i in range(200):
        sp.say(str(i), "nl")
    assert len(sp.said) == len(sp.spoken) == 50


def test_stop_ends_a_long_utterance_at_once():
    sp = EspeakSpeech(binary="sleep")
    sp.command = lambda text, lang, *scale: ["sleep", "30"]   # an utterance that lasts
    assert sp.say("lang verhaal", "nl")
    proc = sp._proc
    t0 = time.monotonic()
    sp.stop()
    assert time.monotonic() - t0 < 0.5
    assert proc.poll() is not None and not sp.speaking()


@needs_espeak
def test_audio_streams_and_its_start_is_observed(tmp_path):
    starts = []
    sp = EspeakSpeech.from_url(f"espeak://?out={tmp_path}", on_audio=lambda: starts.append(
        time.monotonic()))
    t0 = time.monotonic()
    assert sp.say("Wachttijd, gekozen, 2 van 4", "nl", rate=1.25)
    assert sp.wait(10) == 0
    assert len(starts) == 1 and starts[0] - t0 < 2
    with wave.open(str(tmp_path / "speech-0001.wav")) as w:
        seconds = w.getnframes() / w.getframerate()
    assert 0.5 < seconds < 5


@needs_espeak
def test_faster_rate_is_shorter(tmp_path):
    def seconds(rate, name):
        sp = EspeakSpeech.from_url(f"espeak://?out={tmp_path / name}")
        sp.say("Dit is een zin om de snelheid te horen", "nl", rate=rate)
        assert sp.wait(10) == 0
        with wave.open(str(tmp_path / name / "speech-0001.wav")) as w:
            return w.getnframes() / w.getframerate()
    assert seconds(1.5, "fast") < seconds(1.0, "normal") * 0.8


@needs_espeak
def test_interrupted_stream_is_still_a_readable_file(tmp_path):
    sp = EspeakSpeech.from_url(f"espeak://?out={tmp_path}")
    sp.say("Een lange tekst. " * 40, "nl")
    sp.say("Kort", "nl")
    assert sp.wait(10) == 0
    sp.close()
    assert (tmp_path / "speech-0002.wav").exists()   # the first may have ended before any sound
    for f in sorted(tmp_path.iterdir()):
        with wave.open(str(f)) as w:
            assert w.getframerate() > 0


@needs_espeak
def test_stream_into_the_player_and_stop_silences_both(tmp_path, monkeypatch):
    import devices.speech as speech
    got = tmp_path / "played.wav"
    monkeypatch.setitem(speech.STREAM_PLAYERS, "aplay", ["sh", "-c", f"cat > {got}"])
    starts = []
    sp = EspeakSpeech.from_url("espeak://?stream=1", on_audio=lambda: starts.append(1))
    assert sp.command("x", "nl")[-3:] == ["--stdout", "--", "x"]
    assert sp.say("Uw nummer is A 12", "nl")
    assert sp.wait(10) == 0
    assert starts == [1] and got.read_bytes()[:4] == b"RIFF" and got.stat().st_size > 10000
    monkeypatch.setitem(speech.STREAM_PLAYERS, "aplay", ["sleep", "30"])   # a player that lasts
    sp.say("Nog een zin", "nl")
    player = sp._sink
    t0 = time.monotonic()
    sp.stop()
    assert time.monotonic() - t0 < 0.5 and player.poll() is not None and not sp.speaking()
    with pytest.raises(ValueError, match="stream must be 1 or 0"):
        EspeakSpeech.from_url("espeak://?stream=yes")
