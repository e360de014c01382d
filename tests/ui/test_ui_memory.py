"""What the kiosk keeps in memory once its screens are built (issue #19, bench/rss_probe.py)."""
import pytest

from kivy.uix.label import Label


@pytest.mark.parametrize("ui", [{"device": {"role": "home"}}], indirect=True, ids=["home"])
def test_labels_keep_their_pixels_in_the_texture_only(ui):
    """No label keeps the surface its text was drawn on (screens/label_pixels.py); the texture
    still holds the text's pixels."""
    ui.frames(120)   # the screens ahead are built, laid out and rendered
    rendered, kept = [], []
    for name, screen in ui.app._screens.items():
        for w in screen.walk(restrict=True):
            core = getattr(w, "_label", None)
            if isinstance(w, Label) and w.text.strip() and core is not None \
                    and core.texture is not None and core.texture is not core.texture_1px:
                w.texture.bind()   # its pixels are made now if a frame has not drawn it yet
                rendered.append(w)
                if core.__dict__.get("_surface") is not None:
                    kept.append(f"{name}: {w.text[:30]!r}")
    assert len(rendered) > 20
    assert kept == []
    title = next(w for w in ui.app.screen("home").walk() if isinstance(w, Label) and w.text.strip())
    pixels = title.texture.pixels   # RGBA read back from the texture
    assert any(pixels[i] for i in range(3, len(pixels), 4)), "the texture has no visible pixel"
