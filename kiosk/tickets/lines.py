"""A ticket line text mode cannot print, as a small picture of the shaped text.

  needs_picture("تغيير السكن")                     # True: written right to left
  line_picture("تغيير السكن", 560, PICTURE_BIG, bold=True, half_height=True)

A line goes as a picture when no code page of the profile holds it or when it is written
right to left (Arabic, Hebrew): a printer puts one glyph per byte, left to right, without
joining letters, so even a code page holding the letters (CP864, CP1256) prints them
unjoined and in the wrong order. The picture is the line shaped by Pillow's raqm layout
engine (direction from the line's first strong character, so "أمامك 3 أشخاص" is right to
left), wrapped to the paper, cropped to the ink and centred by ESC a 1: only its own width
and height travel, at half vertical resolution where the printer takes raster or graphics
images (it doubles each dot row back; a pair of rows is black where either had ink, so the
dots of Arabic letters stay): an Arabic ticket is 12-18 KB instead of a 97-119 KB raster. The big number, the QR code and Latin lines of the same ticket stay text.
"""
from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from kiosk.bidi_text import has_rtl

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PICTURE_TEXT = 24          # px: about font A (12 x 24 dots)
PICTURE_BIG = 40           # px: the double-height lines (service name, where to wait)
LINE_STEP = 1.25           # baseline to baseline, in font sizes, inside one wrapped line
HALF_HEIGHT = True         # send pictures at half vertical resolution (raster/graphics)
LEADING = 3                # px of white above and below each picture line
_RTL = ("R", "AL")


def base_direction(text: str) -> str:
    """"rtl" or "ltr" from the first strong character (Unicode bidi rule P2)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in _RTL:
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def needs_picture(text: str) -> bool:
    return has_rtl(text)


@functools.lru_cache(maxsize=16)
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    """(Loaded once per size: a ticket asks for it on every picture line.)"""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(FONT_DIR / name), size, layout_engine=engine)


def wrap(draw, text: str, font, width: int, direction: str | None = None) -> list[str]:
    """`text` in rows of at most `width` px (a longer word keeps a row of its own)."""
    lines, cur = [], ""
    for word in text.split():
        trial = f"{cur} {word}".strip()
        if not cur or draw.textlength(trial, font=font, direction=direction) <= width:
            cur = trial
        else:
            lines.append(cur)
            cur = word
    return lines + ([cur] if cur else [])


def line_picture(text: str, width: int, size: int | None = None,
                 bold: bool = False, half_height: bool = False) -> Image.Image:
    """`text` shaped and wrapped to `width` px, black on white ("1"), cropped to the ink
    with LEADING px above and below (so stacked pictures read as lines of text)."""
    size = size or PICTURE_TEXT
    font = _font(size, bold)
    direction = base_direction(text)
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    rows = wrap(probe, text, font, width, direction) or [""]
    step = int(size * LINE_STEP)
    canvas = Image.new("L", (width, step * len(rows) + size), 255)
    draw = ImageDraw.Draw(canvas)
    for i, row in enumerate(rows):
        w = draw.textlength(row, font=font, direction=direction)
        draw.text(((width - w) / 2, i * step), row, font=font, fill=0, direction=direction,
                  language="ar" if direction == "rtl" else None)
    ink = canvas.point(lambda v: 255 if v < 128 else 0).getbbox()
    if ink:
        canvas = canvas.crop((ink[0], max(0, ink[1] - LEADING), ink[2], ink[3] + LEADING))
    if half_height:   # the printer doubles each row back (GS v 0 m=2): half the bytes;
        # a pair of rows is black where either had ink, so the dots of letters stay
        canvas = canvas.reduce((1, 2))
        return canvas.point(lambda v: 0 if v < 200 else 255).convert("1")
    return canvas.point(lambda v: 0 if v < 128 else 255).convert("1")
