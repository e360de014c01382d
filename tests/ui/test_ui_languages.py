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
            screen = show(ui, name)
            ui.screenshot(f"{lang}-{name}")
            if lang == "ar":
                bar = top_bar(screen)
                # mirrored: the language button at the right, large text at the left
                assert bar.ids.lang_button.x > bar.ids.large_text.x, name
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
