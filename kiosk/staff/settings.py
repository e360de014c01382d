"""The [staff] config section: the PIN hash and the hidden corner gesture.

Plugged into KioskConfig in kiosk/config/model.py.
"""
from __future__ import annotations

from common.passwords import hash_problem
from common.schema import section, setting


def _pin_hash_check(v: str) -> str | None:
    why = hash_problem(v) if v else None
    if why:
        return (f"must be a hash made by `kiosk staff set-pin` (starts with 'scrypt$'), never the "
                f"PIN itself ({why})")
    return None


@section
class StaffSection:
    pin_hash: str = setting("", "Salted scrypt hash of the staff PIN, made by `kiosk staff set-pin`. "
                                "Empty: staff mode cannot be opened (with --simulate the PIN is 1234).",
                            check=_pin_hash_check)
    idle_timeout_s: float = setting(120.0, "Staff mode closes itself after this many seconds without "
                                    "a touch.", min=15, max=3600)
    corner: str = setting("top-left", "Corner for the hidden gesture.",
                          choices=("top-left", "top-right", "bottom-left", "bottom-right"))
    corner_size_px: int = setting(120, "Size of the corner square that counts for the gesture.",
                                  min=40, max=400)
    taps: int = setting(5, "Taps in the corner that open the PIN screen.", min=3, max=10)
    taps_window_s: float = setting(3.0, "...all within this many seconds.", min=1, max=10)
