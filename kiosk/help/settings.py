"""The [help] config section: the help button on every visitor screen (docs/help.md).

Plugged into KioskConfig in kiosk/config/model.py; imports only the schema engine (the hours
check loads kiosk.tickets.services when it runs), so the model imports it without a cycle."""
from __future__ import annotations

from common.schema import section, setting


def _hours(v: list) -> str | None:
    from kiosk.tickets.services import HoursError, parse_hours_line
    for i, line in enumerate(v):
        try:
            parse_hours_line(line)
        except HoursError as e:
            return f"line {i + 1}: {e}"
    return None


@section
class HelpSection:
    enabled: bool = setting(True, "Show the help button (\"Hulp nodig?\") on every visitor "
                            "screen.")
    hours: list[str] = setting([], "When hosts answer help calls, as 'mon-fri 09:00-17:00' lines "
                               "(days mon..sun, like a service's hours); empty: always. Outside "
                               "them the kiosk shows the way to the information desk instead.",
                               check=_hours)
    repeat_s: float = setting(60.0, "A second press within this many seconds (monotonic clock) "
                              "makes no second call: the visitor sees the same call again.",
                              min=0, max=3600)
    info_place: str = setting("", "Floor-plan place id of the information desk the kiosk sends a "
                              "visitor to when no host can come (offline, outside the hours). "
                              "Empty: the first place of kind \"information\".")
    offline_after_s: float = setting(30.0, "Seconds without a good answer from the central queue "
                                     "(GET /api/v1/queue or its stream) before the kiosk counts as "
                                     "offline and promises no host.", min=1, max=3600)
    poll_interval_s: float = setting(5.0, "With sync.url set: seconds between two looks at the "
                                     "central queue while its stream is unavailable (the host's "
                                     "answer to a call comes from there).", min=0.2, max=300)
    wait_s: float = setting(300.0, "While a host is on the way, the help screen waits this long "
                            "without a touch before the idle warning (the call stays open).",
                            min=15, max=3600)
