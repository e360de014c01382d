"""The ticket function as a service the kiosk core owns: issue on one worker, print on
another, the paper state, appointment check-in, scans, speech and reprint. Plain Python.

  svc = TicketService(store, cfg, devices, translator, clock=clock, plan_source=core.floor_plan)
  svc.listen(fn)                 # fn(name, value), called on the thread where it happened
  svc.start()                    # opens printer/speech/scanner (KioskDevices), starts the issuer
  svc.take("passport", "en")     # -> False while a ticket is being taken
  ...
  svc.close()

Nothing here blocks its caller on hardware or disk: numbering and appointment checks run on
the "tickets" worker, printing and printer status on "tickets-print" (kiosk.storage.writer.
Writer each). The number is announced as soon as it is taken, before printing starts, so a
slow print never holds up the next visitor's number.

What listeners hear, `(name, value)`:
- the state attributes when they change: "busy", "message" (catalog id of a refusal or check
  result, "" for none), "paper_ok", "print_status" ("", "printing", "printed", "failed"),
  "qr_png", "result" (kiosk.tickets.issue.IssueResult or None);
- "foreseen" ((Foresight, print status it would start with, QR png or None)) after
  `foresee`: what a ticket taken now would show, to get the screen ready before the tap ends;
- "issued" (the IssueResult) once the number is taken: show it;
- "scanned" (the code): a scanner read one - the UI decides whether to check it in.
A UI hops to its own thread (Kivy: Clock.schedule_once); the service never knows the UI.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from kiosk.storage.writer import Writer
from kiosk.tickets.appointments import CheckInRefused, checker_from_config, service_for
from kiosk.tickets.issue import IssueError, TicketIssuer
from kiosk.tickets.services import ServiceCatalog

log = logging.getLogger(__name__)

Listener = Callable[[str, object], None]


def masked(code: str) -> str:
    """A scanned code as staff may see it: the first four characters, then stars."""
    return code[:4] + "*" * max(0, len(code) - 4)


class TicketService:
    def __init__(self, store, cfg, devices, translator, *, clock=None, plan_source=None):
        self.store = store
        self.cfg = cfg
        self.devices = devices            # kiosk.appliance.devices.KioskDevices
        self.translator = translator
        self.clock = clock or store.clock
        self.plan_source = plan_source    # () -> wayfinding Plan, for directions on the ticket
        self.catalog = ServiceCatalog.from_config(cfg)
        self.checker = checker_from_config(cfg, self.catalog)
        self.issuer: TicketIssuer | None = None
        self.live_waits = None            # kiosk.hall.live_wait.LiveWaits when [sync] is set
        self.printer = self.speech = self.scanner = None
        self.last_scan = ""               # masked, in memory only: the staff menu's scanner check
        self.speech_volume = cfg.devices.speech.volume   # staff may change it while running
        # state (listeners hear every change)
        self.busy = False
        self.message = ""
        self.paper_ok = True
        self.print_status = ""
        self.qr_png = None
        self._ahead: tuple[str, str, bytes] | None = None   # (token, address, QR) for the next ticket
        self.result = None
        self._listeners: list[Listener] = []
        self._ready = threading.Event()
        self._closed = False
        self.worker: Writer | None = None
        self.printing: Writer | None = None

    def listen(self, fn: Listener) -> None:
        self._listeners.append(fn)

    def _set(self, **changes) -> None:
        for name, value in changes.items():
            setattr(self, name, value)
            self._emit(name, value)

    def _emit(self, name: str, value) -> None:
        for fn in list(self._listeners):
            try:
                fn(name, value)
            except Exception:  # noqa: BLE001 - a broken listener must not stop tickets
                log.exception("ticket listener failed on %s", name)

    # -- life cycle ------------------------------------------------------------------
    def start(self) -> "TicketService":
        """Start the workers; the devices are opened on the issue worker, never on the caller's
        (the Kivy) thread: a network printer's connect or a USB claim can take seconds. A
        ticket asked for meanwhile waits its turn behind the opening on the same worker."""
        self.worker = Writer(name="tickets")
        self.printing = Writer(name="tickets-print")
        self.worker.submit(self._open_devices)
        self.worker.submit(self._make_issuer)
        self.refresh_printer()
        return self

    def _open_devices(self) -> None:
        self.printer = self.devices.open("printer")
        self.speech = self.devices.open("speech")
        self.scanner = self.devices.open("scanner")
        self._set(paper_ok=self.printer is not None)
        if self.scanner is not None:
            try:
                self.scanner.start(self._scanned)
            except Exception as e:  # noqa: BLE001 - the keypad still works
                log.error("scanner not started: %s", e)

    def _make_issuer(self):
        if self.cfg.sync.url:
            from kiosk.hall.live_wait import LiveWaits
            self.live_waits = LiveWaits(self.cfg.sync, self.cfg.tickets)
            self.live_waits.start()
        from kiosk.tickets.setup import make_directions
        self.issuer = TicketIssuer(self.store, self.cfg, printer=self.printer, speech=self.speech,
                                   translator=self.translator,
                                   directions=make_directions(self.cfg, self.plan_source),
                                   live_waits=self.live_waits, clock=self.clock)
        self._ready.set()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait for both workers (tests, reprint)."""
        if self.worker is None:
            return True
        return self.worker.flush(timeout) and self.printing.flush(timeout)

    def close(self) -> None:
        """Finish queued work and stop the workers; the devices are the core's to close."""
        if self._closed:
            return
        self._closed = True
        if self.worker is not None:
            self.worker.close(5)
            self.printing.close(5)
        if self.live_waits is not None:
            self.live_waits.stop()

    # -- taking a ticket -------------------------------------------------------------
    def take(self, service_id: str, lang: str, appointment: bool = False) -> bool:
        if self.busy:
            return False
        self._set(busy=True, message="")
        self.worker.submit(self._issue, service_id, lang, appointment,
                           callback=self._issued, errback=self._refused)
        return True

    def draw_ahead(self) -> None:
        """Draw the next ticket's token and make its QR now, on the worker, while the visitor
        looks at the services (the ticket screens call this): the QR takes ~10 ms, which a tap
        would otherwise wait for. Unused, it is kept for the next ticket; only in memory."""
        if self.worker is not None:   # behind the devices and the issuer on the same worker
            self.worker.submit(self._draw_ahead)

    def _draw_ahead(self) -> None:
        from kiosk.tickets.settings import qr_pattern
        pattern = qr_pattern(self.cfg)
        if self._ahead is None and pattern:
            from kiosk.tickets.book import new_token
            from kiosk.tickets.render import qr_png
            token = new_token()
            url = pattern.replace("{token}", token)
            self._ahead = (token, url, qr_png(url))

    def foresee(self, service_id: str, lang: str) -> None:
        """The finger is down on a service: work out on the worker what its ticket would show
        (number, people ahead, wait, route, the QR drawn ahead); listeners hear "foreseen".
        The tap that follows is a `take` as always."""
        if self.worker is not None and not self.busy:
            self.worker.submit(self._foresee, service_id, lang,
                               callback=lambda v: v and self._emit("foreseen", v))

    def _foresee(self, service_id, lang):
        if not self._ready.is_set():
            return None   # the devices are still being opened
        try:
            foresight = self.issuer.foresee(service_id, lang)
        except IssueError:
            return None   # closed or unknown: the tap will say so
        self._draw_ahead()
        return foresight, self._first_status(), self._ahead[2] if self._ahead else None

    def _first_status(self) -> str:
        """The print status a new ticket starts with: "failed" when the printer is known to
        be unable to print (no paper, cover open: the QR from the start), else "printing"."""
        return "printing" if self.issuer.paper_tickets_available() else "failed"

    def _issue(self, service_id, lang, appointment):
        """On the worker, as `_draw_ahead`: no lock needed for `_ahead`."""
        ahead, self._ahead = self._ahead, None
        try:
            result = self.issuer.issue(service_id, lang, appointment, token=ahead[0] if ahead else None)
        except BaseException:
            self._ahead = ahead
            raise
        if ahead is not None and result.ticket.token != ahead[0]:
            self._ahead = ahead        # a repeated tap: the earlier ticket again, token unused
        url = result.content.qr_url
        if not url:
            return result, None
        if ahead is not None and url == ahead[1]:   # the same token and address (staff may edit it)
            return result, ahead[2]
        from kiosk.tickets.render import qr_png
        return result, qr_png(url)

    def _issued(self, pair):
        result, png = pair
        status = "printed" if result.repeated else self._first_status()
        # the status before the result: the screen shows the result with its status at once
        self._set(busy=False, qr_png=png, print_status=status, result=result)
        self._emit("issued", result)
        if not result.repeated:  # after "printing" was told, so "printed" always comes later
            self.printing.submit(self.issuer.print, result, callback=self._printed)
        if self.cfg.tickets.speak:
            self.speak()

    def _printed(self, outcome):
        self._set(print_status="printed" if outcome.printed else "failed",
                  paper_ok=self.issuer.paper_tickets_available())

    def _refused(self, exc):
        refusal = isinstance(exc, (IssueError, CheckInRefused))
        self._set(busy=False, message=exc.message if refusal else "ticket.error")

    def done(self) -> None:
        """The visitor is done with the ticket on screen."""
        if self.speech is not None:
            self.speech.stop()
        self._set(result=None, message="")

    # -- appointments and the scanner ---------------------------------------------------
    def check_in(self, code: str, lang: str) -> bool:
        """Check an appointment code on the worker; a good one takes its service's ticket."""
        if self.busy:
            return False
        self._set(busy=True, message="")
        self.worker.submit(service_for, self.checker, code,
                           callback=lambda service_id: self._checked(service_id, lang),
                           errback=self._refused)
        return True

    def _checked(self, service_id, lang):
        self._set(busy=False)
        self.take(service_id, lang, appointment=True)

    def _scanned(self, code: str) -> None:
        self.last_scan = masked(code)   # never stored
        self._emit("scanned", code)

    # -- printer state, speech, reprint ----------------------------------------------------
    def refresh_printer(self) -> None:
        """Ask the printer for its state on the print worker; listeners hear "paper_ok"."""
        def ask():
            if not self._ready.wait(10) or self.printer is None:
                return False
            self.issuer.printer_state()
            return self.issuer.paper_tickets_available()
        self.printing.submit(ask, callback=lambda ok: self._set(paper_ok=ok))

    def printer_state_text(self) -> str:
        """The printer's state for status lines; asks the printer (from any thread)."""
        if self.issuer is None:
            return "-"
        return self.issuer.printer_state().value

    def speak(self) -> bool:
        """Read the ticket on screen aloud on a thread of its own; a second call while it
        speaks stops it. False when nothing is said."""
        sp, result = self.speech, self.result
        if sp is None or result is None or self.issuer is None:
            return False
        if sp.speaking():
            sp.stop()
            return False
        sp.volume = self.speech_volume
        text = self.issuer.spoken_text(result)
        threading.Thread(target=sp.say, args=(text, result.ticket.lang), daemon=True,
                         name="speech").start()
        return True

    def reprint_last(self):
        """Staff: print the last ticket again. Blocks until printed: call it on a worker.
        Returns (ok, message)."""
        rows = self.store.query("SELECT id FROM tickets ORDER BY id DESC LIMIT 1") \
            if self.store.query("SELECT 1 FROM sqlite_master WHERE name='tickets'") else []
        if not rows:
            return False, "no ticket yet"
        if not self.flush(10) or self.issuer is None:
            return False, "no printer"
        outcome = self.issuer.reprint(rows[0]["id"])
        return bool(outcome.printed), outcome.reason or outcome.state.value
