"""Right-to-left text in every Kivy label and button: Kivy's SDL2 text provider neither joins
Arabic letters nor orders a right-to-left line, and shaping a text before Kivy wraps it
reverses its line order (kivy#7704, kivy#8189). `install()` wraps Label.texture_update once:
a label whose text has right-to-left letters hands Kivy its lines already wrapped to the
label's width, shaped and in display order (kiosk.bidi_text, the one place that reorders
text); Kivy then only draws them. The label's `text` stays the logical text (tests, speech).

Layout mirroring is the screens' part: `app.rtl` (screens/app.py) flips the alignment of
lists and the order of button rows in the .kv files."""
from __future__ import annotations

from functools import lru_cache

from kivy.uix.label import Label

from kiosk.bidi_text import display_lines, has_rtl

_installed = False


@lru_cache(maxsize=32)
def _measurer(font_name: str, font_size: float, bold: bool):
    from kivy.core.text import Label as CoreLabel
    core = CoreLabel(font_name=font_name, font_size=font_size, bold=bold)

    @lru_cache(maxsize=2048)
    def measure(text: str) -> float:
        return core.get_extents(text)[0]
    return measure


def display_text(label) -> str:
    """The text as Kivy should draw it: wrapped, shaped and in display order."""
    width = label.text_size[0]
    if width is not None:
        pad = label.padding
        width = width - pad[0] - pad[2]
    measure = _measurer(label.font_name, float(label.font_size), bool(label.bold))
    return "\n".join(display_lines(label.text, width, measure))


def install() -> None:
    global _installed
    if _installed:
        return
    keep = Label.texture_update

    def texture_update(self, *largs):
        core = self._label
        if core is not None and not self.markup and has_rtl(self.text):
            core.text = display_text(self)
        return keep(self, *largs)

    texture_update.__name__ = keep.__name__   # clock triggers call methods by name
    texture_update.__qualname__ = keep.__qualname__
    Label.texture_update = texture_update
    _installed = True
