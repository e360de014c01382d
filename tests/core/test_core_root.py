"""The composition root (kiosk.appliance.core.Kiosk) without Kivy: what it opens and when, the
order it closes things in, the ticket service from tap to paper (and the fallback when paper
runs out) and the visitor session's idle reset. Test-before-save: tests/staff/test_staff_desk.py."""
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.appliance.core import Kiosk
from kiosk.session import Step
from kiosk.storage.store import Store
from testkit import build_config

ROOT = Path(__file__).resolve().parents[2]
SERVICES = [{"id": "passport", "prefix": "A", "names": {"nl": "Paspoort", "en": "Passport"},
             "pictogram": "passport"}]


def config(**sections):
    return build_config(SERVICES, **sections)


@pytest.fixture
def core(tmp_path, clock):
    k = Kiosk(config(), data_dir=tmp_path / "data", clock=clock)
    yield k
    k.close()


class Heard:
    """Records what the ticket service tells its listeners (on its worker threads)."""

    def __init__(self):
        self.items = []
        self.cond = threading.Condition()

    def __call__(self, name, value):
        with self.cond:
            self.items.append((name, value))
            self.cond.notify_all()

    def wait_for(self, name, value=None, timeout=20.0):
        def seen():
            return any(n == name and (value is None or v == value) for n, v in self.items)
        with self.cond:
            assert self.cond.wait_for(seen, timeout), (name, value, self.items)

    def last(self, name):
        return [v for n, v in self.items if n == name][-1]


