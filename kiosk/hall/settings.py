"""The [display] config section: the hall display (device.role = "display").

Plugged into KioskConfig in kiosk/config/model.py; it lives inside kiosk.config (like
tickets.py) so importing it never runs into a circular import. What the display does
with these keys: kiosk/hall/calls.py, kiosk/hall/announce.py and docs/calling.md.
"""
from __future__ import annotations


from common.schema import section, setting


def _desk_place(v: str) -> str | None:
    if "{desk}" not in v:
        return f"{v!r} must contain {{desk}} (where the desk name goes), e.g. \"desk-{{desk}}\""
    try:
        v.format(desk="4")
    except (KeyError, IndexError, ValueError):
        return f"{v!r} may only use the placeholder {{desk}}"
    return None


@section
class DisplaySection:
    poll_interval_s: float = setting(2.0, "Seconds between two looks at the central queue "
                                     "(GET /api/v1/queue, with the [sync] url and token).",
                                     min=0.2, max=60)
    offline_after_s: float = setting(10.0, "Seconds without a good answer from the central "
                                     "service before the display says the connection is lost "
                                     "(the last calls stay visible, marked as possibly out of "
                                     "date).", min=1, max=600)
    desk_place: str = setting("desk-{desk}", "Floor-plan place id of a desk; {desk} is the desk "
                              "name staff typed on the desk page (\"4\" -> desk-4). Used for the "
                              "arrow and the direction text.", check=_desk_place)
    calls_shown: int = setting(5, "Calls shown before the latest one (older calls drop off).",
                               min=0, max=12)
    chime: bool = setting(True, "Play a short chime before a call is spoken.")
    speak: bool = setting(True, "Speak each new call: in the display's default language and, "
                          "when different, in the ticket's language.")
    announce_max_age_s: float = setting(60.0, "A call older than this when the display first "
                                        "sees it (after a restart or a lost connection) is "
                                        "shown but not announced.", min=0, max=3600)
