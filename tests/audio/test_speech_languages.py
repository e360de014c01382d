"""Speech in all six languages (issue 14): the spoken ticket comes from each language's own
catalog (no English fallback), and espeak-ng says it with that language's voice."""
import io
import logging
import shutil
import subprocess
import wave

import pytest

from devices.speech import EspeakSpeech
from kiosk.audio.ticket import spoken_ticket
from kiosk.i18n import Translator
from kiosk.tickets.spoken import spoken_number

ESPEAK = shutil.which("espeak-ng")
LANGS = ["nl", "en", "pl", "tr", "ar", "uk"]


def ticket_text(lang, caplog):
    t = Translator(lang)
    with caplog.at_level(logging.WARNING, logger="kiosk.i18n"):
        text = spoken_ticket(t, lang, label="B012", service="X", people_ahead=3, wait=(5, 15),
                             place="Y", print_status="printed")
    assert [r for r in caplog.records if "translation" in r.getMessage()] == []
    return text


def wav_seconds(cmd):
    out = subprocess.run(cmd, capture_output=True, timeout=60)
    assert out.returncode == 0 and not out.stderr, out.stderr
    with wave.open(io.BytesIO(out.stdout)) as w:
        return w.getnframes() / w.getframerate(), out.stdout


@pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed")
@pytest.mark.parametrize("lang", LANGS)
def test_the_ticket_is_said_in_the_language_with_its_voice(lang, caplog):
    text = ticket_text(lang, caplog)
    sp = EspeakSpeech(binary=ESPEAK)
    cmd = sp.command(text, lang)
    assert cmd[cmd.index("-v") + 1] == lang
    cmd.insert(-2, "--stdout")
    seconds, audio = wav_seconds(cmd)
    assert seconds > 3
    other = "en" if lang != "en" else "nl"
    other_cmd = sp.command(text, other)
    other_cmd.insert(-2, "--stdout")
    assert wav_seconds(other_cmd)[1] != audio          # the language's own voice, not another


def test_ticket_numbers_are_said_the_way_each_language_reads_them():
    t = Translator()
    said = {lang: spoken_number("B012", lang, t) for lang in LANGS}
    assert said["uk"] == "бе 12"          # a Latin letter by its Ukrainian name
    assert all(s.endswith("12") for s in said.values())   # 12, not "zero one two"
