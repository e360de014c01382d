"""The audio guide: audio-guided mode for a visitor who cannot see the screen. Plain Python.

  guide = AudioGuide(session, translator, voice, clock=clock, role="tickets")
  guide.enter("ticket_services", title, instruction, items, on_back=fn, start=False)
  guide.update(items)              # the screen's items changed (a toggle, a new list)
  guide.leave("ticket_services")   # the screen goes: speech stops
  guide.key("down")                # a keypad key (devices/keypad.py KEYS)
  guide.touch_down(item_key) / guide.touch_up(item_key)   # explore-by-touch; True = consumed
  guide.announce(text)             # an error or warning, spoken in audio mode only
  guide.listen(fn)                 # fn(guide) when focus, screen or mode changed (focus ring)
  guide.speaking()                 # speech playing or about to: hold the idle reset
  guide.on_call_help = fn          # the call_help key (*): the screens' help button
  guide.notify(text)               # said even outside audio mode (a host is on the way)

Audio mode starts with the first keypad key of a session (that key only starts it), or with a
long press on the start screen; it says what the device does and how to use it, then the
screen's title and instruction. In audio mode:
- entering a screen speaks its title and instruction; focus starts before the first item;
- up / down move the focus (wrapping) and speak the item: "Wachttijd, gekozen, 2 van 4";
- select activates the focused item (a toggle then speaks its new state; a disabled item says
  it cannot be used); back calls the screen's on_back; repeat says the last utterance again;
  help says what every key does; call_help asks for a person (as the help button); volume and rate keys change this visitor's setting and say so;
- one touch on an item speaks it and moves the focus there, a second touch on the same item
  within the double-tap window activates it (kiosk.audio.touch);
- any key or touch first silences what is being said.
It ends with the session (the session's reset clears its audio flag and the visitor's rate and
volume): speech stops. Every text comes from the catalogs (kiosk/locale/*/audio.po) or from
the screen, in the session's language. Call it from one thread (the UI's); speaking happens on
the voice's worker (kiosk.audio.voice).
"""
from __future__ import annotations

import logging
from typing import Callable, Sequence

from kiosk.audio.focus import FocusItem, ScreenSpeech, item_text, sentences
from kiosk.audio.touch import Gesture, TouchExplorer

log = logging.getLogger(__name__)

RATES = (0.7, 0.85, 1.0, 1.2, 1.45, 1.75)       # factors of the configured rate
VOLUMES = (0.4, 0.6, 0.8, 1.0, 1.3, 1.6, 2.0)   # factors of the configured volume
STEPS = {  # key: (session attribute, steps, direction, said, said at the end)
    "volume_up": ("speech_volume", VOLUMES, 1, "audio.louder", "audio.loudest"),
    "volume_down": ("speech_volume", VOLUMES, -1, "audio.softer", "audio.softest"),
    "rate_up": ("speech_rate", RATES, 1, "audio.faster", "audio.fastest"),
    "rate_down": ("speech_rate", RATES, -1, "audio.slower", "audio.slowest"),
}


