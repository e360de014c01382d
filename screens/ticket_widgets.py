"""Small helpers for the ticket screens: PIL pictures and PNG bytes as Kivy textures
(made in memory, no disk access on the Kivy thread)."""
from __future__ import annotations

import io

from kivy.graphics.texture import Texture
from PIL import Image


def mask_texture(img: Image.Image) -> Texture:
    """Black-on-white picture -> white shape on transparent, to tint with the text colour."""
    gray = img.convert("L")
    alpha = gray.point(lambda v: 255 - v)
    white = Image.new("L", gray.size, 255)
    rgba = Image.merge("RGBA", (white, white, white, alpha)).transpose(Image.FLIP_TOP_BOTTOM)
    tex = Texture.create(size=rgba.size, colorfmt="rgba")
    tex.blit_buffer(rgba.tobytes(), colorfmt="rgba", bufferfmt="ubyte")
    return tex


def png_pixels(data: bytes) -> tuple[tuple[int, int], bytes]:
    """PNG bytes -> (size, RGBA rows from the bottom up), as a texture takes them. PIL only, so
    any thread: the QR is decoded on the ticket worker, not on the Kivy thread (issue #19)."""
    img = Image.open(io.BytesIO(data)).convert("RGBA").transpose(Image.FLIP_TOP_BOTTOM)
    return img.size, img.tobytes()


def pixels_texture(pixels: tuple[tuple[int, int], bytes]) -> Texture:
    """A texture of `png_pixels`' result (the Kivy thread: one copy into GL)."""
    size, data = pixels
    tex = Texture.create(size=size, colorfmt="rgba")
    tex.blit_buffer(data, colorfmt="rgba", bufferfmt="ubyte")
    return tex
