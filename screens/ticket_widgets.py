"""Small helpers for the ticket screens: PIL pictures and PNG bytes as Kivy textures
(made in memory, no disk access on the Kivy thread)."""
from __future__ import annotations

import io

from kivy.core.image import Image as CoreImage
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


def png_texture(data: bytes) -> Texture:
    return CoreImage(io.BytesIO(data), ext="png").texture
