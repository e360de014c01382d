"""Where the config layers live (no imports: `kiosk run` needs these before anything else)."""
from __future__ import annotations

import os

LOCAL_OVERRIDES = "local.toml"
LAST_GOOD = "local.last-good.toml"
DEFAULT_SITE_PATHS = ("/etc/kiosk/site.toml",)


def site_path(explicit: str | None) -> str | None:
    """The site file: --config, else $KIOSK_CONFIG, else /etc/kiosk/site.toml when it exists."""
    if explicit:
        return explicit
    env = os.environ.get("KIOSK_CONFIG")
    if env:
        return env
    for p in DEFAULT_SITE_PATHS:
        if os.path.exists(p):
            return p
    return None
