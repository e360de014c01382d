"""Request bodies: a size limit and a time limit, enforced while the body streams in.

    app.add_middleware(BodyLimit, limit=settings.max_body_bytes, timeout_s=settings.body_timeout_s)

Pure ASGI middleware around `receive`:
- 413 at once when Content-Length says more than `limit`, or as soon as the streamed body
  passes it (nothing over the limit is ever held);
- 408 when the body has not all arrived `timeout_s` after the request began (a slow or
  stalled upload holds a connection, not the service);
- a client that goes away in mid-upload is one log line (INFO), not a traceback or a 500;
- 400 for a NUL character in the query string (PostgreSQL refuses it in text).
Requests without a body pass through untouched (server-sent event streams read `receive`
for as long as they are open). The routes that take a body decide who may send one before
reading it (POST /api/v1/events checks the device token first), so an unauthenticated
client never gets a byte of its body read.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time

from starlette.requests import ClientDisconnect

log = logging.getLogger("central.body")


class _TooLarge(Exception):
    pass


class _TooSlow(Exception):
    pass


def _has_nul(query: bytes) -> bool:
    """A NUL in the query string (raw or as %00): no parameter of ours can hold one, and
    PostgreSQL refuses it in text (a 500 if it reached a query)."""
    return b"\x00" in query or b"%00" in query


class BodyLimit:
    def __init__(self, app, limit: int, timeout_s: float = 10.0, clock=time.monotonic):
        self.app, self.limit, self.timeout_s, self.clock = app, limit, timeout_s, clock

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if _has_nul(scope.get("query_string", b"")):
            return await _answer(send, 400, "a query parameter holds a NUL character (%00)")
        has_body = False
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                if not v.isdigit() or int(v) > self.limit:  # bytes.isdigit: ASCII digits only
                    return await _answer(send, 413, f"request body over the limit of {self.limit} bytes")
                has_body = has_body or int(v) > 0
            elif k == b"transfer-encoding":
                has_body = True
        if not has_body:
            return await self.app(scope, receive, send)
        deadline = self.clock() + self.timeout_s
        seen, done, started = 0, False, False

        async def guarded():
            nonlocal seen, done
            if done:
                return await receive()
            left = deadline - self.clock()
            if left <= 0:
                raise _TooSlow()
            try:
                msg = await asyncio.wait_for(receive(), left)
            except asyncio.TimeoutError:
                raise _TooSlow() from None
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge()
                done = not msg.get("more_body", False)
            else:
                done = True
            return msg

        async def tracking_send(msg):
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, guarded, tracking_send)
        except _TooLarge:
            if not started:
                await _answer(send, 413, f"request body over the limit of {self.limit} bytes")
        except _TooSlow:
            log.info("%s %s: body not complete after %g s (%d bytes); answered 408",
                     scope.get("method"), scope.get("path"), self.timeout_s, seen)
            if not started:
                await _answer(send, 408, f"request body not received within {self.timeout_s:g} s")
        except ClientDisconnect:
            client = scope.get("client") or ("?", 0)
            log.info("%s %s: client %s went away after %d bytes of its body",
                     scope.get("method"), scope.get("path"), client[0], seen)


async def _answer(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"connection", b"close"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
