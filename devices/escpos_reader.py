"""Reads an ESC/POS job back the way a printer would print it: lines, pictures, QR codes,
feeds and the cut, with the paper each one moves.

  printed = read_job(job, caps)        # caps: devices.capabilities.PrinterCapabilities
  printed.starts_with_reset            # ESC @ is the first command
  printed.lines                        # PrintedLine(text, font, width, height, bold, align, top)
  printed.qr_codes                     # PrintedQr(data, module, ec, top, modules)
  printed.length_mm                    # paper from cut to cut

It knows the commands the kiosk sends (kiosk/tickets/escpos_job.py) and the ones
python-escpos sends for images; anything else raises UnknownCommand naming the byte offset,
so a job with a command nobody checked fails loudly. Text bytes are decoded with the code
page selected by ESC t (devices/codepages.py). A line's advance is the larger of the line
spacing (ESC 2 / ESC 3 n) and its tallest character; a raster picture moves its height
(twice that at m=2 or 3); a QR code its symbol's side; GS V 65/66 n feeds to the cutter
plus n. Used by the tests and by `kiosk ticket check-job`-style diagnostics; no Kivy.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from devices.capabilities import CUTTER_GAP_MM, PrinterCapabilities
from devices.qrsymbol import LEVELS, qr_modules

DEFAULT_SPACING = 30     # dots: ESC 2, "about 1/6 inch" on Epson 203 dpi heads (3.75 mm)


class UnknownCommand(ValueError):
    pass


@dataclass
class PrintedLine:
    text: str
    font: str
    width: int          # largest magnification on the line
    height: int
    bold: bool
    align: str
    top: int            # dots from the top of the ticket
    advance: int
    columns_used: float  # in columns of font A at normal size


@dataclass
class PrintedQr:
    data: str
    module: int
    ec: str
    top: int
    modules: int
    blank_above: int     # dots of paper fed with nothing printed right before it
    blank_after: int = 0


@dataclass
class Printed:
    caps: PrinterCapabilities
    starts_with_reset: bool = False
    lines: list[PrintedLine] = field(default_factory=list)
    pictures: list[tuple[int, int, int]] = field(default_factory=list)   # (width, height, top)
    qr_codes: list[PrintedQr] = field(default_factory=list)
    cut: bool = False
    fed: int = 0           # dots moved before the cut
    cut_feed: int = 0

    @property
    def length_dots(self) -> int:
        gap = round(CUTTER_GAP_MM * self.caps.dots_per_mm)
        return gap + self.fed + (self.cut_feed if self.cut else 0)

    @property
    def length_mm(self) -> float:
        return self.caps.mm(self.length_dots)


ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}
EC = {48: "L", 49: "M", 50: "Q", 51: "H"}


class _Reader:
    def __init__(self, data: bytes, caps: PrinterCapabilities):
        self.d = data
        self.i = 0
        self.caps = caps
        self.out = Printed(caps)
        self.reset_state()
        self.blank = 0           # dots fed since the last ink
        self.qr_store = b""
        self.qr_module = 3
        self.qr_ec = "L"
        self.pending_qr: PrintedQr | None = None

    def reset_state(self) -> None:
        self.align, self.font, self.bold, self.w, self.h = "left", "a", False, 1, 1
        self.spacing = DEFAULT_SPACING
        self.page = None
        self.runs: list[tuple[str, str, int, int, bool]] = []
        self.column_image = 0      # height of ESC * data in the line buffer

    def take(self, n: int) -> bytes:
        if self.i + n > len(self.d):
            raise UnknownCommand(f"command at byte {self.i} is cut short")
        b = self.d[self.i:self.i + n]
        self.i += n
        return b

    def advance(self, dots: int, ink: bool) -> None:
        if ink:
            if self.pending_qr is not None:
                self.pending_qr.blank_after = self.blank
                self.pending_qr = None
            self.blank = 0
        else:
            self.blank += dots
        self.out.fed += dots

    def print_line(self) -> None:
        if not self.runs and not self.column_image:
            self.advance(self.spacing, False)
            return
        cell_h = {f: self.caps.cell(f)[1] for f in ("a", "b")}
        tallest = max([cell_h.get(f, 24) * h for _, f, _, h, _ in self.runs] + [self.column_image])
        adv = max(self.spacing, tallest)
        if self.runs:
            wa = self.caps.cell("a")[0]
            used = sum(len(t) * self.caps.cell(f)[0] * w for t, f, w, _, _ in self.runs) / wa
            text = "".join(t for t, *_ in self.runs)
            self.out.lines.append(PrintedLine(
                text, self.runs[-1][1], max(r[2] for r in self.runs), max(r[3] for r in self.runs),
                any(r[4] for r in self.runs), self.align, self.out.fed, adv, used))
        if self.column_image:
            self.out.pictures.append((0, self.column_image, self.out.fed))
        self.runs, self.column_image = [], 0
        self.advance(adv, True)

    def text(self, chunk: bytes) -> None:
        from devices.codepages import charmap
        if self.page:
            back = {v: k for k, v in charmap(self.page).items()}
            s = "".join(chr(b) if b < 128 else back.get(b, "\ufffd") for b in chunk)
        else:
            s = chunk.decode("ascii", "replace")
        if self.runs and self.runs[-1][1:] == (self.font, self.w, self.h, self.bold):
            self.runs[-1] = (self.runs[-1][0] + s, *self.runs[-1][1:])
        else:
            self.runs.append((s, self.font, self.w, self.h, self.bold))

    def esc(self) -> None:
        c = self.take(1)
        if c == b"@":
            if self.i == 2:
                self.out.starts_with_reset = True
            self.reset_state()
        elif c == b"a":
            self.align = ALIGN.get(self.take(1)[0], "left")
        elif c == b"E":
            self.bold = bool(self.take(1)[0] & 1)
        elif c == b"M":
            self.font = chr(ord("a") + (self.take(1)[0] % 48))
        elif c == b"t":
            n = self.take(1)[0]
            names = {v: k for k, v in self.caps.code_page_slots.items()}
            self.page = names.get(n)
        elif c == b"3":
            self.spacing = self.take(1)[0]
        elif c == b"2":
            self.spacing = DEFAULT_SPACING
        elif c == b"J":
            self.flush_or_feed(self.take(1)[0])
        elif c == b"d":
            for _ in range(self.take(1)[0]):
                self.print_line()
        elif c == b"*":
            m, nl, nh = self.take(3)
            rows = 3 if m in (32, 33) else 1
            self.take((nl + 256 * nh) * rows)
            self.column_image = max(self.column_image, 8 * rows)
        elif c in (b"-", b"{", b"V", b"G", b"!", b"R", b"r"):
            v = self.take(1)[0]
            if c == b"!":    # ESC ! n: font, emphasis, double height/width in one byte
                self.font = "b" if v & 1 else "a"
                self.bold = bool(v & 8)
                self.h, self.w = (2 if v & 16 else 1), (2 if v & 32 else 1)
        else:
            raise UnknownCommand(f"ESC {c!r} at byte {self.i - 2}")

    def flush_or_feed(self, dots: int) -> None:
        if self.runs or self.column_image:   # ESC J prints the buffer, then feeds n
            runs_h = self.spacing
            self.spacing = 0
            self.print_line()
            self.spacing = runs_h
            self.advance(dots, False)
        else:
            self.advance(dots, False)

    def gs(self) -> None:
        c = self.take(1)
        if c == b"!":
            v = self.take(1)[0]
            self.w, self.h = (v >> 4) + 1, (v & 15) + 1
        elif c in (b"b", b"B"):
            self.take(1)
        elif c == b"v":
            if self.take(1) != b"0":
                raise UnknownCommand(f"GS v at byte {self.i - 3}")
            m, xl, xh, yl, yh = self.take(5)
            w, h = xl + 256 * xh, yl + 256 * yh
            self.take(w * h)
            dots = h * (2 if m in (2, 3, 50, 51) else 1)
            self.out.pictures.append((w * 8, dots, self.out.fed))
            self.advance(dots, True)
        elif c == b"(":
            kind = self.take(1)
            pl, ph = self.take(2)
            body = self.take(pl + 256 * ph)
            if kind == b"k":
                self.qr(body)
            elif kind == b"L":
                self.graphics(body)
            else:
                raise UnknownCommand(f"GS ( {kind!r} at byte {self.i}")
        elif c == b"V":
            m = self.take(1)[0]
            self.out.cut = True
            self.out.cut_feed = self.take(1)[0] if m in (65, 66, 97, 98, 103, 104) else 0
            if m in (0, 1, 48, 49):    # cut where the paper is: the feed before counted
                self.out.cut_feed = -round(CUTTER_GAP_MM * self.caps.dots_per_mm)
        else:
            raise UnknownCommand(f"GS {c!r} at byte {self.i - 2}")

    def qr(self, body: bytes) -> None:
        fn = body[1]
        if fn == 67:
            self.qr_module = body[2]
        elif fn == 69:
            self.qr_ec = EC.get(body[2], "?")
        elif fn == 80:
            self.qr_store = body[3:]
        elif fn == 81:
            data = self.qr_store.decode("ascii", "replace")
            modules = qr_modules(data, self.qr_ec) if self.qr_ec in LEVELS else 0
            q = PrintedQr(data, self.qr_module, self.qr_ec, self.out.fed, modules, self.blank)
            self.out.qr_codes.append(q)
            self.advance(modules * self.qr_module, True)
            self.pending_qr = q

    def graphics(self, body: bytes) -> None:
        fn = body[1]
        if fn == 112:      # store: a m fn a bx by c xL xH yL yH
            w = body[7] + 256 * body[8]
            h = body[9] + 256 * body[10]
            self.graphic = (w, h * (2 if body[5] == 2 else 1))
        elif fn in (50, 2):
            w, h = getattr(self, "graphic", (0, 0))
            self.out.pictures.append((w, h, self.out.fed))
            self.advance(h, True)

    def run(self) -> Printed:
        d = self.d
        while self.i < len(d):
            b = d[self.i]
            if b == 0x1B:
                self.i += 1
                self.esc()
            elif b == 0x1D:
                self.i += 1
                self.gs()
            elif b == 0x0A:
                self.i += 1
                self.print_line()
            elif b == 0x10 and d[self.i + 1:self.i + 2] == b"\x04":
                self.i += 3                 # DLE EOT n: a status query, prints nothing
            elif b >= 0x20:
                j = self.i
                while j < len(d) and d[j] not in (0x0A, 0x1B, 0x1D, 0x10) and (d[j] >= 0x20):
                    j += 1
                self.text(d[self.i:j])
                self.i = j
            else:
                raise UnknownCommand(f"byte 0x{b:02x} at {self.i}")
        if self.pending_qr is not None:
            self.pending_qr.blank_after = self.blank
        return self.out


def read_job(job: bytes, caps: PrinterCapabilities) -> Printed:
    return _Reader(job, caps).run()
