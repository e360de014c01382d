"""Helpers for audio-guided UI tests: a blind visitor's test presses keypad keys (the sim://
keypad) and reads only what the kiosk said (the dummy:// speech log), never the screen."""
from __future__ import annotations

AUDIO_DEVICES = {"keypad": {"url": "sim://"}, "speech": {"url": "dummy://"}}


def audio_site(base: dict | None = None, **sections) -> dict:
    """A site config with the keypad and the recording speech device added."""
    cfg = {k: (dict(v) if isinstance(v, dict) else v) for k, v in (base or {}).items()}
    cfg.update(sections)
    cfg["devices"] = {**cfg.get("devices", {}), **AUDIO_DEVICES}
    return cfg


def speech(ui):
    return ui.app.core.speech()


def log(ui) -> list[tuple[str, str]]:
    """Everything said since the app started (the dummy device keeps only its last few): the
    device's own log, and from the first look on every later utterance too."""
    sp = speech(ui)
    if not hasattr(sp, "test_log"):
        sp.test_log = list(sp.said)
        say = sp.say

        def logged(text, lang, *a, **kw):
            sp.test_log.append((text, lang))
            return say(text, lang, *a, **kw)
        sp.say = logged
    return sp.test_log


def said(ui) -> list[str]:
    return [text for text, _lang in log(ui)]


def said_langs(ui) -> list[str]:
    return [lang for _text, lang in log(ui)]


def heard(ui, mark: int = 0) -> str:
    """Everything said since `mark` (a length of the log), as one text."""
    return " ".join(said(ui)[mark:])


def key(ui, name: str, times: int = 1, drain=None):
    """Press a keypad key; the key reaches the guide on the Kivy thread."""
    log(ui)
    pad = ui.app.core.devices.get("keypad")
    assert pad is not None, "no keypad opened"
    for _ in range(times):
        pad.press(name)
        ui.frames(2)
        if drain is not None:
            drain(ui)
        ui.settle()


def focus_to(ui, label: str, max_steps: int = 80, drain=None) -> str:
    """Press "down" until the item said starts with `label` (as a blind visitor listens);
    returns what was said for it."""
    for _ in range(max_steps):
        key(ui, "down", drain=drain)
        last = said(ui)[-1]
        if last.startswith(label + ",") or last.startswith(label + "."):
            return last
    raise AssertionError(f"never heard {label!r}; last said: {said(ui)[-3:]}")


def choose(ui, label: str, drain=None) -> str:
    """Move the focus to `label` and select it."""
    text = focus_to(ui, label, drain=drain)
    key(ui, "select", drain=drain)
    return text


def hidden_by_opacity(widget) -> bool:
    """Is the widget or one of its parents fully transparent (a button kept in its place)?"""
    from kivy.core.window import Window
    node = widget
    while node is not None and node is not Window:
        if getattr(node, "opacity", 1) == 0:
            return True
        node = node.parent
    return False
