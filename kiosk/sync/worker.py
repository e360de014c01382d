"""Store-and-forward: send the outbox to the central service, exactly once in effect.

An event is marked sent only after the service answered for it; the service is
idempotent on event id, so a resend after a crash, timeout or lost answer is counted
once. Rejected events are set aside with the reason (never retried, never blocking);
a batch refused whole (400/413) is split down to the one event at fault. So is a batch
the service fails on (500 and other 5xx but 502/503/504, which say it is down or busy):
halves are sent until one event fails alone; it is set aside when it failed alone
POISON_TRIES times and the event after it then goes through (so one bad event never
stalls the outbox, and a service that fails on everything sets nothing aside). 401/403 stop
sending: a configuration fault shown in the status. Failures back off exponentially
with full jitter and a cap; Retry-After is honoured; scheduled sends get a random offset.

`SyncWorker` runs this on its own thread (never the UI thread); `drain()` is the one
pass that `kiosk sync --once` uses. The worker listens to its Store: every commit that
adds outbox events wakes it, and it sends after gathering for up to `sync.gather_s`
(unless it is backing off, honouring Retry-After, or stopped by a configuration fault).
"""
from __future__ import annotations

import enum
import logging
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

import kiosk.config  # noqa: F401 - first: kiosk.config.model imports kiosk.sync.settings (no cycle this way)
from kiosk.sync import heartbeat as sync_heartbeat
from kiosk.sync import outbox as sync_store
from kiosk.storage.store import Store
from kiosk.sync.settings import SyncSection
from kiosk.sync.transport import Reply, ReplyKind, Transport, read_token

log = logging.getLogger("kiosk.sync.worker")
POISON_TRIES = 3  # times one event must fail alone with a 5xx before it may be set aside


class SyncState(enum.Enum):
    OFF = "off"                  # no sync.url configured
    IDLE = "idle"                # all sent; waiting for the next look
    SENDING = "sending"
    BACKING_OFF = "backing_off"  # last attempt failed; retrying later
    CONFIG_FAULT = "config_fault"  # 401/403: token or device id wrong; not sending


@dataclass
class DrainResult:
    sent: int = 0          # accepted + duplicates, marked sent
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0      # set aside this pass
    batches: int = 0
    failure: Reply | None = None  # why the pass stopped early, if it did


@dataclass
class SyncStatus:
    state: SyncState = SyncState.OFF
    message: str = ""
    last_success_wall: str | None = None
    consecutive_failures: int = 0
    last: DrainResult = field(default_factory=DrainResult)
    totals: dict = field(default_factory=lambda: {"sent": 0, "accepted": 0, "duplicates": 0, "rejected": 0,
                                                  "batches": 0, "failures": 0})
    health: sync_store.OutboxHealth | None = None


