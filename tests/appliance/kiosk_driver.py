"""Runs the real `kiosk run` (screens.main.main, the `kiosk` command) in this process with one test action
scheduled on the Kivy clock. Used by the appliance tests as a subprocess:

  python kiosk_driver.py freeze RELEASE_FILE -- run --simulate
      after the first frame, block the Kivy main loop (on its own thread, like a hung
      screen would) until RELEASE_FILE exists; prints FREEZE begin / FREEZE end
  python kiosk_driver.py sdl-events -- run --simulate [--config FILE]
      after the first frame, push real SDL events into SDL's queue (Alt+F4, Ctrl+C,
      Ctrl+Q, Escape key presses, then an SDL_QUIT as a window manager sends it), let the
      loop handle them, then print ALIVE refused=N and SDL's screensaver and cursor state

Nothing here changes the app: the actions only use Kivy's clock and SDL's event queue.
"""
import ctypes
import re
import struct
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SDL_QUIT, SDL_KEYDOWN, SDL_KEYUP = 0x100, 0x300, 0x301
KMOD_NONE, KMOD_LCTRL, KMOD_LALT = 0x0000, 0x0040, 0x0100
# (scancode, keycode) pairs from SDL_scancode.h / SDL_keycode.h
F4 = (61, (1 << 30) | 61)
C, Q, ESC = (6, ord("c")), (20, ord("q")), (41, 27)


def say(text: str) -> None:
    print(text, flush=True)


def _sdl():
    maps = Path("/proc/self/maps").read_text()
    m = re.search(r"(/\S*/libSDL2-2[.-][^/\s]*\.so[^/\s]*)", maps)
    if not m:
        raise RuntimeError("libSDL2 is not loaded in this process")
    lib = ctypes.CDLL(m.group(1))
    lib.SDL_PushEvent.argtypes = [ctypes.c_void_p]
    lib.SDL_PushEvent.restype = ctypes.c_int
    return lib


def _push(lib, etype: int, key=None, mod: int = 0) -> None:
    buf = ctypes.create_string_buffer(56)  # sizeof(SDL_Event)
    struct.pack_into("<I", buf, 0, etype)
    if key is not None:
        scancode, sym = key
        struct.pack_into("<BB", buf, 12, 1 if etype == SDL_KEYDOWN else 0, 0)
        struct.pack_into("<iiH", buf, 16, scancode, sym, mod)
    if lib.SDL_PushEvent(ctypes.addressof(buf)) != 1:
        raise RuntimeError("SDL_PushEvent failed")


def action_freeze(release: Path):
    def freeze(_dt):
        say("FREEZE begin")
        while not release.exists():
            time.sleep(0.02)  # the Kivy thread is stuck here: no frame, no clock callback
        say("FREEZE end")
    return freeze


def action_sdl_events():
    def push(_dt):
        lib = _sdl()
        for key, mod in ((F4, KMOD_LALT), (C, KMOD_LCTRL), (Q, KMOD_LCTRL), (ESC, KMOD_NONE)):
            _push(lib, SDL_KEYDOWN, key, mod)
            _push(lib, SDL_KEYUP, key, mod)
        _push(lib, SDL_QUIT)
        say("PUSHED")
        from kivy.clock import Clock
        Clock.schedule_once(report, 1.0)

    def report(_dt):
        from kivy.app import App
        from kivy.core.window import Window
        app = App.get_running_app()
        refused = app._appliance.refused if app is not None else -1
        lib = _sdl()
        say(f"ALIVE refused={refused} screensaver={lib.SDL_IsScreenSaverEnabled()} "
            f"cursor={lib.SDL_ShowCursor(-1)} fullscreen={Window.fullscreen} "
            f"borderless={Window.borderless}")
    return push


def main() -> int:
    args = sys.argv[1:]
    split = args.index("--")
    action, kiosk_args = args[:split], args[split + 1:]
    if action[0] == "freeze":
        callback = action_freeze(Path(action[1]))
    elif action[0] == "sdl-events":
        callback = action_sdl_events()
    else:
        raise SystemExit(f"unknown action {action[0]}")
    from kivy.clock import Clock  # kivy reads KIVY_* from the environment the test set

    def after_first_frame(*_):
        from kivy.core.window import Window
        Window.unbind(on_flip=after_first_frame)
        Clock.schedule_once(callback, 0.3)

    def bind_when_window_exists(_dt):
        from kivy.core.window import Window
        Window.bind(on_flip=after_first_frame)

    Clock.schedule_once(bind_when_window_exists, 0)
    from screens.main import main as kiosk_main
    return kiosk_main(kiosk_args)


if __name__ == "__main__":
    sys.exit(main())
