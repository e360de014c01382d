"""The Kivy application: one window, a ScreenManager with lazily built screens,
visitor state (language, large-text mode) and the idle/countdown timer.

It only binds to kiosk/ (rules, store, i18n, theme) and devices/. Disk writes go
through a background Writer; results hop back with Clock.schedule_once.
"""
from __future__ import annotations

import logging
import threading

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import (BooleanProperty, ListProperty, NumericProperty, ObjectProperty,
                             StringProperty)
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk import theme
from kiosk.clock import SystemClock
from kiosk.feedback.flow import FeedbackFlow, Outcome, Phase, Settings
from kiosk.feedback.store import FeedbackRecorder, QueuedRecorder
from kiosk.i18n import Translator
from kiosk.storage.writer import Writer
from kiosk.staff import gate as staff
from screens import appliance, registry, widgets  # noqa: F401 - widgets: shared kv classes
from screens.idle_throttle import IdleThrottle
from screens.staff_mode import StaffMode

log = logging.getLogger(__name__)

TICK_S = 0.25
SYNC_START_DELAY_S = 3.0
# Staff PIN in --simulate when none is configured: 1234 (hashed once, here, to keep start-up fast)
SIMULATE_PIN_HASH = "scrypt$16384$8$1$cEvBSQyRrsGzYxTClWOzdQ==$L6yaZ97SMZvH0m0hrJJ9XDMbNAwux1bIkIbOMMLXWNI="


