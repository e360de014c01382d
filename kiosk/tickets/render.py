"""What goes on a ticket, and turning it into printer bytes or a picture.

`build_content(...)` collects the texts (from the tickets catalog, in the visitor's
language, with the Dutch service name too). Then:
  `text_job(content, profile)`   ESC/POS text mode: styles via python-escpos, each line in
                                  one code page of the printer (devices/codepages.py), a
                                  right-to-left line (Arabic) as a small picture
                                  (kiosk/tickets/lines.py); small.
  `raster_image(content, width)` the whole ticket as a picture (Pillow); used for raster
                                  mode, for `kiosk ticket preview` and simulator previews.
  `raster_job(content, profile)` that picture as ESC/POS raster bytes.
  `job_for(content, profile, mode)` the job and the mode used: "text", "text+pictures"
                                  (some lines as pictures) or "raster" (on request).
`profile` is a python-escpos profile name or its devices.capabilities.PrinterCapabilities:
paper width, columns per font, code pages, native QR and the cutter all come from there
(a printer without native QR gets the QR as an image, one without a cutter a paper feed).
No Kivy here.
"""
from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

import qrcode
from escpos.printer import Dummy
from PIL import Image, ImageDraw, ImageFont

from devices.capabilities import PrinterCapabilities, as_capabilities
from kiosk.tickets.lines import PICTURE_BIG, TextLines, wrap

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu",)
DEFAULT_PROFILE = "TM-T20II"   # the config default (devices.printer.profile)
LABEL_MAGNIFY = 6              # the number at 6x width and height, when the line has room
QR_MODULE = 6                  # dots per QR module


@dataclass
class TicketContent:
    label: str
    lang: str
    your_number: str
    service_name: str
    service_name_nl: str
    wait_at: str
    people_line: str
    wait_line: str
    time_line: str
    qr_url: str
    qr_hint: str
    pictogram: Image.Image | None = None
    directions: str = ""
    lines: list[str] = field(default_factory=list)

    def texts(self) -> list[str]:
        out = [self.your_number, self.label, self.service_name, self.wait_at, self.people_line,
               self.wait_line, self.time_line, self.qr_hint, self.directions]
        if self.service_name_nl != self.service_name:
            out.append(self.service_name_nl)
        return [t for t in out if t]


def people_line(tr, n: int, lang: str) -> str:
    """`tr` is a kiosk.i18n.Translator (plural forms: Polish and Ukrainian have 3, Arabic 6)."""
    if n <= 0:
        return tr("ticket.people_ahead.none", lang)
    return tr.ngettext("ticket.people_ahead", n, lang, n=n)


def wait_line(tr, low: int, high: int, lang: str) -> str:
    if high <= 0:
        return tr("ticket.wait.none", lang)
    return tr.ngettext("ticket.wait.range", high, lang, low=low, high=high)


def build_content(ticket, service, catalog, tr, *, qr_pattern: str, ahead: int,
                  wait: tuple[int, int], tz: str, pictogram: Image.Image | None = None,
                  directions: str = "") -> TicketContent:
    lang = ticket.lang
    issued = dt.datetime.fromisoformat(ticket.issued_at.replace("Z", "+00:00"))
    local = issued.astimezone(zoneinfo.ZoneInfo(tz))
    place = catalog.wait_at(service, lang)
    return TicketContent(
        label=ticket.label, lang=lang,
        your_number=tr("ticket.your_number", lang),
        service_name=catalog.name(service, lang),
        service_name_nl=catalog.name(service, "nl"),
        wait_at=tr("ticket.wait_at", lang, place=place) if place else "",
        people_line=people_line(tr, ahead, lang),
        wait_line=wait_line(tr, wait[0], wait[1], lang),
        time_line=tr("ticket.taken_at", lang, time=local.strftime("%H:%M"),
                     date=local.strftime("%d-%m-%Y")),
        qr_url=qr_pattern.replace("{token}", ticket.token),
        qr_hint=tr("ticket.qr_hint", lang),
        pictogram=pictogram,
        directions=tr("ticket.directions", lang, route=directions.strip()) if directions else "",
    )


def text_printable(content: TicketContent, profile: str | PrinterCapabilities = DEFAULT_PROFILE) -> bool:
    """True when every text prints as characters on this printer (no line as a picture)."""
    caps = as_capabilities(profile)
    return all(caps.can_print_text(t) for t in content.texts())


