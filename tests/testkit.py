"""Helpers more than one test folder uses; tests/conftest.py puts tests/ on sys.path, so
`from testkit import build_config` works from any test module or worker script."""
import copy
import datetime as dt

# Monday 2 March 2026, 10:00 in Amsterdam (09:00 UTC): the fake clock's start
MONDAY_10AM = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)
# Sunday 1 March 2026, 03:00 in Amsterdam (02:00 UTC): every service with hours is closed
SUNDAY_3AM = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.timezone.utc)
# Tuesday 3 March 2026, 10:00 in Amsterdam (09:00 UTC): open
TUESDAY_10AM = dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.timezone.utc)


def pin_system_clock(monkeypatch, when: dt.datetime = SUNDAY_3AM) -> None:
    """Make every SystemClock in this process read `when` as the wall time (its monotonic
    reading stays real). Tests that inject a FakeClock use this to prove that nothing falls
    back to the machine's clock: such code sees a closed hall on another day and fails,
    whatever the machine's date, time or time zone."""
    from kiosk.clock import SystemClock
    monkeypatch.setattr(SystemClock, "wall", lambda self: when)


def build_config(services: list[dict], **sections):
    """A validated KioskConfig from TOML-like dicts, as the loader makes it."""
    from kiosk.config.loader import Layer, validate_layers
    data = {"services": copy.deepcopy(services)}
    data.update(copy.deepcopy(sections))
    cfg, _ = validate_layers([Layer("test.toml", data)])
    return cfg
