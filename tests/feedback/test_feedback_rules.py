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
    "idle timeout records what was given": (
        [(0, "answer", 3), (2, "toggle", "clarity"), (15, "tick", None)],
        [("begin", 3), ("reasons", ("clarity",)), ("finish", 3, ("clarity",), "timeout", 17000)],
    ),
    "no timeout before 15 s idle": (
        [(0, "answer", 3), (14.9, "tick", None)],
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


@pytest.mark.parametrize("idle,shown", [(0, None), (9.9, None), (10.0, 5), (10.5, 5), (11.2, 4),
                                         (14.5, 1), (15.0, None)])
def test_countdown_in_last_seconds(idle, shown):
    flow, clock, _ = make()
    flow.answer(2)
    clock.advance(idle)
    if idle >= 15.0:
        flow.tick()
    assert flow.countdown() == shown


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
    clock.advance(12)
    assert flow.countdown() == 3
    flow.touch()
    assert flow.countdown() is None
    clock.advance(15)
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
