"""The visitor session's timing (WCAG 2.2.1), without Kivy: a resettable screen warns at least
20 s before it resets, a touch or "more time" starts the time again, speech holds the reset,
and a screen's own idle time (the issued ticket's tickets.show_s) is honoured."""
from kiosk.appliance.core import Kiosk
from kiosk.session import MIN_WARN_S, Step
from testkit import build_config

import pytest


@pytest.fixture
def session(tmp_path, clock):
    k = Kiosk(build_config([]), data_dir=tmp_path / "data", clock=clock)
    yield k.session
    k.close()


def test_warning_at_least_20_s_before_the_reset(session, clock):
    assert session.warn_s >= MIN_WARN_S == 20
    clock.advance(session.idle_timeout_s - 0.5)
    assert session.countdown(may_reset=True) is None
    clock.advance(1)
    left = session.countdown(may_reset=True)
    assert left is not None and left >= 20
    assert session.tick(may_reset=True) is Step.NOTHING
    clock.advance(session.warn_s - 1)
    assert session.countdown(may_reset=True) == 1 and session.tick(may_reset=True) is Step.NOTHING
    clock.advance(0.6)
    assert session.tick(may_reset=True) is Step.RESET


def test_more_time_starts_again(session, clock):
    clock.advance(session.idle_timeout_s + 10)
    assert session.countdown(may_reset=True)
    session.more_time()
    assert session.countdown(may_reset=True) is None
    clock.advance(session.idle_timeout_s + session.warn_s - 1)
    assert session.tick(may_reset=True) is Step.NOTHING


def test_nothing_resets_while_speaking(session, clock):
    for _ in range(10):
        clock.advance(30)
        assert session.tick(may_reset=True, hold=True) is Step.NOTHING
    clock.advance(session.idle_timeout_s + session.warn_s + 0.1)
    assert session.tick(may_reset=True) is Step.RESET


def test_a_screens_own_idle_time(session, clock):
    clock.advance(session.idle_timeout_s + session.warn_s + 1)
    assert session.tick(may_reset=True, timeout_s=60) is Step.NOTHING
    assert session.countdown(may_reset=True, timeout_s=60) is None
    clock.advance(30)     # 66 s idle: 60 s, then the warning
    assert session.countdown(may_reset=True, timeout_s=60) == 14


def test_warn_s_below_20_is_raised_to_20(tmp_path, clock):
    from kiosk.session import VisitorSession
    k = Kiosk(build_config([]), data_dir=tmp_path / "data", clock=clock)
    try:
        assert VisitorSession(k.flow, 15, warn_s=5).warn_s == 20
    finally:
        k.close()


def test_audio_mode_ends_on_the_start_screen_too(session, clock):
    """The next visitor must not find the kiosk in audio mode (a tap would only speak)."""
    session.set_audio(True)
    clock.advance(session.idle_timeout_s + 1)
    assert session.countdown(may_reset=False) is not None         # warned first
    assert session.tick(may_reset=False) is Step.NOTHING and session.audio
    clock.advance(session.warn_s)
    assert session.tick(may_reset=False) is Step.RESET and not session.audio
    clock.advance(1000)
    assert session.tick(may_reset=False) is Step.NOTHING          # no audio: nothing to reset
