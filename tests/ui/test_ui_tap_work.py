"""What a smiley tap costs the Kivy thread (issue #19's stall): no label texture is rewritten in
place (a rewrite waits for every queued frame still reading it: 0.4-1.2 s measured here, see
screens/textures.py) and no database work runs on the Kivy thread (the writer thread does it)."""
import threading

from kivy.core.text import LabelBase

from kiosk.storage.store import Store


def _spy(monkeypatch, cls, name, record):
    real = getattr(cls, name)

    def spy(self, *a, **kw):
        record(self, name)
        return real(self, *a, **kw)
    spy.__name__ = real.__name__
    monkeypatch.setattr(cls, name, spy)


def test_a_smiley_tap_rewrites_no_texture_and_leaves_the_disk_to_the_writer(ui, monkeypatch):
    q = ui.screen()
    in_place, renders, db_on_kivy = [], [], []
    real_refresh = LabelBase.refresh

    def refresh(self):
        before = self.texture
        real_refresh(self)
        if before is not None and self.texture is before and before is not self.texture_1px:
            in_place.append(self.text)
    monkeypatch.setattr(LabelBase, "refresh", refresh)
    _spy(monkeypatch, LabelBase, "_render_real", lambda s, _n: renders.append(s.text))
    for name in ("query", "transaction", "execute_durable"):
        _spy(monkeypatch, Store, name, lambda _s, n: db_on_kivy.append(n)
             if threading.current_thread() is threading.main_thread() else None)

    for value in (1, 5, 3):   # negative, positive and neutral: the reasons screen's words change
        renders.clear()
        ui.tap(q.face(value))
        assert ui.until(lambda: ui.current == "feedback_reasons")
        ui.frames(2)
        assert renders, "the tap rendered nothing: the spy no longer sees label renders"
        ui.tap(ui.screen().ids.skip)
        ui.advance(6)             # past the interval in which a new answer is not counted
        assert ui.until(lambda: ui.current == "feedback_question")
        q = ui.screen()
    assert in_place == []
    assert db_on_kivy == []
