"""Speech with espeak-ng: voice per language, numbers read naturally, interruptible."""
import shutil
import string
import subprocess
import time
import wave

import pytest

from devices.factory import open_device
from devices.speech import DummySpeech, EspeakSpeech
from kiosk.i18n import Translator
from kiosk.tickets.spoken import spoken_number
from kiosk.tickets.issue import spoken_label

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed "
                                  "(scripts/sysdeps.sh run installs it)")


def phonemes(text, voice):
    """espeak-ng's phonemes without stress and pause marks (they vary with word breaks)."""
    out = subprocess.run([ESPEAK, "-q", "-x", "-v", voice, text], capture_output=True, text=True,
                         check=True).stdout
    return "".join(ch for ch in out if ch not in "',_! \n")


def letter_names(voice, text):
    """espeak-ng's phonemes, stress and pause marks dropped and a doubled sound said once
    ("zet twaalf" runs the two t's together)."""
    import re
    return re.sub(r"(.)\1", r"\1", phonemes(text, voice).replace(":", "").replace("|", ""))


def ssml_phonemes(voice, text):
    out = subprocess.run([ESPEAK, "-q", "-x", "-m", "-v", voice, text], capture_output=True,
                         text=True, check=True).stdout
    import re
    return re.sub(r"(.)\1", r"\1", "".join(ch for ch in out if ch not in "',_!:| \n"))


@needs_espeak
@pytest.mark.parametrize("label,voice,words", [
    ("A012", "nl", "A twaalf"),
    ("A001", "nl", "A een"),
    ("B120", "nl", "B honderd twintig"),
    ("B012", "en", "B twelve"),
])
def test_numbers_are_read_as_numbers(label, voice, words):
    """What espeak-ng says for our text equals what it says for the words written out,
    and differs from reading the padded digits one by one."""
    said = phonemes(spoken_number(label, voice, Translator()), voice)
    assert said == phonemes(words, voice)
    if label[1] == "0":
        assert said != phonemes(label, voice)          # the padded label says "nul"/"zero"
        zero = phonemes("nul" if voice == "nl" else "zero", voice)
        assert zero in phonemes(label, voice) and zero not in said


@needs_espeak
@pytest.mark.parametrize("voice", ["nl", "en"])
def test_every_letter_is_read_as_the_letter(voice):
    """For A-Z, espeak-ng hears our text as the letter's name (espeak-ng's own SSML
    say-as characters) followed by the number: never the English article 'a' ("uh") or
    the Dutch "'s"."""
    wrong = []
    for letter in string.ascii_uppercase:
        said = letter_names(voice, spoken_number(f"{letter}012", voice, Translator()))
        ref = ssml_phonemes(voice, f'<say-as interpret-as="characters">{letter}</say-as> 12')
        if said != ref:
            wrong.append((letter, said, ref))
    assert wrong == []


def test_spoken_number_texts():
    tr = Translator()
    assert [spoken_number(x, "nl", tr) for x in ("A012", "S003", "B120", "X")] == \
        ["A 12", "Es 3", "B 120", "X"]
    assert [spoken_number(x, "en", tr) for x in ("A012", "S003", "B120")] == ["A12", "S3", "B120"]
    assert spoken_label("A012") == "A 12"


def test_url_options():
    sp = open_device("speech", "espeak://?rate=170&voice_en=en-gb")
    assert isinstance(sp, EspeakSpeech)
    assert sp.rate == 170 and sp.voice("en") == "en-gb" and sp.voice("nl") == "nl"
    assert sp.command("Uw nummer is A 12", "nl") == ["espeak-ng", "-v", "nl", "-s", "170",
                                                     "-a", "100", "--", "Uw nummer is A 12"]
    quiet = open_device("speech", "espeak://", volume=40)
    assert quiet.command("x", "en")[5:7] == ["-a", "40"]
    with pytest.raises(ValueError, match="outside 80..450"):
        open_device("speech", "espeak://?rate=5")
    assert isinstance(open_device("speech", "dummy://"), DummySpeech)


def test_text_starting_with_a_dash_is_not_an_option():
    sp = EspeakSpeech()
    cmd = sp.command("-w /etc/passwd", "nl")
    assert cmd[-2:] == ["--", "-w /etc/passwd"]


@needs_espeak
def test_say_writes_audio_in_the_language(tmp_path):
    sp = EspeakSpeech.from_url(f"espeak://?out={tmp_path}")
    assert sp.say("Uw nummer is A 12. Wacht bij wachtruimte B.", "nl")
    assert sp.wait(10) == 0
    wav = tmp_path / "speech-0001.wav"
    with wave.open(str(wav)) as w:
        seconds = w.getnframes() / w.getframerate()
    assert seconds > 1.0 and seconds < 10  # about 1.5 s of speech, not silence or a hang


@needs_espeak
def test_volume_changes_the_loudness(tmp_path):
    import array

    def peak(volume):
        out = tmp_path / str(volume)
        sp = EspeakSpeech.from_url(f"espeak://?out={out}", volume=volume)
        sp.say("Uw nummer is A 12", "nl")
        assert sp.wait(10) == 0
        with wave.open(str(out / "speech-0001.wav")) as w:
            samples = array.array("h", w.readframes(w.getnframes()))
        return max(abs(s) for s in samples)
    assert peak(20) < peak(100) * 0.5


@needs_espeak
def test_say_again_interrupts_the_previous_utterance(tmp_path):
    sp = EspeakSpeech(out_dir=None, binary=ESPEAK)
    # a long text to a null audio sink would still take seconds; use a fake player instead
    sp.binary = "sleep"
    sp.command = lambda text, lang, *scale: ["sleep", "30"]
    assert sp.say("eerste", "nl")
    first = sp._proc
    assert sp.speaking()
    t0 = time.monotonic()
    assert sp.say("tweede", "nl")
    assert first.poll() is not None          # the first one was stopped
    assert time.monotonic() - t0 < 5
    sp.stop()
    assert not sp.speaking()


def test_missing_binary_is_reported_not_raised(caplog):
    sp = EspeakSpeech(binary="/nonexistent/espeak-ng")
    assert not sp.available()
    assert sp.say("Uw nummer is A 12", "nl") is False
    assert "cannot start" in caplog.text


def test_empty_text_is_not_spoken():
    sp = EspeakSpeech(binary="/nonexistent/espeak-ng")
    assert sp.say("   ", "nl") is False
