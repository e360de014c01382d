"""Config sections of the ticket function: services, numbering, printer, scanner, speech.

Plugged into KioskConfig (`services`, `tickets`) and DevicesSection (`printer`,
`scanner`, `speech`) in kiosk/config/model.py. It lives inside kiosk.config so that
importing it first never runs into a circular import with model.py.
Cross-field checks (unique ids and prefixes, names per language, hours) are in
kiosk/tickets/checks.py.
"""
from __future__ import annotations

import re

from common.schema import section, setting

PICTOGRAMS = ("id_card", "passport", "driving_licence", "moving", "birth", "marriage",
              "parking", "waste", "appointment", "info", "general")


def _prefix(v: str) -> str | None:
    if not re.fullmatch(r"[A-Z]", v):
        return f"{v!r} is not one capital letter A-Z"
    return None


def _qr_url(v: str) -> str | None:
    if not v:
        return None
    if "{token}" not in v:
        return f"{v!r} must contain {{token}} (where the random ticket token goes)"
    if not re.match(r"https?://[^/\s]+", v):
        return f"{v!r} is not an http(s) URL"
    return None


def _regex(v: str) -> str | None:
    try:
        re.compile(v)
    except re.error as e:
        return f"{v!r} is not a valid regular expression: {e}"
    return None


def _pictogram(v: str) -> str | None:
    if v and v not in PICTOGRAMS and not v.lower().endswith(".png"):
        return f"{v!r} is neither a built-in pictogram ({', '.join(PICTOGRAMS)}) nor a .png file"
    return None


@section
class ServiceEntry:
    id: str = setting(doc="Short unique id used in events and on the command line, e.g. "
                          "'passport'.")
    prefix: str = setting(doc="One capital letter put before the number on the ticket (A, B, ...); "
                              "unique per service.", check=_prefix)
    names: dict[str, str] = setting({}, "Short plain-language (B1) name per language, e.g. "
                                    "{ nl = \"Paspoort of ID-kaart\", en = \"Passport or ID card\" }.",
                                    nonempty=True)
    pictogram: str = setting("general", "Built-in pictogram name or a .png file shown on the tile "
                             "and printed on the ticket.", check=_pictogram)
    wait_at: dict[str, str] = setting({}, "Where to wait, per language, e.g. { nl = \"Wachtruimte "
                                      "B\", en = \"Waiting area B\" }.")
    place: str = setting("", "Floor-plan place id of the waiting area (for printed directions "
                         "once wayfinding is configured).")
    handling_minutes: float = setting(10.0, "Average minutes a desk spends on one visitor.",
                                      min=1, max=240)
    desks_open: int = setting(1, "Desks that usually serve this service; 0 means no tickets can "
                              "be taken.", min=0, max=50)
    hours: list[str] = setting([], "Opening hours as 'mon-fri 09:00-17:00' lines (days mon..sun); "
                               "empty means whenever the kiosk is on.")
    needs_appointment: bool = setting(False, "Only visitors with an appointment get a ticket; "
                                      "the tile leads to the check-in path.")


@section
class AppointmentsSection:
    pattern: str = setting(r"^[A-Z0-9]{4}-?[A-Z0-9]{4}$", "Regular expression an appointment code "
                           "must match (after trimming and upper-casing).", check=_regex)
    url: str = setting("", "Optional HTTP endpoint that confirms a code: POST {\"code\": ...}, "
                       "answer {\"valid\": true, \"service\": \"id\"}. Empty: the pattern alone "
                       "decides.")
    timeout_s: float = setting(2.0, "Seconds to wait for the endpoint before telling the visitor "
                               "it cannot be reached.", min=0.2, max=10)
    service: str = setting("", "Service id an appointment ticket is for when the endpoint does "
                           "not say (default: the first service that needs an appointment).")


@section
class TicketsSection:
    number_format: str = setting("padded", "'padded' prints A001, 'plain' prints A1.",
                                 choices=("padded", "plain"))
    number_width: int = setting(3, "Digits in a padded number.", min=1, max=6)
    first_number: int = setting(1, "First number of each day, per service.", min=0, max=9999)
    double_tap_s: float = setting(3.0, "A second tap on the same service within this many seconds "
                                  "shows the same ticket instead of a new one.", min=0, max=60)
    qr_url: str = setting("", "URL printed as the ticket's QR code; {token} is the ticket's random "
                          "token (no personal data). Empty: <central public URL>/t/{token}, the "
                          "mobile ticket on the central service (sync.public_url, else sync.url); "
                          "with no central service either, the ticket has no QR code.",
                          check=_qr_url)
    print_mode: str = setting("text", "'text' (small and fast on serial lines: text in the "
                              "printer's code page, right-to-left lines such as Arabic as small "
                              "pictures) or 'raster' (the whole ticket as one image).",
                              choices=("text", "raster"))
    speak: bool = setting(False, "Read the ticket aloud after issuing without the visitor asking.")
    show_s: float = setting(30.0, "Seconds the number stays on screen without a touch before "
                            "the warning with 'more time' (ui.warn_s); then the service "
                            "choice comes back.", min=5, max=600)
    assume_served_after_min: int = setting(120, "A ticket older than this many minutes no longer "
                                           "counts as a person ahead in the queue.", min=5,
                                           max=1440)
    live_wait_interval_s: float = setting(30.0, "With [sync] set: seconds between two background "
                                          "reads of the central queue for live waiting times.",
                                          min=2, max=3600)
    live_wait_max_age_s: float = setting(120.0, "A live waiting time older than this is not "
                                         "used; the ticket then shows the estimate from "
                                         "handling_minutes and desks_open.", min=5, max=86400)
    appointments: AppointmentsSection = setting(AppointmentsSection,
                                                "How appointment codes are checked.")


@section
class PrinterSection:
    url: str = setting("", "Ticket printer: dummy://, file:///path, serial:///dev/ttyUSB0?"
                       "baudrate=19200 (also loop://, socket://host:port), usb://04b8:0e15, "
                       "tcp://host:9100, cups://QUEUE or sim:// ; empty for none (screen and QR "
                       "only).")
    profile: str = setting("TM-T20II", "python-escpos printer profile: paper width, columns per "
                           "font, code pages, native QR and cutter are read from it.")
    status_timeout_s: float = setting(0.3, "Seconds to wait for an answer to a status query; no "
                                      "answer means the state is unknown.", min=0.05, max=5)
    write_timeout_s: float = setting(10.0, "Seconds a ticket may take on the wire before printing "
                                     "counts as failed.", min=1, max=120)


@section
class ScannerSection:
    url: str = setting("", "Serial QR/barcode scanner (serial:///dev/ttyACM0?baudrate=9600, "
                       "socket://host:port, loop://) or sim:// ; empty for none. Keyboard-wedge "
                       "USB scanners need no setting.")


@section
class SpeechSection:
    url: str = setting("", "Speech output: espeak:// (espeak-ng, offline; ?rate=150 words per "
                       "minute) or dummy:// ; empty for none (with --simulate: espeak-ng into "
                       "WAV files in the data dir).")
    volume: int = setting(100, "Loudness 0-100 (espeak-ng amplitude; 100 is its normal level). "
                          "Staff can change it on the device.", min=0, max=100)


def qr_pattern(cfg) -> str:
    """The QR address pattern with {token}, or "" when there is nowhere to send a phone."""
    if cfg.tickets.qr_url:
        return cfg.tickets.qr_url
    if not cfg.sync.url:
        return ""
    base = cfg.sync.public_url or cfg.sync.url
    return f"{base.rstrip('/')}/t/{{token}}" if base else ""
