"""Colours and sizes, as data (no Kivy), so tests can check every contrast pair.

Two palettes: the default and high contrast (the large-text / high-contrast toggle).
`TEXT_PAIRS` lists every (text colour, background colour) the screens use; the test
suite checks each is at least 4.5:1 (WCAG 1.4.3). `GRAPHIC_PAIRS` are non-text
parts (face outlines, focus borders) that must reach 3:1 (WCAG 1.4.11).
"""
from __future__ import annotations

PALETTES: dict[str, dict[str, str]] = {
    "default": {
        "bg": "#F4F6F8",          # screen background
        "panel": "#FFFFFF",       # cards, buttons
        "text": "#1B1F24",
        "text_muted": "#4A5360",
        "primary": "#0B4F8A",     # primary button background
        "on_primary": "#FFFFFF",
        "selected": "#0B4F8A",    # chosen reason background
        "on_selected": "#FFFFFF",
        "bar": "#1B1F24",         # top bar
        "on_bar": "#FFFFFF",
        "warn": "#8A3B00",        # countdown text
        "face_line": "#1B1F24",   # eyes and mouth on the faces
        "outline": "#4A5360",     # button borders
    },
    "high_contrast": {
        "bg": "#000000",
        "panel": "#000000",
        "text": "#FFFFFF",
        "text_muted": "#FFFF00",
        "primary": "#FFFF00",
        "on_primary": "#000000",
        "selected": "#FFFF00",
        "on_selected": "#000000",
        "bar": "#000000",
        "on_bar": "#FFFFFF",
        "warn": "#FFFF00",
        "face_line": "#000000",
        "outline": "#FFFFFF",
    },
}

# Face fills worst -> best; text never sits on them (the word is below the face).
FACE_FILLS = {
    "very_bad": "#E0433A", "bad": "#F08A3C", "neutral": "#F5C842", "good": "#8CC63F",
    "very_good": "#2FA84F",
}

TEXT_PAIRS = [
    ("text", "bg"), ("text", "panel"), ("text_muted", "bg"), ("text_muted", "panel"),
    ("on_primary", "primary"), ("on_selected", "selected"), ("on_bar", "bar"), ("warn", "bg"),
    ("warn", "panel"), ("bg", "warn"),  # the hall display's "connection lost" banner
]
GRAPHIC_PAIRS = [("outline", "bg"), ("outline", "panel")]

# Font sizes as a share of the shorter window side; large-text mode multiplies them.
FONT = {"huge": 0.085, "title": 0.062, "body": 0.045, "small": 0.036}
LARGE_TEXT_FACTOR = 1.35
MIN_TARGET_MM = 9.0
MIN_TARGET_PX = 60  # at least this, whatever the panel's DPI


def hex_to_rgba(h: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    h = h.lstrip("#")
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255, alpha)


def _lin(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(h: str) -> float:
    r, g, b, _ = hex_to_rgba(h)
    return 0.2126 * _lin(r) + 0.7152 * _lin(g) + 0.0722 * _lin(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def min_target_px(dpi: float) -> float:
    return max(MIN_TARGET_PX, MIN_TARGET_MM / 25.4 * dpi)
