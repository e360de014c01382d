"""Load each .kv file exactly once (a .kv loaded twice duplicates widgets)."""
from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder

_loaded: set[str] = set()


def load_kv_for(py_file: str) -> None:
    """Load the .kv next to a screen's .py file, once per process."""
    kv = str(Path(py_file).with_suffix(".kv"))
    if kv not in _loaded:
        Builder.load_file(kv)
        _loaded.add(kv)
