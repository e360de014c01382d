"""`kiosk doctor`'s printer line: is the configured ticket printer there and ready?

  file:// (a file or a device node such as /dev/usb/lp0): its folder exists, the device
      node is there, this user may write it (FilePrinter.target_problem); nothing is sent.
  printers that answer status (tcp://, serial, usb://): asked once with DLE EOT and the
      configured devices.printer.status_timeout_s, so the check is bounded by it; "no answer
      within N s" (connected, but silent) is told apart from a refused connection.
  others (dummy://, cups://): opened only; their state cannot be asked.
"""
from __future__ import annotations

from kiosk.commands.doctor_result import Level, Result

KEY = "devices.printer.url"
_LEVEL = {"online": Level.OK, "paper_low": Level.WARN}
_WORDS = {"online": "online", "paper_low": "paper low", "paper_out": "paper out",
          "cover_open": "cover open", "offline": "offline", "unknown": "no answer"}
_TODO = {"paper_out": "load a new roll", "cover_open": "close the printer's cover",
         "paper_low": "have a new roll ready"}


def check_printer(cfg) -> Result:
    from devices.factory import open_device
    p = cfg.devices.printer
    if not p.url:
        return Result(Level.OK, "printer", "none configured (tickets on screen and QR only)")
    if p.url.lower().startswith("file:"):
        from devices.printer_basic import FilePrinter
        why = FilePrinter.target_problem(p.url)
        if why:
            return Result(Level.FAULT, "printer", f"{KEY} {p.url!r}: {why}; connect the printer "
                                                  "or correct the path")
    try:
        printer = open_device("printer", p.url, profile=p.profile, write_timeout=p.write_timeout_s,
                              status_timeout=p.status_timeout_s)
    except (ValueError, OSError) as e:
        return Result(Level.FAULT, "printer", f"{p.url}: {e}")
    try:
        if not printer.answers_status:
            return Result(Level.WARN, "printer", f"{p.url}: status unknown (this connection "
                                                 "cannot ask the printer)")
        return _asked(printer.status().value, printer.last_error, p.url)
    finally:
        printer.close()


def _asked(state: str, why: str, url: str) -> Result:
    level = _LEVEL.get(state, Level.FAULT)
    if level is Level.OK:
        return Result(level, "printer", f"online ({url})")
    if state == "unknown" and why.startswith("no answer"):
        return Result(level, "printer", f"{why} ({url}): it accepts the connection but does not "
                                        "answer the status query; check that it is a switched-on "
                                        "ESC/POS printer")
    if state == "offline" and why == "connection refused":
        return Result(level, "printer", f"connection refused ({url}): switch the printer on or "
                                        f"correct host and port in {KEY}")
    words = _WORDS.get(state, state)
    if why:
        words += f": {why}"
    todo = _TODO.get(state)
    return Result(level, "printer", f"{words} ({url})" + (f"; {todo}" if todo else ""))
