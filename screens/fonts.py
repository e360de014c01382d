"""The screen font: one family for Latin, Cyrillic and Arabic (DejaVu Sans, Debian's
fonts-dejavu-core, the same font the printed pictures use: kiosk/tickets/render.py). Kivy's
text provider has no font fallback, so one font must hold every script a label may show.
Registered as "KioskSans"; without the package, Kivy's Roboto (no Arabic) and a warning."""
from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

FONT_NAME = "KioskSans"
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu",)
_registered = False


def register() -> str:
    global _registered
    if _registered:
        return FONT_NAME
    from kivy.core.text import LabelBase
    for d in FONT_DIRS:
        regular, bold = Path(d) / "DejaVuSans.ttf", Path(d) / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            LabelBase.register(FONT_NAME, fn_regular=str(regular), fn_bold=str(bold))
            break
    else:
        log.warning("DejaVu Sans not found (Debian package fonts-dejavu-core): Arabic text "
                    "cannot be shown; using Roboto")
        LabelBase.register(FONT_NAME, fn_regular="data/fonts/Roboto-Regular.ttf",
                           fn_bold="data/fonts/Roboto-Bold.ttf")
    _registered = True
    return FONT_NAME
