"""Cross-field config checks for services, tickets and the ticket devices.

Listed in kiosk/config/checks.py, which runs every cross-field check.
They run even when other keys already have problems, so they only rely on typed values.
"""
from __future__ import annotations

from kiosk.config import KioskConfig, Problem


def check_services(cfg: KioskConfig, problems: list[Problem]) -> None:
    ids: dict[str, int] = {}
    prefixes: dict[str, int] = {}
    langs = list(dict.fromkeys(["nl"] + list(cfg.ui.languages)))
    for i, s in enumerate(cfg.services):
        if s is None:
            continue
        where = f"services[{i}]"
        if not s.id or not s.id.replace("_", "").replace("-", "").isalnum():
            problems.append(Problem(f"{where}.id", f"{s.id!r} is not a short id of letters, digits, "
                                                  "'-' or '_'"))
        elif s.id in ids:
            problems.append(Problem(f"{where}.id", f"{s.id!r} is already used by services[{ids[s.id]}]"))
        else:
            ids[s.id] = i
        if s.prefix in prefixes:
            problems.append(Problem(f"{where}.prefix", f"{s.prefix!r} is already used by "
                                                      f"services[{prefixes[s.prefix]}]"))
        else:
            prefixes[s.prefix] = i
        missing = [lg for lg in langs if not s.names.get(lg, "").strip()]
        if missing:
            problems.append(Problem(f"{where}.names", f"no name in {', '.join(missing)}; add "
                                    + ", ".join(f'{lg} = "..."' for lg in missing)))
        if s.wait_at:
            missing = [lg for lg in langs if not s.wait_at.get(lg, "").strip()]
            if missing:
                problems.append(Problem(f"{where}.wait_at", f"no text in {', '.join(missing)}"))
        for j, line in enumerate(s.hours):
            from kiosk.tickets.services import HoursError, parse_hours_line  # only with services
            try:
                parse_hours_line(line)
            except HoursError as e:
                problems.append(Problem(f"{where}.hours[{j}]", str(e)))
    svc = cfg.tickets.appointments.service
    if svc and svc not in ids:
        problems.append(Problem("tickets.appointments.service",
                                f"{svc!r} is not a service id (have: {', '.join(ids) or 'none'})"))


def check_device_urls(cfg: KioskConfig, problems: list[Problem]) -> None:
    from devices.factory import check_url, schemes
    for kind in ("printer", "scanner", "speech", "buttons", "keypad"):
        url = getattr(cfg.devices, kind).url
        if not url:
            continue
        scheme = url.split("://", 1)[0].lower() if "://" in url else ""
        known = schemes(kind)
        if scheme not in known:
            problems.append(Problem(f"devices.{kind}.url",
                                    f"{url!r}: unknown kind of {kind}; use one of: "
                                    + ", ".join(f"{s}://" for s in known)))
            continue
        try:
            check_url(kind, url)  # e.g. a serial URL's port and options (devices/serial_url.py)
        except ValueError as e:
            problems.append(Problem(f"devices.{kind}.url", str(e)))
    keypad = cfg.devices.keypad.url
    if keypad and not keypad.startswith("sim:") and not cfg.devices.speech.url:
        problems.append(Problem("devices.keypad.url", "a keypad is only useful with speech: set "
                                "devices.speech.url too (e.g. \"espeak://\")"))


def check_printer_target(cfg: KioskConfig, problems: list[Problem]) -> None:
    """A file:// printer whose folder does not exist here (kiosk.config.checks.CHECKS_ON_REQUEST).
    A missing device node whose folder exists (/dev/usb/lp0 with the printer unplugged) is
    `kiosk doctor`'s to report, on the kiosk itself."""
    url = cfg.devices.printer.url
    if not url.lower().startswith("file:"):
        return
    from devices.printer_basic import FilePrinter
    why = FilePrinter.target_problem(url, here=False)
    if why:
        problems.append(Problem("devices.printer.url", f"{url!r}: {why}; create it or correct "
                                                       "the path"))


def check_printer_profile(cfg: KioskConfig, problems: list[Problem]) -> None:
    name = cfg.devices.printer.profile
    if not cfg.devices.printer.url and not cfg.services:
        return  # no printing on this device: skip loading python-escpos' profile data
    try:
        from devices.capabilities import UnknownProfile, capabilities_for
        capabilities_for(name)
    except ImportError:
        return  # python-escpos not installed here (e.g. checking on a laptop)
    except UnknownProfile as e:
        problems.append(Problem("devices.printer.profile", str(e)))