class AudioGuide:
    def __init__(self, session, translator, voice, *, clock, role: str = "home",
                 double_tap_s: float = 0.5, long_press_s: float = 2.0):
        self.session = session
        self.tr = translator
        self.voice = voice
        self.clock = clock
        self.role = role
        self.explorer = TouchExplorer(double_tap_s, long_press_s)
        self.screen: ScreenSpeech | None = None
        self.focus = -1                 # index into screen.items; -1: before the first
        self.last = ""                  # the last utterance (the repeat key)
        self._generation = 0            # bumped by enter/update: did an activation change things?
        self._listeners: list[Callable[["AudioGuide"], None]] = []
        self._was_on = False
        self.on_call_help: Callable[[], None] | None = None   # the UI's help button
        session.listen(self._session_changed)

    # -- state ------------------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.session.audio

    @property
    def lang(self) -> str:
        return self.session.language

    @property
    def focused(self) -> FocusItem | None:
        s = self.screen
        return s.items[self.focus] if s is not None and 0 <= self.focus < len(s.items) else None

    @property
    def focus_key(self) -> str | None:
        item = self.focused
        return item.key if item is not None else None

    def speaking(self) -> bool:
        """Speech is playing or about to (nothing should reset the screen meanwhile)."""
        return self.voice.speaking()

    def listen(self, fn: Callable[["AudioGuide"], None]) -> None:
        self._listeners.append(fn)

    def _changed(self) -> None:
        for fn in list(self._listeners):
            try:
                fn(self)
            except Exception:  # noqa: BLE001 - a UI listener must not stop the guide
                log.exception("audio guide listener failed")

    # -- screens ----------------------------------------------------------------------------
    def enter(self, name: str, title: str, instruction: str = "",
              items: Sequence[FocusItem] = (), *, on_back: Callable[[], None] | None = None,
              start: bool = False) -> None:
        """A screen is shown: its title, instruction and focus order. Spoken in audio mode."""
        self.screen = ScreenSpeech(name, title, instruction, list(items), on_back, start)
        self.focus = -1
        self._generation += 1
        self.explorer.reset()
        if self.active:
            self._say(self.screen.intro())
        self._changed()

    def update(self, items: Sequence[FocusItem], *, title: str | None = None,
               instruction: str | None = None) -> None:
        """The shown screen's items (or texts) changed; the focus stays on the same key."""
        s = self.screen
        if s is None:
            return
        key = self.focus_key
        s.items = list(items)
        if title is not None:
            s.title = title
        if instruction is not None:
            s.instruction = instruction
        i = s.index_of(key)
        self.focus = i if i >= 0 else min(self.focus, len(s.items) - 1)
        self._generation += 1
        self._changed()

    def leave(self, name: str | None = None) -> None:
        """The screen goes (`name`: only if it is still the one shown). Speech stops."""
        if self.screen is not None and (name is None or self.screen.name == name):
            self.screen = None
            self.focus = -1
            self.explorer.reset()
            self.voice.stop()
            self._changed()

    def notify(self, text: str) -> None:
        """Say `text` in or outside audio mode: news the visitor waits for without looking at
        the screen (a host on the way). Kept for the repeat key."""
        self._say(text)

    def announce(self, text: str) -> bool:
        """Say `text` (an error, a countdown warning) in audio mode; False when not in it."""
        if not self.active or not text.strip():
            return False
        self._say(text)
        return True

    # -- audio mode ------------------------------------------------------------------------
    def start(self, by_touch: bool = False) -> None:
        """Enter audio mode with the welcome (what the device does, how to use it)."""
        if not self.active:
            self.session.set_audio(True)
        self.session.touch()
        how = "audio.help.touch" if by_touch else "audio.help.keys"
        self._say(sentences(self.tr(f"audio.welcome.{self.role}", self.lang),
                            self.tr("audio.welcome.spoken", self.lang), self.tr(how, self.lang),
                            self.screen.intro() if self.screen is not None else ""))
        self._changed()

    def _session_changed(self, session) -> None:
        was, self._was_on = self._was_on, session.audio
        if was and not session.audio:   # the session ended (idle reset, next visitor)
            self.focus = -1
            self.last = ""
            self.explorer.reset()
            self.voice.stop()
            self._changed()

    # -- keys -------------------------------------------------------------------------------
    def key(self, name: str) -> None:
        """A keypad key (on the UI thread). The first of a session only starts audio mode."""
        if not self.active:
            self.start()
            return
        self.session.touch()
        self.voice.stop()                       # any key silences what is being said
        handler = getattr(self, f"_key_{name}", None)
        if name in STEPS:
            self._step(*STEPS[name])
        elif handler is not None:
            handler()
        else:
            log.warning("audio guide: unknown key %r ignored", name)

    def _key_up(self) -> None:
        self._move(-1)

    def _key_down(self) -> None:
        self._move(1)

    def _move(self, step: int) -> None:
        s = self.screen
        if s is None or not s.items:
            self._say(sentences(s.intro() if s else "", self.tr("audio.nothing_here", self.lang)))
            return
        n = len(s.items)
        if self.focus < 0:
            self.focus = 0 if step > 0 else n - 1
        else:
            self.focus = (self.focus + step) % n
        self._speak_focused()
        self._changed()

    def _key_select(self) -> None:
        item = self.focused
        if item is None:
            self._say(self.tr("audio.no_focus", self.lang))
        elif item.role == "text":
            self._speak_focused()
        elif not item.actionable:
            self._say(self.tr("audio.not_available", self.lang))
        else:
            self._activate(item)

    def _key_back(self) -> None:
        s = self.screen
        if s is None or s.on_back is None:
            self._say(self.tr("audio.no_back", self.lang))
            return
        s.on_back()

    def _key_repeat(self) -> None:
        if self.last:
            self._say(self.last)
        elif self.screen is not None:
            self._say(self.screen.intro())

    def _key_help(self) -> None:
        self._say(self.tr("audio.help.keys", self.lang))

    def _key_call_help(self) -> None:
        if self.on_call_help is None:
            self._say(self.tr("audio.not_available", self.lang))
            return
        self.on_call_help()

    def _step(self, attr: str, steps: tuple, direction: int, said: str, at_end: str) -> None:
        now = getattr(self.session, attr)
        i = min(range(len(steps)), key=lambda k: abs(steps[k] - now))
        j = i + direction
        if not 0 <= j < len(steps):
            self._say(self.tr(at_end, self.lang), keep=False)
            return
        self.session.set_speech(**{attr[len("speech_"):]: steps[j]})
        self._say(self.tr(said, self.lang), keep=False)

    # -- touch ------------------------------------------------------------------------------
    def touch_down(self, item: str | None) -> bool:
        """A finger down on `item` (its key, None for no item). True: the guide takes the touch
        (audio mode), the screen must not act on it."""
        self.explorer.down(item, self.clock.monotonic())
        if self.active:
            self.session.touch()
            self.voice.stop()
        return self.active

    def long_press_due(self) -> bool:
        """For a UI timer while the finger is down: enter audio mode now if the press on the
        start screen is long enough. True when it did."""
        if self.active or self.screen is None or not self.screen.start:
            return False
        if self.explorer.long_press_due(self.clock.monotonic()):
            self.explorer.reset()
            self.start(by_touch=True)
            return True
        return False

    def touch_up(self, item: str | None) -> bool:
        """The finger lifts over `item`. True: the guide took the touch (the screen must not
        act on it): always in audio mode, and for the long press that started it."""
        gesture, key = self.explorer.up(item, self.clock.monotonic())
        if not self.active:
            if gesture is Gesture.LONG_PRESS and self.screen is not None and self.screen.start:
                self.start(by_touch=True)
                return True
            return False
        s = self.screen
        i = s.index_of(key) if s is not None else -1
        if gesture is Gesture.SPEAK and i >= 0:
            self.focus = i
            self._speak_focused()
            self._changed()
        elif gesture is Gesture.ACTIVATE and i >= 0:
            self.focus = i
            self._changed()
            self._key_select()
        return True

    # -- speaking ---------------------------------------------------------------------------
    def _activate(self, item: FocusItem) -> None:
        generation, screen = self._generation, self.screen
        try:
            item.activate()
        except Exception:  # noqa: BLE001 - a screen's callback bug must not stop the guide
            log.exception("activating %s failed", item.key)
            return
        if item.role != "toggle" or self.screen is not screen:
            return                              # a button: the next screen or message speaks
        if self._generation == generation:      # the screen has not updated its items yet
            screen.items[self.focus] = item.toggled()
        self._speak_focused()

    def _speak_focused(self) -> None:
        s, item = self.screen, self.focused
        if item is not None:
            self._say(item_text(item, self.focus + 1, len(s.items), self.tr, self.lang))

    def _say(self, text: str, keep: bool = True) -> None:
        if not text.strip():
            return
        if keep:
            self.last = text
        self.voice.say(text, self.lang, rate=self.session.speech_rate,
                       volume=self.session.speech_volume)

    def close(self) -> None:
        self.voice.close()
