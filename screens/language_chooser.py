"""The language list, for devices that offer more than two languages: each language
by its own name, as big buttons. Choosing one closes the list.

The list is built once per app and kept (its buttons' label textures with it): each
language's name is in that language, so nothing in it changes with the language shown, and
opening it again renders nothing. Choosing switches the language and closes the list in the
same frame (issue #19: the 0.1 s closing animation drew the dimmed overlay over the whole
window for more frames, up to 6 at 60 frames/s, each a full-window blend on a software
renderer)."""
from __future__ import annotations

from kivy.uix.modalview import ModalView

from screens.kvload import load_kv_for
from screens.widgets import BigButton


class LanguageChooser(ModalView):
    def __init__(self, app, langs: list[str], **kw):
        super().__init__(**kw)
        self.app = app
        self.name = "language_chooser"
        self.has_top_bar = False
        self.buttons = []
        for code in langs:
            btn = BigButton(text=app.translator.language_name(code))
            btn.lang_code = code
            btn.bind(on_release=self._chosen)
            self.ids.list.add_widget(btn)
            self.buttons.append(btn)

    def open(self, *args, **kwargs):
        # ModalView.open binds its centring to center and size on every open and no close
        # unbinds it: a list kept and opened again would gather one more pair each time
        self.funbind("center", self._align_center)
        self.funbind("size", self._align_center)
        super().open(*args, **kwargs)

    def _chosen(self, btn):
        self.app.set_language(btn.lang_code)
        self.dismiss(animation=False)   # the next frame shows the screen in the new language

    def audio_view(self):
        from kiosk.audio.focus import FocusItem
        from screens.audio_mode import AudioView
        items = [(FocusItem(f"lang.{b.lang_code}", b.text, activate=lambda b=b: self._chosen(b)), b)
                 for b in self.buttons]
        return AudioView(self.app.tr("common.language"), "", items, on_back=self.dismiss)


def _made(app, langs: list[str]) -> LanguageChooser:
    view = LanguageChooser(app, langs)
    view.bind(on_dismiss=lambda v: app.audio.uncover(v))
    return view


def open_chooser(app, langs: list[str]) -> LanguageChooser:
    view = app.shared(f"language_chooser:{','.join(langs)}", lambda: _made(app, langs))
    # within reach on a low kiosk (screens/low_reach.py); staff may change the layout
    view.pos_hint = {"center_x": 0.5, "y": 0.04} if app.kcfg.ui.layout == "low" else {}
    view.open(animation=False)
    app.audio.cover(view)
    return view


load_kv_for(__file__)
