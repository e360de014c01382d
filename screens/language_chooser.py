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
        for code in langs:
            btn = BigButton(text=app.translator.language_name(code))
            btn.lang_code = code
            btn.bind(on_release=self._chosen)
            self.ids.list.add_widget(btn)

    def _chosen(self, btn):
        self.app.set_language(btn.lang_code)
        self.dismiss()


def open_chooser(app, langs: list[str]) -> LanguageChooser:
    view = LanguageChooser(app, langs)
    view.open(animation=False)
    return view


load_kv_for(__file__)
