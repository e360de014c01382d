"""Tickets step 2: the number very large, the service, where to wait, people ahead and the
wait range, the short directions the ticket prints (with "show me the way" to the route map),
the QR to photograph, whether the paper ticket printed, and "read aloud".
Goes back to the services like every resettable screen: after `tickets.show_s` without a
touch a countdown with "more time" shows (the session's idle logic, kiosk/session.py)."""
from __future__ import annotations

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.audio.focus import FocusItem, sentences
from kiosk.audio.ticket import spoken_issued
from kiosk.tickets.render import people_line, wait_line
from screens import looks, textures, widgets  # noqa: F401 - TopBar, KLabel, BigButton used in the .kv
from screens.audio_mode import AudioView, text_item
from screens.kvload import load_kv_for
from screens.ticket_controller import ticket_controller
from screens.ticket_widgets import pixels_texture, png_pixels

WAY_AHEAD_S = 0.3   # after the ticket shows: its own frames first
_STATUS = {"printing": "ticket.printing", "printed": "ticket.take_ticket",
           "failed": "ticket.print_failed"}


class TicketIssuedScreen(Screen):
    ctl = ObjectProperty(None)
    place = StringProperty("")    # the floor-plan place of the service's desk ("": no route)
    failed = BooleanProperty(False)   # the ticket did not print: its status in the warning colour

    def __init__(self, **kw):
        self.app = App.get_running_app()
        kw.setdefault("ctl", ticket_controller(self.app))  # the .kv binds to it
        super().__init__(**kw)
        self._speech_ev = None
        self._said_status = ""
        self._qr_of = None   # the PNG the QR's texture was made from
        self.ctl.bind(result=lambda *_: self.refresh(), print_status=lambda *_: self._status(),
                      qr_png=lambda *_: self._qr())
        looks.current(self.app).bind(lang=lambda *_: self.refresh())

    @property
    def idle_timeout_s(self) -> float:
        """Seconds without a touch before the countdown (then the session's warn_s)."""
        return self.app.kcfg.tickets.show_s

    def on_pre_enter(self, *_):
        self._said_status = self.ctl.print_status
        self._qr()
        self.refresh()

    def on_enter(self, *_):
        self._speech_ev = Clock.schedule_interval(lambda _dt: self._speech_label(), 0.25)
        Clock.schedule_once(lambda _dt: self._way_ahead(), WAY_AHEAD_S)

    def _way_ahead(self):
        """"Show me the way" is a likely next tap: while the visitor reads the ticket, the map
        (when built) gets the route to the desk ready, as a finger on a destination does."""
        way = self.app.screen("wayfinding_map")
        if way is not None and self.place and self.app.sm.current == self.name:
            way.prepare(self.place)

    def on_leave(self, *_):
        if self._speech_ev is not None:
            self._speech_ev.cancel()
        self._speech_ev = None

    def reset(self):
        """The idle reset: the visitor is done with the ticket."""
        if self.ctl.result is not None:
            self.ctl.service.done()

    def _qr(self):
        """The QR's texture, made once per ticket from the pixels the worker decoded: the new
        QR arrives (qr_png) and the screen enters (on_pre_enter) in the same tap (issue #19)."""
        png = self.ctl.qr_png
        if png is self._qr_of and (png is None or self.ids.qr.texture is not None):
            return
        self._qr_of = png
        pixels = self.ctl.qr_pixels
        if png and pixels is None:   # set before the controller heard it: decoded here
            pixels = png_pixels(png)
        self.ids.qr.texture = pixels_texture(pixels) if png else None

    def refresh(self):
        r = self.ctl.result
        if r is None:
            return
        self._show(r.ticket.label, r.service, r.people_ahead, r.wait, self._route(self.app.lang),
                   bool(r.content.qr_url), self.ctl.print_status)
        self._speech_label()
        self.app.audio.refresh(self)

    def prepare(self, foresight, status: str, png, pixels) -> None:
        """While the finger is on a service's tile (screens/ticket_services.py), the ticket it
        would get now (kiosk.tickets.issue.Foresight, worked out on the ticket worker) is put on
        this screen, still hidden, so that it is laid out and rendered before the release
        (screens/textures.py) and the release only shows it: the real ticket sets the same
        texts, and a label given its own text again does not render (issue #19). Where the
        real ticket differs (a ticket taken elsewhere meanwhile), it shows the real one."""
        if self.ctl.result is not None or self.manager is None or self.manager.current == self.name:
            return
        if png is not None and png is not self._qr_of:
            self._qr_of = png
            self.ids.qr.texture = pixels_texture(pixels)
        self._show(foresight.label, foresight.service, foresight.people_ahead, foresight.wait,
                   foresight.route if foresight.lang == self.app.lang else "", png is not None,
                   status)
        textures.warm(self)

    def _show(self, label: str, service, ahead: int, wait: tuple[int, int], route: str,
              has_qr: bool, status: str) -> None:
        tr = self.app.translator
        lang = self.app.lang
        ids = self.ids
        ids.number.text = label
        ids.service.text = self.ctl.catalog.name(service, lang)
        place = self.ctl.catalog.wait_at(service, lang)
        ids.wait_at.text = tr("ticket.wait_at", lang, place=place) if place else ""
        ids.ahead.text = people_line(tr, ahead, lang)
        ids.wait.text = wait_line(tr, wait[0], wait[1], lang)
        ids.directions.text = tr("ticket.directions", lang, route=route) if route else ""
        self.place = service.place if route else ""
        key = _STATUS.get(status)
        if key == "ticket.print_failed" and not has_qr:   # none without a central service
            key = "ticket.print_failed.no_qr"
        ids.status.text = tr(key, lang) if key else ""
        self.failed = status == "failed"
        ids.qr_hint.text = tr("ticket.qr_hint", lang) if has_qr else ""

    def _route(self, lang: str) -> str:
        r = self.ctl.result
        if r is None or not r.service.place:
            return ""
        if lang == r.ticket.lang:
            return r.route
        directions = getattr(self.ctl.service.issuer, "directions", None)
        try:
            return (directions(r.service.place, lang) or "").strip() if directions else r.route
        except Exception:  # noqa: BLE001 - directions are a nicety
            return r.route

    def _status(self):
        self.refresh()
        status = self.ctl.print_status
        if status != self._said_status and self.app.sm.current == self.name:
            self._said_status = status
            view = self.audio_view() if status in ("printed", "failed") else None
            if view is not None:
                # printed, or failed (printer fault, paper out): the whole ticket again with
                # its new state, from the start (a new utterance ends the one before, so a
                # status said alone would cut the ticket short)
                self.app.core.audio.announce(view.instruction)

    def _speech_label(self):
        sp = self.ctl.speech
        speaking = sp is not None and sp.speaking()
        self.ids.speak.text = self.app.tr("ticket.stop_speaking" if speaking else "ticket.speak")
        self.ids.speak.disabled = sp is None

    def speak(self):
        self.ctl.speak()
        self._speech_label()

    def show_way(self):
        """'Show me the way': the route map to the service's desk; back returns here."""
        if self.place:
            from screens.wayfinding_map import show_route
            show_route(self.app, self.place, back_to=self.name)

    # -- audio-guided mode ------------------------------------------------------------------
    def audio_view(self):
        r = self.ctl.result
        if r is None:
            return None
        lang = self.app.lang
        spoken = spoken_issued(r, self.app.translator, lang, self.ctl.catalog,
                               self.ctl.print_status)
        ids = self.ids
        items = [text_item(f"ticket.{k}", ids[k]) for k in
                 ("number", "service", "wait_at", "ahead", "wait", "directions", "status",
                  "qr_hint")]
        if self.place:
            items.append((FocusItem("ticket.show_way", ids.show_way.text,
                                    activate=self.show_way), ids.show_way))
        if not ids.speak.disabled:
            items.append((FocusItem("ticket.speak", ids.speak.text, activate=self.speak),
                          ids.speak))
        items.append((FocusItem("ticket.done", ids.done.text, activate=self.ctl.done), ids.done))
        return AudioView(self.app.tr("ticket.your_number"), sentences(spoken), items)


load_kv_for(__file__)
