"""Table-driven tests of the feedback rules with a fake monotonic clock."""
import pytest

from kiosk.clock import FakeClock
from kiosk.feedback.flow import FeedbackFlow, Outcome, Phase, Settings, sentiment


class RecordingSink:
    def __init__(self):
        self.calls = []

    def begin(self, a):
        self.calls.append(("begin", a.answer))

    def reasons_changed(self, a):
        self.calls.append(("reasons", tuple(a.reasons)))

    def finish(self, a, ended_by, ms):
        self.calls.append(("finish", a.answer, tuple(a.reasons), ended_by, ms))

    def suppressed(self, answer, since_ms, source):
        self.calls.append(("suppressed", answer, since_ms))


REASONS = {"positive": ["friendliness", "result"], "neutral": ["clarity"],
           "negative": ["waiting_time", "building"]}


def make(**kw):
    clock = FakeClock()
    sink = RecordingSink()
    s = Settings(reasons=REASONS, **kw)
    return FeedbackFlow(s, clock, sink), clock, sink


@pytest.mark.parametrize("scale,answer,expected", [
    (3, 1, "negative"), (3, 2, "neutral"), (3, 3, "positive"),
    (4, 1, "negative"), (4, 2, "negative"), (4, 3, "positive"), (4, 4, "positive"),
    (5, 1, "negative"), (5, 2, "negative"), (5, 3, "neutral"), (5, 4, "positive"), (5, 5, "positive"),
])
def test_sentiment_per_scale(scale, answer, expected):
    assert sentiment(answer, scale).value == expected


# Each row: a script of (seconds to advance, action, arg) and the sink calls expected.
SCRIPTS = {
    "happy path": (
        [(0, "answer", 5), (1, "toggle", "friendliness"), (1, "toggle", "result"), (0.5, "done", None)],
        [("begin", 5), ("reasons", ("friendliness",)), ("reasons", ("friendliness", "result")),
         ("finish", 5, ("friendliness", "result"), "done", 2500)],
    ),
    "skip drops chosen reasons": (
        [(0, "answer", 1), (1, "toggle", "waiting_time"), (1, "skip", None)],
        [("begin", 1), ("reasons", ("waiting_time",)), ("finish", 1, (), "skip", 2000)],
    ),
    "untoggle": (
        [(0, "answer", 1), (0, "toggle", "building"), (0, "toggle", "building"), (0, "done", None)],
        [("begin", 1), ("reasons", ("building",)), ("reasons", ()), ("finish", 1, (), "done", 0)],
    ),
    "reason of another sentiment is ignored": (
        [(0, "answer", 1), (0, "toggle", "friendliness"), (0, "done", None)],
        [("begin", 1), ("finish", 1, (), "done", 0)],
    ),
    "idle timeout (15 s, then a 20 s warning) records what was given": (
        [(0, "answer", 3), (2, "toggle", "clarity"), (35, "tick", None)],
        [("begin", 3), ("reasons", ("clarity",)), ("finish", 3, ("clarity",), "timeout", 37000)],
    ),
    "no timeout before the warning is over": (
        [(0, "answer", 3), (34.9, "tick", None)],
        [("begin", 3)],
    ),
    "tap within response interval is suppressed": (
        [(0, "answer", 5), (0, "skip", None), (3, "tick", None), (1, "answer", 1)],
        [("begin", 5), ("finish", 5, (), "skip", 0), ("suppressed", 1, 4000)],
    ),
    "tap after response interval counts": (
        [(0, "answer", 5), (0, "skip", None), (3, "tick", None), (2, "answer", 1)],
        [("begin", 5), ("finish", 5, (), "skip", 0), ("begin", 1)],
    ),
    "physical button during reasons ends the first answer": (
        [(0, "answer", 4), (6, "answer", 2)],
        [("begin", 4), ("finish", 4, (), "next_answer", 6000), ("begin", 2)],
    ),
    "digit outside the scale is ignored": (
        [(0, "answer", 7), (0, "answer", 0)],
        [],
    ),
}


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_scripts(name):
    steps, expected = SCRIPTS[name]
    flow, clock, sink = make()
    for dt, action, arg in steps:
        clock.advance(dt)
        {"answer": lambda a: flow.answer(a), "toggle": flow.toggle_reason, "done": lambda _: flow.done(),
         "skip": lambda _: flow.skip(), "tick": lambda _: flow.tick()}[action](arg)
    assert sink.calls == expected


@pytest.mark.parametrize("idle,shown", [(0, None), (14.9, None), (15.0, 20), (15.5, 20), (16.2, 19),
                                         (34.5, 1), (35.0, None)])
def test_warning_20_s_before_the_reset(idle, shown):
    """WCAG 2.2.1: after the idle time (15 s) a countdown of at least 20 s, then the reset."""
    flow, clock, sink = make()
    flow.answer(2)
    clock.advance(idle)
    assert flow.tick() is (idle >= 35.0)
    assert flow.countdown() == shown
    assert flow.phase is (Phase.QUESTION if idle >= 35.0 else Phase.REASONS)


def test_an_older_config_with_a_longer_countdown_keeps_it():
    flow, clock, _ = make(countdown_s=30.0)
    flow.answer(2)
    clock.advance(15.0)
    assert flow.countdown() == 30
    clock.advance(29.9)
    assert not flow.tick() and flow.phase is Phase.REASONS


def test_thanks_then_question_and_visitor_state_reset():
    flow, clock, _ = make(thanks_s=3.0)
    flow.set_language("en")
    flow.set_accessible(True)
    assert flow.answer(4) is Outcome.ACCEPTED
    flow.done()
    assert flow.phase is Phase.THANKS
    clock.advance(2.9)
    assert not flow.tick() and flow.phase is Phase.THANKS
    clock.advance(0.2)
    assert flow.tick() and flow.phase is Phase.QUESTION
    assert flow.language == "nl" and flow.accessible is False


def test_idle_on_question_screen_resets_language_only_after_timeout():
    flow, clock, sink = make()
    flow.set_language("en")
    clock.advance(32)
    assert flow.countdown() == 3
    flow.touch()                      # more time
    assert flow.countdown() is None
    clock.advance(34.9)
    assert not flow.tick() and flow.language == "en"
    clock.advance(0.1)
    assert flow.tick() and flow.language == "nl"
    assert sink.calls == []


def test_default_state_question_screen_never_counts_down():
    flow, clock, _ = make()
    clock.advance(100)
    assert flow.countdown() is None and not flow.tick()


def test_suppressed_count_and_outcome():
    flow, clock, _ = make(response_interval_s=5)
    assert flow.answer(5) is Outcome.ACCEPTED
    flow.skip()
    clock.advance(3.5)
    flow.tick()
    assert [flow.answer(5) for _ in range(3)] == [Outcome.SUPPRESSED] * 3
    assert flow.suppressed_count == 3
