"""Issuing a ticket the way the ticket screen and `kiosk ticket issue` do.

  issuer = TicketIssuer(store, cfg, printer=..., speech=..., clock=clock)
  result = issuer.issue("passport", "en")     # number + ticket.issued, fast (no hardware)
  outcome = issuer.print(result)              # status check, bytes, printed / print_failed
  issuer.speak(result)                        # optional, interruptible

`issue` refuses (IssueError with a catalog message id) for an unknown or closed service.
"Open now" and "today" come from the clock passed in (`clock=`, default SystemClock()); the
app passes its own, tests a FakeClock, so nothing here reads the machine's clock behind it.
One tap, one ticket: the same service again within `tickets.double_tap_s` (monotonic
clock) returns the same ticket, marked `repeated`. Reprinting is `reprint()`, a staff
action. Printing never raises: every failure becomes `ticket.print_failed` plus, when the
printer's state changed, `device.status`; the ticket stays valid on screen and by QR.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from common.states import IllegalTransition
from devices.capabilities import PrinterCapabilities, capabilities_for
from devices.printer import PrinterState, PrintFailed
from kiosk.clock import SystemClock, utc_rfc3339
from kiosk.i18n import Translator
from kiosk.hall.live_wait import CONFIGURED, LIVE
from kiosk.tickets.pictograms import load_pictogram
from kiosk.tickets.printer_watch import PrinterWatch
from kiosk.tickets.spoken import spoken_number
from kiosk.tickets.render import TicketContent, build_content, job_for, ticket_preview
from kiosk.tickets.services import ServiceCatalog
from kiosk.tickets.settings import qr_pattern
from kiosk.tickets.book import PrintState, Ticket, TicketBook, format_label, wait_range

log = logging.getLogger(__name__)
# Most bytes of desk routes in one ticket.issued event (the central service takes events
# up to 16 KB; each desk's steps are ~300-700 bytes).
DESK_ROUTES_BYTES = 8000


class IssueError(Exception):
    """A ticket cannot be issued; `message` is a catalog id to show, `detail` for staff."""

    def __init__(self, message: str, detail: str):
        super().__init__(detail)
        self.message = message
        self.detail = detail


@dataclass
class IssueResult:
    ticket: Ticket
    service: object
    content: TicketContent
    people_ahead: int
    wait: tuple[int, int]
    repeated: bool = False
    wait_source: str = CONFIGURED   # "live" (central's queue) or "configured"
    route: str = ""                 # walking directions to the service's place (ticket's language)


@dataclass(frozen=True)
class Foresight:
    """What the next ticket of a service would show if it were taken now (`foresee`): the
    ticket screen gets these texts ready while the finger is still on the tile. The real
    ticket can differ (another ticket taken meanwhile); the screen then shows the real one."""
    label: str
    service: object
    people_ahead: int
    wait: tuple[int, int]
    route: str      # as IssueResult.route, in `lang`
    lang: str


@dataclass
class PrintOutcome:
    printed: bool
    state: PrinterState
    reason: str = ""
    mode: str = ""
    size: int = 0


def spoken_label(label: str) -> str:
    """'A012' -> 'A 12': the letter, then the number as a number (read "A twaalf").
    Speech uses kiosk.tickets.spoken.spoken_number, which also knows each language's letters."""
    letters = label.rstrip("0123456789")
    digits = label[len(letters):]
    return f"{letters} {int(digits)}" if digits else label


