"""Run by the concurrency and crash tests as a separate process (not a test module).

  python ticket_worker.py burst DATA_DIR N GO_FILE   wait for GO_FILE, issue N tickets
  python ticket_worker.py stall DATA_DIR             issue one ticket, say its label, then
                                                     hang before printing (to be SIGKILLed)
Both run on a FakeClock at Monday 10:00 (testkit.MONDAY_10AM), as the tests reading their
tickets do, so the day never changes under them whatever the machine's clock says.
"""
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).parent), str(ROOT / "tests")]  # ticket_kit, testkit

from kiosk.clock import FakeClock  # noqa: E402
from kiosk.storage.store import Store  # noqa: E402
from kiosk.tickets.book import TicketBook  # noqa: E402
from testkit import MONDAY_10AM  # noqa: E402


def burst(data_dir: str, n: int, go: str) -> None:
    store = Store(data_dir, device_id="kiosk-test", clock=FakeClock(MONDAY_10AM))
    book = TicketBook(store)
    deadline = time.monotonic() + 30
    while not os.path.exists(go) and time.monotonic() < deadline:
        time.sleep(0.005)
    for _ in range(n):
        print(book.issue("passport", "A", "nl").label, flush=True)
    store.close()


def stall(data_dir: str) -> None:
    from ticket_kit import build_config
    from devices.printer_basic import DummyPrinter
    from kiosk.tickets.issue import TicketIssuer
    store = Store(data_dir, device_id="kiosk-test", clock=FakeClock(MONDAY_10AM))
    issuer = TicketIssuer(store, build_config(), printer=DummyPrinter(), clock=store.clock)
    result = issuer.issue("passport", "nl")
    print(result.ticket.label, flush=True)
    time.sleep(60)  # killed here: numbered and recorded, never printed
    issuer.print(result)


if __name__ == "__main__":
    if sys.argv[1] == "burst":
        burst(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        stall(sys.argv[2])
