"""Public-hall kiosk: plain-Python core (no Kivy import anywhere in this package)."""

__version__ = "0.1.0"
