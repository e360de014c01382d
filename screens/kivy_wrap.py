"""Wrapping a Kivy method for every instance (screens/textures.py, screens/rtl.py).

    wrap_method(Label, "texture_update", lambda keep: lambda self, *a: keep(self, *a))

The wrapper keeps the method's name: Kivy's clock triggers call methods by name
(kivy.weakmethod), so a wrapper under another name would never be called by them."""
from __future__ import annotations

from typing import Callable


def wrap_method(cls, name: str, make: Callable[[Callable], Callable]) -> None:
    keep = getattr(cls, name)
    new = make(keep)
    new.__name__ = keep.__name__
    new.__qualname__ = keep.__qualname__
    setattr(cls, name, new)
