"""Every text/background pair the theme defines reaches 4.5:1; graphics 3:1."""
import pytest

from kiosk.theme import FACE_FILLS, GRAPHIC_PAIRS, PALETTES, TEXT_PAIRS, contrast

CASES = [(p, fg, bg) for p in PALETTES for fg, bg in TEXT_PAIRS]


@pytest.mark.parametrize("palette,fg,bg", CASES)
def test_text_contrast(palette, fg, bg):
    pal = PALETTES[palette]
    assert contrast(pal[fg], pal[bg]) >= 4.5, f"{palette}: {fg} on {bg}"


@pytest.mark.parametrize("palette,fg,bg", [(p, f, b) for p in PALETTES for f, b in GRAPHIC_PAIRS])
def test_graphic_contrast(palette, fg, bg):
    pal = PALETTES[palette]
    assert contrast(pal[fg], pal[bg]) >= 3.0


@pytest.mark.parametrize("word", list(FACE_FILLS))
def test_face_features_visible_on_every_fill(word):
    for pal in PALETTES.values():
        assert contrast(pal["face_line"], FACE_FILLS[word]) >= 3.0


def test_contrast_formula_known_values():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    assert contrast("#123456", "#123456") == pytest.approx(1.0)


def test_every_palette_has_the_same_names():
    names = {frozenset(p) for p in PALETTES.values()}
    assert len(names) == 1
