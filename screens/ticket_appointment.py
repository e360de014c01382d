"""Tickets: check in for an appointment. Scan the QR/barcode of the confirmation (serial
scanner, or a USB scanner that types like a keyboard) or type the code on a big keypad.
The code is checked on the worker; it is never stored."""
from __future__ import annotations

import string

from kivy.app import App
from kivy.core.window import Window
from kivy.properties import ObjectProperty
from kivy.uix.screenmanager import Screen

from devices.scanner import WedgeBuffer
from kiosk.audio.focus import FocusItem
from kiosk.audio.ticket import spoken_characters
from screens.audio_mode import AudioView, text_item
from screens import widgets  # noqa: F401 - TopBar, KLabel, BigButton used in the .kv
from screens import looks
from screens.kvload import load_kv_for
from screens.ticket_controller import ticket_controller
from screens.widgets import SecondaryButton

KEYS = string.digits + string.ascii_uppercase
ENTER_KEYS = (13, 271)   # Return and keypad Enter
BACKSPACE = 8


class TicketAppointmentScreen(Screen):
    ctl = ObjectProperty(None)

    def __init__(self, **kw):
        self.app = App.get_running_app()
        kw.setdefault("ctl", ticket_controller(self.app))  # the .kv binds to it
        super().__init__(**kw)
        self.entry = WedgeBuffer(max_len=32)
        self.key_buttons: dict[str, SecondaryButton] = {}
        for ch in KEYS:
            b = SecondaryButton(text=ch, bold=True)
            b.size_hint_y = 1   # the keypad fills the free height: bigger keys
            b.bind(on_release=lambda btn: self.key(btn.text))
            self.ids.keypad.add_widget(b)
            self.key_buttons[ch] = b
        self.ctl.bind(message=lambda *_: self._show_message())
        looks.current(self.app).bind(lang=lambda *_: self._show_message())

    def on_pre_enter(self, *_):
        self.entry.clear()
        self._show_code()
        Window.bind(on_key_down=self._key_down)

    def on_leave(self, *_):
        Window.unbind(on_key_down=self._key_down)

    # keyboard-wedge scanners and real keyboards
    def _key_down(self, _win, key, _scancode, codepoint, _mods):
        if key in ENTER_KEYS:
            self.submit()
        elif key == BACKSPACE:
            self.backspace()
        elif codepoint:
            self.entry.key(codepoint.upper())
            self._show_code()
        else:
            return False
        return True

    def key(self, ch: str):
        self.entry.key(ch)
        self._show_code()
        self._say_code()

    def backspace(self):
        self.entry.backspace()
        self._show_code()
        self._say_code()

    def clear(self):
        self.entry.clear()
        self.ctl.message = ""
        self._show_code()
        self._say_code()

    def _say_code(self):
        """In audio mode each key is confirmed with the whole code so far, sign by sign."""
        if not self.app.core.session.audio:
            return
        code = self.entry.text
        tr = self.app.translator
        self.app.core.audio.announce(
            tr("audio.code", self.app.lang, code=spoken_characters(code, self.app.lang, tr))
            if code else tr("audio.code_empty", self.app.lang))

    def submit(self):
        code = self.entry.enter()
        self._show_code()
        if code:
            self.ctl.check_in(code)

    def _show_code(self):
        self.ids.code.text = self.entry.text or " "
        self.app.audio.refresh(self)

    def _show_message(self):
        m = self.ctl.message
        text = self.app.tr(m) if m else ""
        if text != self.ids.message.text:
            self.ids.message.text = text
            if self.app.sm.current == self.name:
                self.app.core.audio.announce(text)   # e.g. "this code is not right"
            self.app.audio.refresh(self)

    def audio_view(self):
        ids = self.ids
        code = self.entry.text
        tr = self.app.translator.gettext
        code_text = (tr("audio.code", self.app.lang, code=code) if code
                     else tr("audio.code_empty", self.app.lang))
        items = [(FocusItem("code", code_text, role="text"), ids.code),
                 text_item("message", ids.message)]
        items += [(FocusItem(f"key.{ch}", ch, activate=lambda c=ch: self.key(c)), btn)
                  for ch, btn in self.key_buttons.items()]
        items += [(FocusItem(k, ids[k].text, activate=fn), ids[k]) for k, fn in
                  (("backspace", self.backspace), ("clear_code", self.clear),
                   ("check", self.submit), ("back", self.back))]
        return AudioView(ids.title.text, f"{ids.scan_hint.text} {ids.type_hint.text}", items,
                         on_back=self.back)

    def back(self):
        self.ctl.message = ""
        self.app.show("ticket_services")


load_kv_for(__file__)
