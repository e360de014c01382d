"""The help screen: what happens after "Hulp nodig?" (kiosk/help/desk.py, docs/help.md).

- a host is asked for: "Er komt iemand naar u toe", "Blijf bij dit scherm", and a cancel button;
- a host is on the way: "Er is iemand onderweg naar u" (with the host's first name if central
  sent one);
- no host can come (offline, outside the help hours): "Loop naar de informatiebalie" with the
  route from here, step by step.
Back returns to the screen the visitor pressed help on (the call stays open); cancel ends the
call (help.cancelled) and returns there too. Shown by screens/help_mode.py."""
from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.help.desk import HelpState, Why
from screens import widgets  # noqa: F401 - TopBar, KLabel, BigButton used in the .kv
from screens import looks
from screens.kvload import load_kv_for


class HelpScreen(Screen):
    title_text = StringProperty("")
    detail_text = StringProperty("")
    steps_text = StringProperty("")
    can_cancel = BooleanProperty(False)

    def __init__(self, **kw):
        super().__init__(**kw)
        self.app = App.get_running_app()
        looks.current(self.app).bind(lang=lambda *_: self.refresh())

    @property
    def desk(self):
        return self.app.core.help

    @property
    def idle_timeout_s(self):
        """While a host is asked for or on the way the visitor waits here: help.wait_s."""
        if self.desk.view.state in (HelpState.CALLED, HelpState.COMING):
            return self.app.kcfg.help.wait_s
        return None

    def on_pre_enter(self, *_):
        self.refresh()

    def texts(self, lang: str) -> tuple[str, str, list[str]]:
        """(title, detail, route steps) of the current call in `lang`."""
        view, tr = self.desk.view, self.app.translator.gettext
        if view.state is HelpState.CALLED:
            return tr("help.called", lang), tr("help.stay", lang), []
        if view.state is HelpState.COMING:
            detail = tr("help.host", lang, host=view.host) if view.host else tr("help.stay", lang)
            return tr("help.coming", lang), detail, []
        if view.state is HelpState.INFO:
            why = tr("help.closed" if view.why is Why.CLOSED else "help.offline", lang)
            name, steps = self.desk.directions(lang)
            if not name:
                return tr("help.ask_staff", lang), why, []
            return tr("help.go_to_info", lang), why, steps
        return "", "", []

    def refresh(self):
        title, detail, steps = self.texts(self.app.lang)
        self.title_text, self.detail_text = title, detail
        self.steps_text = "\n".join(steps)
        self.can_cancel = self.desk.view.state in (HelpState.CALLED, HelpState.COMING)
        bridge = getattr(self.app, "audio", None)
        if bridge is not None and self.app.sm.current == self.name:
            bridge.refresh(self)

    def cancel(self):
        self.app.help_ui.cancel()

    def back(self):
        self.app.help_ui.back()

    def reset(self):
        """The idle reset (the next visitor): the screen forgets the call; the host still comes."""
        self.desk.forget()

    def audio_view(self):
        from kiosk.audio.focus import FocusItem
        from kiosk.audio.focus import sentences
        from screens.audio_mode import AudioView
        ids = self.ids
        items = []
        if self.can_cancel:
            items.append((FocusItem("help.cancel", ids.cancel.text, activate=self.cancel),
                          ids.cancel))
        items.append((FocusItem("help.back", ids.back.text, activate=self.back), ids.back))
        # the route is said with the instruction: a visitor who cannot see needs it most
        return AudioView(self.title_text, sentences(self.detail_text, *self.steps_text.splitlines()),
                         items, on_back=self.back)


load_kv_for(__file__)
