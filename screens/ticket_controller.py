"""The ticket screens' view of the core's ticket service (kiosk.tickets.service.TicketService):
an EventDispatcher whose properties mirror the service's state, for the .kv files to bind to.

The service works on its own threads and tells every change to `_heard`; changes made on a
worker hop to the Kivy thread with Clock.schedule_once, so nothing here blocks the Kivy
thread and no property is set from another thread. Screens get it with
`ticket_controller(app)`: one per app, kept by the app's screen registry, not a global.
"""
from __future__ import annotations

import threading

from kivy.clock import Clock
from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from screens.ticket_widgets import png_pixels

STATUS_POLL_S = 30.0
MIRRORED = ("busy", "message", "paper_ok", "print_status", "qr_png", "result")


def ticket_controller(app) -> "TicketController":
    """The app's ticket controller, made on first use (this starts the ticket service)."""
    return app.shared("ticket_controller", lambda: TicketController(app))


class TicketController(EventDispatcher):
    paper_ok = BooleanProperty(True)      # False: show the "no paper tickets" path
    busy = BooleanProperty(False)         # a ticket is being taken: ignore more taps
    result = ObjectProperty(None, allownone=True)
    print_status = StringProperty("")     # "", "printing", "printed", "failed"
    message = StringProperty("")          # catalog id of the last refusal/check result
    qr_png = ObjectProperty(None, allownone=True)
    qr_pixels = None   # the QR decoded (screens.ticket_widgets.png_pixels) off the Kivy thread
    _decoded = (None, None)   # (png, its pixels): the last QR decoded

    def __init__(self, app, **kw):
        super().__init__(**kw)
        self.app = app
        self.service = app.core.tickets
        self.catalog = self.service.catalog
        self.service.listen(self._heard)   # first: a change from now on is not missed
        for name in MIRRORED:
            setattr(self, name, getattr(self.service, name))
        self._poll_ev = Clock.schedule_interval(lambda _dt: self.service.refresh_printer(),
                                                STATUS_POLL_S)
        app.bind(on_stop=lambda *_: self.close())

    @property
    def speech(self):
        return self.service.speech

    # -- from the service (any thread) ---------------------------------------------------
    def _heard(self, name: str, value) -> None:
        # the QR's pixels are decoded here, on the worker that made the ticket
        png = value[2] if name == "foreseen" else value if name == "qr_png" else None
        pixels = self._pixels(png) if png else None
        if threading.current_thread() is threading.main_thread():
            self._apply(name, value, pixels)
        else:
            Clock.schedule_once(lambda _dt: self._apply(name, value, pixels))

    def _pixels(self, png: bytes):
        """The PNG's pixels; the QR foreseen on the press is the ticket's on the release,
        decoded once (a tuple swap: safe across the workers)."""
        last_png, last = self._decoded
        if png is last_png:
            return last
        pixels = png_pixels(png)
        self._decoded = (png, pixels)
        return pixels

    def _apply(self, name: str, value, pixels=None) -> None:
        if name == "qr_png":
            self.qr_pixels = pixels   # before qr_png: the screen binds to that
        if name in MIRRORED:
            setattr(self, name, value)
        elif name == "foreseen":
            screen = self.app.screen("ticket_issued")
            if screen is not None:
                screen.prepare(*value, pixels)
        elif name == "issued":
            self.app.show("ticket_issued")
        elif name == "scanned":
            if self.app.sm.current not in ("ticket_services", "ticket_appointment"):
                return  # a scan while a ticket is on screen: ignore
            self.app.show("ticket_appointment")
            self.check_in(value)

    # -- what the screens do -------------------------------------------------------------
    def foresee(self, service_id: str) -> None:
        """The finger is down on a service: the ticket screen gets ready for its ticket."""
        self.service.foresee(service_id, self.app.lang)

    def take(self, service_id: str, appointment: bool = False) -> bool:
        return self.service.take(service_id, self.app.lang, appointment)

    def check_in(self, code: str) -> bool:
        return self.service.check_in(code, self.app.lang)

    def refresh_printer(self):
        self.service.refresh_printer()

    def speak(self) -> bool:
        """Read the ticket aloud; a second tap while speaking stops it."""
        return self.service.speak()

    def done(self):
        self.service.done()
        self.app.show("ticket_services")

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait for the service's workers (tests)."""
        return self.service.flush(timeout)

    def close(self):
        if self._poll_ev is not None:
            self._poll_ev.cancel()
            self._poll_ev = None
