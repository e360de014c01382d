"""A label's pixels are kept once, in its texture: not also in the surface they were drawn on.

Kivy's SDL2 text provider (kivy/core/text/text_sdl2.py) draws a label's text into an SDL
surface of the label's full size (width x height x 4 bytes), copies the pixels into the texture
and keeps the surface on the core label until its next render, which makes a new one. So every
label on every screen built ahead (screens/app.py) held a second copy of its pixels that nothing
reads again. Measured with bench/rss_probe.py (home role, every screen visited): 158 such
surfaces, 27.6 MiB; the probe's resident memory 318 -> 290 MiB (docs/performance.md).

`install()` is called once by the app (screens/app.py). It wraps the provider's `_render_end`
(the step that hands the pixels over for the texture) to drop the surface after it. A provider
without a surface (not SDL2) is left as it is.
"""
from __future__ import annotations

from screens.kivy_wrap import wrap_method

_installed = False


def _drop_surface(keep):
    def _render_end(self):
        data = keep(self)
        self.__dict__.pop("_surface", None)
        return data
    return _render_end


def install() -> None:
    global _installed
    if _installed:
        return
    from kivy.core.text import Label as CoreLabel   # the provider Kivy chose (SDL2 here)
    if hasattr(CoreLabel, "_render_end"):
        wrap_method(CoreLabel, "_render_end", _drop_surface)
    _installed = True
