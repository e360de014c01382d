"""Staff mode's Kivy glue (a mixin of KioskApp): which screen shows when staff mode opens and
closes, the "are you sure?" screen, restart, and the staff settings mirrored as properties.
The rules - PIN gate, gesture, session time-out, test-before-save, saving - are the core's
(kiosk.staff.desk.StaffDesk, as `app.core.staff`)."""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class StaffMode:
    def open_staff(self):
        self.core.staff.open()
        self.show("staff_home")

    def close_staff(self):
        self.core.staff.close()
        self.core.session.touch()
        self.show(self.start_screen())

    def staff_touch(self):
        self.core.staff.touch()

    def _config_changed(self):
        """Mirror the settings staff screens show (after start and after every save)."""
        cfg = self.kcfg
        self.kcfg_role = cfg.device.role
        self.kcfg_language = self.translator.language_name(cfg.ui.default_language)
        self.kcfg_volume = self.speech_volume()
        self.help_on = cfg.help.enabled
        pad = cfg.staff.corner_size_px
        self.corner_pad_left = pad if cfg.staff.corner == "top-left" else 0
        self.corner_pad_right = pad if cfg.staff.corner == "top-right" else 0

    def has_volume_setting(self) -> bool:
        return hasattr(self.kcfg.devices.speech, "volume")

    def speech_volume(self) -> int:
        return int(getattr(self.kcfg.devices.speech, "volume", 100))

    def confirm(self, text: str, on_yes):
        screen = self.show("staff_confirm")
        screen.text = text
        screen.on_yes = on_yes

    def restart_app(self):
        """Stop cleanly; `kiosk run` then starts itself again (systemd would too)."""
        self.restart_requested = True
        self.stop()
