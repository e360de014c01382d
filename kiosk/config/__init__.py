"""Typed, layered TOML config. See kiosk/config/model.py for every key.

The names below are imported on first use (PEP 562), so that importing the model alone
(`kiosk run` with a cached config, kiosk/config/cache.py) does not load the TOML parser,
the loader or the checks.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "ConfigError": "kiosk.config.loader", "LOCAL_OVERRIDES": "kiosk.config.paths",
    "check_file": "kiosk.config.loader",
    "load": "kiosk.config.loader", "read_layer": "kiosk.config.loader",
    "validate_layers": "kiosk.config.loader", "KioskConfig": "kiosk.config.model",
    "Problem": "common.schema", "describe": "common.schema",
    "setting": "common.schema",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kiosk.config' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
