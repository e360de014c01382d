"""Arabic in a Kivy label (issue 14): a label that wraps to three lines draws each line with
its letters joined and the lines in reading order, checked against HarfBuzz: Pillow's raqm
layout (HarfBuzz shaping, FriBiDi ordering) of the same logical lines in the same font."""
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from kiosk.bidi_text import wrap
from test_ui_tickets import drain

TEXT = ("تابع إلى الأمام وامش حوالي 10 أمتار. في الطريق تمر بجانب مكتب الاستعلامات. "
        "أنت الآن عند منطقة الانتظار في الطابق الأرضي.")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SIZE = 40
WIDTH = 800


def ink(img: Image.Image) -> Image.Image:
    """The ink (pixels above half) of a greyscale picture, cropped to its box, as a mask."""
    mask = img.point(lambda v: 255 if v > 128 else 0).convert("1")
    return mask.crop(mask.getbbox())


def profile(mask: Image.Image, bins: int = 240) -> list[float]:
    """Ink per column, from the first inked column to the last, in `bins` equal steps: the
    shape of a line as read along it (robust to a few rows more or less at its top)."""
    grey = mask.convert("L").resize((bins, 1), Image.BOX)
    return list(grey.tobytes())


def similarity(a: Image.Image, b: Image.Image) -> float:
    """Correlation of two lines' column profiles (1.0: the same letters in the same places)."""
    pa, pb = profile(a), profile(b)
    ma, mb = sum(pa) / len(pa), sum(pb) / len(pb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(pa, pb))
    va = sum((x - ma) ** 2 for x in pa) ** 0.5
    vb = sum((y - mb) ** 2 for y in pb) ** 0.5
    return cov / max(1e-9, va * vb)


def reference(line: str, shaped: bool) -> Image.Image:
    font = ImageFont.truetype(FONT, SIZE, layout_engine=ImageFont.Layout.RAQM if shaped
                              else ImageFont.Layout.BASIC)
    img = Image.new("L", (2000, SIZE * 2), 0)
    d = ImageDraw.Draw(img)
    if shaped:
        d.text((10, 10), line, font=font, fill=255, direction="rtl")
    else:                         # no joining: the letters one by one, right to left
        d.text((10, 10), line[::-1], font=font, fill=255)
    return ink(img)


def kivy_lines(label, n: int) -> list[Image.Image]:
    """The label's rendered texture cut into its n lines (equal bands: Kivy gives every line
    the same height), the ink of each, top to bottom. A band's first and last rows may hold
    the tips of the neighbouring lines' letters: rows with little ink at its edges are left
    out."""
    tex = label.texture
    alpha = Image.frombytes("RGBA", tex.size, tex.pixels).getchannel("A")
    w, h = alpha.size
    out = []
    for i in range(n):
        band = alpha.crop((0, h * i // n, w, h * (i + 1) // n)).point(lambda v: 255 if v > 128 else 0)
        per_row = [band.crop((0, y, w, y + 1)).histogram()[255] for y in range(band.height)]
        top = next(y for y, c in enumerate(per_row) if c > max(per_row) * 0.08)
        bottom = band.height - next(y for y, c in enumerate(reversed(per_row)) if c > max(per_row) * 0.08)
        out.append(ink(band.crop((0, top, w, bottom))))
    return out


@pytest.mark.skipif(not features.check("raqm"), reason="Pillow without raqm (HarfBuzz)")
def test_a_wrapped_arabic_label_is_joined_and_in_reading_order(ui):
    from kivy.core.text import Label as CoreLabel
    from kivy.uix.label import Label
    label = Label(text=TEXT, font_name="KioskSans", font_size=SIZE, text_size=(WIDTH, None),
                  halign="left", color=(0, 0, 0, 1))
    ui.screen().add_widget(label)
    drain(ui)
    ui.frames(3)
    label.texture_update()
    measure = CoreLabel(font_name="KioskSans", font_size=SIZE).get_extents
    logical = wrap(TEXT, WIDTH, lambda s: measure(s)[0])
    assert len(logical) == 3 and " ".join(logical) == TEXT     # three lines, nothing lost
    assert label.texture_size[1] < SIZE * 1.6 * 3          # three lines, not more
    drawn = kivy_lines(label, 3)
    shaped = [reference(line, True) for line in logical]
    for i, got in enumerate(drawn):
        scores = [similarity(got, ref) for ref in shaped]
        # each drawn line is HarfBuzz's shaping of the logical line in the same place ...
        assert scores[i] == max(scores) and scores[i] > 0.9, (i, scores)
        assert abs(got.width - shaped[i].width) <= 0.03 * shaped[i].width, i   # same length
        # ... and nearer to it than to the same letters unjoined
        assert scores[i] > similarity(got, reference(logical[i], False)) + 0.1, i
    assert label.text == TEXT             # the label keeps the logical text (speech, tests)
