"""The Kivy application: the window, the theme (palette and sizes as properties the .kv files
bind to), the screen registry (screens built lazily) and the Kivy glue to the kiosk core.

Everything else - store and writer, devices, sync worker, ticket service, visitor session,
staff desk - is the core's (kiosk.appliance.core.Kiosk, plain Python), handed in by whoever
starts the app (screens/launch.py, the UI tests). Screens reach it as `app.core`. Results
from the core's threads hop back here with Clock.schedule_once.
"""
from __future__ import annotations

import logging
import threading

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import ScreenManager

from kiosk import theme
from kiosk.bidi_text import is_rtl_language
from kiosk.feedback.flow import Outcome, Phase
from kiosk.session import Step
from screens import appliance, label_pixels, looks, low_reach, registry, rtl, textures, widgets  # noqa: F401 - widgets: shared kv classes
from screens.audio_mode import AudioBridge
from screens.help_mode import HelpBridge
from screens.idle_throttle import IdleThrottle
from screens.staff_mode import StaffMode
from screens.transition import InstantTransition

log = logging.getLogger(__name__)

TICK_S = 0.25
SYNC_START_DELAY_S = 3.0
PREBUILD_START_S = 1.0   # after the first frame: the screens a visitor can reach, built ahead
PREBUILD_GAP_S = 0.1     # one screen at a time, so a tap meanwhile is answered at once


