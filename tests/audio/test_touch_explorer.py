"""Explore-by-touch as a pure state machine: times are passed in, no clock is read."""
import pytest

from kiosk.audio.touch import Gesture, TouchExplorer


def touch(ex, item, at, held=0.1, lift_on=...):
    ex.down(item, at)
    return ex.up(item if lift_on is ... else lift_on, at + held)


def test_single_touch_speaks_double_tap_activates():
    ex = TouchExplorer(double_tap_s=0.5, long_press_s=2.0)
    assert touch(ex, "a", 10.0) == (Gesture.SPEAK, "a")
    assert touch(ex, "a", 10.4) == (Gesture.ACTIVATE, "a")      # down 0.3 s after the first up
    assert touch(ex, "a", 10.8) == (Gesture.SPEAK, "a")         # a third tap starts over


def test_window_is_measured_from_the_first_lift():
    ex = TouchExplorer(double_tap_s=0.5, long_press_s=2.0)
    touch(ex, "a", 0.0, held=0.3)                    # lifts at 0.3
    assert touch(ex, "a", 0.85) == (Gesture.SPEAK, "a")   # down 0.55 s after the lift: too late
    ex.reset()
    touch(ex, "a", 0.0, held=0.3)
    assert touch(ex, "a", 0.79) == (Gesture.ACTIVATE, "a")


def test_other_item_in_between_starts_over():
    ex = TouchExplorer()
    touch(ex, "a", 0.0)
    touch(ex, "b", 0.2)
    assert touch(ex, "a", 0.4) == (Gesture.SPEAK, "a")


def test_sliding_finger_speaks_where_it_ends_and_never_activates():
    ex = TouchExplorer()
    touch(ex, "a", 0.0)
    assert touch(ex, "a", 0.2, lift_on="b") == (Gesture.SPEAK, "b")
    assert touch(ex, "b", 0.3) == (Gesture.SPEAK, "b")


def test_long_press_anywhere():
    ex = TouchExplorer(long_press_s=2.0)
    ex.down(None, 5.0)
    assert not ex.long_press_due(6.9) and ex.long_press_due(7.0)
    assert ex.up(None, 7.1) == (Gesture.LONG_PRESS, None)
    assert touch(ex, "a", 8.0, held=2.0) == (Gesture.LONG_PRESS, None)
    assert touch(ex, None, 9.0) == (Gesture.NONE, None)
    assert ex.up("a", 10.0) == (Gesture.NONE, None)             # a lift without a down


def test_bad_windows_are_refused():
    with pytest.raises(ValueError):
        TouchExplorer(double_tap_s=3.0, long_press_s=2.0)
