"""QR symbols as the printer builds them: the smallest version holding the data at a given
error correction (what GS ( k does), so a reader, a preview and a layout agree on its size.

  qr_modules("https://...", "M")        # side in modules, without the quiet zone
  qr_picture("https://...", "M", 4)     # black-on-white "1" image, 4 dots per module

A symbol is worked out once per (data, error correction) and kept for the few tickets around
it (`_matrix`, ~15-30 ms of pure Python each with qrcode): the screen's QR is drawn ahead on
the ticket worker, and the printed ticket's layout and picture then reuse it, instead of the
print worker working it out twice more while the Kivy thread draws the ticket's first frame.
"""
from __future__ import annotations

from functools import lru_cache

import qrcode
from PIL import Image

LEVELS = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
          "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}


@lru_cache(maxsize=16)
def _matrix(data: str, ec: str) -> tuple[tuple[bool, ...], ...]:
    """The symbol's modules, dark = True, without the quiet zone."""
    q = qrcode.QRCode(error_correction=LEVELS[ec], box_size=1, border=0)
    q.add_data(data)
    q.make(fit=True)
    return tuple(tuple(row) for row in q.get_matrix())


def qr_modules(data: str, ec: str = "M") -> int:
    return len(_matrix(data, ec))


def qr_picture(data: str, ec: str = "M", module: int = 4, border: int = 0) -> Image.Image:
    """Black on white, `module` dots per module, `border` light modules around it."""
    rows = _matrix(data, ec)
    side = len(rows) + 2 * border
    img = Image.new("1", (side, side), 1)
    px = img.load()
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                px[x + border, y + border] = 0
    return img.resize((side * module, side * module), Image.NEAREST) if module != 1 else img
