"""Security headers on every response of the central service: one pure ASGI middleware.

Every answer gets the Content-Security-Policy below (the pages load only their own files: no
inline script or style, nothing from another site), `X-Content-Type-Options: nosniff`,
`Referrer-Policy: no-referrer` (a mobile ticket's token is in its address) and
`X-Frame-Options: DENY`. Caching: staff pages and staff APIs are always `no-store`; the
service's own script and style files are `no-cache` (kept, asked again); any other answer is
`no-store` unless its route chose otherwise (the live streams say `no-cache`).
A header a route set itself is kept, except Cache-Control on staff paths.
"""
from __future__ import annotations

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
ALWAYS = ((b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
          (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"))
STATIC = ("/static/", "/mobile/", "/desk/desk.js", "/desk/desk.css", "/host/host.js", "/host/host.css")  # the pages' own .js and .css
STAFF_PAGES = ("/dashboard", "/desk", "/login", "/logout", "/admin", "/stats", "/host")
STAFF_API = ("/api/v1/desk/", "/api/v1/help/", "/api/v1/stats/", "/api/v1/export/", "/api/v1/devices", "/api/v1/admin")


def cache_control(path: str) -> tuple[bytes, bool]:
    """(the Cache-Control for `path`, whether it replaces one the route set)."""
    if path.startswith(STATIC):
        return b"no-cache", False
    if path in STAFF_PAGES or path.startswith(tuple(p + "/" for p in STAFF_PAGES) + STAFF_API):
        return b"no-store", True
    return b"no-store", False


class SecurityHeaders:
    """Pure ASGI middleware (no body buffering, so streams stay streams)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        cache, force = cache_control(scope.get("path", ""))

        async def with_headers(msg):
            if msg["type"] == "http.response.start":
                headers = list(msg.get("headers", []))
                have = {k.lower() for k, _ in headers}
                if force:
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    have.discard(b"cache-control")
                headers += [(k, v) for k, v in (*ALWAYS, (b"cache-control", cache)) if k not in have]
                msg = {**msg, "headers": headers}
            await send(msg)

        await self.app(scope, receive, with_headers)
