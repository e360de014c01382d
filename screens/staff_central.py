"""Staff mode: the central service URL and this device's token, saved only after the
service accepted the token (an empty batch sent with it)."""
from __future__ import annotations

from screens.kvload import load_kv_for
from screens.staff_tested import TestedSettingsScreen


class StaffCentralScreen(TestedSettingsScreen):
    fields = ("url", "token")

    def current_values(self, app):
        return app.kcfg.sync.url, ""  # the token is never shown again

    def run_check(self, app, values):
        url, token = values
        return app.core.staff.test_central(url, token)

    def changes(self, values):
        url, token = values
        out = {"sync.url": url}
        if token:
            out["sync.token"] = token
        return out


load_kv_for(__file__)
