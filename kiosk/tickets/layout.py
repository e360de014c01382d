"""A ticket built once as a layout: the lines exactly as they print.

  layout = build_layout(content, caps)      # caps: devices.capabilities.PrinterCapabilities
  layout.items                              # TextLine, PictureLine, QrLine, Feed, in order
  layout.length_mm()                        # paper from cut to cut

Both renderers read this and nothing else: kiosk/tickets/escpos_job.py turns it into the
printer's bytes, kiosk/tickets/preview.py into a picture at the printer's dot width with its
font cells, so the preview shows the line breaks, sizes and length that print.

Text is wrapped here, at the columns the profile gives for the font and size of the line
(48 for font A on a TM-T20II, 24 at double width), never inside a word: only a word longer
than a whole line is broken. A line the printer cannot print as characters (right to left,
or no code page holds it; kiosk/tickets/lines.py) becomes a picture of the shaped text.

Paper budget (TM-T20II, 8 dots/mm): 15 mm the cutter leaves white on top, then a pictogram
15 mm wide, the number 4x (12 mm high, smoothed) after the words "Your number" on the same
line, the service double height, where to wait in bold, people ahead, wait, the time in
font B, a QR code with 4 modules of white around it and one line of hint: ~ 86 mm; the
printed directions (2-3 decisive steps) add up to 30 mm.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

from devices.capabilities import CUTTER_GAP_MM, PrinterCapabilities
from devices.qrsymbol import qr_modules
from kiosk.tickets.lines import PICTURE_BIG, PICTURE_TEXT, line_picture, needs_picture

PICTOGRAM_MM = 15.0       # at least 15 mm wide on paper
LABEL_MAGNIFY = 4         # the number at 4x width and height (12 mm high on a 203 dpi head)
LINE_GAP = 2              # dots between text lines (the cell holds the glyph's own margins)
BLOCK_GAP = 4             # dots between the blocks of the ticket
QR_MODULE = 4             # dots per QR module (0.5 mm on a 203 dpi head)
QR_QUIET = 4              # modules of white above and below (left and right: centred)
QR_EC = "M"
CUT_FEED = 8              # dots fed past the cutter position before the cut


@dataclass(frozen=True)
class Run:
    """Characters in one font and size; `width`/`height` are the magnification 1-8."""
    text: str
    font: str = "a"
    width: int = 1
    height: int = 1
    bold: bool = False


@dataclass(frozen=True)
class TextLine:
    runs: tuple[Run, ...]
    advance: int              # dots the paper moves for this line (the line spacing)
    align: str = "center"
    smooth: bool = False      # the printer's smoothing of magnified characters

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class PictureLine:
    image: Image.Image        # mode "1", as sent
    align: str = "center"
    half_height: bool = False  # sent at half vertical resolution; the printer doubles rows

    @property
    def advance(self) -> int:
        return self.image.height * (2 if self.half_height else 1)


@dataclass(frozen=True)
class QrLine:
    data: str
    module: int
    modules: int              # symbol side in modules (without the quiet zone)
    ec: str = QR_EC
    native: bool = True       # GS ( k; otherwise sent as a picture of the same symbol

    @property
    def advance(self) -> int:
        return self.modules * self.module


@dataclass(frozen=True)
class Feed:
    dots: int

    @property
    def advance(self) -> int:
        return self.dots


@dataclass
class Layout:
    caps: PrinterCapabilities
    items: list = field(default_factory=list)
    cut_feed: int = CUT_FEED

    def height_dots(self) -> int:
        """Dots of paper the job moves before the cut (the cut's own feed not counted)."""
        return sum(i.advance for i in self.items)

    def length_dots(self) -> int:
        """Paper from cut to cut: the white the cutter leaves on top, the job, the feed."""
        return round(CUTTER_GAP_MM * self.caps.dots_per_mm) + self.height_dots() + self.cut_feed

    def length_mm(self) -> float:
        return self.caps.mm(self.length_dots())

    def text_lines(self) -> list[str]:
        return [i.text for i in self.items if isinstance(i, TextLine)]


def wrap_columns(text: str, columns: int) -> list[str]:
    """`text` in lines of at most `columns` characters, breaking only between words; a word
    longer than a line is the one thing cut (into line-long pieces)."""
    columns = max(1, columns)
    lines: list[str] = []
    cur = ""
    for word in text.split():
        while len(word) > columns:
            if cur:
                lines.append(cur)
                cur = ""
            lines.append(word[:columns])
            word = word[columns:]
        if not word:
            continue
        trial = f"{cur} {word}" if cur else word
        if len(trial) <= columns:
            cur = trial
        else:
            lines.append(cur)
            cur = word
    return lines + ([cur] if cur else [])


class _Builder:
    def __init__(self, caps: PrinterCapabilities):
        self.caps = caps
        self.layout = Layout(caps)
        self.half = caps.image_impl != "bitImageColumn"

    def add(self, item) -> None:
        self.layout.items.append(item)

    def feed(self, dots: int) -> None:
        items = self.layout.items
        if items and isinstance(items[-1], Feed):
            items[-1] = Feed(items[-1].dots + dots)
        else:
            self.add(Feed(dots))

    def text(self, text: str, *, font: str = "a", width: int = 1, height: int = 1,
             bold: bool = False, align: str = "center") -> None:
        """Text wrapped at the columns of its font and size, one TextLine per printed line;
        a paragraph the printer cannot print as characters becomes one picture."""
        for para in text.splitlines():
            if not para.strip():
                continue
            if needs_picture(para) or not self.caps.can_print_text(para):
                size = PICTURE_BIG if height > 1 else PICTURE_TEXT
                img = line_picture(para, self.caps.paper_px - 16, size, bold, self.half)
                self.add(PictureLine(img, align, self.half))
                continue
            cols = self.caps.columns(font) // width
            cell_h = self.caps.cell(font)[1] * height
            for line in wrap_columns(para, cols):
                self.add(TextLine((Run(line, font, width, height, bold),),
                                  cell_h + LINE_GAP, align))

    def picture(self, image: Image.Image, width_px: int) -> None:
        """`image` `width_px` dots wide; at half vertical resolution where the printer takes
        raster or graphics images (half the bytes; its lines are thick enough)."""
        h = round(image.height * width_px / image.width)
        img = image.convert("L").resize((width_px, h // 2 if self.half else h))
        img = img.point(lambda v: 0 if v < 160 else 255).convert("1")
        self.add(PictureLine(img, half_height=self.half))

    def number(self, caption: str, label: str) -> None:
        """"Your number A012": the caption in font A, the number magnified and smoothed on
        the same line (the printer aligns both on the baseline); on two lines when the
        caption needs a picture or the line would not fit."""
        cols = self.caps.columns("a")
        mag = max(1, min(LABEL_MAGNIFY, cols // max(1, len(label))))
        big = Run(label, "a", mag, mag, True)
        advance = self.caps.cell("a")[1] * mag + LINE_GAP
        inline = self.printable(caption) and len(caption) + 1 + len(label) * mag <= cols
        if inline:
            self.add(TextLine((Run(caption + " "), big), advance, smooth=True))
            return
        if caption:
            self.text(caption)
        self.add(TextLine((big,), advance, smooth=True))

    def printable(self, text: str) -> bool:
        return bool(text) and not needs_picture(text) and self.caps.can_print_text(text)

    def beside(self, main: str, small: str) -> None:
        """`main` double height and bold, `small` in font A after it on the same line (the
        service in the visitor's language, then in Dutch); two lines when that does not fit."""
        cols = self.caps.columns("a")
        if self.printable(main) and self.printable(small) and len(main) + 1 + len(small) <= cols:
            advance = self.caps.cell("a")[1] * 2 + LINE_GAP
            self.add(TextLine((Run(main, height=2, bold=True), Run(" " + small)), advance))
            return
        self.text(main, height=2, bold=True)
        self.text(small, font="b")

    def qr(self, data: str) -> None:
        modules = qr_modules(data)
        module = QR_MODULE
        while module > 2 and modules * module > self.caps.paper_px - 2 * QR_QUIET * module:
            module -= 1
        self.feed(QR_QUIET * module)
        self.add(QrLine(data, module, modules, native=self.caps.native_qr))
        self.feed(QR_QUIET * module)


def build_layout(content, caps: PrinterCapabilities) -> Layout:
    """The ticket (kiosk.tickets.render.TicketContent) laid out for this printer."""
    b = _Builder(caps)
    if content.pictogram is not None:
        b.picture(content.pictogram, round(PICTOGRAM_MM * caps.dots_per_mm))
        b.feed(BLOCK_GAP)
    b.number(content.your_number, content.label)
    b.feed(BLOCK_GAP)
    if content.service_name_nl != content.service_name:
        b.beside(content.service_name, f"({content.service_name_nl})")
    else:
        b.text(content.service_name, height=2, bold=True)
    if content.wait_at:
        b.text(content.wait_at, bold=True)
    b.feed(BLOCK_GAP)
    b.text(content.people_line)
    b.text(content.wait_line)
    if content.directions:
        b.feed(BLOCK_GAP)
        heading, _, steps = content.directions.partition("\n")
        b.text(heading, bold=True)
        b.text(steps)
    b.text(content.time_line, font="b")
    if content.qr_url:
        b.qr(content.qr_url)
        b.text(content.qr_hint)
    return b.layout
