"""Audio-guided mode on the Kivy side: the one place where screens meet the audio guide
(kiosk.audio.guide.AudioGuide, `app.core.audio`).

- Each visitor screen has `audio_view()`: its title, instruction and focus order as
  (FocusItem, widget) pairs (AudioView). The app calls `entered(screen)` when a screen is
  shown, `refresh(screen)` when a screen's content changed, `left(screen)` when it goes.
  The top bar's items (language, large text, help, "more time" while the countdown shows) are
  added after the screen's own ones, so every screen has them in the same place.
- Touches: the app's window-level touch hook hands every touch here first (`touch_down` /
  `touch_up`); in audio mode the guide takes them (one touch speaks, a double tap activates)
  and no widget sees them; outside it only a long press on the start screen is watched.
- The focus ring: a two-tone frame (text colour outside, background colour inside, 6 px each)
  on the focused widget, in audio mode only.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Callable

from kivy.clock import Clock
from kivy.graphics import Color, InstructionGroup, Line
from kivy.metrics import dp

from kiosk.audio.focus import FocusItem

LONG_PRESS_POLL_S = 0.1
RING_PX = 6.0     # each of the ring's two lines; the whole ring is 12 px wide


@dataclass
class AudioView:
    title: str
    instruction: str = ""
    items: list = field(default_factory=list)   # (FocusItem, widget or None)
    on_back: Callable[[], None] | None = None
    start: bool = False


def text_item(key: str, widget, detail: str = "") -> tuple[FocusItem, object] | None:
    """A read-only item for a label that shows text (None when it is empty)."""
    text = " ".join((widget.text or "").split())
    if not text:
        return None
    return FocusItem(key, text, role="text", detail=detail), widget


class AudioBridge:
    def __init__(self, app):
        self.app = app
        self.guide = app.core.audio
        self.screen = None           # the screen (or modal view) the guide knows
        self.widgets: dict[str, object] = {}
        self._under = []             # screens a modal view covers
        self._long_ev = None
        self._ring_widget = None
        self._ring = None
        self.guide.listen(lambda _g: self._draw_ring())
        app.bind(countdown_text=lambda *_: self._countdown_changed(),
                 lang=lambda *_: self._language_changed())

    # -- screens ------------------------------------------------------------------------
    def entered(self, screen) -> None:
        if self._under and screen is not self._under[-1]:
            self._under.clear()
        self.screen = screen
        view = self._view(screen)
        if view is None:
            self.guide.leave()
            return
        self.guide.enter(screen.name, view.title, view.instruction, self._items(view),
                         on_back=view.on_back, start=view.start)
        after = getattr(screen, "audio_entered", None)
        if callable(after):
            after()

    def left(self, screen) -> None:
        if self.screen is screen:
            self.screen = None
            self.widgets = {}
            self.guide.leave(screen.name)

    def refresh(self, screen) -> None:
        """The screen's content changed: the guide gets the new focus order (no speech)."""
        if screen is not self.screen or self.guide.screen is None:
            return
        view = self._view(screen)
        if view is not None:
            self.guide.update(self._items(view), title=view.title, instruction=view.instruction)

    def cover(self, view_widget) -> None:
        """A modal view (the language list) opens over the screen: it takes the focus."""
        if self.screen is not None:
            self._under.append(self.screen)
        self.entered(view_widget)

    def uncover(self, view_widget) -> None:
        if self.screen is view_widget:
            self.left(view_widget)
            if self._under:
                self.entered(self._under.pop())

    def _view(self, screen) -> AudioView | None:
        make = getattr(screen, "audio_view", None)
        return make() if callable(make) else None

    def _items(self, view: AudioView) -> list[FocusItem]:
        pairs = [p for p in view.items if p is not None]
        if getattr(self.screen, "has_top_bar", True):
            pairs += self._top_bar()
        self.widgets = {item.key: weakref.ref(getattr(w, "__self__", w)) if w is not None else None
                        for item, w in pairs}
        return [item for item, _w in pairs]

    def _top_bar(self):
        app, bar = self.app, self._bar()
        ids = bar.ids if bar is not None else {}
        out = []
        if app.countdown_text:
            out.append((FocusItem("common.more_time", app.tr("idle.more_time"),
                                  detail=app.countdown_text, activate=app.more_time),
                        ids.get("more_time")))
        out.append((FocusItem("common.language", app.language_button_text,
                              activate=app.choose_language), ids.get("lang_button")))
        out.append((FocusItem("common.large_text", app.tr("common.large_text"), role="toggle",
                              chosen=app.accessible,
                              activate=lambda: app.set_accessible(not app.accessible)),
                    ids.get("large_text")))
        if app.help_on:
            out.append((FocusItem("common.help", app.tr("help.button"),
                                  activate=app.help_ui.ask), ids.get("help_button")))
        return out

    def _bar(self):
        from screens.widgets import TopBar
        screen = self.screen
        if screen is None:
            return None
        bar = getattr(screen, "_audio_bar", None)
        if bar is None:
            bar = next((w for w in screen.walk(restrict=True) if isinstance(w, TopBar)), None)
            screen._audio_bar = bar
        return bar

    def _countdown_changed(self) -> None:
        if self.screen is not None:
            self.refresh(self.screen)

    def _language_changed(self) -> None:
        """The visitor chose another language: the screen is read again in it (on the next
        clock tick, once every label shows the new language)."""
        Clock.schedule_once(lambda _dt: self._read_again(), 0)

    def _read_again(self) -> None:
        screen = self.screen
        if screen is None or self.guide.screen is None:
            return
        key = self.guide.focus_key
        self.entered(screen)
        i = self.guide.screen.index_of(key) if self.guide.screen is not None else -1
        if i >= 0:
            self.guide.focus = i
            self._draw_ring()

    # -- touches --------------------------------------------------------------------------
    def item_at(self, x: float, y: float) -> str | None:
        for key, ref in reversed(list(self.widgets.items())):
            w = ref() if ref is not None else None
            if w is None or w.get_root_window() is None or getattr(w, "opacity", 1) == 0:
                continue
            if w.collide_point(*w.to_widget(x, y)):
                return key
        return None

    def touch_down(self, touch) -> bool:
        """True: the touch is the guide's (no widget gets it)."""
        taken = self.guide.touch_down(self.item_at(touch.x, touch.y))
        if taken:
            touch.ud["audio"] = True
        elif self.guide.screen is not None and self.guide.screen.start:
            self._watch_long_press(touch)
        return taken

    def touch_up(self, touch) -> bool:
        self._stop_watch()
        if touch.ud.get("audio_started"):
            return True
        taken = self.guide.touch_up(self.item_at(touch.x, touch.y))
        if taken and not touch.ud.get("audio"):
            self._cancel_widget_touch(touch)   # the long press that started audio mode
        return taken or bool(touch.ud.get("audio"))

    def touch_move(self, touch) -> bool:
        return bool(touch.ud.get("audio")) or bool(touch.ud.get("audio_started"))

    def _watch_long_press(self, touch) -> None:
        self._stop_watch()

        def poll(_dt):
            if self.guide.long_press_due():
                touch.ud["audio_started"] = True
                self._cancel_widget_touch(touch)
                self._stop_watch()
        self._long_ev = Clock.schedule_interval(poll, LONG_PRESS_POLL_S)

    def _stop_watch(self) -> None:
        if self._long_ev is not None:
            self._long_ev.cancel()
            self._long_ev = None

    @staticmethod
    def _cancel_widget_touch(touch) -> None:
        """A widget that took the finger down never acts on it (and looks as before)."""
        for ref in list(touch.grab_list):
            w = ref()
            if w is None:
                continue
            touch.ungrab(w)
            if getattr(w, "state", None) == "down" and not hasattr(w, "group"):
                w.state = "normal"
            release = getattr(w, "release", None)
            if callable(release):
                release()

    # -- the focus ring -----------------------------------------------------------------
    def _draw_ring(self) -> None:
        key = self.guide.focus_key if self.guide.active else None
        ref = self.widgets.get(key) if key else None
        w = ref() if ref is not None else None
        if w is not self._ring_widget:
            self._remove_ring()
            if w is not None:
                self._ring = InstructionGroup()
                w.canvas.after.add(self._ring)
                self._ring_widget = w
                w.bind(pos=self._place_ring, size=self._place_ring)
        self._place_ring()

    def _remove_ring(self) -> None:
        w = self._ring_widget
        if w is not None:
            w.unbind(pos=self._place_ring, size=self._place_ring)
            if self._ring is not None:
                w.canvas.after.remove(self._ring)
        self._ring_widget = self._ring = None

    def _place_ring(self, *_):
        w, g = self._ring_widget, self._ring
        if w is None or g is None:
            return
        app = self.app
        g.clear()
        outer, inner = dp(RING_PX), dp(RING_PX)
        g.add(Color(*app.c_text))
        g.add(Line(rectangle=(w.x + outer / 2, w.y + outer / 2, w.width - outer, w.height - outer),
                   width=outer / 2))
        g.add(Color(*app.c_bg))
        g.add(Line(rectangle=(w.x + outer + inner / 2, w.y + outer + inner / 2,
                              w.width - 2 * outer - inner, w.height - 2 * outer - inner),
                   width=inner / 2))

    @property
    def ring_widget(self):
        return self._ring_widget
