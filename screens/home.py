"""The home menu (device role "home"): one big button per visitor function."""
from __future__ import annotations

from kivy.uix.screenmanager import Screen

from screens import widgets  # noqa: F401 - TopBar, BigButton
from screens.kvload import load_kv_for


class HomeScreen(Screen):
    pass


load_kv_for(__file__)
