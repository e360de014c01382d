"""Staff mode rules: PIN hashing, lockout with growing delays, the corner gesture, the
session time-out; local overrides written atomically and safe mode."""
import pytest

from kiosk.clock import FakeClock
from kiosk.config import ConfigError
from kiosk.config.local import LAST_GOOD, apply_changes, dumps, load_or_safe_mode, read_local
from kiosk.staff.gate import (CornerGesture, PinGate, StaffSession, hash_pin, valid_pin, verify_pin)
from kiosk.storage.store import Store


def test_pin_hash_is_salted_and_verifies():
    a, b = hash_pin("4321"), hash_pin("4321")
    assert a != b and a.startswith("scrypt$") and "4321" not in a
    assert verify_pin("4321", a) and not verify_pin("4322", a)
    assert not verify_pin("4321", "garbage") and not verify_pin("4321", "")


@pytest.mark.parametrize("pin,ok", [("4321", True), ("12345678", True), ("123", False),
                                    ("123456789", False), ("12a4", False), ("1111", False)])
def test_pin_rules(pin, ok):
    assert (valid_pin(pin) is None) == ok


def test_lockout_grows_and_survives_restart(tmp_path):
    clock = FakeClock()
    store = Store(tmp_path, clock=clock)
    gate = PinGate(hash_pin("2468"), clock, store)
    assert [gate.attempt("0000").tries_left for _ in range(4)] == [4, 3, 2, 1]
    r = gate.attempt("0000")  # the 5th wrong PIN locks for 30 s
    assert not r.ok and r.locked_for_s == 30
    assert gate.attempt("2468").ok is False  # even the right PIN waits
    clock.advance(30)
    r = gate.attempt("1111")
    assert r.locked_for_s == 60  # the next wrong one doubles
    gate2 = PinGate(hash_pin("2468"), clock, store)  # a restart does not reset the count
    assert gate2.locked_for() == 60  # locked again at the level reached
    clock.advance(61)
    assert gate2.attempt("2468").ok
    assert store.meta_get("staff_pin_failures") == "0"
    store.close()


def test_lock_is_capped():
    clock = FakeClock()
    gate = PinGate(hash_pin("2468"), clock)
    for _ in range(20):
        clock.advance(1000)
        r = gate.attempt("0000")
    assert r.locked_for_s == 900


def test_no_pin_configured_never_opens():
    gate = PinGate("", FakeClock())
    assert not gate.attempt("").ok and not gate.attempt("1234").ok


@pytest.mark.parametrize("corner,x,y", [("top-left", 10, 1910), ("top-right", 1070, 1910),
                                        ("bottom-left", 10, 10), ("bottom-right", 1070, 10)])
def test_gesture_five_taps_in_corner(corner, x, y):
    clock = FakeClock()
    g = CornerGesture(clock, corner=corner)
    hits = []
    for _ in range(5):
        hits.append(g.touch(x, y, 1080, 1920))
        clock.advance(0.5)
    assert hits == [False] * 4 + [True]


def test_gesture_too_slow_or_interrupted():
    clock = FakeClock()
    g = CornerGesture(clock)
    for _ in range(5):
        assert not g.touch(10, 1910, 1080, 1920)
        clock.advance(1.0)  # 5 taps over 4 s: never 5 within 3 s
    for _ in range(4):
        g.touch(10, 1910, 1080, 1920)
    g.touch(500, 900, 1080, 1920)  # a touch elsewhere starts over
    assert not g.touch(10, 1910, 1080, 1920)


def test_session_expires():
    clock = FakeClock()
    s = StaffSession(clock, 120)
    clock.advance(100)
    s.touch()
    clock.advance(100)
    assert not s.expired()
    clock.advance(20)
    assert s.expired()


def test_toml_writer_round_trips():
    import tomllib
    data = {"device": {"role": "home"}, "ui": {"languages": ["nl", "en"], "idle_timeout_s": 20.0},
            "feedback": {"reason_labels": {"parking": {"nl": "Parkeren", "en": "Parking"}}},
            "services": [{"id": "a", "prefix": "A", "names": {"nl": "Paspoort"}}], "x": True}
    assert tomllib.loads(dumps(data)) == data


def test_apply_changes_validates_before_writing(tmp_path):
    cfg, audit = apply_changes(None, tmp_path, {"ui.default_language": "en", "feedback.scale": 3})
    assert cfg.ui.default_language == "en" and cfg.feedback.scale == 3
    assert audit == [{"key": "ui.default_language", "old": None, "new": "en"},
                     {"key": "feedback.scale", "old": None, "new": 3}]
    with pytest.raises(ConfigError, match="feedback.scale: 9 is above the maximum"):
        apply_changes(None, tmp_path, {"feedback.scale": 9})
    assert read_local(tmp_path)["feedback"]["scale"] == 3  # the bad change was not saved
    assert not list(tmp_path.glob(".local.toml.tmp-*"))


def test_secret_changes_are_not_in_the_audit(tmp_path):
    _, audit = apply_changes(None, tmp_path, {"staff.pin_hash": hash_pin("2468")})
    assert audit == [{"key": "staff.pin_hash", "old": "(hidden)", "new": "(changed)"}]


def test_safe_mode_on_broken_overrides(tmp_path):
    apply_changes(None, tmp_path, {"ui.default_language": "en"})
    cfg, _, problems = load_or_safe_mode(None, tmp_path)
    assert problems == [] and (tmp_path / LAST_GOOD).exists()
    (tmp_path / "local.toml").write_bytes(b"\x00\xffbroken[[")
    cfg, _, problems = load_or_safe_mode(None, tmp_path)
    assert problems and "local.toml" in problems[0].render()
    assert cfg.ui.default_language == "en"  # the last good overrides still apply
    (tmp_path / "local.toml").write_text('[feedback]\nscale = 42\n')
    cfg, _, problems = load_or_safe_mode(None, tmp_path)
    assert "feedback.scale: 42 is above the maximum" in problems[0].render()
    assert cfg.feedback.scale == 5 and cfg.ui.default_language == "en"


def test_set_pin_command(tmp_path, monkeypatch, capsys):
    import io
    from kiosk.cli import main
    monkeypatch.setattr("sys.stdin", io.StringIO("1111\n"))
    assert main(["staff", "set-pin", "--stdin", "--data-dir", str(tmp_path)]) == 2
    assert "one repeated digit" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("2468\n"))
    assert main(["staff", "set-pin", "--stdin", "--data-dir", str(tmp_path)]) == 0
    assert verify_pin("2468", read_local(tmp_path)["staff"]["pin_hash"])
