"""The catalogs (issue 14): six languages, complete, compiled the standard way, plural forms
per language, and a check that fails on each kind of broken catalog."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.i18n import LOCALE_DIR, Translator, available_languages, compile_catalogs, read_po_file
from kiosk.i18n_check import check_catalogs, check_language

ROOT = Path(__file__).resolve().parents[2]


def test_six_languages_and_the_check_passes():
    assert set(available_languages()) >= {"nl", "en", "pl", "tr", "ar", "uk"}
    assert check_catalogs() == []


def test_each_language_is_named_in_itself():
    t = Translator()
    assert [t.language_name(lang) for lang in ("nl", "en", "pl", "tr", "ar", "uk")] == [
        "Nederlands", "English", "Polski", "Türkçe", "العربية", "Українська"]


def _forms(lang, msgid):
    from babel.messages.pofile import read_po
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / "tickets.po", "rb") as f:
        return list(read_po(f).get(msgid).string)


# CLDR: Polish and Ukrainian one / few / many; Arabic zero / one / two / few / many / other
@pytest.mark.parametrize("lang,expected_form", [
    ("pl", {1: 0, 2: 1, 5: 2, 22: 1}),
    ("uk", {1: 0, 2: 1, 5: 2, 22: 1}),
    ("ar", {1: 1, 2: 2, 5: 3, 22: 4}),
])
def test_people_ahead_takes_the_plural_form_of_each_number(lang, expected_form):
    import gettext
    from kiosk.tickets.render import people_line
    t = Translator(lang)
    forms = _forms(lang, "ticket.people_ahead")
    assert len(forms) == (6 if lang == "ar" else 3)
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / "tickets.mo", "rb") as f:
        rule = gettext.GNUTranslations(f).plural       # the catalog's Plural-Forms, compiled
    for n, form in expected_form.items():
        assert rule(n) == form, (lang, n)
        assert people_line(t, n, lang) == forms[form].format(n=n), (lang, n)
    assert len({people_line(t, n, lang).replace(str(n), "#") for n in expected_form}) >= 3


def test_the_compiled_catalogs_are_what_the_kiosk_reads(tmp_path):
    """Catalogs are compiled to .mo (Babel) and read with the standard library's gettext."""
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, locale, ignore=shutil.ignore_patterns("*.mo"))
    written = compile_catalogs(locale)
    assert len(written) == len(list(locale.glob("*/LC_MESSAGES/*.po")))
    assert compile_catalogs(locale) == []                   # up to date: nothing rewritten
    import gettext
    with open(locale / "pl" / "LC_MESSAGES" / "tickets.mo", "rb") as f:
        mo = gettext.GNUTranslations(f)
    assert mo.ngettext("ticket.people_ahead", "ticket.people_ahead.plural", 5) == \
        _forms("pl", "ticket.people_ahead")[2]


def _broken(tmp_path, lang, domain, edit):
    locale = tmp_path / "locale"
    for code in ("en", lang):
        shutil.copytree(LOCALE_DIR / code, locale / code, ignore=shutil.ignore_patterns("*.mo"),
                        dirs_exist_ok=True)
    po = locale / lang / "LC_MESSAGES" / f"{domain}.po"
    po.write_text(edit(po.read_text(encoding="utf-8")), encoding="utf-8")
    return check_language(lang, locale)


def test_the_check_fails_on_each_kind_of_broken_catalog(tmp_path):
    def drop(text, msgid):
        start = text.index(f'msgid "{msgid}"')
        end = text.index("\n\n", start)
        return text[:start] + text[end + 2:]

    missing = _broken(tmp_path / "a", "pl", "kiosk", lambda t: drop(t, "home.title") + "\n")
    assert missing == ["pl/kiosk.po: 'home.title' missing"]

    def empty(t):
        start = t.index('msgid "home.title"')
        line_end = t.index("\n", t.index("msgstr", start))
        return t[:t.index("msgstr", start)] + 'msgstr ""' + t[line_end:]
    assert _broken(tmp_path / "b", "tr", "kiosk", empty) == ["tr/kiosk.po: 'home.title' is empty"]

    fuzzy = _broken(tmp_path / "c", "uk", "kiosk",
                    lambda t: t.replace('msgid "home.title"', '#, fuzzy\nmsgid "home.title"'))
    assert fuzzy == ["uk/kiosk.po: 'home.title' is fuzzy"]

    ph = _broken(tmp_path / "d", "pl", "tickets", lambda t: t.replace("{place}", "{plek}", 1))
    assert len(ph) == 1 and "placeholders ['plek'] differ from ['place']" in ph[0]

    forms = _broken(tmp_path / "e", "ar", "tickets",
                    lambda t: t.replace("nplurals=6;", "nplurals=2;"))
    assert forms and forms[0].startswith("ar/tickets.po: does not compile")  # 6 forms given
    header = _broken(tmp_path / "g", "tr", "tickets",              # a wrong rule, forms fit
                     lambda t: t.replace("nplurals=2; plural=(n != 1);", "nplurals=1; plural=0;")
                     .replace('msgstr[1] ', '#msgstr[1] '))
    assert any("Plural-Forms has 1 forms, tr has 2" in p for p in header), header

    syntax = _broken(tmp_path / "f", "uk", "audio", lambda t: t + '\nmsgid "x"\nmsgstr "y"\nnot a po line\n')
    assert len(syntax) == 1 and "does not compile" in syntax[0]


def test_make_compiles_and_the_command_reports(tmp_path):
    out = subprocess.run([sys.executable, "-m", "kiosk.i18n_check"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0 and "catalogs OK: ar, en, nl, pl, tr, uk" in out.stdout
    assert "kiosk.i18n compile" in (ROOT / "Makefile").read_text()


def test_polish_plain_reading_of_a_catalog_file():
    # read_po_file (checks, tests) gives a plural message's last form
    pl = read_po_file(LOCALE_DIR / "pl" / "LC_MESSAGES" / "tickets.po")
    assert pl["ticket.people_ahead"] == _forms("pl", "ticket.people_ahead")[-1]


def test_every_id_the_code_names_is_in_the_english_catalog():
    """Babel's extraction over the code and the .kv files finds the ids used; each is in the
    English catalog (the reference every language is checked against)."""
    import warnings
    from kiosk.i18n import load_language
    from kiosk.i18n_extract import extracted_ids
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ids = extracted_ids(ROOT)
    en = load_language("en")
    assert len(ids) >= 100 and "home.title" in ids and "ticket.people_ahead" in ids

    def known(msgid):   # `tr("a" if x else "b")`: Babel joins the two literals
        return msgid in en or any(msgid[:i] in en and msgid[i:] in en for i in range(1, len(msgid)))
    assert {k: v for k, v in ids.items() if not known(k)} == {}


def test_a_new_language_starts_from_the_english_catalogs(tmp_path):
    from kiosk.i18n import new_language
    shutil.copytree(LOCALE_DIR / "en", tmp_path / "en", ignore=shutil.ignore_patterns("*.mo"))
    written = new_language("de", tmp_path)
    assert sorted(p.name for p in written) == ["audio.po", "display.po", "kiosk.po",
                                               "tickets.po", "wayfinding.po"]
    problems = check_language("de", tmp_path)       # every message there, all still empty
    assert problems and all(p.endswith("is empty") for p in problems)
    assert "Plural-Forms: nplurals=2;" in (tmp_path / "de" / "LC_MESSAGES" / "tickets.po").read_text()
