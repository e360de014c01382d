"""The simulated devices keep a bounded history: `kiosk run --simulate` (and the soak bench)
runs them for as long as the kiosk runs."""
from devices import printer_sim
from devices.buttons import SimulatedButtons
from devices.printer_sim import PrinterSimulator
from devices.speech import DUMMY_HISTORY, DummySpeech

JOB = b"\x1b@\x1ba\x01Uw nummer\nA012\n\x1dV\x00"


def test_printer_simulator_keeps_the_last_jobs_whole_and_forgets_older_ones():
    sim = PrinterSimulator("pty")  # not started: bytes are fed as the port would deliver them
    answers = []
    many = printer_sim.HISTORY_BYTES // len(JOB) * 3
    for n in range(many):
        job = JOB.replace(b"A012", b"A%04d" % n)
        sim._feed(b"\x10\x04\x01" + job[:10], answers.append)  # a status query, half a job
        sim._feed(job[10:], answers.append)
    assert len(answers) == many                              # every query still answered
    assert len(sim.jobs) == printer_sim.HISTORY_JOBS
    assert sim.jobs[-1] == JOB.replace(b"A012", b"A%04d" % (many - 1))
    assert len(sim.received) <= printer_sim.HISTORY_BYTES + len(JOB) + 4
    assert sim.received.endswith(sim.jobs[-1])
    assert len(sim.raw) <= printer_sim.HISTORY_BYTES
    assert sim.raw.endswith(sim.jobs[-1])


def test_printer_simulator_splits_jobs_after_cutting_back_its_history():
    sim = PrinterSimulator("pty")
    big = b"x" * (printer_sim.HISTORY_BYTES + 10) + b"\x1dV\x00"
    sim._feed(big + JOB[:5], lambda _b: None)
    sim._feed(JOB[5:] + JOB, lambda _b: None)
    assert sim.jobs == [big, JOB, JOB]
    assert bytes(sim.received) == JOB + JOB  # the big job forgotten once the next one was cut


def test_dummy_speech_and_simulated_buttons_keep_their_last_entries():
    speech = DummySpeech()
    pressed = []
    buttons = SimulatedButtons("sim://", on_digit=pressed.append)
    for n in range(DUMMY_HISTORY * 3):
        speech.say(f"Nummer A {n}", "nl")
        speech.play(f"chime-{n}.wav")
        buttons.press(n % 9 + 1)
    assert speech.said[-1] == (f"Nummer A {DUMMY_HISTORY * 3 - 1}", "nl")
    assert len(speech.said) == len(speech.played) == DUMMY_HISTORY
    assert len(buttons.presses) == 50 and len(pressed) == DUMMY_HISTORY * 3
