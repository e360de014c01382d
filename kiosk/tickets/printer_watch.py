"""The one owner of what the kiosk knows about its ticket printer's state.

  watch = PrinterWatch(store, printer)
  watch.poll()                       # ask the printer now (bounded by its status timeout)
  watch.observe(state, "detail")     # what a print job showed
  watch.state                        # last known PrinterState, or None before the first look
  watch.paper_tickets_available()    # False when the last state says printing cannot work

Every change goes through `common.states.move` with the printer's table
(devices.printer.PRINTER_TRANSITIONS, or BLIND_PRINTER_TRANSITIONS for a printer without a
status channel), is kept in the store's meta table (`printer.state`, so it survives a
restart) and is reported as a `device.status` event - except the first look finding a
printer that can print, which is not news. Seeing the same state again changes nothing.
"""
from __future__ import annotations

import logging
import threading

from common.states import move
from devices.printer import BLIND_PRINTER_TRANSITIONS, PRINTER_TRANSITIONS, PrinterState

log = logging.getLogger(__name__)
META_KEY = "printer.state"


class PrinterWatch:
    def __init__(self, store, printer):
        self.store = store
        self.printer = printer
        self._lock = threading.Lock()
        self.state: PrinterState | None = self._stored()

    def _stored(self) -> PrinterState | None:
        try:
            return PrinterState(self.store.meta_get(META_KEY, ""))
        except ValueError:
            return None

    @property
    def answers_status(self) -> bool:
        return bool(getattr(self.printer, "answers_status", False))

    def table(self):
        return PRINTER_TRANSITIONS if self.answers_status else BLIND_PRINTER_TRANSITIONS

    def observe(self, state: PrinterState, detail: str = "") -> bool:
        """Record what was seen; True when the state changed. Raises IllegalTransition for
        a change the printer's table does not allow (a bug, e.g. paper states reported by
        a printer that has no way to know them)."""
        with self._lock:
            previous = self.state
            if state == previous:
                return False
            # before the first look the state is as good as unknown
            start = PrinterState.UNKNOWN if previous is None else previous
            new = start if state == start else move(self.table(), start, state, "printer")
            self.state = new
            self.store.meta_set(META_KEY, new.value)
        if previous is None and new.can_print:
            return True  # first look, and all is well: nothing to report
        self.store.record_event("device.status", {
            "device": "printer", "state": new.value,
            "previous": previous.value if previous else None, "detail": detail[:300]})
        return True

    def poll(self) -> PrinterState:
        """Ask the printer now and record a change."""
        state = self.printer.status()
        self.observe(state, "")
        return state

    def paper_tickets_available(self) -> bool:
        """False when the last known state says printing cannot work (show the no-paper path).
        A printer that cannot be asked, or not asked yet, is given the benefit of the doubt."""
        st = self.state
        if st is None or not self.answers_status:
            return True
        return st.can_print
