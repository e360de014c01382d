"""Tickets step 2: the number very large, the service, where to wait, people ahead and the
wait range, the QR to photograph, whether the paper ticket printed, and "read aloud".
Goes back to the services after `tickets.show_s` without a touch."""
from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import ObjectProperty
from kivy.uix.screenmanager import Screen

from kiosk.tickets.render import people_line, wait_line
from screens import widgets  # noqa: F401 - TopBar, KLabel, BigButton used in the .kv
from screens.kvload import load_kv_for
from screens.ticket_controller import ticket_controller
from screens.ticket_widgets import png_texture

_STATUS = {"printing": "ticket.printing", "printed": "ticket.take_ticket",
           "failed": "ticket.print_failed"}


class TicketIssuedScreen(Screen):
    own_idle_timer = True  # tickets.show_s, see restart_idle
    ctl = ObjectProperty(None)

    def __init__(self, **kw):
        self.app = App.get_running_app()
        kw.setdefault("ctl", ticket_controller(self.app))  # the .kv binds to it
        super().__init__(**kw)
        self._idle_ev = None
        self._speech_ev = None
        self.ctl.bind(result=lambda *_: self.refresh(), print_status=lambda *_: self.refresh(),
                      qr_png=lambda *_: self._qr())
        self.app.bind(lang=lambda *_: self.refresh())

    def on_pre_enter(self, *_):
        self._qr()
        self.refresh()

    def on_enter(self, *_):
        self.restart_idle()
        self._speech_ev = Clock.schedule_interval(lambda _dt: self._speech_label(), 0.25)

    def on_leave(self, *_):
        for ev in (self._idle_ev, self._speech_ev):
            if ev is not None:
                ev.cancel()
        self._idle_ev = self._speech_ev = None

    def on_touch_down(self, touch):
        self.restart_idle()
        return super().on_touch_down(touch)

    def restart_idle(self):
        if self._idle_ev is not None:
            self._idle_ev.cancel()
        if self.app.sm.current == self.name:
            self._idle_ev = Clock.schedule_once(lambda _dt: self.ctl.done(),
                                                self.app.kcfg.tickets.show_s)

    def _qr(self):
        if self.ctl.qr_png:
            self.ids.qr.texture = png_texture(self.ctl.qr_png)

    def refresh(self):
        r = self.ctl.result
        if r is None:
            return
        tr = self.app.translator.gettext
        self.ids.number.text = r.ticket.label
        self.ids.service.text = self.ctl.catalog.name(r.service, self.app.lang)
        place = self.ctl.catalog.wait_at(r.service, self.app.lang)
        self.ids.wait_at.text = tr("ticket.wait_at", self.app.lang, place=place) if place else ""
        self.ids.ahead.text = people_line(tr, r.people_ahead, self.app.lang)
        self.ids.wait.text = wait_line(tr, r.wait[0], r.wait[1], self.app.lang)
        key = _STATUS.get(self.ctl.print_status)
        self.ids.status.text = tr(key, self.app.lang) if key else ""
        self.ids.qr_hint.text = tr("ticket.qr_hint", self.app.lang)
        self._speech_label()

    def _speech_label(self):
        sp = self.ctl.speech
        speaking = sp is not None and sp.speaking()
        self.ids.speak.text = self.app.tr("ticket.stop_speaking" if speaking else "ticket.speak")
        self.ids.speak.disabled = sp is None

    def speak(self):
        self.ctl.speak()
        self._speech_label()


load_kv_for(__file__)
