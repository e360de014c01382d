"""Announcing calls: exact spoken texts in Dutch and English (what espeak-ng receives),
the chime, and the order chime -> Dutch -> ticket language."""
import wave

import pytest

from devices.speech import DummySpeech, EspeakSpeech
from kiosk.hall.announce import Announcer, call_texts, ensure_chime
from kiosk.i18n import Translator
from kiosk.hall.client import Call

tr = Translator("nl")


def call(ticket="A012", desk="4", lang="nl", recall=False):
    return Call(1, ticket, "passport", desk, lang, "2026-03-02T09:00:00.000Z", recall)


@pytest.mark.parametrize("c,expect", [
    (call(lang="nl"), [("Nummer A 12, balie 4", "nl")]),
    (call(lang="en"), [("Nummer A 12, balie 4", "nl"), ("Number A12, desk 4", "en")]),
    (call("S003", "12", "en"), [("Nummer Es 3, balie 12", "nl"), ("Number S3, desk 12", "en")]),
    (call("B120", "2", ""), [("Nummer B 120, balie 2", "nl")]),
    (call(lang="xx"), [("Nummer A 12, balie 4", "nl")]),        # no catalog: Dutch only
])
def test_spoken_texts(c, expect):
    assert call_texts(c, tr, "nl") == expect


def test_the_direction_is_said_after_the_desk():
    ways = {"nl": "Rechts, ongeveer 12 meter", "en": "To your right, about 12 metres"}
    assert call_texts(call(lang="en"), tr, "nl", direction=ways.get) == [
        ("Nummer A 12, balie 4, rechts, ongeveer 12 meter", "nl"),
        ("Number A12, desk 4, to your right, about 12 metres", "en")]
    assert call_texts(call(), tr, "nl", direction=lambda _lang: "") == [("Nummer A 12, balie 4", "nl")]


def test_a_display_whose_default_is_english_says_english_first():
    assert call_texts(call(lang="nl"), tr, "en") == [("Number A12, desk 4", "en"),
                                                    ("Nummer A 12, balie 4", "nl")]


def test_chime_is_a_short_wav_made_once(tmp_path):
    path = ensure_chime(tmp_path)
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        assert 0.5 < w.getnframes() / w.getframerate() < 2.0
    before = path.stat().st_mtime_ns
    assert ensure_chime(tmp_path) == path and path.stat().st_mtime_ns == before


def test_announcer_plays_chime_then_each_language_in_order(tmp_path):
    speech = DummySpeech()
    a = Announcer(speech, ensure_chime(tmp_path))
    try:
        a.announce(call_texts(call(lang="en"), tr, "nl"))
        a.announce(call_texts(call("C002", "1"), tr, "nl"))
        assert a.wait_idle()
    finally:
        a.close()
    assert speech.played == [str(tmp_path / "chime.wav")] * 2
    assert speech.said == [("Nummer A 12, balie 4", "nl"), ("Number A12, desk 4", "en"),
                           ("Nummer C 2, balie 1", "nl")]


def test_simulated_speech_keeps_the_chime_and_the_spoken_call(tmp_path):
    """With --simulate the speech device is espeak-ng writing WAV files: the chime is
    copied there, then the call is spoken into the next file."""
    out = tmp_path / "sim-speech"
    sp = EspeakSpeech.from_url(f"espeak://?out={out}")
    if not sp.available():
        pytest.fail("espeak-ng is not installed (make test installs it as root)", pytrace=False)
    a = Announcer(sp, ensure_chime(tmp_path))
    try:
        a.announce([("Nummer A 12, balie 4", "nl")])
        assert a.wait_idle(20)
    finally:
        a.close()
    assert sorted(p.name for p in out.iterdir()) == ["speech-0001-sound.wav", "speech-0002.wav"]
    with wave.open(str(out / "speech-0002.wav")) as w:
        assert w.getnframes() > 0
