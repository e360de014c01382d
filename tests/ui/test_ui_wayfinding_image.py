"""Wayfinding map with a floor's background image (headless, screenshot under build/)."""
import copy
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = tomllib.loads((ROOT / "config" / "example-floorplan.toml").read_text(encoding="utf-8"))
SITE["devices"] = {"speech": {"url": ""}}


FLOOR_IMAGE = ROOT / "build" / "test-assets" / "wayfinding-floor0.png"


def _site_with_image() -> dict:
    site = copy.deepcopy(SITE)
    floor = site["wayfinding"]["floors"][0]
    floor.update(image=str(FLOOR_IMAGE), image_scale=0.1, image_origin=[0, 0])
    return site


@pytest.fixture(scope="module")
def floor_image():
    """A 400 x 220 px drawing of the ground floor (0.1 m per pixel): 40 x 22 m."""
    from PIL import Image, ImageDraw
    FLOOR_IMAGE.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new("RGB", (400, 220), "#dfe8f0")
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, 0, 399, 219], outline="#333333", width=4)
    draw.rectangle([180, 180, 220, 219], fill="#9fb7cc")  # the entrance hall (image y runs down)
    img.save(FLOOR_IMAGE)
    return FLOOR_IMAGE


@pytest.mark.parametrize("ui", [_site_with_image()], indirect=True)
def test_floor_image_is_drawn_under_the_route(floor_image, ui):
    ui.tap(ui.screen().button("desk-1"))
    m = ui.screen()
    ui.frames(3)
    src, x, y, zoom, angle = m.ids.map.drawing.image
    assert src == str(floor_image) and angle == 0
    assert (x, y) == pytest.approx(m.ids.map.drawing.outline[:2])  # image corner = plan (0, 0)
    assert zoom == pytest.approx(0.1 * (m.ids.map.drawing.outline[2] - m.ids.map.drawing.outline[0]) / 40)
    assert ui.screenshot("floor-image").exists()
