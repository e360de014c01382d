"""The visitor session: what one visitor chose (language, large text, audio-guided mode and its
speech rate and volume),
the idle timer with its countdown, and the reset for the next visitor. Plain Python with the
injected clock (tests move a FakeClock by hand).

  session = VisitorSession(flow, idle_timeout_s=30)
  session.listen(fn)              # fn(session) after language / large text / audio changed
  session.set_language("en"); session.set_accessible(True); session.touch()
  step = session.tick(may_reset=True)   # call a few times a second
  session.countdown()             # whole seconds before the reset, when it should show

The feedback flow (kiosk.feedback.flow.FeedbackFlow) keeps the visit's language and large-text
mode because every answer records them and its own time-out resets them; this object is the one
door for everything else: it adds the idle reset outside the feedback screens, the audio mode
and listeners, so a UI mirrors one source. `may_reset` is the UI's word on whether the screen
it shows may be reset at all (not on its start screen, not inside the feedback flow, not on a
screen with a timer of its own).
"""
from __future__ import annotations

import enum
from typing import Callable


class Step(str, enum.Enum):
    NOTHING = "nothing"
    FLOW = "flow"          # the feedback flow moved on by itself (thanks over, or its time-out)
    RESET = "reset"        # idle elsewhere: everything back for the next visitor


class VisitorSession:
    def __init__(self, flow, idle_timeout_s: float):
        self.flow = flow
        self.idle_timeout_s = idle_timeout_s
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

    def countdown(self) -> int | None:
        return self.flow.countdown()

    def tick(self, may_reset: bool) -> Step:
        if self.flow.tick():
            # the flow only moves on by itself to reset for the next visitor
            self._end_audio()
            self._changed()
            return Step.FLOW
        if may_reset and self.idle():
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
