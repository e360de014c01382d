"""Server-sent events: the queue pushed to hall displays, ticket kiosks and desk pages.

    GET /api/v1/queue/stream?since=N           devices (Bearer token), as GET /api/v1/queue
    GET /api/v1/desk/stream?services=a,b       staff (login cookie or HTTP Basic), as GET /api/v1/desk/queue

Each stream opens with the current state (`event: queue`, one line of JSON in `data:`), then
sends it again within a moment of every change (central.live), at least every
`live.refresh_s` (estimated waits move with time, and the token or login is checked again
then), and a comment line every `live.heartbeat_s` when there was nothing else to say, so
clients and proxies see a live connection. The device stream's events carry only the calls
after the last one it sent (like `since`); the desk stream's events are the whole day list.
Streams per process are bounded (`live.max_streams`, 503 + Retry-After above it: poll
instead); a client that stops reading for `live.send_timeout_s` is dropped.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import AsyncIterator, Awaitable, Callable

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.responses import Response

from central import auth, hall, live
from central.auth import bearer

log = logging.getLogger("central.streams")
DOC = ("A stream of server-sent events (text/event-stream): `event: queue` with the state as one line "
       "of JSON in `data:`, first at once, then after every change and at least every `live.refresh_s`; "
       "comment lines (`: keep-alive`) every `live.heartbeat_s` in between.")
router = APIRouter(tags=["devices"])


def stream_responses(schema_ref: str, extra: dict | None = None) -> dict:
    return {200: {"description": DOC, "content": {"text/event-stream": {"schema": {
        "type": "string", "description": f"each `data:` line is a {schema_ref} document"}}}},
            503: {"description": "too many open streams in this process (or the database is down): poll"},
            **(extra or {})}


class EventStream(Response):
    """An SSE response over an async iterator of ready-made chunks. Ends when the client goes
    away (noticed at once, not at the next chunk), when a send stalls for `send_timeout`, or
    when the iterator ends; `on_close` runs in every case."""
    media_type = "text/event-stream"

    def __init__(self, chunks: AsyncIterator[bytes], send_timeout: float, on_close: Callable[[], None]):
        self.status_code, self.background = 200, None  # no body attribute: no Content-Length
        self.init_headers({"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        self.chunks, self.send_timeout, self.on_close = chunks, send_timeout, on_close

    async def __call__(self, scope, receive, send) -> None:
        async def gone() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
        watcher = asyncio.ensure_future(gone())
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            while True:
                nxt = asyncio.ensure_future(self.chunks.__anext__())
                done, _ = await asyncio.wait({nxt, watcher}, return_when=asyncio.FIRST_COMPLETED)
                if watcher in done:
                    nxt.cancel()
                    await asyncio.gather(nxt, return_exceptions=True)  # let it unwind before aclose()
                    return
                try:
                    chunk = nxt.result()
                except StopAsyncIteration:
                    break
                await asyncio.wait_for(send({"type": "http.response.body", "body": chunk, "more_body": True}),
                                       self.send_timeout)
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except (asyncio.TimeoutError, OSError):
            pass  # a stalled or broken client: drop it
        except Exception as e:  # noqa: BLE001 - e.g. the server's "client disconnected" error
            log.debug("stream ended: %r", e)
        finally:
            watcher.cancel()
            try:
                await self.chunks.aclose()
            except Exception:  # noqa: BLE001
                pass
            self.on_close()


def event(doc: dict) -> bytes:
    return b"event: queue\ndata: " + orjson.dumps(doc) + b"\n\n"


def same(a: dict | None, b: dict) -> bool:
    """Two states alike apart from the clock (no need to send the second)."""
    return a is not None and {k: v for k, v in a.items() if k != "server_time"} == \
        {k: v for k, v in b.items() if k != "server_time"}


async def pushing(bus: live.QueueBus, cfg, first: dict, version: int, read: Callable[[], Awaitable[dict]],
                  still_allowed: Callable[[], Awaitable[bool]], changes_only: bool) -> AsyncIterator[bytes]:
    """The chunks of one stream. `read()` gives the state now; `changes_only`: an unchanged
    state is not sent again (a device stream's calls are only the new ones, so it always is)."""
    yield f"retry: {int(cfg.retry_ms)}\n\n".encode() + event(first)
    last, sent_at, refresh_at = first, time.monotonic(), time.monotonic() + cfg.refresh_s
    while True:
        now = time.monotonic()
        wait = min(cfg.heartbeat_s - (now - sent_at), refresh_at - now)
        if bus.degraded:
            wait = min(wait, 1.0)
        woke = await bus.wait(version, max(0.0, wait))
        if bus.closing:
            return  # the server is stopping
        now = time.monotonic()
        refresh = now >= refresh_at
        if woke or refresh or bus.degraded:
            version = bus.version
            if refresh:
                refresh_at = now + cfg.refresh_s
                if not await still_allowed():
                    return
            try:
                doc = await read()
            except Exception as e:  # noqa: BLE001 - database gone: end; the client polls and comes back
                log.warning("stream ended: cannot read the queue: %s", str(e).splitlines()[0][:200])
                return
            if changes_only:
                unchanged = same(last, doc)
            else:  # a device stream: new calls, or other counts, are news
                unchanged = not doc["calls"] and not doc.get("transfers") and same(
                    {k: v for k, v in last.items() if k != "transfers"} | {"calls": []}, doc)
            if refresh or not unchanged:
                last, sent_at = doc, now
                yield event(doc)
                continue
        if now - sent_at >= cfg.heartbeat_s:
            sent_at = now
            yield b": keep-alive\n\n"


def check_room(request: Request) -> None:
    """503 at once when this process has no stream slot left (before reading any state)."""
    st = request.app.state
    cfg = st.settings.live
    b = live.bus(st)
    if b.closing or b.streams >= cfg.max_streams:
        raise HTTPException(503, "too many open streams; read GET /api/v1/queue instead",
                            {"Retry-After": str(int(cfg.refresh_s))})


def open_stream(request: Request, make: Callable[[live.QueueBus], AsyncIterator[bytes]]) -> EventStream:
    """Take a stream slot (503 when none is left) and build the response."""
    check_room(request)  # again: other streams may have opened while the state was read
    st = request.app.state
    cfg = st.settings.live
    bus = live.bus(st)
    bus.ensure_listener()
    bus.streams += 1

    def closed():
        bus.streams -= 1
    return EventStream(make(bus), cfg.send_timeout_s, closed)


@router.get("/api/v1/queue/stream", summary="The hall's queue as a live stream (server-sent events)",
            response_class=EventStream, status_code=200, response_description=DOC,
            responses=stream_responses("QueueState (as GET /api/v1/queue)",
                                       {400: {"description": "bad `since`"},
                                        401: {"description": "no or unknown device token"}}))
async def queue_stream(request: Request, since: str | None = Query(
        None, description="As for GET /api/v1/queue: the first event has the calls after this call id "
                          "(without it the latest 10 of today); later events only calls not sent yet.")):
    token = bearer(request)
    after = hall.parse_since(since)
    check_room(request)
    st = request.app.state
    engine, qs = st.engine, st.settings.queue
    bus = live.bus(st)
    version = bus.version  # read before the state: a change meanwhile is sent after it
    first = await run_in_threadpool(hall.snapshot_for_device, engine, qs, token, after)
    last_call = [hall.last_call_id(first, after or 0)]

    async def read() -> dict:
        doc = await run_in_threadpool(hall.snapshot, engine, qs, last_call[0])
        last_call[0] = hall.last_call_id(doc, last_call[0])
        return doc

    async def allowed() -> bool:
        def check():
            with engine.connect() as conn:
                return auth.device_for_token(conn, token) is not None
        return await run_in_threadpool(check)
    return open_stream(request, lambda b: pushing(b, st.settings.live, first, version, read, allowed, False))
