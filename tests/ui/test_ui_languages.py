"""Every visitor screen in every language (issue 14): shown from the language's own catalog
(no English fallback), no word split on a button, Arabic shaped and mirrored; a screenshot of
each in build/screenshots/ (test_every_visitor_screen_in_every_language-<lang>-<screen>.png)."""
import logging

import pytest

from audio_sites import full_site
from test_ui_large_text import SCREENS, show, words_fit
from test_ui_tickets import drain, top_bar

LANGS = ["nl", "en", "pl", "tr", "ar", "uk"]
SIX = full_site(languages=LANGS)


def misplaced_pictograms(screen) -> list:
    """Buttons whose pictogram, as drawn (its instructions' points), is not inside them."""
    from screens.pictogram import PictogramButton
    bad = []
    for b in screen.walk(restrict=True):
        group = getattr(b, "_icon_group", None)
        if not isinstance(b, PictogramButton) or group is None or b.opacity == 0 or b.width <= 1:
            continue
        for ins in group.children:
            pts = list(getattr(ins, "points", []) or [])
            xs, ys = pts[0::2], pts[1::2]
            if xs and not (b.x - 1 <= min(xs) and max(xs) <= b.x + b.width + 1
                           and b.y - 1 <= min(ys) and max(ys) <= b.y + b.height + 1):
                bad.append((b.text, b.icon))
                break
    return bad


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("ui", [SIX], indirect=True, ids=["six"])
def test_every_visitor_screen_in_every_language(ui, lang, caplog):
    app = ui.app
    show(ui, "ticket_services").ctl.take("passport")       # the issued ticket has a number
    drain(ui)
    app.core.session.set_language(lang)
    drain(ui)
    with caplog.at_level(logging.WARNING, logger="kiosk.i18n"):
        for name in SCREENS:
            if name == "feedback_reasons":          # after a smiley: the reasons to choose from
                show(ui, "feedback_question")
                ui.tap(ui.screen().face(2))
                drain(ui)
                screen = ui.screen()
                assert screen.ids.reasons.children, "reasons offered"
            else:
                screen = show(ui, name)
            ui.screenshot(f"{lang}-{name}")
            assert misplaced_pictograms(screen) == [], (lang, name)
            if lang == "ar":
                bar = top_bar(screen)
                # mirrored: the language button at the right, large text at the left
                assert bar.ids.lang_button.x > bar.ids.large_text.x, name
        if lang != "nl":                            # the language list, as a visitor opens it
            from screens.language_chooser import open_chooser
            view = open_chooser(app, LANGS)
            ui.frames(3)
            assert [b.text for b in view.buttons] == [app.translator.language_name(c) for c in LANGS]
            ui.screenshot(f"{lang}-language_list")
            view.dismiss()
            ui.frames(2)
    fallbacks = [r.getMessage() for r in caplog.records if f"no {lang} translation" in r.getMessage()]
    assert fallbacks == []
    assert app.rtl is (lang == "ar")
    assert words_fit(ui) == [], lang


@pytest.mark.parametrize("ui", [SIX], indirect=True, ids=["six"])
def test_back_to_a_left_to_right_language_unmirrors(ui):
    app = ui.app
    app.show("ticket_services")
    drain(ui)
    bar = top_bar(ui.screen())
    ltr = bar.ids.lang_button.x
    app.core.session.set_language("ar")
    drain(ui)
    ui.frames(2)
    assert bar.ids.lang_button.x > bar.ids.large_text.x
    app.core.session.set_language("pl")
    drain(ui)
    ui.frames(2)
    assert bar.ids.lang_button.x == ltr and not app.rtl
