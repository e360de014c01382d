"""A ticket layout (kiosk/tickets/layout.py) as the bytes of one ESC/POS job.

  job = escpos_bytes(layout, all_texts)

Every job starts with ESC @ (a job interrupted half way, by a pulled cable or a power cut,
leaves the printer in whatever size or code page it was in; the reset makes the next
ticket start clean), then the code page the whole ticket fits (devices/codepages.py). Per
line: alignment (ESC a), line spacing (ESC 3 n = the line's advance, so the paper moves
exactly what the layout says), font (ESC M), emphasis (ESC E), size (GS !), smoothing
(GS b) only when they change, then the characters and LF. Pictures go as GS v 0 raster
(m=2: half vertical resolution, the printer doubles each row), GS ( L graphics or ESC *
columns, as the profile takes; the QR code as GS ( k model 2, error correction M, with its
quiet zone fed by ESC J; the end is GS V 65/66 n (feed to the cutter plus n, then cut), or
ESC J past the tear bar on a printer without cutter. The bytes are what
devices/escpos_reader.py reads back in the tests.
"""
from __future__ import annotations

from escpos.printer import Dummy

from devices.capabilities import CUTTER_GAP_MM
from devices.codepages import choose_code_page, encode, select_code_page
from kiosk.tickets.layout import Feed, Layout, PictureLine, QrLine, TextLine
from kiosk.tickets.lines import needs_picture

ESC, GS, LF = b"\x1b", b"\x1d", b"\n"
ALIGN = {"left": 0, "center": 1, "right": 2}
EC_LEVEL = {"L": 48, "M": 49, "Q": 50, "H": 51}


def _gs_k(fn: int, data: bytes) -> bytes:
    n = len(data) + 2
    return GS + b"(k" + bytes([n & 0xFF, n >> 8, 49, fn]) + data


def qr_bytes(data: str, module: int, ec: str) -> bytes:
    """GS ( k: model 2, module size, error correction, store the data, print it."""
    payload = data.encode("ascii")
    return (GS + b"(k" + bytes([4, 0, 49, 65, 50, 0])
            + _gs_k(67, bytes([module])) + _gs_k(69, bytes([EC_LEVEL[ec]]))
            + _gs_k(80, b"0" + payload) + _gs_k(81, b"0"))


def raster_bytes(img, half_height: bool) -> bytes:
    """GS v 0 m xL xH yL yH + rows; m=2 (double height) when `half_height`."""
    img = img.convert("1")
    w, h = img.size
    row = (w + 7) // 8
    bits = bytearray(row * h)
    px = img.load()
    for y in range(h):
        base = y * row
        for x in range(w):
            if px[x, y] == 0:
                bits[base + (x >> 3)] |= 0x80 >> (x & 7)
    return (GS + b"v0" + bytes([2 if half_height else 0, row & 0xFF, row >> 8, h & 0xFF, h >> 8])
            + bytes(bits))


def _image(item: PictureLine, caps) -> bytes:
    if caps.image_impl == "bitImageRaster":
        return raster_bytes(item.image, item.half_height)
    p = Dummy(profile=caps.profile)       # GS ( L or ESC * as python-escpos sends them
    p.image(item.image, impl=caps.image_impl, center=False,
            high_density_vertical=not item.half_height)
    return p.output


class _Job:
    def __init__(self, caps, page: str | None):
        self.caps = caps
        self.out = bytearray(ESC + b"@")
        self.state: dict = {}
        self.page = page
        self.current_page = None

    def set(self, key: str, value, command: bytes) -> None:
        if self.state.get(key) != value:
            self.out += command
            self.state[key] = value

    def line(self, item: TextLine) -> None:
        self.set("align", item.align, ESC + b"a" + bytes([ALIGN[item.align]]))
        self.set("spacing", item.advance, ESC + b"3" + bytes([min(255, item.advance)]))
        self.set("smooth", item.smooth, GS + b"b" + bytes([int(item.smooth)]))
        for run in item.runs:
            font = 0 if run.font == "a" else ord(run.font) - ord("a")
            self.set("font", font, ESC + b"M" + bytes([font]))
            self.set("bold", run.bold, ESC + b"E" + bytes([int(run.bold)]))
            size = ((run.width - 1) << 4) | (run.height - 1)
            self.set("size", size, GS + b"!" + bytes([size]))
            self.out += self.encode(run.text)
        self.out += LF

    def encode(self, text: str) -> bytes:
        if text.isascii():
            return text.encode("ascii")
        page = self.page if self.page and _fits(text, self.page) else choose_code_page(
            self.caps, [text])
        if page != self.current_page:
            self.out += select_code_page(self.caps, page)
            self.current_page = page
        return encode(text, page)

    def feed(self, dots: int) -> None:
        while dots > 0:
            self.out += ESC + b"J" + bytes([min(255, dots)])
            dots -= 255

    def picture(self, item: PictureLine) -> None:
        self.set("align", item.align, ESC + b"a" + bytes([ALIGN[item.align]]))
        self.out += _image(item, self.caps)
        if self.caps.image_impl == "bitImageColumn":
            self.state.pop("spacing", None)     # python-escpos changes the line spacing

    def qr(self, item: QrLine) -> None:
        self.set("align", "center", ESC + b"a\x01")
        if item.native:
            self.out += qr_bytes(item.data, item.module, item.ec)
        else:
            from kiosk.tickets.preview import qr_image
            self.picture(PictureLine(qr_image(item)))

    def finish(self, cut_feed: int) -> bytes:
        caps = self.caps
        if caps.cutter:
            mode = 65 if caps.full_cut else 66
            self.out += GS + b"V" + bytes([mode, cut_feed])
        else:   # no cutter: feed the last line past the tear bar
            self.feed(round(CUTTER_GAP_MM * caps.dots_per_mm) + cut_feed)
        return bytes(self.out)


def _fits(text: str, page: str) -> bool:
    from devices.codepages import can_encode
    return can_encode(text, page)


def escpos_bytes(layout: Layout) -> bytes:
    """The job for `layout`: ESC @, the lines, the cut."""
    texts = [i.text for i in layout.items if isinstance(i, TextLine)]
    page = choose_code_page(layout.caps, [t for t in texts if not needs_picture(t)])
    job = _Job(layout.caps, page)
    for item in layout.items:
        if isinstance(item, TextLine):
            job.line(item)
        elif isinstance(item, PictureLine):
            job.picture(item)
        elif isinstance(item, QrLine):
            job.qr(item)
        elif isinstance(item, Feed):
            job.feed(item.dots)
    return job.finish(layout.cut_feed)
