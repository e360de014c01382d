"""The hall display (device.role = "display"): the latest call large with an arrow and a short
direction to the desk, the calls before it, people waiting per service, and a clear banner
when the connection to the central service is lost (the last calls stay on screen).

Nothing here blocks the Kivy thread: kiosk.hall.calls.HallPoller reads the queue on its own
thread and hands each snapshot over with Clock.schedule_once; the floor plan, the speech
device and the chime are prepared on a helper thread; announcements play on the
kiosk.hall.announce.Announcer's worker.
"""
from __future__ import annotations

import logging
import threading

from kivy.app import App
from kivy.clock import Clock
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen
from kivy.uix.widget import Widget

from kiosk.hall.calls import Connection, HallPoller, HallView
from kiosk.tickets.services import ServiceCatalog
from screens import widgets  # noqa: F401 - KLabel used in the .kv
from screens.kvload import load_kv_for

log = logging.getLogger(__name__)

CHECK_S = 1.0  # how often the connection state is looked at


class DirectionArrow(Widget):
    angle = NumericProperty(0)      # degrees clockwise from "up" (straight ahead)
    shown = BooleanProperty(False)


class HallRow(BoxLayout):
    """One line of a list: ticket and desk, or service and people waiting."""
    name_text = StringProperty("")   # ticket, or service
    value_text = StringProperty("")  # desk, or people waiting


class HallDisplayScreen(Screen):
    own_idle_timer = True  # nothing to reset: the display is its own start screen
    latest_text = StringProperty("")
    desk_text = StringProperty("")
    direction_text = StringProperty("")
    recall_text = StringProperty("")
    connection = StringProperty(Connection.CONNECTING.value)

    def __init__(self, **kw):
        super().__init__(**kw)
        self.app = App.get_running_app()
        self.view = HallView()
        self.finder = None
        self.announcer = None
        self.poller = None
        self._check_ev = None
        self._closed = False
        self.catalog = ServiceCatalog.from_config(self.app.kcfg)
        self._build_rows()
        self.app.bind(lang=lambda *_: self.render(), on_stop=lambda *_: self.close())
        self.start()

    # -- life cycle ---------------------------------------------------------------
    def start(self):
        cfg = self.app.kcfg
        self.poller = HallPoller(cfg.sync, cfg.display, self._update_bg, tz=cfg.device.timezone,
                                 clock=self.app.core.clock.monotonic)
        self.view = self.poller.board.view()  # "connecting" until the first answer
        threading.Thread(target=self._prepare, name="hall-prepare", daemon=True).start()
        self._check_ev = Clock.schedule_interval(lambda _dt: self._check(), CHECK_S)

    def _prepare(self):
        """Floor plan, speech device and chime: file and device work, off the Kivy thread."""
        from kiosk.hall.directions import DeskFinder
        cfg = self.app.kcfg
        finder = DeskFinder.from_config(cfg, self.app.translator)
        announcer = None
        if cfg.display.speak or cfg.display.chime:
            from kiosk.hall.announce import Announcer, ensure_chime
            speech = self.app.core.speech()   # opened once by the core (closed by it too)
            if speech is not None:
                chime = None
                if cfg.display.chime:
                    try:
                        chime = ensure_chime(self.app.core.store.data_dir)
                    except OSError as e:
                        log.warning("hall display: no chime: %s", e)
                announcer = Announcer(speech, chime)
        Clock.schedule_once(lambda _dt: self._prepared(finder, announcer))

    def _prepared(self, finder, announcer):
        if self._closed:  # the app stopped while this was being prepared
            if announcer is not None:
                announcer.close()
            return
        self.finder, self.announcer = finder, announcer
        self.render()
        self.poller.start()  # only now, so the first answer's fresh calls are announced too

    def close(self):
        self._closed = True
        if self._check_ev is not None:
            self._check_ev.cancel()
            self._check_ev = None
        if self.poller is not None:
            self.poller.stop()
        if self.announcer is not None:
            self.announcer.close()

    # -- updates from the poller --------------------------------------------------------
    def _update_bg(self, view, announce):
        Clock.schedule_once(lambda _dt: self._update(view, announce))

    def _update(self, view: HallView, announce: list):
        self.view = view
        self.render()
        cfg = self.app.kcfg.display
        if announce and self.announcer is not None:
            from kiosk.hall.announce import call_texts
            for call in announce:
                texts = call_texts(call, self.app.translator, self.app.kcfg.ui.default_language,
                                   direction=self._direction_for(call.desk) if call.desk else None,
                                   service_name=self._service_name) \
                    if cfg.speak else []
                self.announcer.announce(texts)

    def _service_name(self, sid: str, lang: str) -> str:
        """A service's name in `lang` from the display's own catalog (a transfer's target)."""
        service = next((s for s in self.catalog if s.id == sid), None)
        return self.catalog.name(service, lang) if service is not None else sid

    def _direction_for(self, desk: str):
        """The short direction to `desk` per language, as the screen shows it (None: no plan)."""
        finder = self.finder
        if finder is None:
            return None
        return lambda lang: finder.direction(desk, lang).text

    def _check(self):
        state = self.view.connection(self.app.core.clock.monotonic()).value
        if state != self.connection:
            log.info("hall display: connection %s%s", state,
                     f" ({self.view.message})" if self.view.message else "")
            self.connection = state

    # -- drawing ----------------------------------------------------------------------
    def _build_rows(self):
        """Labels made once and reused (new Label widgets per update leak textures)."""
        self._prev_rows = [HallRow() for _ in range(self.app.kcfg.display.calls_shown)]
        for row in self._prev_rows:
            self.ids.previous.add_widget(row)
        self._wait_rows = {}
        for service in self.catalog:
            row = HallRow()
            self._wait_rows[service.id] = (service, row)
            self.ids.waiting.add_widget(row)

    def render(self):
        self._check()
        app, lang = self.app, self.app.lang
        latest = self.view.latest
        if latest is None:
            self.latest_text, self.desk_text, self.recall_text = "", app.tr("display.no_calls"), ""
            self._direction(None)
        else:
            self.latest_text = latest.ticket
            self.desk_text = app.tr("display.desk", desk=latest.desk)
            self.recall_text = app.tr("display.recall") if latest.recall else ""
            self._direction(latest.desk)
        older = self.view.calls[1:]
        for i, row in enumerate(self._prev_rows):
            call = older[i] if i < len(older) else None
            row.name_text = call.ticket if call else ""
            row.value_text = app.tr("display.desk", desk=call.desk) if call else ""
        for sid, (service, row) in self._wait_rows.items():
            row.name_text = self.catalog.name(service, lang)
            n = self.view.waiting.get(sid)
            row.value_text = "-" if n is None else str(n)

    def _direction(self, desk):
        arrow = self.ids.arrow
        d = self.finder.direction(desk, self.app.lang) if (desk and self.finder) else None
        arrow.shown = d is not None and d.angle is not None
        arrow.angle = d.angle if arrow.shown else 0
        self.direction_text = d.text if d is not None else ""


load_kv_for(__file__)
