"""Test before save, enforced by the core (kiosk.staff.desk.StaffDesk) without any screen: a
printer or central-service change is saved only after a successful test with exactly those
values; other settings need no test."""
import pytest

from kiosk.appliance.core import Kiosk
from testkit import build_config


@pytest.fixture
def core(tmp_path, clock):
    k = Kiosk(build_config([]), data_dir=tmp_path / "data", clock=clock)
    yield k
    k.close()


def test_untested_printer_save_is_refused_by_the_core(core):
    staff = core.staff
    change = {"devices.printer.url": "dummy://", "devices.printer.profile": "TM-T20II"}
    res = staff.save(change)
    assert not res.ok
    assert "devices.printer.url" in res.message and "test print" in res.message
    assert core.cfg.devices.printer.url == ""
    assert staff.test_printer("dummy://", "TM-T20II", "test").ok
    assert not staff.save({**change, "devices.printer.profile": "default"}).ok  # not what was tested
    heard = []
    core.on_config(heard.append)
    res = staff.save(change)
    assert res.ok, res.message
    assert core.cfg.devices.printer.url == "dummy://" and heard == [core.cfg]
    assert "config.changed" in [e.type for e in core.store.outbox_events()]


def test_a_failed_test_counts_for_nothing(core):
    staff = core.staff
    assert staff.test_printer("dummy://", "TM-T20II", "x").ok
    assert not staff.test_printer("dummy://?state=paper_out", "TM-T20II", "x").ok
    assert not staff.save({"devices.printer.url": "dummy://",
                           "devices.printer.profile": "TM-T20II"}).ok


def test_untested_central_save_is_refused_and_other_settings_need_no_test(core):
    staff = core.staff
    assert not staff.test_central("http://127.0.0.1:9/", "secret").ok   # nothing listens there
    res = staff.save({"sync.url": "http://127.0.0.1:9/", "sync.token": "secret"})
    assert not res.ok and "sync.url" in res.message and "central service" in res.message
    assert staff.save({"ui.default_language": "en"}).ok
    assert core.session.default_language == "en"


def test_saving_tested_settings_unchanged_needs_no_test(core):
    cfg = core.cfg
    assert core.staff.save({"devices.printer.url": cfg.devices.printer.url,
                            "devices.printer.profile": cfg.devices.printer.profile}).ok


def test_the_desk_alone_refuses_an_untested_printer(tmp_path, clock):
    from kiosk.staff.desk import StaffDesk
    from kiosk.storage.store import Store
    cfg = build_config([])
    with Store(tmp_path / "data", clock=clock) as store:
        saved = []
        desk = StaffDesk(store, clock, lambda: cfg, on_saved=lambda c, ch: saved.append(ch))
        res = desk.save({"devices.printer.url": "dummy://"})
        assert not res.ok and "devices.printer.profile" in res.message
        assert not (tmp_path / "data" / "local.toml").exists() and saved == []
