"""Who may read stats: a logged-in dashboard session (signed cookie) or HTTP Basic with
the admin user and password (for scripts fetching CSV)."""
from __future__ import annotations

import base64
import binascii
import hmac

from fastapi import Request
from starlette.exceptions import HTTPException

from central import auth

COOKIE = "kc_session"


def key(request: Request) -> bytes:
    st = request.app.state
    if getattr(st, "session_key", None) is None:
        st.session_key = auth.session_key(st.engine, st.settings.session_secret)
    return st.session_key


def current_user(request: Request) -> str | None:
    settings = request.app.state.settings
    user = auth.read_cookie(key(request), request.cookies.get(COOKIE))
    if user:
        return user
    h = request.headers.get("authorization", "")
    if h[:6].lower() == "basic " and settings.admin_password_hash:
        try:
            name, _, pw = base64.b64decode(h[6:], validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
        if hmac.compare_digest(name.encode(), settings.admin_user.encode()) and \
                auth.check_password(pw, settings.admin_password_hash):
            return name
    return None


def require_staff(request: Request) -> str:
    """Dependency for JSON/CSV routes: 401 unless logged in."""
    user = current_user(request)
    if not user:
        raise HTTPException(401, "log in at /login or use HTTP Basic with the admin account",
                            {"WWW-Authenticate": 'Basic realm="kiosk-central"'})
    return user
