"""Helpers of the tests of what a tap costs the Kivy thread (test_ui_tap_work.py,
test_ui_tap_ahead.py)."""
import tomllib
from pathlib import Path

from kiosk.config.loader import merge

ROOT = Path(__file__).resolve().parents[2]


def spy(monkeypatch, cls, name, record):
    """`record(obj, name)` on each call of cls.name, which still runs."""
    real = getattr(cls, name)

    def spied(self, *a, **kw):
        record(self, name)
        return real(self, *a, **kw)
    spied.__name__ = real.__name__
    monkeypatch.setattr(cls, name, spied)


def floorplan():
    site = tomllib.loads((ROOT / "config" / "example-floorplan.toml").read_text(encoding="utf-8"))
    site["devices"] = {"speech": {"url": ""}}
    return site


def hall(**ui):
    """The example site with its floor plan, on the start screen of all three functions."""
    site = tomllib.loads((ROOT / "config" / "example-site.toml").read_text(encoding="utf-8"))
    site = merge(site, floorplan())
    site["device"] = {**site.get("device", {}), "role": "home"}
    site["devices"] = {"printer": {"url": "dummy://?state=online"}, "speech": {"url": ""},
                       "scanner": {"url": "sim://"}}
    site["ui"] = {**site.get("ui", {}), **ui}
    return site
