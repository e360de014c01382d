"""The visitor session: what one visitor chose (language, large text, audio-guided mode and its
speech rate and volume),
the idle timer with its countdown, and the reset for the next visitor. Plain Python with the
injected clock (tests move a FakeClock by hand).

  session = VisitorSession(flow, idle_timeout_s=30)
  session.listen(fn)              # fn(session) after language / large text / audio changed
  session.set_language("en"); session.set_accessible(True); session.touch()
  step = session.tick(may_reset=True)   # call a few times a second
  session.countdown(may_reset=True)     # whole seconds before the reset, when it should show

A screen that may be reset is reset `idle_timeout_s` (or the screen's own `timeout_s`, e.g.
the issued ticket's `tickets.show_s`) plus `warn_s` after the last touch; the countdown shows
for the last `warn_s` seconds (at least 20: WCAG 2.2.1), so a visitor has that long to ask for
more time (a touch, a key, the "more time" button: `touch()`). `hold=True` (speech is playing)
counts as a touch: nothing resets while the kiosk speaks.

The feedback flow (kiosk.feedback.flow.FeedbackFlow) keeps the visit's language and large-text
mode because every answer records them and its own time-out resets them; this object is the one
door for everything else: it adds the idle reset outside the feedback screens, the audio mode
and listeners, so a UI mirrors one source. `may_reset` is the UI's word on whether the screen
it shows may be reset at all (not on its start screen, not inside the feedback flow, not on a
screen with a timer of its own).
"""
from __future__ import annotations

import enum
import math
from typing import Callable


class Step(str, enum.Enum):
    NOTHING = "nothing"
    FLOW = "flow"          # the feedback flow moved on by itself (thanks over, or its time-out)
    RESET = "reset"        # idle elsewhere: everything back for the next visitor


MIN_WARN_S = 20.0   # WCAG 2.2.1: at least 20 s to ask for more time


class VisitorSession:
    def __init__(self, flow, idle_timeout_s: float, warn_s: float = MIN_WARN_S):
        self.flow = flow
        self.idle_timeout_s = idle_timeout_s
        self.warn_s = max(MIN_WARN_S, warn_s)
        self.audio = False   # audio-guided mode: every text read aloud (kiosk.audio)
        self.speech_rate = 1.0     # this visitor's speech rate and volume in audio mode, as
        self.speech_volume = 1.0   # factors of the configured ones; back to 1 for the next one
        self._listeners: list[Callable[["VisitorSession"], None]] = []

    # -- state ----------------------------------------------------------------------
    @property
    def language(self) -> str:
        return self.flow.language

    @property
    def accessible(self) -> bool:
        return self.flow.accessible

    @property
    def default_language(self) -> str:
        return self.flow.s.default_language

    def listen(self, fn: Callable[["VisitorSession"], None]) -> None:
        self._listeners.append(fn)

    def _changed(self) -> None:
        for fn in list(self._listeners):
            fn(self)

    def set_language(self, lang: str) -> None:
        self.flow.set_language(lang)
        self._changed()

    def set_accessible(self, on: bool) -> None:
        self.flow.set_accessible(on)
        self._changed()

    def set_audio(self, on: bool) -> None:
        self.flow.touch()
        self.audio = on
        self._changed()

    def set_speech(self, rate: float | None = None, volume: float | None = None) -> None:
        """This visitor's speech rate or volume (factors; kiosk.audio keeps the steps)."""
        self.flow.touch()
        if rate is not None:
            self.speech_rate = rate
        if volume is not None:
            self.speech_volume = volume
        self._changed()

    def set_defaults(self, default_language: str, accessible_default: bool | None = None) -> None:
        """Staff changed the defaults: the next reset uses them."""
        self.flow.s.default_language = default_language
        if accessible_default is not None:
            self.flow.s.accessible_default = accessible_default

    # -- time -----------------------------------------------------------------------
    def touch(self) -> None:
        self.flow.touch()

    def idle_for(self) -> float:
        return self.flow.idle_for()

    def idle(self) -> bool:
        return self.idle_for() >= self.idle_timeout_s

    def reset_after_s(self, timeout_s: float | None = None) -> float:
        """Seconds without a touch before a resettable screen is reset."""
        return (timeout_s if timeout_s is not None else self.idle_timeout_s) + self.warn_s

    def _resettable(self, may_reset: bool) -> bool:
        """The session's own reset (with its warning) applies: on a screen that may be reset,
        and in audio mode on any screen outside the feedback flow (the start screen too: the
        next visitor must not find the kiosk in audio mode, where a tap only speaks)."""
        return (may_reset or self.audio) and self.flow.phase.value == "question"

    def countdown(self, may_reset: bool = False, timeout_s: float | None = None) -> int | None:
        """Whole seconds left before a reset, when the warning should show."""
        if self._resettable(may_reset):
            left = self.reset_after_s(timeout_s) - self.idle_for()
            return max(1, math.ceil(left)) if 0 < left <= self.warn_s else None
        return self.flow.countdown()

    def more_time(self) -> None:
        """The visitor asked for more time: the idle time starts again."""
        self.flow.touch()

    def tick(self, may_reset: bool, hold: bool = False, timeout_s: float | None = None) -> Step:
        """`may_reset`: the screen shown may be reset (not the start screen, not the feedback
        flow's); `hold`: speech is playing (counts as a touch); `timeout_s`: the screen's own
        idle time before the warning (default `idle_timeout_s`)."""
        if hold:
            self.flow.touch()
            return Step.NOTHING
        # on a resettable screen outside the feedback flow the session's reset (with its
        # warning) is the only one; elsewhere the flow's time-outs apply
        resettable = self._resettable(may_reset)
        if not resettable and self.flow.tick():
            # the flow only moves on by itself to reset for the next visitor
            self._end_audio()
            self._changed()
            return Step.FLOW
        if resettable and self.idle_for() >= self.reset_after_s(timeout_s):
            self.reset()
            return Step.RESET
        return Step.NOTHING

    def reset(self) -> None:
        """Back to the defaults for the next visitor."""
        self.flow.set_language(self.flow.s.default_language)
        self.flow.set_accessible(self.flow.s.accessible_default)
        self._end_audio()
        self._changed()

    def _end_audio(self) -> None:
        self.audio = False
        self.speech_rate = self.speech_volume = 1.0