class KioskApp(StaffMode, App):
    title = "Kiosk"
    lang = StringProperty("nl")
    rtl = BooleanProperty(False)   # the language reads right to left: layouts mirror (screens/rtl.py)
    accessible = BooleanProperty(False)
    countdown_text = StringProperty("")
    language_button_text = StringProperty("")
    busy = BooleanProperty(False)
    help_on = BooleanProperty(True)   # the help button on visitor screens (help.enabled)
    # sizes (px), recomputed from the window size and large-text mode
    fs_huge = NumericProperty(80)
    fs_title = NumericProperty(60)
    fs_body = NumericProperty(44)
    fs_small = NumericProperty(34)
    bar_height = NumericProperty(110)
    min_target = NumericProperty(60)
    portrait = BooleanProperty(True)
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

    def __init__(self, core, **kw):
        super().__init__(**kw)
        self.core = core   # kiosk.appliance.core.Kiosk: owned by whoever made it, closed in on_stop
        self.restart_requested = False
        self._screens = {}
        self._shared = {}
        self._tick_ev = None
        self._stopping = False
        self._appliance = None
        self._throttle = None
        core.on_answer_durable = self._answer_durable_bg
        core.on_write_failed = self._write_failed_bg
        core.session.listen(self._session_changed)
        core.on_config(lambda _cfg: self._config_changed())
        self.lang = core.session.language
        self.accessible = core.session.accessible
        self._config_changed()

    @property
    def kcfg(self):
        """The current config (the core's; staff changes replace it)."""
        return self.core.cfg

    @property
    def translator(self):
        return self.core.translator

    # -- building ---------------------------------------------------------------
    def build(self):
        rtl.install()       # right-to-left labels drawn shaped and in order (screens/rtl.py)
        rtl.set_mirrored(is_rtl_language(self.lang))   # not what an app before it left behind
        textures.install()  # label text re-renders into new textures (screens/textures.py)
        label_pixels.install()   # a label's pixels kept in its texture only (screens/label_pixels.py)
        self.core.start()
        Window.bind(size=lambda *_: self._update_metrics())
        Window.bind(on_touch_down=self._any_touch, on_touch_move=self._any_touch_move,
                    on_touch_up=self._any_touch_up)
        self.audio = AudioBridge(self)   # audio-guided mode: screens, touches, focus ring
        self.help_ui = HelpBridge(self)  # the help button: a host comes (screens/help_mode.py)
        Window.clearcolor = self.c_bg
        self._apply_palette()
        self._update_metrics()
        self._update_language_button()
        self.sm = ScreenManager(transition=InstantTransition())
        self._looks = looks.Looks(self)
        self.show(self.start_screen())
        return self.sm

    def start_screen(self) -> str:
        return registry.ROLE_START.get(self.kcfg.device.role, "feedback_question")

    def on_start(self):
        self._tick_ev = Clock.schedule_interval(self._tick, TICK_S)
        self._appliance = appliance.start(self)  # systemd watchdog + kiosk-mode lockdown
        self._throttle = IdleThrottle(self.core.session.idle_for)
        Window.bind(on_flip=self._after_first_frame)

    def _after_first_frame(self, *_):
        """Work the visitor does not see, once the start screen is on the glass: opening the
        physical buttons (on the next clock tick, so after every other first-flip handler) and,
        a few seconds later, the sync worker."""
        Window.unbind(on_flip=self._after_first_frame)
        Clock.schedule_once(self._settle, 0)

    def _settle(self, _dt=None):
        if self._stopping:
            return
        self._open_buttons()
        pad = self.core.open_keypad(lambda fn: Clock.schedule_once(lambda _dt: fn()))
        if hasattr(pad, "keyboard"):   # simulator: the keyboard plays the keypad (SIM_KEYBOARD)
            Window.bind(on_key_down=lambda _w, keycode, _sc, _cp, mods: not mods and pad.keyboard(keycode))
        # requests and the sync worker take ~0.4 s to import: not on the Kivy thread, and
        # only once the first screen is up (an import holds the GIL while the window starts)
        Clock.schedule_once(lambda _dt: threading.Thread(target=self.core.start_sync, name="sync-start",
                                                          daemon=True).start(), SYNC_START_DELAY_S)
        ahead = list(registry.REACHABLE.get(self.kcfg.device.role, ()))
        Clock.schedule_once(lambda _dt: self._prebuild(ahead), PREBUILD_START_S)

    def _prebuild(self, names: list[str]):
        """Build the next screen a visitor can reach that is not built yet (see registry.REACHABLE),
        then the one after it a moment later."""
        while names and names[0] in self._screens:
            names.pop(0)
        if not names or self._stopping:
            return
        self._build(names.pop(0))
        Clock.schedule_once(lambda _dt: self._prebuild(names), PREBUILD_GAP_S)

    def _build(self, name: str):
        make = registry.screen_class(name)   # its kv rules read a look of its own (screens/looks.py)
        screen = self._screens[name] = self._looks.build(lambda: low_reach.fitted(self, make(name=name)))
        screen.bind(on_enter=self.audio.entered, on_leave=self.audio.left)   # audio mode
        self.sm.add_widget(screen)
        return screen

    def on_stop(self):
        """Kivy may call this twice (app.stop() then the end of the loop): the core's close()
        is idempotent."""
        self._stopping = True
        Window.unbind(on_flip=self._after_first_frame)
        Window.unbind(on_key_down=self._sim_key)
        Window.unbind(on_touch_down=self._any_touch, on_touch_move=self._any_touch_move,
                      on_touch_up=self._any_touch_up)   # a stopped app takes no touch
        if self._appliance is not None:
            self._appliance.stop()  # STOPPING=1 to systemd
        if self._tick_ev:
            self._tick_ev.cancel()
        self.core.close()

    def show(self, name: str):
        if name not in self._screens:
            self._build(name)
        self.sm.current = name
        return self._screens[name]

    def screen(self, name: str):
        return self._screens.get(name)

    def shared(self, key: str, make):
        """A Kivy-side helper several screens use (e.g. the ticket controller), made once per
        app by `make()` on first use and kept beside the screens."""
        obj = self._shared.get(key)
        if obj is None:
            obj = self._shared[key] = make()
        return obj

    # -- translation and visitor state --------------------------------------------
    def tr(self, msgid: str, lang: str | None = None, **fmt) -> str:
        return self.translator.gettext(msgid, lang or self.lang, **fmt)

    def on_lang(self, *_):
        self.translator.set_language(self.lang)
        self.rtl = is_rtl_language(self.lang)
        rtl.set_mirrored(self.rtl, roots=[self.sm] if getattr(self, "sm", None) else [])
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

    def audio_back(self, name: str):
        """The back key on a function's first screen of the home menu goes to the menu."""
        start = self.start_screen()
        return (lambda: self.show(start)) if name != start and start == "home" else None

    def set_language(self, lang: str):
        self.core.session.set_language(lang)

    def set_accessible(self, on: bool):
        self.core.session.set_accessible(on)

    def _session_changed(self, session):
        """The visitor session changed (on the Kivy thread): mirror it for the .kv files."""
        self.lang = session.language
        self.accessible = session.accessible

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
        # fs_body first: the shared styles (KLabel, BigButton, SecondaryButton in widgets.kv)
        # bind font_size to fs_body and a screen's own rule binds the same font_size to another
        # size; both bindings stay, and the one whose size changes LAST wins. Set after
        # fs_body, a screen's own size (title, the ticket number) always has the last word
        # (set before it, large text made titles and the ticket number smaller: issue 13).
        self.fs_body = short * theme.FONT["body"] * k
        self.fs_small = short * theme.FONT["small"] * k
        self.fs_title = short * theme.FONT["title"] * k
        self.fs_huge = short * theme.FONT["huge"] * k
        self.min_target = theme.min_target_px(self.kcfg.ui.screen_dpi)
        self.bar_height = max(self.min_target * 1.3, self.fs_small * 2.4)
        self.portrait = h >= w

    # -- feedback flow ----------------------------------------------------------------
    def on_answer(self, value: int, source: str = "touch") -> Outcome:
        flow = self.core.flow
        outcome = flow.answer(value, source)
        if outcome is Outcome.ACCEPTED:
            self.busy = True  # the reasons screen shows once the answer is on disk
        elif outcome is Outcome.INVALID:
            log.warning("ignored answer %r from %s: not on the %d-point scale", value, source,
                        flow.s.scale)
        return outcome

    def _answer_durable_bg(self, answer):
        Clock.schedule_once(lambda _dt: self._answer_durable(answer))

    def _answer_durable(self, answer):
        self.busy = False
        flow = self.core.flow
        if flow.phase is Phase.REASONS and flow.current and flow.current.id == answer.id:
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
        self.core.flow.skip() if skipped else self.core.flow.done()
        self.show("feedback_thanks")

    # -- time ---------------------------------------------------------------------
    def _any_touch(self, _win, touch):
        if self._stopping:
            return False
        core = self.core
        core.session.touch()
        if core.staff.active:
            core.staff.touch()
        elif core.staff.gesture.touch(touch.x, touch.y, Window.width, Window.height):
            Clock.schedule_once(lambda _dt: self.show("staff_pin"))
        elif not core.staff.active:
            return self.audio.touch_down(touch)   # True in audio mode: the guide's touch
        return False

    def _any_touch_move(self, _win, touch):
        return not self._stopping and self.audio.touch_move(touch)

    def _any_touch_up(self, _win, touch):
        if self._stopping or self.core.staff.active or "audio" not in touch.ud and self.core.audio.screen is None:
            return False
        return self.audio.touch_up(touch)

    def _tick(self, _dt=None):
        if self._throttle is not None:
            self._throttle.check()
        staff, session = self.core.staff, self.core.session
        if staff.active or self.sm.current == "staff_pin":
            if staff.expired():
                log.info("staff mode closed after %.0f s without a touch", self.kcfg.staff.idle_timeout_s)
                self.close_staff()
            elif not staff.active and session.idle():
                self.close_staff()
            return
        may_reset, timeout_s = self._may_reset(), self._screen_timeout()
        step = session.tick(may_reset=may_reset, hold=self.core.audio.speaking(),
                            timeout_s=timeout_s)
        if step is Step.FLOW:
            if self.core.flow.phase is Phase.QUESTION:
                self.show(self.start_screen())
        elif step is Step.RESET:
            self._reset_screens()
        left = session.countdown(may_reset=may_reset, timeout_s=timeout_s)
        text = self.tr("idle.countdown", n=left) if left else ""
        if text != self.countdown_text:
            warned = bool(self.countdown_text)
            self.countdown_text = text
            if text and not warned:   # the warning starts: said in audio mode
                self.core.audio.announce(f"{text}. {self.tr('idle.more_time_hint')}")

    def more_time(self):
        """The visitor asked for more time (the top bar's button, or any key or touch)."""
        self.core.session.more_time()
        self._tick()

    def _screen_timeout(self):
        """The shown screen's own idle time before its warning (None: ui.idle_timeout_s)."""
        return getattr(self.screen(self.sm.current), "idle_timeout_s", None)

    def _may_reset(self) -> bool:
        """May an idle visitor's screen be reset? Not the start screen, not inside the feedback
        flow (it times out by its own rules), not a screen that stays (the hall display)."""
        current = self.sm.current
        if current == self.start_screen() or current.startswith("feedback_"):
            return False
        return not getattr(self.screen(current), "own_idle_timer", False)

    def _reset_screens(self):
        """The session was reset for the next visitor: screens forget what they showed."""
        for screen in self._screens.values():
            reset = getattr(screen, "reset", None)
            if callable(reset):
                reset()
        self.show(self.start_screen())
        Clock.schedule_once(appliance.give_back_memory, 1.0)

    # -- physical buttons -----------------------------------------------------------
    def _open_buttons(self):
        dev = self.core.open_buttons(on_digit=self._button_bg)
        if dev is not None and hasattr(dev, "press"):  # simulator: keys 1-9 are the buttons
            Window.bind(on_key_down=self._sim_key)

    def _sim_key(self, _win, _key, _scancode, codepoint, _mods):
        dev = self.core.devices.get("buttons")
        if dev is not None and codepoint and codepoint.isdigit() and codepoint != "0":
            dev.press(int(codepoint))
            return True
        return False

    def _button_bg(self, digit: int):
        Clock.schedule_once(lambda _dt: self._button(digit))

    def _button(self, digit: int):
        self.on_answer(digit, "button")
