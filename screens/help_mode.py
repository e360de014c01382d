"""The help button's Kivy side: the one place where screens meet the help desk
(kiosk.help.desk.HelpDesk, `app.core.help`).

- `ask()`: the top bar's "Hulp nodig?" or the keypad's call_help key (*), on a visitor screen:
  the desk makes the call (or gives the current one back) and the help screen shows it.
- The desk's changes (the host's answer comes on the help watch's thread) hop to the Kivy
  thread; when the visitor's call turns "coming" the help screen shows it and it is said, in
  or outside audio mode (the visitor may be waiting without looking at the screen).
- `back()` returns to the screen help was asked on; `cancel()` ends the call and returns too;
  a call that central ends (done, cancelled, missed) closes the help screen the same way.
"""
from __future__ import annotations

from kivy.clock import Clock

from kiosk.help.desk import HelpState
from screens.low_reach import VISITOR

SCREEN = "help"


class HelpBridge:
    def __init__(self, app):
        self.app = app
        self.desk = app.core.help
        self._told = ""             # the call whose host's coming was said
        self.desk.listen(lambda view: Clock.schedule_once(lambda _dt: self._changed(view)))
        app.core.audio.on_call_help = self.ask

    def _visitor_screen(self) -> str | None:
        current = self.app.sm.current
        if current == SCREEN:
            return self.desk.view.screen or self.app.start_screen()
        return current if current.startswith(VISITOR) else None

    def ask(self) -> None:
        app = self.app
        if not app.kcfg.help.enabled or app.core.staff.active:
            return
        screen = self._visitor_screen()
        if screen is None:      # staff screens, the hall display: no help button there
            return
        self.desk.request(screen, app.lang)
        shown = app.show(SCREEN)
        shown.refresh()

    def back(self) -> None:
        app = self.app
        if app.sm.current == SCREEN:
            app.show(self.desk.view.screen or self._back_to or app.start_screen())

    _back_to = ""

    def cancel(self) -> None:
        self._back_to = self.desk.view.screen
        self.desk.cancel()
        self.back()
        guide = self.app.core.audio
        intro = guide.screen.intro() if guide.screen is not None else ""
        guide.announce(f"{self.app.tr('help.cancelled')} {intro}".strip())

    def _changed(self, view) -> None:
        app = self.app
        if view.state is not HelpState.NONE:
            self._back_to = view.screen
        screen = app.screen(SCREEN)
        if screen is not None:
            screen.refresh()
        if view.state is HelpState.COMING and view.call_id != self._told:
            self._told = view.call_id
            if app.sm.current != SCREEN and app.sm.current.startswith(VISITOR):
                screen = app.show(SCREEN)    # the visitor went back meanwhile: show the news
            text, detail, _steps = screen.texts(app.lang) if screen is not None else ("", "", [])
            app.core.audio.notify(f"{text} {detail}".strip())
        if view.state is HelpState.NONE and app.sm.current == SCREEN:
            app.show(self._back_to or app.start_screen())
