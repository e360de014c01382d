"""The composition root: one plain-Python object that owns, for the life of the app, everything
that is not the window. No Kivy; the UI (screens/app.py) holds one and binds to it.

  core = Kiosk(cfg, data_dir=..., clock=SystemClock(), simulate=False, site=path)
  core.start()                 # recover answers left open, on the writer thread
  ...first frame on the glass...
  core.open_buttons(on_digit)  # the physical buttons (deferred: cold start)
  core.open_keypad(call_soon)  # the audio keypad: its keys go to core.audio on the UI thread
  core.audio                   # the audio guide (kiosk.audio.guide.AudioGuide) screens drive
  core.start_sync()            # the store-and-forward sender (slow import: call on a thread)
  core.tickets                 # the ticket service, started on first use
  core.help                    # the help call (kiosk.help.desk.HelpDesk) the help button drives
  core.start_help_watch()      # the host's answers from the central queue (start_sync does it)
  core.close()                 # everything, in order; idempotent

What it owns, and closes in this order: the sync worker, the help watch, the ticket service's workers, the
audio guide's voice, the devices (opened once, here: kiosk.appliance.devices.KioskDevices),
the open feedback answer (recorded as it stands), the writer thread (flushed), and the store
when it opened it. Also: the translator, the visitor session (kiosk.session), the audio guide
(kiosk.audio), the staff desk (kiosk.staff.desk) and the floor plan, built once. Heavy parts
(requests, escpos, routing) load on first use.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from kiosk.appliance.devices import KioskDevices
from kiosk.audio.guide import AudioGuide
from kiosk.audio.voice import Voice
from kiosk.clock import SystemClock
from kiosk.feedback.flow import FeedbackFlow, Settings
from kiosk.feedback.store import FeedbackRecorder, QueuedRecorder
from kiosk.help.desk import HelpDesk
from kiosk.i18n import Translator
from kiosk.session import VisitorSession
from kiosk.staff.desk import StaffDesk
from kiosk.storage.writer import Writer

log = logging.getLogger(__name__)


def reason_labels(labels: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {f"reason.{rid}": texts for rid, texts in labels.items()}


class Kiosk:
    def __init__(self, cfg, *, store=None, data_dir=None, clock=None, simulate: bool = False,
                 site: str | None = None, safe_problems=None):
        if store is None:
            if data_dir is None:
                raise ValueError("Kiosk needs a store or a data_dir")
            from kiosk.storage.store import Store
            store = Store(data_dir, device_id=cfg.device.id or None)
            self._owns_store = True
        else:
            self._owns_store = False
        self.cfg = cfg
        self.store = store
        self.clock = clock or SystemClock()
        self.simulate = simulate
        self.site = site
        self.safe_problems = list(safe_problems or [])
        self.translator = Translator(cfg.ui.default_language,
                                     extra=reason_labels(cfg.feedback.reason_labels))
        self.devices = KioskDevices(cfg, store.data_dir, simulate)
        self.writer = Writer()
        self.recorder = FeedbackRecorder(store)
        # the UI sets these (called on the writer thread; it hops to its own thread)
        self.on_answer_durable: Callable | None = None
        self.on_write_failed: Callable | None = None
        self.sink = QueuedRecorder(self.recorder, self.writer,
                                   on_begin_durable=self._answer_durable,
                                   on_error=self._write_failed)
        self.flow = FeedbackFlow(Settings.from_config(cfg), self.clock, self.sink)
        self.session = VisitorSession(self.flow, cfg.ui.idle_timeout_s, cfg.ui.warn_s)
        # dummy:// only records: it speaks on the caller's thread, so a test reads its log at once
        inline = self.devices.url("speech").startswith("dummy:")
        self.audio = AudioGuide(self.session, self.translator, Voice(self.speech, not inline),
                                clock=self.clock, role=cfg.device.role)
        self.staff = StaffDesk(store, self.clock, lambda: self.cfg, site=site, simulate=simulate,
                               on_saved=self._config_saved)
        self.help = HelpDesk(cfg.help, record=self.record_event, clock=self.clock,
                             online=self._help_online, tz=cfg.device.timezone,
                             here=cfg.wayfinding.here.node, plan_source=self.floor_plan)
        self.help_watch = None
        self.sync = None
        self._config_listeners: list[Callable[[object], None]] = []
        self._tickets = None
        self._plan = None
        self._lock = threading.Lock()
        self._plan_lock = threading.Lock()   # the ticket worker may build the plan meanwhile
        self._closed = False
        if self.safe_problems:
            log.error("SAFE MODE: local overrides not used:\n%s",
                      "\n".join(p.render() for p in self.safe_problems))

    # -- starting ---------------------------------------------------------------------
    def start(self) -> "Kiosk":
        """Answers left open by an unclean stop are closed on the writer thread, before any new
        write (the writer runs jobs in order), never with a query on the caller's thread."""
        self.writer.submit(self.recorder.recover)
        return self

    def open_buttons(self, on_digit: Callable[[int], None]):
        """The physical smiley buttons (None when there are none); `on_digit` runs on the
        device's reader thread."""
        return self.devices.open("buttons", on_digit=on_digit)

    def open_keypad(self, call_soon: Callable[[Callable[[], None]], None] | None = None):
        """The audio keypad (None when there is none). Each key goes to `self.audio.key`
        through `call_soon(fn)`, which runs fn on the UI thread (Kivy: Clock.schedule_once);
        without it, on the keypad's reader thread (tests, tools)."""
        def on_key(key: str) -> None:
            if call_soon is None:
                self.audio.key(key)
            else:
                call_soon(lambda: self.audio.key(key))
        return self.devices.open("keypad", on_key=on_key)

    def start_sync(self) -> None:
        """The store-and-forward sender (kiosk.sync.worker) on its own thread: heartbeats,
        bounds on the outbox, and sending when sync.url is set. Its import takes ~0.4 s: call
        this from a thread, once the first screen is up."""
        from kiosk.sync.worker import SyncWorker
        worker = SyncWorker(self.store, self.cfg.sync, printer_state=self.printer_state_text,
                            sends=self.cfg.device.role != "display")  # a display's token may not post
        with self._lock:
            if self._closed or self.sync is not None:
                return
            self.sync = worker
        worker.start()
        self.start_help_watch()

    def start_help_watch(self):
        """The host's answers to help calls (kiosk.help.watch) on their own thread: only with
        sync.url and the help button on, and not on the hall display. Without it the kiosk
        counts as offline for help and sends visitors to the information desk."""
        cfg = self.cfg
        if not (cfg.sync.url and cfg.help.enabled) or cfg.device.role == "display":
            return None
        from kiosk.help.watch import HelpWatch
        with self._lock:
            if self._closed or self.help_watch is not None:
                return self.help_watch
            self.help_watch = HelpWatch(cfg.sync, cfg.help, self.help.update, clock=self.clock)
        self.help_watch.start()
        return self.help_watch

    def _help_online(self) -> bool:
        watch = self.help_watch
        return watch is not None and watch.online()

    # -- parts built on first use --------------------------------------------------------
    @property
    def tickets(self):
        """The ticket service (kiosk.tickets.service), started on first use: opens the
        printer, speech and scanner."""
        with self._lock:
            if self._tickets is None:
                if self._closed:
                    raise RuntimeError("the kiosk is closed: no ticket service")
                from kiosk.tickets.service import TicketService
                self._tickets = TicketService(self.store, self.cfg, self.devices, self.translator,
                                              clock=self.clock, plan_source=self.floor_plan)
                self._tickets.start()
            return self._tickets

    def floor_plan(self):
        """The wayfinding floor plan, built from config once, with routes from the kiosk
        ready. Raises like kiosk.wayfinding.plan_from_config for a config without one."""
        with self._plan_lock:
            if self._plan is None:
                from kiosk.wayfinding import plan_from_config
                plan = plan_from_config(self.cfg)
                if plan.here_node in plan.nodes:
                    from kiosk.wayfinding.routing import router_for
                    router_for(plan).warm(plan.here_node)
                self._plan = plan
            return self._plan

    def speech(self):
        """The speech device (opened once; None when there is none)."""
        return self.devices.open("speech")

    def printer_state_text(self) -> str:
        """The printer's state for status lines and heartbeats (from any thread); "-" when the
        ticket service never started. Never starts it."""
        svc = self._tickets
        if svc is None:
            return "-"
        try:
            return svc.printer_state_text()
        except Exception:  # noqa: BLE001 - status is informative only
            return "?"

    def last_scan(self) -> str:
        """The last code a scanner read, masked (the staff menu's scanner check), or ""."""
        svc = self._tickets
        return svc.last_scan if svc is not None else ""

    def record_event(self, type_: str, payload: dict) -> None:
        """An outbox event, written on the writer thread."""
        self.writer.submit(self.store.record_event, type_, payload,
                           errback=lambda e: log.error("%s not recorded: %s", type_, e))

    # -- settings ------------------------------------------------------------------------
    def on_config(self, fn: Callable[[object], None]) -> None:
        """`fn(cfg)` after staff saved a change."""
        self._config_listeners.append(fn)

    def _config_saved(self, cfg, _changes) -> None:
        self.cfg = cfg
        self.devices.cfg = cfg   # devices not open yet use the new URLs
        self.session.set_defaults(cfg.ui.default_language)
        self.audio.role = cfg.device.role
        self.help.s = cfg.help
        if self._tickets is not None:
            self._tickets.speech_volume = cfg.devices.speech.volume
        for fn in list(self._config_listeners):
            fn(cfg)

    # -- feedback hand-offs (writer thread) ---------------------------------------------------
    def _answer_durable(self, answer) -> None:
        if self.on_answer_durable is not None:
            self.on_answer_durable(answer)

    def _write_failed(self, exc) -> None:
        if self.on_write_failed is not None:
            self.on_write_failed(exc)

    # -- stopping ------------------------------------------------------------------------------
    def close(self) -> None:
        """Stop everything in order; idempotent. The open feedback answer is recorded as it
        stands and every queued write is flushed before the store closes."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        steps = (("sync worker", self.sync.stop if self.sync is not None else None),
                 ("help watch", self.help_watch.stop if self.help_watch is not None else None),
                 ("ticket service", self._tickets.close if self._tickets is not None else None),
                 ("audio guide", self.audio.close),
                 ("devices", self.devices.close),
                 ("open answer", self.flow.shutdown),
                 ("writer", self.writer.close),
                 ("store", self.store.close if self._owns_store else None))
        for what, step in steps:
            if step is None:
                continue
            try:
                step()
            except Exception:  # noqa: BLE001 - one failing part must not keep the rest open
                log.exception("closing the %s failed", what)
