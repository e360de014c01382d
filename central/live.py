"""Telling open streams that the queue changed, in this process and in every other one.

    bus = live.bus(app.state)        # one per application (per worker process)
    bus.changed()                    # after a committed queue write, from any thread
    await bus.wait(seen, timeout)    # in a stream: until bus.version != seen, or the timeout

A queue write (ingest that added tickets, every desk action) does two things:
- inside its transaction, `notify_in(conn)`: on PostgreSQL a `NOTIFY kiosk_queue`, which the
  database delivers to every listening session only once the transaction has committed
  (and never for a rollback);
- after the commit, `bus.changed()` in its own process: streams of this worker wake at once.

Every worker process that serves a stream runs one `PgListener` thread (started with the
first stream): its own connection does `LISTEN kiosk_queue` and turns each notification
into `bus.changed()`, so a ticket ingested by worker A wakes the desk streams of worker B.
While that connection is down the bus says `degraded` and streams look every second
instead (what polling did), and a reconnect counts as a change (what was missed is read).
SQLite is served by one process, where the in-process signal reaches every stream.

`changed()` never blocks: it bumps a counter and schedules `Event.set` on each waiting
stream's event loop, so a slow or vanished client can never hold up ingest or a desk.

Stopping: a stream never ends by itself, and uvicorn waits for open responses before it
stops (then cancels them). So the first stream of a process also hooks SIGTERM/SIGINT
(chained before uvicorn's own handler): every stream of the process ends at once and the
server stops without waiting; clients poll and reconnect to the next server.
"""
from __future__ import annotations

import asyncio
import logging
import signal
import threading
import weakref

import sqlalchemy as sa

log = logging.getLogger("central.live")
CHANNEL = "kiosk_queue"


def notify_in(conn: sa.Connection) -> None:
    """Inside a write transaction that changed the queue: tell the other processes at commit."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"NOTIFY {CHANNEL}")


class QueueBus:
    def __init__(self, engine: sa.Engine | None = None):
        self.engine = engine
        self.version = 0
        self.degraded = False          # PostgreSQL listener down: streams look every second
        self.streams = 0               # open streams in this process (bounded by max_streams)
        self.closing = False           # the process is stopping: streams end
        self._lock = threading.Lock()
        self._waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._listener: PgListener | None = None

    def changed(self) -> None:
        """The queue changed (any thread). Cheap and non-blocking."""
        with self._lock:
            self.version += 1
            waiters = list(self._waiters)
        for loop, ev in waiters:
            try:
                loop.call_soon_threadsafe(ev.set)
            except RuntimeError:  # that loop has closed (a test client went away)
                pass

    async def wait(self, seen: int, timeout: float) -> bool:
        """True once `version` differs from `seen`; False after `timeout` seconds."""
        ev = asyncio.Event()
        w = (asyncio.get_running_loop(), ev)
        with self._lock:
            if self.version != seen:
                return True
            self._waiters.add(w)
        try:
            await asyncio.wait_for(ev.wait(), timeout)
            return True
        except asyncio.TimeoutError:
            return False
        finally:
            with self._lock:
                self._waiters.discard(w)

    def ensure_listener(self) -> None:
        """Start the PostgreSQL listener of this process (once; nothing to do on SQLite), and
        hook the stop signals so that streams end when the server stops."""
        _BUSES.add(self)
        _hook_stop_signals()
        if self.engine is None or self.engine.dialect.name != "postgresql":
            return
        with self._lock:
            if self._listener is None:
                self._listener = PgListener(self.engine, self)
                self._listener.start()

    def close(self) -> None:
        if self._listener is not None:
            self._listener.stop()


class PgListener(threading.Thread):
    """`LISTEN kiosk_queue` on a connection of its own; each notification -> bus.changed()."""

    def __init__(self, engine: sa.Engine, bus: QueueBus):
        super().__init__(name="central-queue-listener", daemon=True)
        self.dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.bus = bus
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        import psycopg
        delay = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    if self.bus.degraded:
                        log.warning("queue listener: connected again")
                    self.bus.degraded = False
                    self.bus.changed()  # whatever happened while nobody listened
                    delay = 0.5
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=1.0):
                            self.bus.changed()
            except Exception as e:  # noqa: BLE001 - psycopg errors, DNS, a restarting server
                if not self.bus.degraded:
                    log.warning("queue listener: %s; streams look every second until it is back",
                                str(e).splitlines()[0][:200] if str(e) else type(e).__name__)
                self.bus.degraded = True
                self._stop.wait(delay)
                delay = min(10.0, delay * 2)


_BUSES: "weakref.WeakSet[QueueBus]" = weakref.WeakSet()
_HOOKED = "_kiosk_central_streams"


def _hook_stop_signals() -> None:
    """Chain a handler before the server's own SIGTERM/SIGINT handlers (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in (signal.SIGTERM, signal.SIGINT):
        prev = signal.getsignal(sig)
        if getattr(prev, _HOOKED, False):
            continue

        def handler(signum, frame, prev=prev):
            end_all_streams()
            if callable(prev):
                prev(signum, frame)
            elif prev == signal.SIG_DFL:
                signal.signal(signum, signal.SIG_DFL)
                signal.raise_signal(signum)
        setattr(handler, _HOOKED, True)
        signal.signal(sig, handler)


def end_all_streams() -> None:
    """Every stream of this process ends (from a signal handler: done on the event loop)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    for b in list(_BUSES):
        b.closing = True
        if loop is not None:
            loop.call_soon_threadsafe(b.changed)


def bus(state) -> QueueBus:
    """The application's bus (made on first use; `state` is app.state)."""
    b = getattr(state, "queue_bus", None)
    if b is None:
        b = state.queue_bus = QueueBus(state.engine)
    return b
