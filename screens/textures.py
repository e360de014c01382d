"""Label textures are never rewritten in place: a label that renders new text gets a new
texture.

Kivy's core label reuses its texture when the new text has the same pixel size and writes the
new pixels into it (Texture.ask_update -> blit). That texture is usually still read by frames
the GL driver has queued but not finished, so the write waits for them: measured in the UI
driver on Mesa's software renderer, the reasons screen's title ("Wat kan beter?", 1080x110)
took 400-1200 ms to re-render on a smiley tap, against about 1 ms into a fresh texture; the
pressed smiley's word, whose colour changes with the press, was the same case. A new texture
needs no wait; the old one is freed when the last frame using it is done with it.

`install()` is called once by the app (screens/app.py); it wraps Label.texture_update, which
every label and button (Button and ToggleButton are Labels) renders through.
"""
from __future__ import annotations

from kivy.uix.label import Label

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    keep = Label.texture_update

    def texture_update(self, *largs):
        core = self._label
        if core is not None and core.texture is not None and core.texture is not core.texture_1px:
            core.texture = None      # refresh() then creates a new texture instead of a blit
        return keep(self, *largs)

    # Kivy's clock triggers call methods by name (kivy.weakmethod): keep the name
    texture_update.__name__ = keep.__name__
    texture_update.__qualname__ = keep.__qualname__
    Label.texture_update = texture_update
    _installed = True
