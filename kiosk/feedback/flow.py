"""The smiley feedback rules, as plain Python (no Kivy, no I/O).

A visit goes QUESTION -> REASONS -> THANKS -> QUESTION. Screens call `answer()`,
`toggle_reason()`, `done()`, `skip()`, `touch()` and `tick()`; this object decides
and tells its sink (the recorder) what to make durable. All timers use the
monotonic clock passed in, so tests move time by hand.

Rules:
- An answer within `response_interval_s` of the last accepted answer is not an
  answer; it is counted as suppressed (a child playing must not skew results).
- No touch for `idle_timeout_s` starts a warning with a countdown (WCAG 2.2.1: at
  least 20 s, `warn_s`; any touch is "more time"); when it runs out, what was given
  so far is recorded (reasons chosen until then, ended_by="timeout") and language
  and large-text mode are reset for the next visitor.
- time_to_answer_ms is the time from the smiley tap to done/skip/timeout.
"""
from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from typing import Protocol

from kiosk.session import MIN_WARN_S

# Answer words per scale, worst first; msgid is "feedback.answer.<word>".
ANSWER_WORDS = {
    3: ("bad", "neutral", "good"),
    4: ("very_bad", "bad", "good", "very_good"),
    5: ("very_bad", "bad", "neutral", "good", "very_good"),
}


class Sentiment(str, enum.Enum):
    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class Phase(str, enum.Enum):
    QUESTION = "question"
    REASONS = "reasons"
    THANKS = "thanks"


class Outcome(str, enum.Enum):
    ACCEPTED = "accepted"
    SUPPRESSED = "suppressed"
    INVALID = "invalid"  # not an answer on this scale (e.g. button digit 7 on a 5 scale)


def answer_word(answer: int, scale: int) -> str:
    return ANSWER_WORDS[scale][answer - 1]


def sentiment(answer: int, scale: int) -> Sentiment:
    word = answer_word(answer, scale)
    if word in ("good", "very_good"):
        return Sentiment.POSITIVE
    if word == "neutral":
        return Sentiment.NEUTRAL
    return Sentiment.NEGATIVE


@dataclass
class Answer:
    id: str
    answer: int
    scale: int
    language: str
    answered_at: float  # monotonic
    reasons: list[str] = field(default_factory=list)
    source: str = "touch"

    @property
    def sentiment(self) -> Sentiment:
        return sentiment(self.answer, self.scale)


class Sink(Protocol):
    """Where decisions go to become durable (kiosk.feedback.store.FeedbackRecorder)."""

    def begin(self, a: Answer) -> None: ...
    def reasons_changed(self, a: Answer) -> None: ...
    def finish(self, a: Answer, ended_by: str, time_to_answer_ms: int) -> None: ...
    def suppressed(self, answer: int, since_last_ms: int, source: str) -> None: ...


@dataclass
class Settings:
    scale: int = 5
    response_interval_s: float = 5.0
    thanks_s: float = 3.0
    idle_timeout_s: float = 15.0
    countdown_s: float = 5.0   # older configs' warning length; the longer of it and warn_s counts
    warn_s: float = MIN_WARN_S
    reasons: dict[str, list[str]] = field(default_factory=lambda: {
        "positive": [], "neutral": [], "negative": []})
    default_language: str = "nl"
    accessible_default: bool = False

    @classmethod
    def from_config(cls, cfg) -> "Settings":
        fb, ui = cfg.feedback, cfg.ui
        return cls(scale=fb.scale, response_interval_s=fb.response_interval_s, thanks_s=fb.thanks_s,
                   idle_timeout_s=ui.idle_timeout_s, countdown_s=ui.countdown_s, warn_s=ui.warn_s,
                   reasons={"positive": list(fb.reasons.positive), "neutral": list(fb.reasons.neutral),
                            "negative": list(fb.reasons.negative)},
                   default_language=ui.default_language, accessible_default=ui.accessible_default)


def _new_id() -> str:
    import uuid  # here, not at import: uuid imports platform (cold start)
    return str(uuid.uuid4())


