"""Staff mode: the central service URL and this device's token, saved only after the
service accepted the token (an empty batch sent with it)."""
from __future__ import annotations

import dataclasses

from kiosk.staff.actions import ActionResult
from screens.kvload import load_kv_for
from screens.staff_tested import TestedSettingsScreen


class StaffCentralScreen(TestedSettingsScreen):
    fields = ("url", "token")

    def current_values(self, app):
        return app.kcfg.sync.url, ""  # the token is never shown again

    def run_check(self, app, values):
        from kiosk.sync.worker import check_connection
        url, token = values
        cfg = dataclasses.replace(app.kcfg.sync, url=url, token=token or app.kcfg.sync.token)
        try:
            ok, msg = check_connection(cfg)
        except Exception as e:  # noqa: BLE001 - a failed test, never a crash
            ok, msg = False, f"{type(e).__name__}: {e}"
        return ActionResult(ok, msg)

    def changes(self, values):
        url, token = values
        out = {"sync.url": url}
        if token:
            out["sync.token"] = token
        return out


load_kv_for(__file__)
