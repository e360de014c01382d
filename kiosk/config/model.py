"""The kiosk's settings: every key, its type, its default and what it means.

`config/defaults.toml` is this file rendered (`kiosk config defaults`); a test keeps
them in step. Each feature package owns its section in its own `settings.py` (feedback, tickets,
wayfinding, sync, hall, staff, help); they are registered here, explicitly, as one field each.
"""
from __future__ import annotations


from kiosk.hall.settings import DisplaySection
from common.schema import section, setting
from kiosk.tickets.settings import (PrinterSection, ScannerSection, ServiceEntry, SpeechSection,
                                 TicketsSection)
from kiosk.feedback.settings import FeedbackSection
from kiosk.help.settings import HelpSection
from kiosk.staff.settings import StaffSection
from kiosk.sync.settings import SyncSection
from kiosk.wayfinding.settings import WayfindingSection

ROLES = ("feedback", "tickets", "wayfinding", "home", "display")


def _lang_code(v: str) -> str | None:
    if not (2 <= len(v) <= 8 and v.replace("_", "").isalpha()):
        return f"{v!r} is not a language code like 'nl' or 'en'"
    return None


def _timezone(v: str) -> str | None:
    import zoneinfo
    try:
        zoneinfo.ZoneInfo(v)
    except Exception:
        return f"{v!r} is not a known time zone (for example Europe/Amsterdam)"
    return None


@section
class DeviceSection:
    id: str = setting("", "Device id sent with every event. Empty: one is made on first start "
                          "and kept in the data dir.")
    role: str = setting("feedback", "What the screen does: feedback, tickets, wayfinding, home "
                                    "(a menu with several) or display.", choices=ROLES)
    timezone: str = setting("Europe/Amsterdam", "Site time zone; a 'day' for people and ticket "
                                                "numbers is the local date here.", check=_timezone)


@section
class UiSection:
    width: int = setting(1080, "Window width in pixels (portrait touchscreen by default).",
                         min=320, max=7680)
    height: int = setting(1920, "Window height in pixels.", min=320, max=7680)
    fullscreen: bool = setting(False, "Run fullscreen without window decorations (kiosk mode).")
    languages: list[str] = setting(["nl", "en"], "Languages offered on the language button, in "
                                   "order; each must have a catalog.", nonempty=True)
    default_language: str = setting("nl", "Language a new visitor starts in.", check=_lang_code)
    accessible_default: bool = setting(False, "Start in large-text / high-contrast mode.")
    idle_timeout_s: float = setting(15.0, "Seconds without a touch before the warning (a "
                                    "countdown with a 'more time' button) that comes before the "
                                    "screen records what was given and goes back to the start.",
                                    min=3, max=600)
    countdown_s: float = setting(5.0, "Kept for older configs: the warning before an idle reset "
                                 "lasts the longer of this and warn_s.", min=0, max=60)
    warn_s: float = setting(20.0, "On every screen that goes back to the start by itself (feedback "
                            "reasons, services, appointment, ticket, destinations, route, and "
                            "the start screen after a language change): after idle_timeout_s "
                            "without a touch, a countdown with a 'more time' button shows for "
                            "this many seconds before the reset (at least 20: WCAG 2.2.1).",
                            min=20, max=600)
    layout: str = setting("normal", "Screen layout: normal, or low (every control, the language "
                                    "and large-text buttons too, in the lower part of a portrait "
                                    "screen, for visitors in a wheelchair or of short stature).",
                          choices=("normal", "low"))
    screen_dpi: float = setting(105.0, "Pixels per inch of the panel (21.5\" 1080p is about 102); "
                                "used to keep touch targets at least 9 mm.", min=50, max=600)


@section
class ButtonsSection:
    url: str = setting("", "Physical smiley buttons: a serial URL (serial:///dev/ttyUSB0?baudrate="
                           "9600, loop://, socket://host:port) or sim:// ; empty for none. Each "
                           "press sends the answer digit (1 = worst).")


@section
class KeypadSection:
    url: str = setting("", "Tactile keypad for audio-guided mode: hid:///dev/input/event3 (or a "
                           "/dev/input/by-id/ path; a USB keypad on the input layer), a serial URL "
                           "(serial:///dev/ttyUSB0?baudrate=9600, loop://, socket://host:port: one "
                           "byte per key) or sim:// ; empty for none (with --simulate: sim://). Keys "
                           "and bytes: devices/keypad.py and README.")


@section
class DevicesSection:
    buttons: ButtonsSection = setting(ButtonsSection, "Optional physical smiley buttons.")
    keypad: KeypadSection = setting(KeypadSection, "Optional tactile keypad (audio-guided mode).")
    printer: PrinterSection = setting(PrinterSection, "Ticket printer.")
    scanner: ScannerSection = setting(ScannerSection, "QR/barcode scanner for appointments.")
    speech: SpeechSection = setting(SpeechSection, "Spoken output.")


@section
class KioskConfig:
    device: DeviceSection = setting(DeviceSection, "This device.")
    ui: UiSection = setting(UiSection, "The touchscreen.")
    feedback: FeedbackSection = setting(FeedbackSection, "The smiley feedback pillar.")
    devices: DevicesSection = setting(DevicesSection, "Hardware, each chosen by URL.")
    services: list[ServiceEntry] = setting([], "Services a visitor can take a ticket for.")
    tickets: TicketsSection = setting(TicketsSection, "Queue tickets: numbering and printing.")
    wayfinding: WayfindingSection = setting(WayfindingSection, "Floor plan and directions "
                                            "(kiosk/wayfinding/settings.py).")
    sync: SyncSection = setting(SyncSection, "Sending events to the central service "
                                "(kiosk/sync/settings.py).")
    staff: StaffSection = setting(StaffSection, "The hidden, PIN-protected staff screen.")
    display: DisplaySection = setting(DisplaySection, "The hall display that shows and announces "
                                      "called tickets (device.role = \"display\"; "
                                      "kiosk/hall/settings.py, docs/calling.md).")
    help: HelpSection = setting(HelpSection, "The help button on every visitor screen: a host "
                                "comes, or the way to the information desk (kiosk/help, "
                                "docs/help.md).")
