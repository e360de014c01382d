"""Right-to-left text in every Kivy label and button: Kivy's SDL2 text provider neither joins
Arabic letters nor orders a right-to-left line, and shaping a text before Kivy wraps it
reverses its line order (kivy#7704, kivy#8189). `install()` wraps Label.texture_update once:
a label whose text has right-to-left letters hands Kivy its lines already wrapped to the
label's width, shaped and in display order (kiosk.bidi_text, the one place that reorders
text); Kivy then only draws them. The label's `text` stays the logical text (tests, speech).

Layouts mirror too: while a right-to-left language is shown (`set_mirrored`, called by the app
on a language change), every horizontal BoxLayout and every GridLayout places its children
mirrored (the top bar, button rows, tiles: "back" and "next" swap sides), and a label aligned
to the left is aligned to the right. A layout with `no_mirror: True` in its kv rule keeps its
order (the appointment keypad: digits and letters as on every keyboard). The floor plan is
not mirrored: left and right in the building stay left and right."""
from __future__ import annotations

from functools import lru_cache

from kivy.uix.label import Label

from kiosk.bidi_text import display_lines, has_rtl
from screens.kivy_wrap import wrap_method

_installed = False
_mirrored = False


def mirrored() -> bool:
    return _mirrored


def set_mirrored(on: bool, roots=()) -> None:
    """Mirror layouts from now on (or stop), and lay out again those under `roots`."""
    global _mirrored
    if on == _mirrored:
        return
    _mirrored = on
    from kivy.uix.layout import Layout
    for root in roots:
        for w in root.walk(restrict=True):
            if isinstance(w, Layout):
                w._trigger_layout()
            elif isinstance(w, Label):
                w._trigger_texture()


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
    wrap_method(Label, "texture_update", _shaped_texture)
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.gridlayout import GridLayout
    _mirror_layout(BoxLayout, lambda lay: lay.orientation == "horizontal")
    _mirror_layout(GridLayout, lambda lay: True)
    _installed = True


def _shaped_texture(keep):
    def texture_update(self, *largs):
        core = self._label
        if core is not None and not self.markup:
            rtl = has_rtl(self.text)
            if rtl:
                core.text = display_text(self)
            # "left" means the start of the line
            core.options["halign"] = "right" if self.halign == "left" and (rtl or _mirrored) \
                else self.halign
        return keep(self, *largs)
    return texture_update


def _mirror_layout(cls, applies) -> None:
    def make(keep):
        def do_layout(self, *largs, **kwargs):
            result = keep(self, *largs, **kwargs)
            if _mirrored and applies(self) and not getattr(self, "no_mirror", False):
                left, right = self.x, self.x + self.width
                for child in self.children:
                    child.x = left + (right - (child.x + child.width))
            return result
        return do_layout
    wrap_method(cls, "do_layout", make)