class KioskApp(StaffMode, App):
    title = "Kiosk"
    lang = StringProperty("nl")
    accessible = BooleanProperty(False)
    countdown_text = StringProperty("")
    language_button_text = StringProperty("")
    busy = BooleanProperty(False)
    # sizes (px), recomputed from the window size and large-text mode
    fs_huge = NumericProperty(80)
    fs_title = NumericProperty(60)
    fs_body = NumericProperty(44)
    fs_small = NumericProperty(34)
    bar_height = NumericProperty(110)
    min_target = NumericProperty(60)
    portrait = BooleanProperty(True)
    flow = ObjectProperty(None, allownone=True)
    # staff-visible settings (strings for the staff screens)
    kcfg_role = StringProperty("")
    kcfg_language = StringProperty("")
    kcfg_volume = NumericProperty(100)
    corner_pad_left = NumericProperty(0)
    corner_pad_right = NumericProperty(0)
    # colours, one property per palette name (c_<name>)
    c_bg = ListProperty([1, 1, 1, 1])
    c_panel = ListProperty([1, 1, 1, 1])
    c_text = ListProperty([0, 0, 0, 1])
    c_text_muted = ListProperty([0, 0, 0, 1])
    c_primary = ListProperty([0, 0, 0, 1])
    c_on_primary = ListProperty([1, 1, 1, 1])
    c_selected = ListProperty([0, 0, 0, 1])
    c_on_selected = ListProperty([1, 1, 1, 1])
    c_bar = ListProperty([0, 0, 0, 1])
    c_on_bar = ListProperty([1, 1, 1, 1])
    c_warn = ListProperty([0, 0, 0, 1])
    c_face_line = ListProperty([0, 0, 0, 1])
    c_outline = ListProperty([0, 0, 0, 1])

    def __init__(self, kcfg, store, clock=None, simulate: bool = False, site: str | None = None,
                 safe_problems=None, **kw):
        super().__init__(**kw)
        self.kcfg = kcfg
        self.store = store
        self.kclock = clock or SystemClock()
        self.simulate = simulate
        self.site = site
        self.safe_problems = list(safe_problems or [])
        self.restart_requested = False
        self.staff_session = None
        pin_hash = kcfg.staff.pin_hash or (SIMULATE_PIN_HASH if simulate else "")
        self.staff_gate = staff.PinGate(pin_hash, self.kclock, store)
        self.gesture = staff.CornerGesture(self.kclock, kcfg.staff.corner, kcfg.staff.corner_size_px,
                                           kcfg.staff.taps, kcfg.staff.taps_window_s)
        self.translator = Translator(kcfg.ui.default_language,
                                     extra=_reason_labels(kcfg.feedback.reason_labels))
        self.writer = Writer()
        self.recorder = FeedbackRecorder(store)
        self.sink = QueuedRecorder(self.recorder, self.writer,
                                   on_begin_durable=self._answer_durable_bg,
                                   on_error=self._write_failed_bg)
        self.flow = FeedbackFlow(Settings.from_config(kcfg), self.kclock, self.sink)
        self.devices = {}
        self._screens = {}
        self._tick_ev = None
        self.lang = kcfg.ui.default_language
        self.accessible = kcfg.ui.accessible_default
        self._config_changed()
        if self.safe_problems:
            log.error("SAFE MODE: local overrides not used:\n%s",
                      "\n".join(p.render() for p in self.safe_problems))

    # -- building ---------------------------------------------------------------
    def build(self):
        # answers left open by an unclean stop are closed on the writer thread, before any new
        # write (the writer runs jobs in order), not with a query on the Kivy thread
        self.writer.submit(self.recorder.recover)
        Window.bind(size=lambda *_: self._update_metrics())
        Window.bind(on_touch_down=self._any_touch)
        Window.clearcolor = self.c_bg
        self._apply_palette()
        self._update_metrics()
        self._update_language_button()
        self.sm = ScreenManager(transition=NoTransition())
        self.show(self.start_screen())
        return self.sm

    def start_screen(self) -> str:
        return registry.ROLE_START.get(self.kcfg.device.role, "feedback_question")

    def on_start(self):
        self._tick_ev = Clock.schedule_interval(self._tick, TICK_S)
        self._appliance = appliance.start(self)  # systemd watchdog + kiosk-mode lockdown
        self._throttle = IdleThrottle(self.flow.idle_for)
        Window.bind(on_flip=self._after_first_frame)

    def _after_first_frame(self, *_):
        """Work the visitor does not see, once the start screen is on the glass: opening the
        physical buttons (on the next clock tick, so after every other first-flip handler) and,
        a few seconds later, the sync worker."""
        Window.unbind(on_flip=self._after_first_frame)
        Clock.schedule_once(self._settle, 0)

    def _settle(self, _dt=None):
        if getattr(self, "_stopping", False):
            return
        self._open_buttons()
        # requests and the sync worker take ~0.4 s to import: not on the Kivy thread, and
        # only once the first screen is up (an import holds the GIL while the window starts)
        Clock.schedule_once(lambda _dt: threading.Thread(target=self._start_sync, name="sync-start",
                                                          daemon=True).start(), SYNC_START_DELAY_S)

    def on_stop(self):
        self._stopping = True
        Window.unbind(on_flip=self._after_first_frame)
        if getattr(self, "_appliance", None):
            self._appliance.stop()  # STOPPING=1 to systemd
        if self._tick_ev:
            self._tick_ev.cancel()
        if getattr(self, "sync", None) is not None:
            self.sync.stop()
        for dev in self.devices.values():
            try:
                dev.close()
            except Exception:  # noqa: BLE001 - closing must not stop shutdown
                log.exception("closing a device failed")
        self.flow.shutdown()
        self.writer.close()

    def show(self, name: str):
        if name not in self._screens:
            screen = registry.screen_class(name)(name=name)
            self._screens[name] = screen
            self.sm.add_widget(screen)
        self.sm.current = name
        return self._screens[name]

    def screen(self, name: str):
        return self._screens.get(name)

    # -- translation and visitor state --------------------------------------------
    def tr(self, msgid: str, lang: str | None = None, **fmt) -> str:
        return self.translator.gettext(msgid, lang or self.lang, **fmt)

    def on_lang(self, *_):
        self.translator.set_language(self.lang)
        self._update_language_button()

    def _update_language_button(self):
        langs = self.kcfg.ui.languages
        if len(langs) == 2:
            other = langs[1] if self.lang == langs[0] else langs[0]
            self.language_button_text = self.translator.language_name(other)
        else:
            self.language_button_text = self.tr("common.language") + " / Language"

    def choose_language(self):
        langs = self.kcfg.ui.languages
        if len(langs) == 2:
            self.set_language(langs[1] if self.lang == langs[0] else langs[0])
        else:
            from screens.language_chooser import open_chooser
            open_chooser(self, langs)

    def set_language(self, lang: str):
        self.flow.set_language(lang)
        self.lang = lang

    def set_accessible(self, on: bool):
        self.flow.set_accessible(on)
        self.accessible = on

    def on_accessible(self, *_):
        self._apply_palette()
        self._update_metrics()

    def _apply_palette(self):
        pal = theme.PALETTES["high_contrast" if self.accessible else "default"]
        for name, value in pal.items():
            setattr(self, f"c_{name}", theme.hex_to_rgba(value))
        Window.clearcolor = self.c_bg

    def _update_metrics(self):
        w, h = Window.size
        short = min(w, h)
        k = theme.LARGE_TEXT_FACTOR if self.accessible else 1.0
        self.fs_huge = short * theme.FONT["huge"] * k
        self.fs_title = short * theme.FONT["title"] * k
        self.fs_body = short * theme.FONT["body"] * k
        self.fs_small = short * theme.FONT["small"] * k
        self.min_target = theme.min_target_px(self.kcfg.ui.screen_dpi)
        self.bar_height = max(self.min_target * 1.3, self.fs_small * 2.4)
        self.portrait = h >= w

    # -- feedback flow ----------------------------------------------------------------
    def on_answer(self, value: int, source: str = "touch") -> Outcome:
        outcome = self.flow.answer(value, source)
        if outcome is Outcome.ACCEPTED:
            self.busy = True  # the reasons screen shows once the answer is on disk
        elif outcome is Outcome.INVALID:
            log.warning("ignored answer %r from %s: not on the %d-point scale", value, source,
                        self.flow.s.scale)
        return outcome

    def _answer_durable_bg(self, answer):
        Clock.schedule_once(lambda _dt: self._answer_durable(answer))

    def _answer_durable(self, answer):
        self.busy = False
        if self.flow.phase is Phase.REASONS and self.flow.current and self.flow.current.id == answer.id:
            self.show("feedback_reasons")

    def _write_failed_bg(self, exc):
        Clock.schedule_once(lambda _dt: self._write_failed(exc))

    def _write_failed(self, exc):
        self.busy = False
        log.error("could not record feedback: %s", exc)
        screen = self.screen(self.sm.current)
        if hasattr(screen, "show_error"):
            screen.show_error(self.tr("error.generic"))

    def feedback_done(self, skipped: bool = False):
        self.flow.skip() if skipped else self.flow.done()
        self.show("feedback_thanks")

    # -- time ---------------------------------------------------------------------
    def _any_touch(self, _win, touch):
        self.flow.touch()
        if self.staff_session:
            self.staff_session.touch()
        elif self.gesture.touch(touch.x, touch.y, Window.width, Window.height):
            Clock.schedule_once(lambda _dt: self.show("staff_pin"))
        return False

    def _tick(self, _dt=None):
        if getattr(self, "_throttle", None):
            self._throttle.check()
        if self.staff_session is not None or self.sm.current == "staff_pin":
            if self.staff_session is not None and self.staff_session.expired():
                log.info("staff mode closed after %.0f s without a touch", self.kcfg.staff.idle_timeout_s)
                self.close_staff()
            elif self.staff_session is None and self.flow.idle_for() >= self.kcfg.ui.idle_timeout_s:
                self.close_staff()
            return
        if self.flow.tick():
            self.lang = self.flow.language
            self.accessible = self.flow.accessible
            if self.flow.phase is Phase.QUESTION:
                self.show(self.start_screen())
        elif self._idle_elsewhere():
            self._reset_for_next_visitor()
        left = self.flow.countdown()
        text = self.tr("idle.countdown", n=left) if left else ""
        if text != self.countdown_text:
            self.countdown_text = text

    def _idle_elsewhere(self) -> bool:
        """Idle on a screen other than the start screen, outside the feedback flow (which
        times out by its own rules), on a screen without a timer of its own."""
        current = self.sm.current
        if current == self.start_screen() or current.startswith("feedback_"):
            return False
        if getattr(self.screen(current), "own_idle_timer", False):
            return False
        return self.flow.idle_for() >= self.kcfg.ui.idle_timeout_s

    def _reset_for_next_visitor(self):
        for screen in self._screens.values():
            reset = getattr(screen, "reset", None)
            if callable(reset):
                reset()
        self.flow.set_language(self.kcfg.ui.default_language)
        self.flow.set_accessible(self.kcfg.ui.accessible_default)
        self.lang = self.flow.language
        self.accessible = self.flow.accessible
        self.show(self.start_screen())

    # -- physical buttons -----------------------------------------------------------
    def _open_buttons(self):
        url = self.kcfg.devices.buttons.url or ("sim://" if self.simulate else "")
        if not url:
            return
        from devices.factory import open_device
        try:
            dev = open_device("buttons", url, on_digit=self._button_bg)
        except Exception as e:  # noqa: BLE001 - a missing device must not stop the app
            log.error("physical buttons at %s not available: %s", url, e)
            return
        self.devices["buttons"] = dev
        if hasattr(dev, "press"):  # simulator: keys 1-9 are the buttons
            Window.bind(on_key_down=self._sim_key)

    def _sim_key(self, _win, _key, _scancode, codepoint, _mods):
        if codepoint and codepoint.isdigit() and codepoint != "0":
            self.devices["buttons"].press(int(codepoint))
            return True
        return False

    def _button_bg(self, digit: int):
        Clock.schedule_once(lambda _dt: self._button(digit))

    def _button(self, digit: int):
        self.on_answer(digit, "button")


def _reason_labels(labels: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {f"reason.{rid}": texts for rid, texts in labels.items()}
