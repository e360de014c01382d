"""The language list, for devices that offer more than two languages: each language
by its own name, as big buttons. Choosing one closes the list."""
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

    def _chosen(self, btn):
        self.dismiss()
        self.app.set_language(btn.lang_code)

    def audio_view(self):
        from kiosk.audio.focus import FocusItem
        from screens.audio_mode import AudioView
        items = [(FocusItem(f"lang.{b.lang_code}", b.text, activate=lambda b=b: self._chosen(b)), b)
                 for b in self.buttons]
        return AudioView(self.app.tr("common.language"), "", items, on_back=self.dismiss)


def open_chooser(app, langs: list[str]) -> LanguageChooser:
    view = LanguageChooser(app, langs)
    if app.kcfg.ui.layout == "low":
        view.pos_hint = {"center_x": 0.5, "y": 0.04}   # within reach (screens/low_reach.py)
    view.bind(on_dismiss=lambda v: app.audio.uncover(v))
    view.open(animation=False)
    app.audio.cover(view)
    return view


load_kv_for(__file__)