class FeedbackFlow:
    def __init__(self, settings: Settings, clock, sink: Sink):
        self.s = settings
        self.clock = clock
        self.sink = sink
        self.phase = Phase.QUESTION
        self.current: Answer | None = None
        self.language = settings.default_language
        self.accessible = settings.accessible_default
        self.last_accepted: float | None = None
        self.last_touch = clock.monotonic()
        self.thanks_until = 0.0
        self.suppressed_count = 0
        self._next_id: str | None = None  # made when a visitor finishes (uuid: not at start-up)

    # -- visitor input --------------------------------------------------------
    def touch(self) -> None:
        """Any touch anywhere: the visitor is still there."""
        self.last_touch = self.clock.monotonic()

    def set_language(self, lang: str) -> None:
        self.touch()
        self.language = lang

    def set_accessible(self, on: bool) -> None:
        self.touch()
        self.accessible = on

    def answer(self, value: int, source: str = "touch") -> Outcome:
        now = self.clock.monotonic()
        self.touch()
        if not isinstance(value, int) or not 1 <= value <= self.s.scale:
            return Outcome.INVALID
        if self.last_accepted is not None and now - self.last_accepted < self.s.response_interval_s:
            self.suppressed_count += 1
            self.sink.suppressed(value, int((now - self.last_accepted) * 1000), source)
            return Outcome.SUPPRESSED
        if self.phase == Phase.REASONS and self.current is not None:
            self._finish("next_answer")
        self.current = Answer(self._next_id or _new_id(), value, self.s.scale, self.language, now,
                              source=source)
        self._next_id = None
        self.last_accepted = now
        self.sink.begin(self.current)
        self.phase = Phase.REASONS
        return Outcome.ACCEPTED

    def reasons_offered(self) -> list[str]:
        if self.current is None:
            return []
        return self.reasons_for(self.current.sentiment.value)

    def reasons_for(self, kind: str) -> list[str]:
        """The reasons offered after an answer of this kind ("negative", "neutral", "positive")."""
        return list(self.s.reasons[kind])

    def toggle_reason(self, reason_id: str) -> bool:
        """Select or unselect a reason; returns whether it is now selected."""
        self.touch()
        if self.phase != Phase.REASONS or self.current is None:
            return False
        if reason_id not in self.reasons_offered():
            return False
        chosen = self.current.reasons
        if reason_id in chosen:
            chosen.remove(reason_id)
        else:
            chosen.append(reason_id)
        self.sink.reasons_changed(self.current)
        return reason_id in chosen

    def done(self) -> None:
        self._end("done")

    def skip(self) -> None:
        if self.current is not None and self.phase == Phase.REASONS:
            self.current.reasons.clear()
        self._end("skip")

    def _end(self, how: str) -> None:
        self.touch()
        if self.phase != Phase.REASONS or self.current is None:
            return
        self._finish(how)
        self.phase = Phase.THANKS
        self.thanks_until = self.clock.monotonic() + self.s.thanks_s

    def _finish(self, how: str) -> None:
        a = self.current
        self.current = None
        ms = int((self.clock.monotonic() - a.answered_at) * 1000)
        self.sink.finish(a, how, ms)
        # The next answer's id now, when the visitor is done: off the next tap's path (made
        # right after that tap's hand-off instead, it held the GIL the waking writer needs).
        self._next_id = _new_id()

    # -- time -----------------------------------------------------------------
    def idle_for(self) -> float:
        return self.clock.monotonic() - self.last_touch

    def needs_reset(self) -> bool:
        """Is there anything an idle reset would change?"""
        return (self.phase != Phase.QUESTION or self.language != self.s.default_language
                or self.accessible != self.s.accessible_default)

    def warning_s(self) -> float:
        """How long the warning before an idle reset shows (at least 20 s: WCAG 2.2.1)."""
        return max(MIN_WARN_S, self.s.warn_s, self.s.countdown_s)

    def reset_after_s(self) -> float:
        """Seconds without a touch before an idle reset: the idle time, then the warning."""
        return self.s.idle_timeout_s + self.warning_s()

    def countdown(self) -> int | None:
        """Whole seconds left before an idle reset, when the countdown should show."""
        if self.phase == Phase.THANKS or not self.needs_reset():
            return None
        left = self.reset_after_s() - self.idle_for()
        if 0 < left <= self.warning_s():
            return max(1, math.ceil(left))
        return None

    def tick(self) -> bool:
        """Advance timers; returns True when the phase or visitor state changed."""
        now = self.clock.monotonic()
        if self.phase == Phase.THANKS:
            if now >= self.thanks_until:
                self._reset()
                return True
            return False
        if self.needs_reset() and self.idle_for() >= self.reset_after_s():
            if self.phase == Phase.REASONS and self.current is not None:
                self._finish("timeout")
            self._reset()
            return True
        return False

    def _reset(self) -> None:
        self.phase = Phase.QUESTION
        self.current = None
        self.language = self.s.default_language
        self.accessible = self.s.accessible_default
        self.last_touch = self.clock.monotonic()

    def shutdown(self) -> None:
        """The app is closing: record the open answer as it stands."""
        if self.phase == Phase.REASONS and self.current is not None:
            self._finish("shutdown")
