"""Kiosk mode (`ui.fullscreen = true`): real SDL key events (Alt+F4, Ctrl+C, Ctrl+Q, Escape)
and an SDL quit request (what a window manager sends for Alt+F4) go through the real
`kiosk run` main loop and the app keeps running; SIGTERM still stops it cleanly.
Without kiosk mode the same quit request closes the app, as on a developer's desktop."""
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from appliance_helpers import Proc, driver_argv, kiosk_env  # noqa: E402


def _site(tmp_path, fullscreen: bool) -> str:
    site = tmp_path / "site.toml"
    site.write_text(f"[ui]\nfullscreen = {'true' if fullscreen else 'false'}\n")
    return str(site)


def test_kiosk_mode_refuses_keyboard_exits_and_close(tmp_path):
    argv = driver_argv("sdl-events", kiosk_args=("run", "--simulate", "--config",
                                                 _site(tmp_path, True)))
    proc = Proc(argv, kiosk_env(tmp_path))
    try:
        proc.wait_for("PUSHED")
        alive = proc.wait_for("ALIVE refused=")
        # 4 key combinations + 1 close request refused; SDL's own state: no screensaver,
        # no cursor; Kivy's window fullscreen and without decorations
        assert alive.split() == ["ALIVE", "refused=5", "screensaver=0", "cursor=0",
                                 "fullscreen=auto", "borderless=True"]
        assert proc.p.poll() is None
        assert proc.stop(signal.SIGTERM) == 0
    finally:
        proc.kill()
    out = proc.output()
    for combo in ("Alt+F4", "Ctrl+C", "Ctrl+Q", "Escape"):
        assert f"kiosk mode: {combo} ignored" in out
    assert "request to close the window refused" in out
    assert "kiosk stopped" in out
    assert "Traceback" not in out


def test_without_kiosk_mode_a_close_request_ends_the_app(tmp_path):
    argv = driver_argv("sdl-events", kiosk_args=("run", "--simulate", "--config",
                                                 _site(tmp_path, False)))
    proc = Proc(argv, kiosk_env(tmp_path))
    try:
        proc.wait_for("PUSHED")
        assert proc.p.wait(30) == 0  # closed by the SDL quit event alone, no signal sent
    finally:
        proc.kill()
    out = proc.output()
    assert "ALIVE" not in out
    assert "kiosk mode" not in out
    assert "kiosk stopped" in out
