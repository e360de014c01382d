"""A ticket layout (kiosk/tickets/layout.py) drawn the way the printer prints it.

  img = preview_image(layout)     # "L", caps.paper_px wide, layout.length_dots() high

One dot of the picture is one dot of the print head. Text is drawn character by character in
the printer's cells (12x24 dots for font A on a TM-T20II, 9x17 for font B, times the
magnification), so the line breaks, the sizes and the length are those of the job; the
picture starts with the white the cutter leaves and ends at the cut. The glyphs are
DejaVu Sans Mono, not the printer's ROM font: shapes differ a little, places do not.
Used by `kiosk ticket preview`, the printer simulator's PNGs and raster mode (the whole
ticket sent as this one picture).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from devices.capabilities import CUTTER_GAP_MM
from devices.qrsymbol import qr_picture
from kiosk.tickets.layout import Feed, Layout, PictureLine, QrLine, TextLine

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
MONO_ADVANCE = 0.602      # DejaVu Sans Mono: advance width per em


@functools.lru_cache(maxsize=32)
def _mono(size: int, bold: bool) -> ImageFont.ImageFont:
    name = "DejaVuSansMono-Bold.ttf" if bold else "DejaVuSansMono.ttf"
    path = FONT_DIR / name
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def qr_image(item: QrLine) -> Image.Image:
    """The QR symbol of `item` (no quiet zone: the layout feeds it), black on white "1"."""
    return qr_picture(item.data, item.ec, item.module)


def _x(align: str, width: int, paper: int) -> int:
    if align == "center":
        return max(0, (paper - width) // 2)
    if align == "right":
        return max(0, paper - width)
    return 0


def _run_image(text: str, cell: tuple[int, int], bold: bool) -> Image.Image:
    """`text` at normal size, one character per cell of `cell` (w, h) dots."""
    cw, ch = cell
    img = Image.new("L", (max(1, cw * len(text)), ch), 255)
    draw = ImageDraw.Draw(img)
    font = _mono(max(6, min(int(cw / MONO_ADVANCE), int(ch / 1.17))), bold)
    ascent, descent = font.getmetrics()
    gy = (ch - ascent - descent) // 2
    for k, char in enumerate(text):
        gw = draw.textlength(char, font=font)
        draw.text((k * cw + (cw - gw) / 2, gy), char, font=font, fill=0)
    return img


def _draw_line(canvas: Image.Image, item: TextLine, y: int, caps) -> None:
    """Each run's characters in their cells, magnified as the printer does (smoothed when
    the line asks for it), cells bottom-aligned on the line."""
    pics = []
    for run in item.runs:
        cw, ch = caps.cell(run.font)
        if item.smooth and run.width == run.height > 1:   # smoothed: clean outlines
            pics.append(_run_image(run.text, (cw * run.width, ch * run.height), run.bold))
            continue
        img = _run_image(run.text, (cw, ch), run.bold)
        if run.width > 1 or run.height > 1:
            size = (img.width * run.width, img.height * run.height)
            img = img.resize(size, Image.NEAREST)
        pics.append(img)
    width = sum(p.width for p in pics)
    line_h = max(p.height for p in pics)
    x = _x(item.align, width, canvas.width)
    for img in pics:
        canvas.paste(img, (x, y + line_h - img.height))
        x += img.width


@dataclass
class Preview:
    image: Image.Image
    lines: list[tuple[str, int]]     # (text, top in dots) of each text line drawn


def preview_image(layout: Layout) -> Image.Image:
    return render_preview(layout).image


def render_preview(layout: Layout) -> Preview:
    caps = layout.caps
    paper = caps.paper_px
    top = round(CUTTER_GAP_MM * caps.dots_per_mm)
    canvas = Image.new("L", (paper, layout.length_dots()), 255)
    y = top
    lines = []
    for item in layout.items:
        if isinstance(item, TextLine):
            _draw_line(canvas, item, y, caps)
            lines.append((item.text, y))
        elif isinstance(item, PictureLine):
            img = item.image.convert("L")
            if item.half_height:
                img = img.resize((img.width, img.height * 2), Image.NEAREST)
            canvas.paste(img, (_x(item.align, img.width, paper), y))
        elif isinstance(item, QrLine):
            img = qr_image(item).convert("L")
            canvas.paste(img, (_x("center", img.width, paper), y))
        elif not isinstance(item, Feed):
            raise TypeError(f"unknown layout item {item!r}")
        y += item.advance
    return Preview(canvas, lines)

