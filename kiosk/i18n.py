"""Translation catalogs (gettext) for every visitor-facing string.

Layout: kiosk/locale/<lang>/LC_MESSAGES/<domain>.po, one domain per part of the app (kiosk,
tickets, wayfinding, display, audio, staff); all domains of a language are merged. The
catalogs decide which languages exist: a language is available when its folder has a catalog
with the `language.name` entry (the name shown in the language list, in that language).
Message ids are symbolic (`feedback.question`), so every language, Dutch included, is a
complete catalog. Staff screens (staff.po) may stay Dutch and English: other languages fall
back to English there.

The .po files are compiled to .mo at install and build (`python -m kiosk.i18n compile`, run by
`make`); at run time the kiosk reads the .mo with the standard library's gettext. A .mo that
is missing or older than its .po (a translator's checkout) is compiled in memory with Babel and
a warning says to run `make`.

Placeholders use str.format names: `tr("ticket.wait_at", place=...)`. Plurals are gettext
plurals with the language's Plural-Forms: `tr.ngettext("ticket.people_ahead", n, lang, n=n)` (the
plural msgid is the singular's with ".plural" appended).
"""
from __future__ import annotations

import gettext
import logging
import os
import sys
from functools import lru_cache
from pathlib import Path

from common.catalogs import PoError, compile_catalogs as _compile_folder, fill, translations
from common.catalogs import read_po_file  # noqa: F401 - for checks and tests

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
FALLBACK = "en"
PLURAL_SUFFIX = ".plural"


def compile_catalogs(locale_dir: str | os.PathLike = LOCALE_DIR) -> list[Path]:
    """Write <domain>.mo next to every <domain>.po that has no up-to-date one; returns them."""
    return _compile_folder(locale_dir)


class Catalog(dict):
    """One language's messages, all domains merged: msgid -> text (a plural's singular form),
    and `plural(msgid, n)` for the language's form of a plural message."""

    def __init__(self, parts: list[gettext.GNUTranslations]):
        super().__init__()
        self._parts = parts
        for t in parts:
            for key, text in t._catalog.items():     # the parsed .mo (stdlib gettext)
                if isinstance(key, str) and key:
                    self.setdefault(key, text)
                elif isinstance(key, tuple) and key[1] == 0:
                    self.setdefault(key[0], text)

    def plural(self, msgid: str, n: int) -> str | None:
        for t in self._parts:
            text = t.ngettext(msgid, msgid + PLURAL_SUFFIX, n)
            if text not in (msgid, msgid + PLURAL_SUFFIX):
                return text
        return None


@lru_cache(maxsize=None)
def load_language(lang: str, locale_dir: str = str(LOCALE_DIR)) -> Catalog:
    folder = Path(locale_dir) / lang / "LC_MESSAGES"
    return Catalog([translations(po) for po in sorted(folder.glob("*.po"))])


def available_languages(locale_dir: str | os.PathLike = LOCALE_DIR) -> list[str]:
    """Languages that have a catalog, sorted by code."""
    out = []
    base = Path(locale_dir)
    if base.is_dir():
        for d in sorted(base.iterdir()):
            if (d / "LC_MESSAGES").is_dir() and "language.name" in load_language(d.name, str(base)):
                out.append(d.name)
    return out


class Translator:
    """Looks up messages in the current language, falling back to English."""

    def __init__(self, language: str = "nl", locale_dir: str | os.PathLike = LOCALE_DIR,
                 extra: dict[str, dict[str, str]] | None = None):
        self.locale_dir = str(locale_dir)
        self.extra = extra or {}  # msgid -> lang -> text, from config (reason labels, services)
        self.language = language
        self._warned: set[tuple[str, str]] = set()

    def set_language(self, lang: str) -> None:
        self.language = lang

    def has(self, msgid: str, lang: str | None = None) -> bool:
        lang = lang or self.language
        return bool(load_language(lang, self.locale_dir).get(msgid)) or bool(
            self.extra.get(msgid, {}).get(lang))

    def _missing(self, lang: str, msgid: str) -> None:
        if (lang, msgid) not in self._warned:
            self._warned.add((lang, msgid))
            log.warning("no %s translation for %r", lang, msgid)

    def gettext(self, msgid: str, lang: str | None = None, **fmt) -> str:
        lang = lang or self.language
        text = self.extra.get(msgid, {}).get(lang) or load_language(lang, self.locale_dir).get(msgid)
        if not text:
            text = (self.extra.get(msgid, {}).get(FALLBACK)
                    or load_language(FALLBACK, self.locale_dir).get(msgid))
            self._missing(lang, msgid)
            if not text:
                text = msgid
        return fill(text, fmt, lang, msgid)

    __call__ = gettext

    def ngettext(self, msgid: str, count: int, lang: str | None = None, **fmt) -> str:
        """The form of plural message `msgid` for the number `count` in the language
        (Polish, Ukrainian: 3 forms; Arabic: 6)."""
        lang = lang or self.language
        text = load_language(lang, self.locale_dir).plural(msgid, count)
        if text is None:
            self._missing(lang, msgid)
            text = load_language(FALLBACK, self.locale_dir).plural(msgid, count) or msgid
        return fill(text, fmt, lang, msgid)

    def language_name(self, lang: str) -> str:
        return load_language(lang, self.locale_dir).get("language.name", lang)


def new_language(lang: str, locale_dir: str | os.PathLike = LOCALE_DIR) -> list[Path]:
    """Start a language: kiosk/locale/<lang>/LC_MESSAGES/<domain>.po for every domain of the
    English catalogs, every message empty (Babel writes the language's Plural-Forms)."""
    from babel.messages.catalog import Catalog as PoCatalog
    from babel.messages.pofile import read_po, write_po
    target = Path(locale_dir) / lang / "LC_MESSAGES"
    if target.exists() and any(target.glob("*.po")):
        raise PoError(f"{target} already has catalogs")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for src in sorted((Path(locale_dir) / FALLBACK / "LC_MESSAGES").glob("*.po")):
        if src.stem == "staff":
            continue   # staff screens stay Dutch and English
        with src.open("rb") as f:
            english = read_po(f)
        cat = PoCatalog(locale=lang, project="kiosk", fuzzy=False)
        for m in english:
            if m.id:
                empty = ("",) * cat.num_plurals if isinstance(m.id, tuple) else ""
                cat.add(m.id, empty, auto_comments=[f"en: {m.string if isinstance(m.string, str) else m.string[-1]}"])
        out = target / src.name
        with out.open("wb") as f:
            write_po(f, cat, width=100)
        written.append(out)
    return written


def main(argv: list[str]) -> int:
    """`python -m kiosk.i18n compile [DIR ...]`: compile every catalog under each locale folder
    (default kiosk/locale; make also passes central/locale); `python -m kiosk.i18n new xx`:
    start language xx from the English catalogs."""
    if argv[:1] == ["new"] and len(argv) == 2:
        try:
            for p in new_language(argv[1]):
                print(p)
        except (PoError, ValueError) as exc:
            print(f"cannot start {argv[1]!r}: {exc}", file=sys.stderr)
            return 1
        return 0
    if argv[:1] != ["compile"]:
        print("usage: python -m kiosk.i18n compile [LOCALE_DIR ...] | new LANG", file=sys.stderr)
        return 2
    try:
        written = [mo for d in (argv[1:] or [LOCALE_DIR]) for mo in compile_catalogs(d)]
    except PoError as exc:
        print(f"catalog error: {exc}", file=sys.stderr)
        return 1
    print(f"compiled {len(written)} catalog(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
