"""QR symbols as the printer builds them: the smallest version holding the data at a given
error correction (what GS ( k does), so a reader, a preview and a layout agree on its size.

  qr_modules("https://...", "M")        # side in modules, without the quiet zone
  qr_picture("https://...", "M", 4)     # black-on-white "1" image, 4 dots per module
"""
from __future__ import annotations

import qrcode
from PIL import Image

LEVELS = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
          "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}


def _symbol(data: str, ec: str, box: int = 1, border: int = 0) -> qrcode.QRCode:
    q = qrcode.QRCode(error_correction=LEVELS[ec], box_size=box, border=border)
    q.add_data(data)
    q.make(fit=True)
    return q


def qr_modules(data: str, ec: str = "M") -> int:
    return _symbol(data, ec).modules_count


def qr_picture(data: str, ec: str = "M", module: int = 4, border: int = 0) -> Image.Image:
    img = _symbol(data, ec, module, border).make_image(fill_color="black", back_color="white")
    return img.get_image().convert("1")
