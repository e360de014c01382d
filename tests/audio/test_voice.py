"""The guide's voice: off the caller's thread, newest command wins, closes cleanly."""
import threading

from devices.speech import DummySpeech
from kiosk.audio.voice import Voice


class SlowSpeech(DummySpeech):
    """A device whose say() takes a while: the first command blocks until released."""

    def __init__(self):
        super().__init__()
        self.gate = threading.Event()
        self.threads = set()

    def say(self, text, lang, rate=1.0, volume=1.0):
        self.threads.add(threading.current_thread().name)
        self.gate.wait(5)
        return super().say(text, lang, rate, volume)


def test_commands_run_on_the_worker_and_only_the_newest_waiting_one_counts():
    sp = SlowSpeech()
    v = Voice(lambda: sp, threaded=True)
    assert not v.speaking()
    v.say("een", "nl")
    assert not v.idle(0.1)                   # "een" is being handed over (blocked)
    assert v.speaking()
    v.say("twee", "nl")
    v.say("drie", "nl", rate=1.2)            # replaces "twee" before it started
    sp.gate.set()
    assert v.idle(5)
    assert sp.said == [("een", "nl"), ("drie", "nl")] and sp.spoken[-1].rate == 1.2
    assert sp.threads == {"voice"}
    v.say("vier", "nl")
    v.stop()
    assert v.idle(5)
    v.close()
    v.say("na het einde", "nl")
    assert ("na het einde", "nl") not in sp.said


def test_inline_voice_speaks_at_once_and_no_device_is_no_error(caplog):
    sp = DummySpeech()
    v = Voice(lambda: sp, threaded=False)
    v.say("hallo", "nl")
    assert sp.said == [("hallo", "nl")]
    v.close()
    assert sp.stopped == 1
    quiet = Voice(lambda: None, threaded=False)
    quiet.say("hallo", "nl")
    assert "no speech device" in caplog.text


def test_a_failing_device_does_not_stop_the_voice(caplog):
    class Broken(DummySpeech):
        def say(self, *a, **k):
            raise OSError("no sound card")
    v = Voice(lambda: Broken(), threaded=True)
    v.say("een", "nl")
    assert v.idle(5)
    v.say("twee", "nl")
    assert v.idle(5)
    assert caplog.text.count("speech say failed") == 2
    v.close()
