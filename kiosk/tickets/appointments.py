"""Checking an appointment code at check-in. Pluggable: a format rule from config by
default, optionally an HTTP endpoint (POST {"code": ...} -> {"valid": bool, "service": id}).

The code is only held for the check itself: it is never stored, logged or put in an event.
Results carry a catalog message id for the visitor (`appointment.*`).

`service_for(checker, code)` is the check-in decision the ticket screen (through
kiosk.tickets.service.TicketService.check_in) and `kiosk ticket issue --appointment` share:
the service whose ticket the visitor gets, or CheckInRefused saying why not.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

log = logging.getLogger(__name__)

MAX_CODE = 64


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str            # msgid in the tickets catalog
    service_id: str = ""    # what the appointment is for, when known


class CheckInRefused(Exception):
    """No ticket for this code: `message` is the catalog id the screen shows the visitor,
    `detail` one line for staff (never the code itself)."""

    def __init__(self, message: str, detail: str):
        super().__init__(detail)
        self.message = message
        self.detail = detail


# What staff read when the screen shows the visitor one of these messages.
_DETAILS = {
    "appointment.bad_format": "the code does not match tickets.appointments.pattern; no ticket "
                              "issued (the screen asks the visitor to look at the confirmation again)",
    "appointment.unknown": "the appointment checker does not know this code; no ticket issued "
                           "(the screen sends the visitor to a member of staff)",
    "appointment.unreachable": "the appointment checker at tickets.appointments.url did not "
                               "answer; no ticket issued (the screen sends the visitor to a "
                               "member of staff)",
    "appointment.no_service": "no service takes appointments: set tickets.appointments.service "
                              "or mark a service needs_appointment = true",
}


def service_for(checker, code: str) -> str:
    """Check `code` with the configured checker (format rule, then the endpoint if any) and
    return the id of the service the appointment's ticket is for. Raises CheckInRefused."""
    res = checker.check(code)
    if res.ok and not res.service_id:
        res = CheckResult(False, "appointment.no_service")
    if not res.ok:
        raise CheckInRefused(res.message, _DETAILS.get(res.message, res.message))
    return res.service_id


def normalise(code: str) -> str:
    """Trim, upper-case, drop spaces and control characters (scanners add CR/LF, tabs)."""
    return "".join(ch for ch in code.strip().upper() if ch.isprintable() and not ch.isspace())


class FormatRule:
    """Valid when the normalised code matches the configured pattern."""

    def __init__(self, pattern: str, service_id: str = ""):
        self.regex = re.compile(pattern)
        self.service_id = service_id

    def check(self, code: str) -> CheckResult:
        c = normalise(code)
        if not c or len(c) > MAX_CODE or not self.regex.search(c):
            return CheckResult(False, "appointment.bad_format")
        return CheckResult(True, "appointment.ok", self.service_id)


class HttpCheck:
    """Asks an endpoint after the format rule passed. Unreachable -> a clear message."""

    def __init__(self, url: str, rule: FormatRule, timeout: float = 2.0, session=None):
        self.url = url
        self.rule = rule
        self.timeout = timeout
        self.session = session

    def check(self, code: str) -> CheckResult:
        first = self.rule.check(code)
        if not first.ok:
            return first
        import requests  # only needed when an endpoint is configured
        http = self.session or requests
        try:
            r = http.post(self.url, json={"code": normalise(code)}, timeout=self.timeout)
        except requests.RequestException as e:
            log.warning("appointment endpoint unreachable: %s", type(e).__name__)
            return CheckResult(False, "appointment.unreachable")
        if r.status_code == 404:
            return CheckResult(False, "appointment.unknown")
        if r.status_code != 200:
            log.warning("appointment endpoint answered HTTP %s", r.status_code)
            return CheckResult(False, "appointment.unreachable")
        try:
            body = r.json()
        except ValueError:
            log.warning("appointment endpoint answered something that is not JSON")
            return CheckResult(False, "appointment.unreachable")
        if not isinstance(body, dict) or not body.get("valid"):
            return CheckResult(False, "appointment.unknown")
        service = body.get("service")
        return CheckResult(True, "appointment.ok",
                           service if isinstance(service, str) and service else self.rule.service_id)


def checker_from_config(cfg, catalog=None):
    """The configured checker; `service` defaults to the first appointment-only service."""
    a = cfg.tickets.appointments
    service = a.service
    if not service and catalog is not None:
        s = catalog.appointment_service()
        service = s.id if s else ""
    rule = FormatRule(a.pattern, service)
    if a.url:
        return HttpCheck(a.url, rule, a.timeout_s)
    return rule
