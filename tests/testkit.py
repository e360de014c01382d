"""Helpers more than one test folder uses; tests/conftest.py puts tests/ on sys.path, so
`from testkit import build_config` works from any test module or worker script."""
import copy
import datetime as dt

# Monday 2 March 2026, 10:00 in Amsterdam (09:00 UTC): the fake clock's start
MONDAY_10AM = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


def build_config(services: list[dict], **sections):
    """A validated KioskConfig from TOML-like dicts, as the loader makes it."""
    from kiosk.config.loader import Layer, validate_layers
    data = {"services": copy.deepcopy(services)}
    data.update(copy.deepcopy(sections))
    cfg, _ = validate_layers([Layer("test.toml", data)])
    return cfg