class TicketIssuer:
    def __init__(self, store, cfg, printer=None, speech=None, translator: Translator | None = None,
                 config_dir: str | Path | None = None, directions=None, live_waits=None,
                 clock=None):
        self.store = store
        self.cfg = cfg
        # "is the service open now" and the double-tap window follow this clock (the kiosk
        # core passes its own); by default the store's, else the system clock
        self.clock = clock or getattr(store, "clock", None) or SystemClock()
        self.printer = printer
        self.speech = speech
        self.tr = translator or Translator(cfg.ui.default_language)
        self.catalog = ServiceCatalog.from_config(cfg)
        self.book = TicketBook.from_config(store, cfg, clock=self.clock)
        self.config_dir = config_dir
        self.directions = directions  # optional callable(place_id, lang) -> str (wayfinding)
        self.live_waits = live_waits  # optional kiosk.hall.live_wait.LiveWaits (central's estimates)
        self._last: dict[str, tuple[float, IssueResult]] = {}
        self._lock = threading.Lock()
        self.watch = PrinterWatch(store, printer)  # the one owner of the printer's state
        self.book.recover_interrupted()

    # -- issuing ----------------------------------------------------------------
    def check_service(self, service_id: str):
        try:
            service = self.catalog.get(service_id)
        except KeyError as e:
            raise IssueError("tickets.unavailable", str(e.args[0])) from None
        if not self.catalog.open_now(service, self.clock.wall()):
            raise IssueError("tickets.closed", f"service {service_id!r} is closed now")
        return service

    def issue(self, service_id: str, lang: str, appointment: bool = False,
              token: str | None = None) -> IssueResult:
        service = self.check_service(service_id)
        if service.needs_appointment and not appointment:
            raise IssueError("tickets.appointment",
                             f"service {service_id!r} needs an appointment check-in")
        with self._lock:
            now = self.clock.monotonic()
            last = self._last.get(service_id)
            if last and now - last[0] < self.cfg.tickets.double_tap_s:
                prev = last[1]
                return IssueResult(prev.ticket, prev.service, prev.content, prev.people_ahead,
                                   prev.wait, repeated=True, wait_source=prev.wait_source,
                                   route=prev.route)
            # a dict lookup: a slow or absent central service never delays the ticket
            live = self.live_waits.current(service.id) if self.live_waits is not None else None
            printed, full, desks = self._routes(service, lang)
            ticket = self.book.issue(
                service.id, service.prefix, lang, appointment,
                extra_payload={"wait_source": LIVE if live else CONFIGURED,
                               **self._mobile_payload(service, lang, full, desks)},
                estimate=lambda ahead: _wait(service, ahead, live),
                assume_served_after_min=self.cfg.tickets.assume_served_after_min, token=token)
            result = self._result(ticket, service, live, (printed, full))
            self._last[service_id] = (now, result)
        return result

    def foresee(self, service_id: str, lang: str) -> Foresight:
        """The number, people ahead, wait and route a ticket of the service would get now;
        nothing is taken or recorded. Refuses as `issue` does (IssueError)."""
        service = self.check_service(service_id)
        live = self.live_waits.current(service.id) if self.live_waits is not None else None
        label, ahead = self.book.foresee(service.id, service.prefix,
                                         self.cfg.tickets.assume_served_after_min)
        full = self._routes(service, lang)[1]
        return Foresight(label, service, ahead, _wait(service, ahead, live),
                         "\n".join(full).strip(), lang)

    def _routes(self, service, lang: str) -> tuple[str, list[str], dict]:
        """(printed decisive steps, the full route, routes from the waiting place to each desk)
        for the service's place; empty when there is no floor plan or no place."""
        if not (self.directions and service.place):
            return "", [], {}
        try:
            printed = self.directions(service.place, lang) or ""
            full_of = getattr(self.directions, "full", None)
            full = full_of(service.place, lang) if full_of else printed.splitlines()
            desks_of = getattr(self.directions, "desks", None)
            return printed, full, (desks_of(service.place, lang) if desks_of else {})
        except Exception:  # noqa: BLE001 - directions are a nicety, never block a ticket
            log.exception("no directions for %s", service.place)
            return "", [], {}

    def _mobile_payload(self, service, lang: str, full: list[str], desks: dict) -> dict:
        """What the mobile ticket page shows, in the ticket's language, when the QR leads
        there (texts only: nothing about the visitor)."""
        if not qr_pattern(self.cfg):
            return {}
        out = {"service_name": self.catalog.name(service, lang)}
        place = self.catalog.wait_at(service, lang)
        if place:
            out["wait_at"] = place
        if full:
            out["route"] = [step[:300] for step in full[:20]]
        budget = DESK_ROUTES_BYTES
        routes = {}
        for desk, steps in list(desks.items())[:40]:
            size = len(json.dumps(steps, ensure_ascii=False).encode()) + len(desk) + 8
            if size > budget:
                break               # a large building: the first desks only, within budget
            routes[desk] = [step[:300] for step in steps[:20]]
            budget -= size
        if routes:
            out["desk_routes"] = routes
        return out

    def _result(self, ticket: Ticket, service, live: tuple[int, int] | None = None,
                routes: tuple[str, list[str]] | None = None) -> IssueResult:
        ahead = self.book.people_ahead(ticket, self.cfg.tickets.assume_served_after_min)
        wait = _wait(service, ahead, live)
        printed, full = routes if routes is not None else self._routes(service, ticket.lang)[:2]
        route = "\n".join(full)
        content = build_content(ticket, service, self.catalog, self.tr,
                                qr_pattern=qr_pattern(self.cfg), ahead=ahead, wait=wait,
                                tz=self.cfg.device.timezone, pictogram=self._pictogram(service),
                                directions=printed)
        return IssueResult(ticket, service, content, ahead, wait,
                           wait_source=LIVE if live else CONFIGURED, route=route.strip())

    def _pictogram(self, service):
        try:
            return load_pictogram(service.pictogram, 128, self.config_dir)
        except (OSError, KeyError, ValueError) as e:
            log.warning("pictogram for %s not usable: %s", service.id, e)
            return None

    # -- printing -----------------------------------------------------------------
    def print(self, result: IssueResult, reprint: bool = False) -> PrintOutcome:
        """Print the ticket; never raises. Records ticket.printed or ticket.print_failed."""
        ticket = result.ticket
        if self.printer is None:
            outcome = PrintOutcome(False, PrinterState.UNKNOWN, "no printer configured")
        else:
            outcome = self._send(result)
            seen = outcome.state
            if outcome.printed and seen == PrinterState.UNKNOWN and not self.printer.answers_status:
                seen = PrinterState.ONLINE  # it took the job; that is all such a printer says
            try:
                self.watch.observe(seen, outcome.reason)
            except IllegalTransition as e:  # a driver bug must not cost the ticket's record
                log.error("%s", e)
            if outcome.printed and self.printer.preview_dir:
                self._save_preview(result)
        details = {"mode": outcome.mode, "bytes": outcome.size, "printer_state": outcome.state.value}
        try:
            if outcome.printed:
                self.book.mark_printed(ticket, details, reprint=reprint)
            else:
                log.warning("ticket %s not printed: %s", ticket.label, outcome.reason)
                self.book.mark_not_printed(ticket, outcome.reason, details, reprint=reprint)
        except IllegalTransition as e:  # e.g. a printed ticket reported failed: keep it printed
            log.error("ticket %s: %s", ticket.label, e)
        return outcome

    def _send(self, result: IssueResult) -> PrintOutcome:
        try:
            job, mode = job_for(result.content, self._capabilities(), self.cfg.tickets.print_mode)
        except Exception as e:  # noqa: BLE001 - a layout bug must not cost the number
            log.exception("cannot lay out ticket %s", result.ticket.label)
            return PrintOutcome(False, PrinterState.UNKNOWN, f"layout failed: {e}")
        try:
            state = self.printer.print_job(job)
        except PrintFailed as e:
            return PrintOutcome(False, e.state, str(e), mode, len(job))
        except Exception as e:  # noqa: BLE001 - driver bug: same as a failed print
            log.exception("printer driver error")
            return PrintOutcome(False, PrinterState.UNKNOWN, f"driver error: {e}", mode, len(job))
        return PrintOutcome(True, state, "", mode, len(job))

    def _capabilities(self) -> PrinterCapabilities:
        """What the configured printer can do, from its python-escpos profile (cached)."""
        return capabilities_for(self.printer.profile)

    def issue_and_print(self, service_id: str, lang: str, appointment: bool = False):
        result = self.issue(service_id, lang, appointment)
        if result.repeated:
            return result, None
        return result, self.print(result)

    def reprint(self, ticket_id: int) -> PrintOutcome:
        """Staff action: print an existing ticket again."""
        ticket = self.book.get(ticket_id)
        if ticket is None:
            raise IssueError("tickets.unavailable", f"no ticket with id {ticket_id}")
        service = self.catalog.get(ticket.service_id)
        return self.print(self._result(ticket, service), reprint=True)

    # -- printer state (owned by self.watch) -------------------------------------------
    def printer_state(self) -> PrinterState:
        """Ask the printer now (bounded by its status timeout) and record a change."""
        if self.printer is None:
            return PrinterState.UNKNOWN
        return self.watch.poll()

    def paper_tickets_available(self) -> bool:
        """False when the last known state says printing cannot work (show the no-paper path)."""
        if self.printer is None:
            return False
        return self.watch.paper_tickets_available()

    def _save_preview(self, result: IssueResult) -> None:
        try:
            out = Path(self.printer.preview_dir) / f"ticket-{result.ticket.id:06d}.png"
            out.parent.mkdir(parents=True, exist_ok=True)
            ticket_preview(result.content, self._capabilities()).save(out)
        except OSError as e:
            log.warning("cannot save ticket preview: %s", e)

    # -- speech -----------------------------------------------------------------------
    def spoken_text(self, result: IssueResult) -> str:
        lang = result.ticket.lang
        place = self.catalog.wait_at(result.service, lang)
        return self.tr("ticket.spoken", lang, number=spoken_number(result.ticket.label, lang, self.tr),
                       service=result.content.service_name,
                       place=self.tr("ticket.spoken_wait_at", lang, place=place) if place else "")

    def speak(self, result: IssueResult) -> bool:
        if self.speech is None:
            return False
        return self.speech.say(self.spoken_text(result), result.ticket.lang)

    # -- preview -----------------------------------------------------------------------
    def preview(self, service_id: str, lang: str) -> IssueResult:
        """What the next ticket would look like, without issuing one."""
        service = self.catalog.get(service_id)
        day = self.book.today()
        number = self.book.next_number(service.id)
        t = self.cfg.tickets
        ticket = Ticket(0, "PREVIEW", service.id, day, number,
                        format_label(service.prefix, number, t.number_format, t.number_width),
                        lang, utc_rfc3339(self.clock.wall()), False, PrintState.PENDING)
        return self._result(ticket, service)


def _wait(service, ahead: int, live: tuple[int, int] | None) -> tuple[int, int]:
    """The wait range shown and printed: central's live estimate, else the configured one."""
    return live or wait_range(ahead, service.handling_minutes, max(1, service.desks_open))