def label_magnification(label: str, caps: PrinterCapabilities) -> int:
    """How large the number can be printed and still fit one line of font A."""
    return max(1, min(LABEL_MAGNIFY, caps.columns("a") // max(1, len(label))))


def _qr(p, url: str, caps: PrinterCapabilities) -> None:
    if caps.native_qr:
        p.qr(url, native=True, size=QR_MODULE)
    else:  # as a picture: python-escpos renders it with the qrcode package
        p.qr(url, native=False, size=QR_MODULE, image_arguments={"impl": caps.image_impl,
                                                                 "center": False})


def text_job(content: TicketContent, profile: str | PrinterCapabilities = DEFAULT_PROFILE) -> bytes:
    """ESC/POS text mode; each line in a code page of the printer (kiosk/tickets/lines.py),
    or, for a right-to-left line or one no code page holds, as a small picture."""
    return _text_job(content, as_capabilities(profile))[0]


def _text_job(content: TicketContent, caps: PrinterCapabilities) -> tuple[bytes, int]:
    """(bytes, number of lines sent as pictures)."""
    p = Dummy(profile=caps.profile)
    out = TextLines(caps, _text_lines(content))
    p.set(align="center")
    if content.pictogram is not None:
        p.image(content.pictogram.resize((64, 64)).convert("1"), impl=caps.image_impl)
    p.set(align="center", bold=False, normal_textsize=True)
    out.write(p, content.your_number)
    big = label_magnification(content.label, caps)
    p.set(align="center", bold=True, custom_size=True, width=big, height=big)
    out.write(p, content.label)
    p.set(align="center", bold=True, normal_textsize=True, double_height=True)
    out.write(p, content.service_name, size=PICTURE_BIG, bold=True)
    p.set(align="center", bold=False, normal_textsize=True)
    if content.service_name_nl != content.service_name:
        out.write(p, content.service_name_nl)
    if content.wait_at:
        p.set(align="center", bold=True, normal_textsize=True, double_height=True)
        out.write(p, content.wait_at, size=PICTURE_BIG, bold=True)
        p.set(align="center", bold=False, normal_textsize=True)
    for line in (content.people_line, content.wait_line, *content.directions.splitlines(),
                 content.time_line):
        if line:
            out.write(p, line)
    _qr(p, content.qr_url, caps)
    out.write(p, content.qr_hint)
    caps.finish(p)
    return p.output, out.pictures


def _text_lines(content: TicketContent) -> list[str]:
    return [line for t in content.texts() for line in t.splitlines()]


def _font(size: int, bold: bool = False) -> ImageFont.ImageFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for d in FONT_DIRS:
        path = Path(d) / name
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def raster_image(content: TicketContent, width: int = 576) -> Image.Image:
    """The ticket as a black-on-white picture `width` pixels wide."""
    canvas = Image.new("L", (width, 2400), 255)
    d = ImageDraw.Draw(canvas)
    y = 16
    margin = 16

    def block(text, size, bold=False, gap=8):
        nonlocal y
        f = _font(size, bold)
        for line in wrap(d, text, f, width - 2 * margin):
            w = d.textlength(line, font=f)
            d.text(((width - w) / 2, y), line, font=f, fill=0)
            y += int(size * 1.2)
        y += gap

    if content.pictogram is not None:
        pic = content.pictogram.resize((128, 128))
        canvas.paste(pic, ((width - 128) // 2, y))
        y += 136
    block(content.your_number, 30)
    block(content.label, 150, bold=True, gap=16)
    block(content.service_name, 40, bold=True)
    if content.service_name_nl != content.service_name:
        block(content.service_name_nl, 28)
    if content.wait_at:
        block(content.wait_at, 38, bold=True)
    for line in (content.people_line, content.wait_line, *content.directions.splitlines(),
                 content.time_line):
        if line:
            block(line, 28)
    qr = qrcode.QRCode(border=2, box_size=8)
    qr.add_data(content.qr_url)
    qimg = qr.make_image(fill_color="black", back_color="white").get_image().convert("L")
    canvas.paste(qimg, ((width - qimg.width) // 2, y))
    y += qimg.height + 8
    block(content.qr_hint, 24)
    return canvas.crop((0, 0, width, y + 24))


def qr_png(url: str, box: int = 10) -> bytes:
    """The ticket's QR code as PNG bytes (for the screen: photograph it if no paper)."""
    import io
    qr = qrcode.QRCode(border=2, box_size=box)
    qr.add_data(url)
    buf = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").get_image().save(buf, "PNG")
    return buf.getvalue()


def raster_job(content: TicketContent, profile: str | PrinterCapabilities = DEFAULT_PROFILE) -> bytes:
    caps = as_capabilities(profile)
    p = Dummy(profile=caps.profile)
    p.set(align="center")
    p.image(raster_image(content, caps.paper_px).convert("1"), impl=caps.image_impl)
    caps.finish(p)
    return p.output


def job_for(content: TicketContent, profile: str | PrinterCapabilities = DEFAULT_PROFILE,
            mode: str = "text") -> tuple[bytes, str]:
    """(bytes, mode used): "text", "text+pictures" (text with some lines as pictures) or
    "raster" (on request: the whole ticket as one picture)."""
    caps = as_capabilities(profile)
    if mode == "text":
        job, pictures = _text_job(content, caps)
        return job, ("text+pictures" if pictures else "text")
    return raster_job(content, caps), "raster"
