"""Large text that is large (issue 13): the rendered font size of every label on every visitor
screen, in normal and in large-text mode, before and after an idle reset. Large is never
smaller than normal, the ticket number never shrinks (it went 220 -> 66 -> 49 px after two
toggles), the next visitor after an idle reset gets the normal sizes again, and no word on a
button is wider than the button's text area (Kivy would split it mid-word)."""
import pytest
from kivy.core.text import Label as CoreLabel
from kivy.uix.button import Button
from kivy.uix.label import Label

from audio_sites import full_site
from test_ui_tickets import drain, top_bar

SCREENS = ["home", "feedback_question", "feedback_reasons", "feedback_thanks",
           "ticket_services", "ticket_appointment", "ticket_issued",
           "wayfinding_destinations", "wayfinding_map"]


def rendered_size(label) -> float:
    """The font size the label's texture was last rendered with (not the setting)."""
    core = getattr(label, "_label", None)
    if core is not None and core.options.get("font_size"):
        return float(core.options["font_size"])
    return float(label.font_size)


def show(ui, name):
    app = ui.app
    if name == "wayfinding_map":
        app.show("wayfinding_destinations").choose("desk-5")
    else:
        app.show(name)
    drain(ui)
    ui.frames(4)
    return ui.screen(name)


def measure(ui) -> dict:
    sizes = {}
    for name in SCREENS:
        screen = show(ui, name)
        for w in screen.walk(restrict=True):
            if isinstance(w, Label) and (w.text or "").strip():
                sizes[(name, id(w))] = (rendered_size(w), w)
    ui.app.show("home")
    drain(ui)
    return sizes


def toggle_large(ui):
    bar = top_bar(ui.screen())
    ui.tap(bar.ids.large_text)
    ui.frames(4)


def words_fit(ui) -> list:
    """(screen, text, word) for each word wider than its button's text area."""
    bad = []
    for name in SCREENS:
        screen = show(ui, name)
        for w in screen.walk(restrict=True):
            if not isinstance(w, Button) or not (w.text or "").strip() or w.opacity == 0:
                continue
            width = w.text_size[0]
            if not width:
                continue
            for word in w.text.split():
                lab = CoreLabel(text=word, font_size=w.font_size, bold=w.bold,
                                font_name=w.font_name)
                lab.refresh()
                if lab.texture.width > width + 1:
                    bad.append((name, w.text, word, lab.texture.width, width))
    return bad


@pytest.mark.parametrize("ui", [full_site()], indirect=True, ids=["home"])
def test_large_text_is_never_smaller_and_resets_for_the_next_visitor(ui):
    app = ui.app
    show(ui, "ticket_services").ctl.take("passport")
    drain(ui)
    number = ui.screen("ticket_issued").ids.number
    normal = measure(ui)
    n0 = rendered_size(number)
    assert words_fit(ui) == []
    ui.screenshot("normal")

    toggle_large(ui)
    assert app.accessible
    large = measure(ui)
    smaller = [(k[0], w.text[:30], normal[k][0], s) for k, (s, w) in large.items()
               if k in normal and s < normal[k][0] - 0.01]
    assert smaller == []
    assert rendered_size(number) >= n0 * 1.3
    bad = words_fit(ui)
    assert bad == [], bad
    ui.screenshot("large")

    toggle_large(ui)                                   # the bug: smaller after each toggle
    again = measure(ui)
    assert rendered_size(number) == pytest.approx(n0)
    assert all(s == pytest.approx(normal[k][0]) for k, (s, _w) in again.items() if k in normal)

    toggle_large(ui)
    toggle_large(ui)
    toggle_large(ui)                                   # large, then the visitor walks away
    assert app.accessible
    app.show("wayfinding_destinations")
    ui.advance(app.kcfg.ui.idle_timeout_s + app.kcfg.ui.warn_s + 1)
    assert ui.current == "home" and not app.accessible
    after = measure(ui)                                # the next visitor: normal sizes
    assert all(s == pytest.approx(normal[k][0]) for k, (s, _w) in after.items() if k in normal)
    show(ui, "ticket_services").ctl.take("passport")
    drain(ui)
    assert rendered_size(number) == pytest.approx(n0)
