"""Services and a config builder for the ticket tests (imported by name, not as
`conftest`, so they work whichever conftest pytest loaded first)."""
import testkit

SERVICES = [
    {"id": "passport", "prefix": "A", "names": {"nl": "Paspoort", "en": "Passport"},
     "pictogram": "passport", "wait_at": {"nl": "Wachtruimte B", "en": "Waiting area B"},
     "handling_minutes": 10, "desks_open": 2},
    {"id": "moving", "prefix": "C", "names": {"nl": "Verhuizen", "en": "Moving house"},
     "pictogram": "moving", "handling_minutes": 6, "desks_open": 1,
     "hours": ["mon-fri 09:00-12:30"]},
    {"id": "appointment", "prefix": "F", "names": {"nl": "Afspraak", "en": "Appointment"},
     "pictogram": "appointment", "needs_appointment": True},
]


def build_config(**sections):
    """A validated KioskConfig (services default to SERVICES)."""
    return testkit.build_config(SERVICES, **sections)
