"""The visitor's help call: one per visitor at a time, its events, and the host's answer.

  desk = HelpDesk(cfg.help, record=core.record_event, clock=clock, online=watch.online,
                  tz=cfg.device.timezone, here=cfg.wayfinding.here.node, plan_source=core.floor_plan)
  view = desk.request("ticket_services", "nl")   # the help button: a HelpView
  view.state                                     # CALLED: "Er komt iemand naar u toe"
  desk.cancel()                                  # the visitor's cancel: help.cancelled
  desk.update(answer.help)                       # the central queue's help entries (any thread)
  desk.listen(fn)                                # fn(view) after every change (on the caller's thread)
  desk.directions("nl")                          # (place name, steps) to the information desk

A host is promised (CALLED) only when the central queue answered within
`help.offline_after_s` (the watch, kiosk/help/watch.py, says so) and now is inside
`help.hours`; otherwise the visitor is sent to the information desk (INFO) and the call is
still recorded, marked `"offline": true` (it syncs later; central counts it as missed). A
press within `help.repeat_s` (monotonic clock) of the current call, or while a host is on the
way, makes no new call: the same view comes back. Events (through `record`, the core's writer):

  help.requested  {"call_id": uuid4, "place": here node or "", "screen": name, "lang": code,
                   "offline": bool}
  help.cancelled  {"call_id": ...}

Nothing about the visitor is recorded. Plain Python: no Kivy, no I/O of its own.
"""
from __future__ import annotations

import enum
import logging
import threading
from dataclasses import dataclass, replace
from typing import Callable

log = logging.getLogger(__name__)


class HelpState(str, enum.Enum):
    NONE = "none"        # no call
    CALLED = "called"    # a host is asked for and will come
    COMING = "coming"    # a host said they are on the way
    INFO = "info"        # no host can come now: the way to the information desk


class Why(str, enum.Enum):
    """Why no host is promised (an INFO view)."""
    NONE = ""
    OFFLINE = "offline"  # no good answer from central within help.offline_after_s, or no sync.url
    CLOSED = "closed"    # outside help.hours


# central's states (the snapshot's "help" entries) that end a call
ENDED = frozenset({"done", "cancelled", "missed"})


@dataclass(frozen=True)
class HelpView:
    state: HelpState = HelpState.NONE
    call_id: str = ""
    host: str = ""        # the host's first name once one is coming ("" when central sent none)
    why: Why = Why.NONE
    screen: str = ""      # the screen the visitor pressed help on

    @property
    def active(self) -> bool:
        return self.state is not HelpState.NONE


class HelpDesk:
    def __init__(self, settings, *, record: Callable[[str, dict], None], clock,
                 online: Callable[[], bool] = lambda: False, tz: str = "Europe/Amsterdam",
                 here: str = "", plan_source: Callable[[], object] | None = None):
        self.s = settings                 # the [help] section (kiosk/help/settings.py)
        self.record = record
        self.clock = clock
        self.online = online
        self.tz = tz
        self.here = here
        self.plan_source = plan_source
        self._view = HelpView()
        self._at = 0.0                    # monotonic time of the current call
        self._lock = threading.Lock()
        self._listeners: list[Callable[[HelpView], None]] = []
        self._routes = None

    @property
    def view(self) -> HelpView:
        return self._view

    def listen(self, fn: Callable[[HelpView], None]) -> None:
        self._listeners.append(fn)

    def _changed(self, view: HelpView) -> None:
        for fn in list(self._listeners):
            try:
                fn(view)
            except Exception:  # noqa: BLE001 - a screen's listener must not stop the desk
                log.exception("help listener failed")

    # -- the visitor ----------------------------------------------------------------------
    def host_can_come(self) -> Why:
        """Why.NONE when a host can be promised now; else why not."""
        if not self.online():
            return Why.OFFLINE
        if self.s.hours:
            from kiosk.tickets.services import is_open
            if not is_open(self.s.hours, self.clock.wall(), self.tz):
                return Why.CLOSED
        return Why.NONE

    def request(self, screen: str, lang: str) -> HelpView:
        """The help button (or key) on `screen`: a new call, or the current one again."""
        now = self.clock.monotonic()
        with self._lock:
            cur = self._view
            if cur.state is HelpState.COMING or (cur.active and now - self._at < self.s.repeat_s):
                return cur
            import uuid  # here: uuid imports platform, not needed to start
            why = self.host_can_come()
            view = HelpView(HelpState.INFO if why is not Why.NONE else HelpState.CALLED,
                            str(uuid.uuid4()), "", why, screen)
            self._view, self._at = view, now
        self.record("help.requested", {"call_id": view.call_id, "place": self.here,
                                       "screen": screen, "lang": lang,
                                       "offline": why is not Why.NONE})
        self._changed(view)
        return view

    def cancel(self) -> HelpView:
        """The visitor needs no help after all: help.cancelled for a call a host would answer
        (an INFO call promised nothing: it only ends)."""
        with self._lock:
            cur = self._view
            self._view = HelpView()
        if cur.state in (HelpState.CALLED, HelpState.COMING):
            self.record("help.cancelled", {"call_id": cur.call_id})
        if cur.active:
            self._changed(self._view)
        return self._view

    def forget(self) -> None:
        """The session ended (the next visitor): the screen forgets the call; the call itself
        stays open for the host (the visitor may still be near)."""
        with self._lock:
            was = self._view
            self._view = HelpView()
        if was.active:
            self._changed(self._view)

    # -- the host's answer ------------------------------------------------------------------
    def update(self, entries) -> None:
        """The central queue's help entries (kiosk.hall.client.HelpEntry); only this kiosk's
        current call counts."""
        with self._lock:
            cur = self._view
            if not cur.active:
                return
            entry = next((e for e in entries if e.id == cur.call_id), None)
            if entry is None:
                return
            if entry.state == "coming":
                view = replace(cur, state=HelpState.COMING, host=entry.host)
            elif entry.state in ENDED:
                view = HelpView()
            else:
                return
            if view == cur:
                return
            self._view = view
        self._changed(view)

    # -- the way to the information desk ------------------------------------------------------
    def info_place(self):
        """The information desk's Place on the floor plan, or None."""
        plan = self._plan()
        if plan is None:
            return None
        if self.s.info_place:
            return plan.places.get(self.s.info_place)
        return next((p for p in plan.places.values() if p.kind == "information"), None)

    def directions(self, lang: str) -> tuple[str, list[str]]:
        """(the information desk's name, the steps from here) in `lang`; ("", []) without a
        floor plan or an information desk, the steps [] without a route."""
        place = self.info_place()
        if place is None:
            return "", []
        if self._routes is None:
            from kiosk.tickets.setup import TicketDirections
            self._routes = TicketDirections(self._plan())
        try:
            return place.name(lang), self._routes.full(place.id, lang)
        except Exception as e:  # noqa: BLE001 - the help text stands without the route
            log.warning("no route to the information desk %s: %s", place.id, e)
            return place.name(lang), []

    def _plan(self):
        if self.plan_source is None:
            return None
        try:
            plan = self.plan_source()
        except Exception as e:  # noqa: BLE001 - no floor plan: no route, help still works
            log.info("help: no floor plan: %s", e)
            return None
        return None if plan is None or plan.empty or plan.here_node not in plan.nodes else plan
