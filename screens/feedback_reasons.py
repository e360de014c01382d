"""Feedback step 2: pick reasons for the answer (several allowed), then Done or Skip."""
from __future__ import annotations

from kivy.app import App
from kivy.uix.screenmanager import Screen

from screens import looks, textures
from screens.kvload import load_kv_for
from screens.widgets import ReasonToggle


class FeedbackReasonsScreen(Screen):
    def __init__(self, **kw):
        super().__init__(**kw)
        self.app = App.get_running_app()
        self._pool: dict[str, ReasonToggle] = {}  # reuse widgets: no texture leaks
        looks.current(self.app).bind(lang=lambda *_: self._relabel())

    def on_pre_enter(self, *_):
        flow = self.app.core.flow
        self.prepare(flow.current.sentiment.value if flow.current else "neutral")

    def prepare(self, kind: str) -> None:
        """The title and reasons for an answer of this kind ("negative", "neutral",
        "positive"). Called on the press of a smiley too, so that while the finger is on the
        glass the screen, still hidden, is laid out and rendered (screens/textures.py) and
        the release only shows it; on entering it changes nothing when the kind is the same."""
        self.ids.title.msgid = f"feedback.reasons.{kind}"
        grid = self.ids.reasons
        wanted = [self._toggle(rid) for rid in self.app.core.flow.reasons_for(kind)]
        for btn in wanted:
            btn.state = "normal"
        if list(reversed(grid.children)) != wanted:
            grid.clear_widgets()
            for btn in wanted:
                grid.add_widget(btn)
        self._relabel()
        textures.warm(self)   # before the finger lifts, not WARM_S later

    def _toggle(self, rid: str) -> ReasonToggle:
        btn = self._pool.get(rid)
        if btn is None:
            with looks.building(looks.of(self)):   # its rules read the screen's look
                btn = ReasonToggle(reason_id=rid)
            btn.bind(on_release=self._toggled)
            self._pool[rid] = btn
        return btn

    def _relabel(self):
        for rid, btn in self._pool.items():
            btn.text = self.app.tr(f"reason.{rid}")
        self.app.audio.refresh(self)

    def _toggled(self, btn):
        now = self.app.core.flow.toggle_reason(btn.reason_id)
        btn.state = "down" if now else "normal"
        self.app.audio.refresh(self)

    def toggle(self, reason_id: str) -> ReasonToggle:
        return self._pool[reason_id]

    def show_error(self, text: str):
        self.ids.hint.text = text
        self.app.core.audio.announce(text)

    def audio_view(self):
        from kiosk.audio.focus import FocusItem
        from screens.audio_mode import AudioView
        ids = self.ids
        items = [(FocusItem(f"reason.{b.reason_id}", b.text, role="toggle",
                            chosen=b.state == "down", activate=lambda b=b: self._toggled(b)), b)
                 for b in reversed(ids.reasons.children)]
        items += [(FocusItem("skip", ids.skip.text,
                             activate=lambda: self.app.feedback_done(skipped=True)), ids.skip),
                  (FocusItem("done", ids.done.text, activate=self.app.feedback_done), ids.done)]
        return AudioView(ids.title.text, ids.hint.text, items)


load_kv_for(__file__)
