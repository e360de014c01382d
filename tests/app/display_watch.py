"""Runs the real `kiosk` command (screens.main.main, the console script's entry point) with the
arguments given after `--`, and prints what a hall display shows whenever it changes:

  python display_watch.py -- run --simulate --config FILE --data-dir DIR
  -> SHOWN ticket=A001 desk=Balie 4 connection=online

The test starts a display with the command `make run` printed; this wrapper only reads the
screen's own properties on the Kivy clock, it changes nothing in the app.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> int:
    args = sys.argv[1:]
    kiosk_args = args[args.index("--") + 1:]
    from kivy.clock import Clock  # kivy reads KIVY_* from the environment the test set

    last = [None]

    def look(_dt):
        from kivy.app import App
        app = App.get_running_app()
        screen = app.sm.current_screen if app is not None and getattr(app, "sm", None) else None
        if screen is None or not hasattr(screen, "latest_text"):
            return
        seen = (screen.latest_text, screen.desk_text, screen.connection)
        if seen != last[0]:
            last[0] = seen
            print(f"SHOWN ticket={seen[0]} desk={seen[1]} connection={seen[2]}", flush=True)

    Clock.schedule_interval(look, 0.1)
    from screens.main import main as kiosk_main
    return kiosk_main(kiosk_args)


if __name__ == "__main__":
    sys.exit(main())
