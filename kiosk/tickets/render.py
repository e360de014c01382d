"""What goes on a ticket, and the job and preview made from it.

`build_content(...)` collects the texts (from the tickets catalog, in the visitor's
language, with the Dutch service name too). Then one layout (kiosk/tickets/layout.py: the
lines as they print, wrapped at the printer's columns) gives both:
  `text_job(content, profile)`     the ESC/POS job (kiosk/tickets/escpos_job.py): text in the
                                    printer's code pages, right-to-left lines as pictures
  `ticket_preview(content, profile)` the picture of that job at the printer's dot width
                                    (kiosk/tickets/preview.py): `kiosk ticket preview`, the
                                    simulator's PNGs
  `raster_job(content, profile)`   that picture sent as one raster image (print_mode "raster")
  `job_for(content, profile, mode)` the job and the mode used: "text", "text+pictures" (some
                                    lines as pictures) or "raster" (on request).
`profile` is a python-escpos profile name or its devices.capabilities.PrinterCapabilities:
paper width, columns per font, code pages, native QR and the cutter all come from there.
A ticket without a QR address (no central service configured) has no QR and no hint.
No Kivy here.
"""
from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from PIL import Image

from devices.capabilities import CUTTER_GAP_MM, PrinterCapabilities, as_capabilities
from devices.qrsymbol import qr_picture
from kiosk.tickets.escpos_job import escpos_bytes
from kiosk.tickets.layout import Layout, PictureLine, build_layout
from kiosk.tickets.preview import preview_image

DEFAULT_PROFILE = "TM-T20II"   # the config default (devices.printer.profile)


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
        qr_url=qr_pattern.replace("{token}", ticket.token) if qr_pattern else "",
        qr_hint=tr("ticket.qr_hint", lang) if qr_pattern else "",
        pictogram=pictogram,
        directions=tr("ticket.directions", lang, route=directions.strip()) if directions else "",
    )


def text_printable(content: TicketContent, profile: str | PrinterCapabilities = DEFAULT_PROFILE) -> bool:
    """True when every text prints as characters on this printer (no line as a picture)."""
    caps = as_capabilities(profile)
    return all(caps.can_print_text(t) for t in content.texts())


def ticket_layout(content: TicketContent, profile: str | PrinterCapabilities = DEFAULT_PROFILE) -> Layout:
    return build_layout(content, as_capabilities(profile))


def text_job(content: TicketContent, profile: str | PrinterCapabilities = DEFAULT_PROFILE) -> bytes:
    """The ESC/POS job: text in the printer's code pages, a right-to-left line or one no
    code page holds as a small picture."""
    return escpos_bytes(ticket_layout(content, profile))


def ticket_preview(content: TicketContent, profile: str | PrinterCapabilities = DEFAULT_PROFILE) -> Image.Image:
    """The ticket as it prints: the printer's dot width, its line breaks and length."""
    return preview_image(ticket_layout(content, profile))


def qr_png(url: str, box: int = 10) -> bytes:
    """The ticket's QR code as PNG bytes for the screen (the same symbol as on paper, with a
    quiet zone of 4 modules)."""
    import io
    buf = io.BytesIO()
    qr_picture(url, "M", box, border=4).save(buf, "PNG")
    return buf.getvalue()


def raster_job(content: TicketContent, profile: str | PrinterCapabilities = DEFAULT_PROFILE) -> bytes:
    """The preview sent as one raster picture (print_mode "raster"), then the cut."""
    caps = as_capabilities(profile)
    layout = ticket_layout(content, caps)
    picture = preview_image(layout)
    top = round(CUTTER_GAP_MM * caps.dots_per_mm)
    body = picture.crop((0, top, picture.width, top + layout.height_dots()))
    whole = Layout(caps, [PictureLine(body.point(lambda v: 0 if v < 128 else 255).convert("1"),
                                      half_height=False)])
    return escpos_bytes(whole)


def job_for(content: TicketContent, profile: str | PrinterCapabilities = DEFAULT_PROFILE,
            mode: str = "text") -> tuple[bytes, str]:
    """(bytes, mode used): "text", "text+pictures" (text with some lines as pictures) or
    "raster" (on request: the whole ticket as one picture)."""
    caps = as_capabilities(profile)
    if mode == "text":
        layout = ticket_layout(content, caps)
        pictures = sum(isinstance(i, PictureLine) for i in layout.items)
        if content.pictogram is not None:
            pictures -= 1
        return escpos_bytes(layout), ("text+pictures" if pictures else "text")
    return raster_job(content, caps), "raster"
