"""The ticket function behind the ticket screens: devices, the issuer and a worker thread.

Screens call `ticket_controller(app)` and bind to its properties. Nothing here blocks the
Kivy thread: numbering and appointment checks run on one worker, printing and printer status
on another (kiosk.storage.writer.Writer each); results come back with Clock.schedule_once. The
number is shown as soon as it is taken, before printing starts, and a slow print (a raster
ticket over a slow serial line) never holds up the next visitor's number.
"""
from __future__ import annotations

import logging
import threading
import weakref

from kivy.clock import Clock
from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from kiosk.tickets.appointments import checker_from_config
from kiosk.tickets.issue import IssueError, TicketIssuer
from kiosk.tickets.services import ServiceCatalog
from kiosk.tickets.setup import make_directions, open_ticket_devices
from kiosk.storage.writer import Writer

log = logging.getLogger(__name__)

STATUS_POLL_S = 30.0
_controllers: "weakref.WeakKeyDictionary[object, TicketController]" = weakref.WeakKeyDictionary()


def ticket_controller(app) -> "TicketController":
    c = _controllers.get(app)
    if c is None:
        c = TicketController(app)
        _controllers[app] = c
    return c


class TicketController(EventDispatcher):
    paper_ok = BooleanProperty(True)      # False: show the "no paper tickets" path
    busy = BooleanProperty(False)         # a ticket is being taken: ignore more taps
    result = ObjectProperty(None, allownone=True)
    print_status = StringProperty("")     # "", "printing", "printed", "failed"
    message = StringProperty("")          # catalog id of the last refusal/check result
    qr_png = ObjectProperty(None, allownone=True)

    def __init__(self, app, **kw):
        super().__init__(**kw)
        self.app = app
        self.cfg = app.kcfg
        self.catalog = ServiceCatalog.from_config(self.cfg)
        self.checker = checker_from_config(self.cfg, self.catalog)
        self.devices = open_ticket_devices(self.cfg, app.store.data_dir, app.simulate,
                                           kinds=("printer", "speech", "scanner"))
        self.issuer: TicketIssuer | None = None
        self.live_waits = None  # kiosk.hall.live_wait.LiveWaits when [sync] is set
        self._ready = threading.Event()
        self.worker = Writer(name="tickets")
        self.printing = Writer(name="tickets-print")
        self.worker.submit(self._make_issuer)
        self.paper_ok = self.devices.printer is not None
        self._poll_ev = Clock.schedule_interval(lambda _dt: self.refresh_printer(), STATUS_POLL_S)
        self.refresh_printer()
        if self.devices.scanner is not None:
            try:
                self.devices.scanner.start(self._scanned_bg)
            except Exception as e:  # noqa: BLE001 - the keypad still works
                log.error("scanner not started: %s", e)
        app.bind(on_stop=lambda *_: self.close())

    def _make_issuer(self):
        if self.cfg.sync.url:
            from kiosk.hall.live_wait import LiveWaits
            self.live_waits = LiveWaits(self.cfg.sync, self.cfg.tickets)
            self.live_waits.start()
        self.issuer = TicketIssuer(self.app.store, self.cfg, printer=self.devices.printer,
                                   speech=self.devices.speech, translator=self.app.translator,
                                   directions=make_directions(self.cfg),
                                   live_waits=self.live_waits, clock=self.app.kclock)
        self._ready.set()

    # -- taking a ticket ---------------------------------------------------------
    def take(self, service_id: str, appointment: bool = False) -> bool:
        if self.busy:
            return False
        self.busy = True
        self.message = ""
        lang = self.app.lang
        self.worker.submit(self._issue, service_id, lang, appointment,
                           callback=self._issued_bg, errback=self._refused_bg)
        return True

    def _issue(self, service_id, lang, appointment):
        result = self.issuer.issue(service_id, lang, appointment)
        from kiosk.tickets.render import qr_png
        return result, qr_png(result.content.qr_url)

    def _issued_bg(self, pair):
        result, png = pair
        Clock.schedule_once(lambda _dt: self._issued(result, png))
        if not result.repeated:
            self.printing.submit(self.issuer.print, result, callback=self._printed_bg)

    def _issued(self, result, png):
        self.busy = False
        self.qr_png = png
        self.result = result
        self.print_status = "printed" if result.repeated else "printing"
        self.app.show("ticket_issued")
        if self.cfg.tickets.speak:
            self.speak()

    def _printed_bg(self, outcome):
        ok = self.issuer.paper_tickets_available()
        Clock.schedule_once(lambda _dt: self._printed(outcome, ok))

    def _printed(self, outcome, paper_ok):
        self.print_status = "printed" if outcome.printed else "failed"
        self.paper_ok = paper_ok

    def _refused_bg(self, exc):
        msg = exc.message if isinstance(exc, IssueError) else "ticket.error"
        Clock.schedule_once(lambda _dt: self._refused(msg))

    def _refused(self, msg):
        self.busy = False
        self.message = msg

    # -- appointments ----------------------------------------------------------------
    def check_in(self, code: str) -> bool:
        if self.busy:
            return False
        self.busy = True
        self.message = ""
        self.worker.submit(self.checker.check, code, callback=self._checked_bg,
                           errback=self._refused_bg)
        return True

    def _checked_bg(self, res):
        Clock.schedule_once(lambda _dt: self._checked(res))

    def _checked(self, res):
        self.busy = False
        if not res.ok:
            self.message = res.message
            return
        if not res.service_id:
            self.message = "appointment.no_service"
            return
        self.take(res.service_id, appointment=True)

    def _scanned_bg(self, code: str):
        Clock.schedule_once(lambda _dt: self._scanned(code))

    def _scanned(self, code: str):
        # for the staff menu's scanner check: in memory only, never stored
        self.app.last_scan = code[:4] + "*" * max(0, len(code) - 4)
        if self.app.sm.current not in ("ticket_services", "ticket_appointment"):
            return  # a scan while a ticket is on screen: ignore
        self.app.show("ticket_appointment")
        self.check_in(code)

    # -- printer state and speech -------------------------------------------------
    def refresh_printer(self):
        def ask():
            if not self._ready.wait(10) or self.devices.printer is None:
                return False
            self.issuer.printer_state()
            return self.issuer.paper_tickets_available()
        self.printing.submit(ask, callback=lambda ok: Clock.schedule_once(
            lambda _dt: setattr(self, "paper_ok", ok)))

    def speak(self) -> bool:
        """Read the ticket aloud; a second tap while speaking stops it."""
        sp = self.devices.speech
        if sp is None or self.result is None or self.issuer is None:
            return False
        if sp.speaking():
            sp.stop()
            return False
        sp.volume = self.app.kcfg.devices.speech.volume   # staff may have changed it
        text = self.issuer.spoken_text(self.result)
        threading.Thread(target=sp.say, args=(text, self.result.ticket.lang), daemon=True,
                         name="speech").start()
        return True

    def done(self):
        if self.devices.speech is not None:
            self.devices.speech.stop()
        self.result = None
        self.message = ""
        self.app.show("ticket_services")

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait for both workers (tests)."""
        return self.worker.flush(timeout) and self.printing.flush(timeout)

    def close(self):
        if self._poll_ev is not None:
            self._poll_ev.cancel()
            self._poll_ev = None
        self.worker.close(5)
        self.printing.close(5)
        if self.live_waits is not None:
            self.live_waits.stop()
        self.devices.close()
