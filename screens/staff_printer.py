"""Staff mode: change the printer (URL and python-escpos profile), saved only after a
successful test print with exactly those values."""
from __future__ import annotations

from screens.kvload import load_kv_for
from screens.staff_tested import TestedSettingsScreen


class StaffPrinterScreen(TestedSettingsScreen):
    fields = ("url", "profile")

    def current_values(self, app):
        return app.kcfg.devices.printer.url, app.kcfg.devices.printer.profile

    def run_check(self, app, values):
        url, profile = values
        return app.core.staff.test_printer(url, profile,
                                           app.tr("staff.test_ticket", device=app.core.store.device_id))

    def changes(self, values):
        url, profile = values
        return {"devices.printer.url": url, "devices.printer.profile": profile}


load_kv_for(__file__)
