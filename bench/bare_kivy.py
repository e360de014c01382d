"""Baseline for the cold-start benchmark: a bare Kivy window of the same size that
logs when its first frame is drawn, the same way `kiosk run` does."""
import os
import sys

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_FILELOG", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")  # as `kiosk run` does
from kivy.config import Config  # noqa: E402

Config.set("graphics", "width", sys.argv[1] if len(sys.argv) > 1 else "1080")
Config.set("graphics", "height", sys.argv[2] if len(sys.argv) > 2 else "1920")
from kivy.app import App  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.uix.widget import Widget  # noqa: E402


class Bare(App):
    def build(self):
        return Widget()


def first(*_):
    Window.unbind(on_flip=first)
    os.write(2, b"first frame drawn\n")


Window.bind(on_flip=first)
Bare().run()
