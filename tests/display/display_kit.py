"""Services and a config builder for the hall display and live-wait tests (imported by name, not as
`conftest`, so they work whichever conftest pytest loaded first)."""
import testkit
from queue_server import TOKEN

SERVICES = [
    {"id": "passport", "prefix": "A", "names": {"nl": "Paspoort", "en": "Passport"},
     "handling_minutes": 10, "desks_open": 2},
    {"id": "moving", "prefix": "C", "names": {"nl": "Verhuizen", "en": "Moving house"},
     "handling_minutes": 6, "desks_open": 1},
]


def build_config(**sections):
    """A validated KioskConfig (services default to SERVICES)."""
    return testkit.build_config(SERVICES, **sections)


def sync_table(server, **extra):
    return {"url": server.url, "token": TOKEN, **extra}