def drain(store: Store, transport: Transport, batch_size: int = 500,
          stop: threading.Event | None = None) -> DrainResult:
    """Send until the outbox is empty or a failure stops the pass.

    Pipelined: while a batch is on the wire, a helper thread reads and encodes the next
    one (by seq, so it never overlaps) and marks the previous one sent. An event is
    still marked sent only after the service answered for it.
    """
    res = DrainResult()
    size, after = batch_size, 0
    suspect: tuple[str, int, str] | None = None  # (id, seq, message): failed alone, POISON_TRIES times
    tries = 0  # times the batch now at the front failed alone
    with ThreadPoolExecutor(1, thread_name_prefix="kiosk-sync-db") as db:
        ahead = db.submit(sync_store.read_batch, store, after, size)
        marking = None
        while not (stop and stop.is_set()):
            batch = ahead.result()
            if not batch:
                if suspect is not None:  # nothing after it to show the service works: try later
                    res.failure = Reply(ReplyKind.RETRY, suspect[2], 500)
                break
            ahead = db.submit(sync_store.read_batch, store, batch.last_seq, size)
            reply = transport.post_body(batch.body)
            res.batches += 1
            if _server_fault(reply):
                ahead.result()  # discard the read-ahead
                if len(batch) > 1:  # halves until the event at fault is alone
                    size, tries = max(1, len(batch) // 2), 0
                elif suspect is not None:  # the event after a suspect fails too: the service is down
                    res.failure = reply
                    break
                else:
                    tries += 1
                    if tries >= POISON_TRIES:  # now see whether the next event goes through
                        suspect, tries = (batch.ids[0], batch.last_seq, reply.message), 0
                        after = batch.last_seq
                ahead = db.submit(sync_store.read_batch, store, after, size)
                continue
            if suspect is not None and reply.kind is ReplyKind.OK:
                store.outbox_set_aside(suspect[0], f"the central service failed on this event alone "
                                                   f"{POISON_TRIES} times: {suspect[2]}")
                log.warning("sync: event %s set aside: the central service fails on it alone (%s)",
                            suspect[0], suspect[2])
                res.rejected += 1
                suspect = None
            if reply.kind is ReplyKind.SPLIT:
                ahead.result()  # discard the read-ahead; read again from the same place
                if len(batch) == 1:
                    store.outbox_set_aside(batch.ids[0], f"refused by the central service: {reply.message}")
                    res.rejected += 1
                    after, size = batch.last_seq, batch_size
                else:
                    size = max(1, len(batch) // 2)
                ahead = db.submit(sync_store.read_batch, store, after, size)
                continue
            if reply.kind is not ReplyKind.OK:
                res.failure = reply
                break
            tries = 0
            rejected = _rejected_ids(batch.ids, reply.rejected)
            if len(rejected) != len(reply.rejected) or \
                    reply.accepted + reply.duplicates + len(reply.rejected) != len(batch):
                res.failure = Reply(ReplyKind.RETRY, f"answer does not add up for a batch of {len(batch)}: "
                                    f"{reply.accepted}+{reply.duplicates}+{len(reply.rejected)}")
                break
            for ev_id, why in rejected.items():
                store.outbox_set_aside(ev_id, why)
            done = [i for i in batch.ids if i not in rejected]
            if marking is not None:
                marking.result()  # surfaces a failed write
            marking = db.submit(sync_store.mark_sent, store, batch, set(rejected))
            after = batch.last_seq
            res.sent += len(done)
            res.accepted += reply.accepted
            res.duplicates += reply.duplicates
            res.rejected += len(rejected)
            if rejected:
                log.warning("sync: %d event(s) rejected and set aside, e.g. %s", len(rejected),
                            next(iter(rejected.values())))
            if size < batch_size:
                size = min(batch_size, size * 2)
                ahead.result()
                ahead = db.submit(sync_store.read_batch, store, after, size)
        if marking is not None:
            marking.result()
    return res


def _server_fault(reply: Reply) -> bool:
    """A 5xx that may be the batch's fault: not 502/503/504 (down, busy, or a proxy that
    cannot reach it) and without Retry-After (the service asks to come back later)."""
    return (reply.kind is ReplyKind.RETRY and reply.status is not None and 500 <= reply.status < 600
            and reply.status not in (502, 503, 504) and reply.retry_after is None)


def make_transport(cfg: SyncSection, boot_id: str = "") -> Transport:
    """A Transport for the [sync] section (reads token_file; raises OSError if it cannot)."""
    return Transport(cfg.url, read_token(cfg.token, cfg.token_file), connect_timeout=cfg.connect_timeout_s,
                     read_timeout=cfg.read_timeout_s, verify_tls=cfg.verify_tls, ca_file=cfg.ca_file,
                     boot_id=boot_id)


def check_connection(cfg: SyncSection) -> tuple[bool, str]:
    """Try a [sync] setting before it is saved (staff screen, `kiosk doctor`): reach the
    service and have the token accepted, by sending an empty batch. (ok, one-line message)."""
    if not cfg.url:
        return False, "sync.url is not set"
    try:
        transport = make_transport(cfg)
    except OSError as e:
        return False, f"cannot read sync.token_file {cfg.token_file!r}: {e.strerror}"
    try:
        reply = transport.post_body(b'{"events":[]}')
    finally:
        transport.close()
    if reply.kind is ReplyKind.OK:
        return True, f"central service at {cfg.url} accepts this device"
    if reply.status == 403 and _reads_queue(cfg):  # a display's token: it reads, never posts
        return True, f"central service at {cfg.url} accepts this device (reads the queue; posts no events)"
    return False, reply.message


def _reads_queue(cfg: SyncSection) -> bool:
    """Whether the token may read GET /api/v1/queue (what a hall display's token may do)."""
    transport = make_transport(cfg)
    try:
        r = transport.session.get(cfg.url.rstrip("/") + "/api/v1/queue", timeout=transport.timeout,
                                  verify=transport.verify)
        return r.status_code == 200
    except Exception:  # noqa: BLE001 - any failure: not readable
        return False
    finally:
        transport.close()


def _rejected_ids(ids: list[str], rejected: list[dict]) -> dict[str, str]:
    """Map the service's rejections (by index, else by id) to event ids in this batch."""
    known = set(ids)
    out: dict[str, str] = {}
    for r in rejected:
        idx, ev_id = r.get("index"), r.get("id")
        if isinstance(idx, int) and not isinstance(idx, bool) and 0 <= idx < len(ids):
            ev_id = ids[idx]
        if ev_id in known:
            out[ev_id] = str(r.get("error", "rejected"))[:500]
    return out


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Full jitter: a random delay between 0 and min(cap, base * 2**attempt)."""
    return rng.uniform(0, min(cap, base * (2 ** min(attempt, 30))))


class SyncWorker:
    """Background sender. `start()`, `stop()` at exit; events written to the store wake it
    (`listen=False` turns that off; `wake()` still asks for a send). `sends=False` (a hall
    display, whose token may not post): no heartbeats and nothing sent, only housekeeping."""

    def __init__(self, store: Store, cfg: SyncSection, *, printer_state: Callable[[], str] | None = None,
                 transport: Transport | None = None, rng: random.Random | None = None,
                 listen: bool = True, sends: bool = True):
        self.store, self.cfg = store, cfg
        self._noted = 0  # events committed since the last send began (a hint for gathering)
        self.printer_state = printer_state
        self.rng = rng or random.Random()
        self.status = SyncStatus()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._life = threading.Lock()
        self.transport = transport
        self.sends = sends
        if not sends:
            self.transport = None
            self.status.message = "this device's role sends no events (it reads the queue only)"
        elif self.transport is None and cfg.url:
            try:
                self.transport = make_transport(cfg, store.boot_id)
            except OSError as e:
                self.status.state = SyncState.CONFIG_FAULT
                self.status.message = f"cannot read sync.token_file {cfg.token_file!r}: {e.strerror}"
                log.error("sync: %s", self.status.message)
        if self.transport is None and not cfg.url and sends:
            self.status.message = "sync.url is not set; events stay on this device"
        self._listening = listen and self.transport is not None
        if self._listening:
            store.add_commit_listener(self._on_commit)

    # -- lifecycle ------------------------------------------------------------
    def start(self) -> None:
        """Start sending; a no-op once stop() was called. The app starts the worker from a
        helper thread while the window may already be closing, so start and stop can
        race: the lock makes stop see either no thread or a started one."""
        with self._life:
            if self._stop.is_set() or self._thread is not None:
                return
            thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)
            thread.start()
            self._thread = thread

    def stop(self, timeout: float = 10.0) -> None:
        with self._life:
            self._stop.set()
            self._wake.set()
            thread = self._thread
        if self._listening:
            self.store.remove_commit_listener(self._on_commit)
        if thread:
            thread.join(timeout)
        if self.transport:
            self.transport.close()

    def wake(self) -> None:
        """Send soon (after gathering for up to sync.gather_s). Does not cut short a backoff,
        a Retry-After or a configuration fault."""
        self._wake.set()

    def _on_commit(self, n: int) -> None:
        """The Store's commit listener, on the writing thread: only note it and wake up."""
        self._noted += n
        self._wake.set()

    # -- the loop -------------------------------------------------------------
    def _run(self) -> None:
        now = time.monotonic()
        next_beat = now + self.rng.uniform(0, min(30.0, self.cfg.heartbeat_interval_s or 30.0))
        next_housekeeping = next_send = now
        while not self._stop.is_set():
            now = time.monotonic()
            try:
                if now >= next_housekeeping:
                    self.housekeeping()
                    next_housekeeping = now + 60
                if self.sends and self.cfg.heartbeat_interval_s and now >= next_beat:
                    self.heartbeat()
                    next_beat = now + self.cfg.heartbeat_interval_s
                if now >= next_send:
                    next_send = time.monotonic() + self.step()
            except Exception:  # noqa: BLE001 - the worker must outlive any one failure
                log.exception("sync: unexpected error; retrying later")
                self.status.consecutive_failures += 1
                self.status.state = SyncState.BACKING_OFF
                next_send = time.monotonic() + self.cfg.backoff_cap_s
            wake_at = min(next_send, next_housekeeping,
                          next_beat if self.cfg.heartbeat_interval_s else next_send)
            if self._wake.wait(max(0.0, wake_at - time.monotonic())):
                self._wake.clear()
                if self.status.state in (SyncState.IDLE, SyncState.SENDING):
                    # new events: send after gathering (never later than planned), unless
                    # backing off, waiting out a Retry-After or stopped by a config fault
                    soon = 0.0 if self._noted >= self.cfg.batch_size else self.cfg.gather_s
                    next_send = min(next_send, time.monotonic() + soon)

    def housekeeping(self) -> None:
        sync_store.prune_sent(self.store, self.cfg.keep_sent_days)
        self.status.health = sync_store.enforce_bounds(self.store, self.cfg.max_unsent_events,
                                                      self.cfg.max_unsent_age_days, self.cfg.warn_fraction)

    def heartbeat(self) -> None:
        health = sync_store.enforce_bounds(self.store, self.cfg.max_unsent_events,
                                           self.cfg.max_unsent_age_days, self.cfg.warn_fraction)
        self.status.health = health
        self.store.record_event("heartbeat", sync_heartbeat.payload(
            health, self.store.data_dir, self.status.state.value, self.printer_state))

    def step(self) -> float:
        """One drain pass; returns seconds to wait before the next."""
        st = self.status
        if self.transport is None:
            if st.state is not SyncState.CONFIG_FAULT:
                st.state = SyncState.OFF
            return self.cfg.interval_s
        if st.state is SyncState.CONFIG_FAULT:
            return self.cfg.backoff_cap_s  # stays stopped until reconfigured (restart)
        st.state = SyncState.SENDING
        self._noted = 0
        res = drain(self.store, self.transport, self.cfg.batch_size, self._stop)
        st.last = res
        for k in ("sent", "accepted", "duplicates", "rejected", "batches"):
            st.totals[k] += getattr(res, k)
        st.totals["failures"] += res.failure is not None
        if res.failure is None:
            st.state, st.message, st.consecutive_failures = SyncState.IDLE, "", 0
            st.last_success_wall = self.store.clock.wall().isoformat()
            return self.cfg.interval_s + self.rng.uniform(0, self.cfg.jitter_s)
        st.message = res.failure.message
        if res.failure.kind is ReplyKind.AUTH:
            st.state = SyncState.CONFIG_FAULT
            log.error("sync: stopped: %s (check sync.token and device.id)", res.failure.message)
            return self.cfg.backoff_cap_s
        st.state = SyncState.BACKING_OFF
        delay = backoff_delay(st.consecutive_failures, self.cfg.backoff_base_s, self.cfg.backoff_cap_s, self.rng)
        st.consecutive_failures += 1
        if res.failure.retry_after is not None:
            delay = min(self.cfg.backoff_cap_s, max(delay, res.failure.retry_after))
        log.warning("sync: %s; next try in %.1f s", res.failure.message, delay)
        return delay
