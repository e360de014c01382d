"""Kivy screens. Each screen is one .py + one .kv next to it; they bind to kiosk/ and devices/."""
