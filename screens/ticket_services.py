"""Tickets step 1: what are you here for? Services as big tiles (pictogram + short word in
the visitor's language), an "I have an appointment" path, and a clear notice when no paper
tickets can be printed (the number is then shown on screen)."""
from __future__ import annotations

from kivy.app import App
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen

from kiosk.audio.focus import FocusItem
from kiosk.tickets.pictograms import load_pictogram
from screens.audio_mode import AudioView, text_item
from screens import widgets  # noqa: F401 - TopBar, KLabel, BigButton used in the .kv
from screens.widgets import HeldPress
from screens import looks
from screens.kvload import load_kv_for
from screens.ticket_controller import ticket_controller
from screens.ticket_widgets import mask_texture


class ServiceTile(HeldPress, ButtonBehavior, BoxLayout):
    service_id = StringProperty("")
    label = StringProperty("")
    note = StringProperty("")
    texture = ObjectProperty(None, allownone=True)
    is_open = BooleanProperty(True)


class TicketServicesScreen(Screen):
    ctl = ObjectProperty(None)

    def __init__(self, **kw):
        self.app = App.get_running_app()
        kw.setdefault("ctl", ticket_controller(self.app))  # the .kv binds to it
        super().__init__(**kw)
        self.tiles: dict[str, ServiceTile] = {}
        looks.current(self.app).bind(lang=lambda *_: self.relabel())
        self.ctl.bind(message=lambda *_: self._show_message())
        self._build()

    def _build(self):
        box = self.ids.tiles
        for s in self.ctl.catalog.walk_in():
            try:
                tex = mask_texture(load_pictogram(s.pictogram, 192))
            except (OSError, KeyError, ValueError):
                tex = mask_texture(load_pictogram("general", 192))
            tile = ServiceTile(service_id=s.id, texture=tex)
            tile.anticipate = self._finger_down
            tile.bind(on_release=self._tapped)
            box.add_widget(tile)
            self.tiles[s.id] = tile
        self.ids.appointment.opacity = 1 if self.ctl.catalog.appointment_service() else 0
        self.ids.appointment.disabled = self.ctl.catalog.appointment_service() is None
        self.relabel()

    def on_pre_enter(self, *_):
        self.ctl.message = ""
        self.release_tiles()
        self.relabel()

    def on_enter(self, *_):
        self.ctl.service.draw_ahead()   # the next ticket's QR, made while the visitor chooses

    def release_tiles(self):
        for tile in self.tiles.values():
            tile.release()

    def relabel(self):
        now = self.app.core.clock.wall()
        for sid, tile in self.tiles.items():
            s = self.ctl.catalog.get(sid)
            tile.label = self.ctl.catalog.name(s, self.app.lang)
            tile.is_open = self.ctl.catalog.open_now(s, now)
            tile.note = "" if tile.is_open else self.app.tr("tickets.closed")
        self._show_message()
        self.app.audio.refresh(self)

    def _finger_down(self, tile):
        """A finger is down on a tile: the ticket screen gets ready for its ticket meanwhile
        (TicketIssuedScreen.prepare); a tap takes the ticket on the release, a scroll nothing."""
        if tile.is_open:
            self.ctl.foresee(tile.service_id)

    def _tapped(self, tile):
        if not tile.is_open:
            tile.release()
            self.ctl.message = "tickets.closed"
            return
        if not self.ctl.take(tile.service_id):
            tile.release()   # a ticket is still being made: this tap is not taken

    def _show_message(self):
        m = self.ctl.message
        if m:
            self.release_tiles()   # refused (closed, printer, ...): no tile stays pressed
        shown = self.app.tr(m) if m and self.app.sm.current == self.name else ""
        if shown != self.ids.message.text:
            self.ids.message.text = shown
            self.app.core.audio.announce(shown)   # closed, printer failed, ...: said at once
            self.app.audio.refresh(self)

    def appointment(self):
        self.app.show("ticket_appointment")

    def show_error(self, text: str):
        self.ids.message.text = text
        self.app.core.audio.announce(text)

    def audio_view(self):
        ids = self.ids
        instruction = " ".join(t for t in (ids.hint.text, ids.no_paper.text) if t)
        items = [(FocusItem(f"service.{sid}", tile.label, detail=tile.note,
                            activate=lambda t=tile: self._chosen(t)), tile)
                 for sid, tile in self.tiles.items()]
        items.append(text_item("message", ids.message))
        if not ids.appointment.disabled:
            items.append((FocusItem("appointment", ids.appointment.text,
                                    activate=self.appointment), ids.appointment))
        return AudioView(ids.title.text, instruction, items,
                         on_back=self.app.audio_back(self.name),
                         start=self.name == self.app.start_screen())

    def _chosen(self, tile):
        tile.pressed = True   # the look of a tap
        self._tapped(tile)


load_kv_for(__file__)
