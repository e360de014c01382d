"""Simple high-contrast pictograms drawn with Pillow from code (no image files to ship).

`pictogram(name, size)` returns a black-on-white "L" image; `pictogram_png(name, size, dir)`
writes it once as a PNG (for the Kivy tiles) and returns the path. A service may instead
name its own .png file in config; `load_pictogram` handles both.
"""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from kiosk.tickets.settings import PICTOGRAMS


def _person(d, x, y, s, w):
    d.ellipse([x - s * .12, y - s * .30, x + s * .12, y - s * .06], outline=0, width=w)
    d.arc([x - s * .25, y, x + s * .25, y + s * .45], 180, 360, fill=0, width=w)


def _draw(name: str, d: ImageDraw.ImageDraw, s: int) -> None:
    w = max(2, s // 16)
    c = s / 2
    if name == "id_card":
        d.rounded_rectangle([s * .08, s * .22, s * .92, s * .78], s * .06, outline=0, width=w)
        _person(d, s * .30, s * .50, s * .8, w)
        for i in range(3):
            y = s * (.38 + i * .12)
            d.line([s * .52, y, s * .82, y], fill=0, width=w)
    elif name == "passport":
        d.rounded_rectangle([s * .22, s * .08, s * .78, s * .92], s * .05, outline=0, width=w)
        d.ellipse([c - s * .17, s * .30, c + s * .17, s * .64], outline=0, width=w)
        d.line([c - s * .17, s * .47, c + s * .17, s * .47], fill=0, width=w)
        d.line([c - s * .14, s * .78, c + s * .14, s * .78], fill=0, width=w)
    elif name == "driving_licence":
        d.rounded_rectangle([s * .10, s * .42, s * .90, s * .70], s * .06, outline=0, width=w)
        d.polygon([(s * .25, s * .42), (s * .35, s * .25), (s * .65, s * .25), (s * .75, s * .42)],
                  outline=0, width=w)
        for x in (.28, .72):
            d.ellipse([s * x - s * .09, s * .62, s * x + s * .09, s * .80], fill=0)
    elif name == "moving":
        d.polygon([(s * .10, s * .45), (s * .35, s * .20), (s * .60, s * .45)], outline=0, width=w)
        d.rectangle([s * .16, s * .45, s * .54, s * .82], outline=0, width=w)
        d.line([s * .62, s * .62, s * .92, s * .62], fill=0, width=w)
        d.polygon([(s * .92, s * .62), (s * .80, s * .52), (s * .80, s * .72)], fill=0)
    elif name == "birth":
        d.pieslice([s * .15, s * .20, s * .75, s * .80], 0, 180, outline=0, width=w)
        d.line([s * .75, s * .50, s * .90, s * .20], fill=0, width=w)
        for x in (.28, .62):
            d.ellipse([s * x - s * .07, s * .78, s * x + s * .07, s * .92], outline=0, width=w)
    elif name == "marriage":
        d.ellipse([s * .12, s * .30, s * .56, s * .74], outline=0, width=w)
        d.ellipse([s * .44, s * .30, s * .88, s * .74], outline=0, width=w)
    elif name == "parking":
        d.rounded_rectangle([s * .15, s * .10, s * .85, s * .90], s * .08, outline=0, width=w)
        bar = w * 1.6
        d.rectangle([s * .34, s * .24, s * .34 + bar, s * .76], fill=0)
        d.arc([s * .30, s * .24, s * .70, s * .56], 270, 90, fill=0, width=int(bar))
        d.rectangle([s * .34, s * .24, s * .50, s * .24 + bar], fill=0)
        d.rectangle([s * .34, s * .56 - bar, s * .50, s * .56], fill=0)
    elif name == "waste":
        d.line([s * .18, s * .25, s * .82, s * .25], fill=0, width=w)
        d.polygon([(s * .25, s * .25), (s * .32, s * .88), (s * .68, s * .88), (s * .75, s * .25)],
                  outline=0, width=w)
        d.rectangle([s * .40, s * .14, s * .60, s * .25], outline=0, width=w)
    elif name == "appointment":
        d.rectangle([s * .12, s * .18, s * .88, s * .88], outline=0, width=w)
        d.line([s * .12, s * .36, s * .88, s * .36], fill=0, width=w)
        d.line([(s * .32, s * .62), (s * .46, s * .76), (s * .70, s * .48)], fill=0, width=w * 2)
    elif name == "info":
        d.ellipse([s * .10, s * .10, s * .90, s * .90], outline=0, width=w)
        d.ellipse([c - s * .06, s * .24, c + s * .06, s * .36], fill=0)
        d.line([c, s * .44, c, s * .76], fill=0, width=w * 2)
    else:  # general: a person at a desk
        _person(d, c, s * .45, s, w)
        d.line([s * .10, s * .80, s * .90, s * .80], fill=0, width=w)


def pictogram(name: str, size: int = 96) -> Image.Image:
    if name not in PICTOGRAMS:
        raise KeyError(f"no built-in pictogram {name!r} (have: {', '.join(PICTOGRAMS)})")
    img = Image.new("L", (size, size), 255)
    _draw(name, ImageDraw.Draw(img), size)
    return img


def load_pictogram(spec: str, size: int = 96, base_dir: str | Path | None = None) -> Image.Image:
    """A built-in name or a PNG path (relative to the config file's folder)."""
    if spec.lower().endswith(".png"):
        p = Path(spec)
        if not p.is_absolute() and base_dir:
            p = Path(base_dir) / p
        img = Image.open(p).convert("L")
        img.thumbnail((size, size))
        return img
    return pictogram(spec or "general", size)


def pictogram_png(name: str, size: int, out_dir: str | Path) -> Path:
    out = Path(out_dir) / f"{name}-{size}.png"
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp.png")
        pictogram(name, size).save(tmp)
        tmp.replace(out)
    return out
