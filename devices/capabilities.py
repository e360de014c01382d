"""What a ticket printer can do, read from its python-escpos profile (escpos-printer-db).

  caps = capabilities_for("TM-T20II")      # cached per profile name
  caps.columns("a"), caps.columns("b")     # characters per line in font A / B: 48, 64
  caps.paper_px                            # printable width in dots (576), for raster tickets
  caps.native_qr, caps.cutter              # GS ( k QR codes; a paper cutter (full or partial)
  caps.image_impl                          # how python-escpos should send a bit image
  caps.code_pages                          # ESC t code pages the profile lists, by name
  caps.code_page_slots["CP852"]            # the n of ESC t n for a page (18 on a TM-T20II)
  caps.can_print_text("Één café")          # every character in one of those code pages

The profile is named in config (`devices.printer.profile`); nothing about paper width,
columns, code pages, QR or cutting is assumed elsewhere. A value the profile leaves open
("Unknown" width on `default`) gets the fallback named here, never a guess per caller.
Text is printable when each character is ASCII or sits in one of the profile's code pages
(devices/codepages.py chooses the page and encodes the text), and is written
left to right: a printer prints one glyph per byte without shaping, so right-to-left and
joined scripts (Arabic, Hebrew) go raster even where a code page holds their letters.
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

FALLBACK_WIDTH_PX = 512   # 80 mm paper at 180 dpi: the narrowest common printable width
FALLBACK_DPI = 203        # the common thermal head (8 dots per mm)
# Dot height of each font's character cell (width is the paper's dots / the font's columns).
# Epson ESC/POS: font A 12x24, font B 9x17; other fonts are taken as font A's height.
CELL_HEIGHT = {"a": 24, "b": 17}
# Paper between the print head and the cutter (or tear bar): the paper of the previous cut
# that passes under the head before the first line prints, so every ticket starts with this
# much white. Epson's TM-T series specify about 15 mm; no profile states it.
CUTTER_GAP_MM = 15.0
_RIGHT_TO_LEFT = ("R", "AL")


class UnknownProfile(ValueError):
    """A profile name python-escpos does not know."""


@dataclass(frozen=True)
class PrinterCapabilities:
    profile: str
    name: str
    fonts: dict                   # "a", "b", ... -> columns per line
    width_px: int | None          # None when the profile does not say
    width_mm: float | None
    dpi: int | None
    code_pages: tuple[str, ...]   # the profile's ESC t code pages by name, in slot order
    code_page_slots: dict         # code page name -> n of ESC t n (its slot in the profile)
    native_qr: bool
    full_cut: bool
    partial_cut: bool
    raster_images: bool           # GS v 0
    column_images: bool           # ESC *
    graphics: bool                # GS ( L

    @property
    def cutter(self) -> bool:
        return self.full_cut or self.partial_cut

    @property
    def paper_px(self) -> int:
        return self.width_px or FALLBACK_WIDTH_PX

    @property
    def image_impl(self) -> str:
        """The python-escpos `impl` for bit images this printer takes."""
        if self.raster_images:
            return "bitImageRaster"
        if self.graphics:
            return "graphics"
        return "bitImageColumn"

    @property
    def dots_per_mm(self) -> float:
        if self.dpi:
            return self.dpi / 25.4
        if self.width_px and self.width_mm:
            return self.width_px / self.width_mm
        return FALLBACK_DPI / 25.4

    def cell(self, font: str = "a") -> tuple[int, int]:
        """(width, height) in dots of one character of `font` at normal size."""
        return self.paper_px // self.columns(font), CELL_HEIGHT.get(font, CELL_HEIGHT["a"])

    def mm(self, dots: float) -> float:
        """Dots of paper feed (or width) in millimetres."""
        return dots / self.dots_per_mm

    def columns(self, font: str = "a") -> int:
        try:
            return self.fonts[font]
        except KeyError:
            raise ValueError(f"profile {self.profile!r} has no font {font!r} "
                             f"(has: {', '.join(self.fonts)})") from None

    def can_print_text(self, text: str) -> bool:
        """True when every character prints in text mode on this printer."""
        from devices.codepages import charmap
        for ch in text:
            if ord(ch) < 128:
                continue
            if unicodedata.bidirectional(ch) in _RIGHT_TO_LEFT:
                return False
            if not any(ch in charmap(cp) for cp in self.code_pages):
                return False
        return True

    def finish(self, p, cut: str = "FULL") -> None:
        """End a python-escpos job: feed and cut with the cutter the profile has (`cut`
        "FULL" or "PART" when both exist), or, with no cutter, feed past the tear bar."""
        if self.cutter:
            both = self.full_cut and self.partial_cut
            p.cut(mode=cut if both else ("FULL" if self.full_cut else "PART"))
        else:
            p.print_and_feed(6)

    def summary(self) -> str:
        """One line for a test slip or `kiosk doctor`."""
        fonts = "/".join(f"{n}" for n in self.fonts.values())
        return (f"{self.profile}: {self.paper_px} dots, {fonts} columns, "
                f"{len(self.code_pages)} code pages, QR {'yes' if self.native_qr else 'as image'}, "
                f"cutter {'yes' if self.cutter else 'no'}")


def _number(value) -> int | float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


@functools.lru_cache(maxsize=32)
def capabilities_for(profile: str) -> PrinterCapabilities:
    """The capabilities of a python-escpos profile; UnknownProfile for a name it lacks."""
    from escpos.capabilities import get_profile
    try:
        data = get_profile(profile).profile_data
    except Exception:  # noqa: BLE001 - python-escpos raises KeyError or its NotSupported
        raise UnknownProfile(f"{profile!r} is not a python-escpos printer profile (e.g. "
                             "TM-T20II, TM-T88V, default)") from None
    feats = data.get("features", {})
    fonts = {}
    for key, font in sorted(data.get("fonts", {}).items(), key=lambda kv: int(kv[0])):
        cols = _number(font.get("columns"))
        if cols:
            fonts[chr(ord("a") + int(key))] = int(cols)
    media = data.get("media", {})
    width = media.get("width", {})
    slots: dict[str, int] = {}
    for slot, name in sorted(data.get("codePages", {}).items(), key=lambda kv: int(kv[0])):
        if name != "Unknown":
            slots.setdefault(name, int(slot))
    pages = tuple(slots)
    px = _number(width.get("pixels"))
    return PrinterCapabilities(
        profile=profile, name=str(data.get("name", profile)), fonts=fonts,
        width_px=int(px) if px else None, width_mm=_number(width.get("mm")),
        dpi=_number(media.get("dpi")), code_pages=pages, code_page_slots=slots,
        native_qr=bool(feats.get("qrCode")), full_cut=bool(feats.get("paperFullCut")),
        partial_cut=bool(feats.get("paperPartCut")), raster_images=bool(feats.get("bitImageRaster")),
        column_images=bool(feats.get("bitImageColumn")), graphics=bool(feats.get("graphics")))


def as_capabilities(profile: "str | PrinterCapabilities") -> PrinterCapabilities:
    """A profile name or capabilities, as capabilities."""
    return profile if isinstance(profile, PrinterCapabilities) else capabilities_for(profile)