def test_building_the_core_opens_no_device_and_loads_nothing_heavy(tmp_path):
    code = ("import sys; from kiosk.appliance.core import Kiosk; from testkit import build_config;"
            f"k = Kiosk(build_config([]), data_dir={str(tmp_path / 'd')!r}, simulate=True);"
            "heavy = [m for m in ('kivy', 'requests', 'escpos', 'kiosk.wayfinding.routing',"
            " 'kiosk.sync.worker', 'devices.printer_sim', 'devices.speech') if m in sys.modules];"
            "print(heavy, [k.devices.get(d) for d in ('printer', 'scanner', 'speech', 'buttons')]);"
            "k.close()")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         cwd=ROOT, env=dict(os.environ, PYTHONPATH=f"{ROOT}/tests:{ROOT}"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[] [None, None, None, None]"


def test_each_device_is_opened_once_and_shared(tmp_path, clock, monkeypatch):
    import devices.factory as factory
    opened = []
    real = factory.open_device

    def spy(kind, url, **options):
        opened.append(kind)
        threads.add(threading.current_thread().name)
        return real(kind, url, **options)
    threads = set()
    monkeypatch.setattr(factory, "open_device", spy)
    cfg = config(devices={"printer": {"url": "dummy://"}, "speech": {"url": "dummy://"},
                          "scanner": {"url": ""}})
    k = Kiosk(cfg, data_dir=tmp_path / "data", clock=clock)
    try:
        svc = k.tickets
        assert k.tickets is svc                         # started once
        assert svc.flush()
        assert threading.current_thread().name not in threads   # opened on the ticket worker
        assert k.speech() is svc.speech is k.devices.get("speech")
        assert k.devices.open("printer") is svc.printer
        assert k.open_buttons(lambda d: None) is None   # none configured: not tried again
        assert sorted(opened) == ["printer", "speech"]
    finally:
        k.close()
    assert k.devices.get("printer") is None and k.devices.get("speech") is None


def test_close_is_ordered_and_idempotent(tmp_path, clock):
    k = Kiosk(config(devices={"printer": {"url": "dummy://"}}), data_dir=tmp_path / "data",
              clock=clock).start()
    k.tickets.flush(10)
    order = []

    def spy(name, fn):
        def wrapped(*a, **kw):
            order.append(name)
            return fn(*a, **kw)
        return wrapped
    k.tickets.close = spy("tickets", k.tickets.close)
    k.devices.close = spy("devices", k.devices.close)
    k.flow.shutdown = spy("open answer", k.flow.shutdown)
    k.writer.close = spy("writer", k.writer.close)
    k.store.close = spy("store", k.store.close)
    k.close()
    k.close()
    assert order == ["tickets", "devices", "open answer", "writer", "store"]


def test_open_answer_is_recorded_and_written_before_the_store_closes(tmp_path, clock):
    k = Kiosk(config(), data_dir=tmp_path / "data", clock=clock).start()
    assert k.flow.answer(2).value == "accepted"
    clock.advance(3)
    k.close()
    with Store(tmp_path / "data") as s:
        rows = s.query("SELECT state, ended_by, answer FROM feedback")
    assert [tuple(r) for r in rows] == [("closed", "shutdown", 2)]


def test_a_store_handed_in_stays_open_and_nothing_starts_after_close(tmp_path, clock):
    store = Store(tmp_path / "data", clock=clock)
    k = Kiosk(config(), store=store, clock=clock)
    k.close()
    assert store.query("SELECT 1 AS one")[0]["one"] == 1
    with pytest.raises(RuntimeError, match="closed"):
        k.tickets                                        # nothing new starts after close
    store.close()


def sim_printer_config():
    """The simulated printer (a pty simulator in this process) and no other device: the
    scanner simulator does not close under libfaketime (shared/tools/clock_diff.sh)."""
    return config(devices={"printer": {"url": "sim://"}})


def test_ticket_issued_then_printed_on_the_simulated_printer(tmp_path, clock):
    k = Kiosk(sim_printer_config(), data_dir=tmp_path / "data", clock=clock)
    try:
        heard = Heard()
        svc = k.tickets
        svc.listen(heard)
        assert svc.take("passport", "en")
        assert not svc.take("passport", "en")        # busy: one tap, one ticket
        heard.wait_for("issued")
        assert heard.last("issued").ticket.label == "A001"
        heard.wait_for("print_status", "printed")
        names = [n for n, _ in heard.items]
        assert names.index("print_status") < names.index("issued")   # "printing" first
        assert heard.items[names.index("print_status")] == ("print_status", "printing")
        sim = svc.printer.simulator
        assert any(b"A001" in job for job in sim.jobs)
        types = [e.type for e in k.store.outbox_events()]
        assert "ticket.issued" in types and "ticket.printed" in types
    finally:
        k.close()


def test_the_next_tickets_qr_is_made_while_the_visitor_chooses_and_used_once(tmp_path, clock, monkeypatch):
    """The ticket screens ask for the next QR ahead (TicketService.draw_ahead): the tap then
    makes none, and the QR it shows is the one of the ticket's own token. Without one drawn
    ahead the tap makes it, for its own token."""
    import kiosk.tickets.render as render
    real = render.qr_png
    made = []
    monkeypatch.setattr(render, "qr_png", lambda url: made.append(url) or real(url))
    k = Kiosk(config(devices={"printer": {"url": "dummy://"}},
                     tickets={"qr_url": "https://kiosk.example.org/t/{token}"}),
              data_dir=tmp_path / "data", clock=clock)
    try:
        heard = Heard()
        svc = k.tickets
        svc.listen(heard)
        svc.draw_ahead()
        assert svc.worker.flush(10)
        assert len(made) == 1          # made before the tap
        assert svc.take("passport", "en")
        heard.wait_for("issued")
        first = heard.last("issued")
        assert len(made) == 1          # the tap made none
        assert first.content.qr_url == made[0] == f"https://kiosk.example.org/t/{first.ticket.token}"
        assert heard.last("qr_png") == real(first.content.qr_url)
        clock.advance(60)              # past the double-tap interval: a new ticket
        heard.wait_for("busy", False)
        assert svc.take("passport", "en")
        heard.wait_for("issued", None)
        assert svc.worker.flush(10)
        second = heard.last("issued")
        assert second.ticket.label == "A002" and second.ticket.token != first.ticket.token
        assert made[1:] == [second.content.qr_url]   # none ahead: made at the tap, its own token
        assert heard.last("qr_png") == real(second.content.qr_url)
    finally:
        k.close()


def out_of_paper(k):
    """The kiosk's ticket service, heard, with its simulated printer just run out of paper (the
    service does not know it yet)."""
    heard = Heard()
    svc = k.tickets
    svc.listen(heard)
    svc.flush(10)
    svc.printer.simulator.state = "paper_out"
    return svc, heard


def test_a_printer_known_to_be_out_of_paper_shows_the_fallback_from_the_first_frame(tmp_path, clock):
    """When the printer already said it cannot print, the issued ticket comes with "failed" (the
    QR to photograph) at once, not "printing" first: the screen is drawn once, complete."""
    k = Kiosk(sim_printer_config(), data_dir=tmp_path / "data", clock=clock)
    try:
        svc, heard = out_of_paper(k)
        assert svc.take("passport", "nl")           # the first try finds out
        heard.wait_for("paper_ok", False)
        svc.done()
        clock.advance(120)                            # a new visitor, not a repeated tap
        heard.items.clear()
        assert svc.take("passport", "nl")
        heard.wait_for("issued")
        statuses = [v for n, v in heard.items if n == "print_status"]
        assert statuses[0] == "failed", statuses
        assert heard.last("issued").ticket.label == "A002"
    finally:
        k.close()


def test_paper_out_falls_back_to_the_screen(tmp_path, clock):
    k = Kiosk(sim_printer_config(), data_dir=tmp_path / "data", clock=clock)
    try:
        svc, heard = out_of_paper(k)
        assert svc.take("passport", "nl")
        heard.wait_for("print_status", "failed")
        assert heard.last("issued").ticket.label == "A001"   # the number stands
        heard.wait_for("paper_ok", False)
        assert svc.paper_ok is False and svc.result.ticket.label == "A001"
        assert "ticket.print_failed" in [e.type for e in k.store.outbox_events()]
        assert k.printer_state_text() == "paper_out"
    finally:
        k.close()


def test_service_closed_now_follows_the_injected_clock(tmp_path, clock):
    services = [dict(SERVICES[0], hours=["mon-fri 09:00-12:30"])]
    k = Kiosk(build_config(services), data_dir=tmp_path / "data", clock=clock)
    try:
        heard = Heard()
        svc = k.tickets
        svc.listen(heard)
        svc.take("passport", "nl")                     # Monday 10:00: open
        heard.wait_for("issued")
        clock.advance(6 * 3600)                        # Monday 16:00: closed
        svc.take("passport", "nl")
        heard.wait_for("message", "tickets.closed")
    finally:
        k.close()


def test_idle_session_resets_for_the_next_visitor(core, clock):
    s = core.session
    changes = []
    s.listen(lambda sess: changes.append((sess.language, sess.accessible, sess.audio)))
    s.set_language("en")
    s.set_accessible(True)   # (audio mode: warned 20 s first, tests/core/test_session_timing.py)
    clock.advance(core.cfg.ui.idle_timeout_s + 0.5)
    assert s.tick(may_reset=True) is Step.NOTHING
    assert s.countdown() == int(core.cfg.ui.warn_s)      # warned 20 s before (WCAG 2.2.1)
    clock.advance(core.cfg.ui.warn_s)
    assert s.tick(may_reset=False) is Step.FLOW          # the visitor's choices time out anyway
    assert (s.language, s.accessible, s.audio) == ("nl", False, False)
    assert changes[-1] == ("nl", False, False)


def test_idle_elsewhere_resets_only_where_the_ui_allows(core, clock):
    s = core.session
    clock.advance(core.cfg.ui.idle_timeout_s + 1)
    assert s.tick(may_reset=False) is Step.NOTHING       # e.g. on the start screen
    assert s.tick(may_reset=True) is Step.NOTHING        # the warning first (WCAG 2.2.1) ...
    clock.advance(core.cfg.ui.warn_s)
    assert s.tick(may_reset=True) is Step.RESET          # ... then the reset
    s.touch()
    assert s.tick(may_reset=True) is Step.NOTHING


def test_sync_starts_once_and_stops_with_the_core(core):
    t = threading.Thread(target=core.start_sync)
    t.start()
    t.join(30)
    worker = core.sync
    assert worker is not None
    core.start_sync()
    assert core.sync is worker
    assert "kiosk-sync" in [th.name for th in threading.enumerate()]
    core.close()
    assert "kiosk-sync" not in [th.name for th in threading.enumerate() if th.is_alive()]
    core.start_sync()                                    # after close: nothing starts
    assert core.sync is worker
