"""Site configs for the audio-guided, timing and large-text UI tests: the example site's
services and the example floor plan on one `home` device, with the keypad and the recording
speech device."""
from __future__ import annotations

import copy
import tomllib
from pathlib import Path

from audio_helpers import audio_site

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str) -> dict:
    return tomllib.loads((ROOT / "config" / name).read_text(encoding="utf-8"))


def full_site(printer: str = "dummy://?state=online", **ui) -> dict:
    """Home menu with feedback, tickets (services with desks on the plan) and wayfinding."""
    site, plan = _load("example-site.toml"), _load("example-floorplan.toml")
    cfg = {"device": {"role": "home"}, "services": copy.deepcopy(site["services"]),
           "tickets": copy.deepcopy(site["tickets"]), "wayfinding": copy.deepcopy(plan["wayfinding"]),
           "devices": {"printer": {"url": printer}, "scanner": {"url": "sim://"}}}
    cfg["tickets"]["qr_url"] = "https://wachtrij.example.nl/t/{token}"   # as with a central service
    if ui:
        cfg["ui"] = dict(ui)
    return audio_site(cfg)
