"""Typed, layered TOML config. See kiosk/config/model.py for every key."""
from kiosk.config.loader import (LOCAL_OVERRIDES, VALIDATORS, ConfigError, check_file, load,
                                 read_layer, validate_layers)
from kiosk.config.model import KioskConfig
from kiosk.config.schema import Problem, describe, setting

__all__ = ["ConfigError", "KioskConfig", "LOCAL_OVERRIDES", "Problem", "VALIDATORS", "check_file",
           "describe", "load", "read_layer", "setting", "validate_layers"]
