"""Translation catalogs (gettext .po files) for every visitor-facing string.

Layout: kiosk/locale/<lang>/LC_MESSAGES/<domain>.po, one domain per part of the
app (kiosk, tickets, wayfinding, ...); all domains of a language are merged. The
catalogs decide which languages exist: a language is available when its folder
has a catalog with the `language.name` entry (the name shown on the language button,
in that language). Message ids are symbolic (`feedback.question`), so every
language, Dutch included, is a complete catalog.

Placeholders use str.format names: `_("ticket.people_ahead", n=3)`.
"""
from __future__ import annotations

import ast
import logging
import os
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
FALLBACK = "en"


class PoError(ValueError):
    pass


def parse_po(text: str, name: str = "<po>") -> dict[str, str]:
    """Parse the subset of .po we use: msgid/msgstr with continued string lines."""
    entries: dict[str, str] = {}
    key = None
    cur: dict[str, list[str]] = {}

    def flush():
        if "msgid" in cur:
            mid = "".join(cur["msgid"])
            entries[mid] = "".join(cur.get("msgstr", []))
        cur.clear()

    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line:
                flush()
            continue
        if line.startswith("msgid "):
            flush()
            key, rest = "msgid", line[6:]
        elif line.startswith("msgstr "):
            key, rest = "msgstr", line[7:]
        elif line.startswith('"'):
            rest = line
        else:
            raise PoError(f"{name}:{no}: cannot read line: {raw!r}")
        if key is None:
            raise PoError(f"{name}:{no}: text before the first msgid")
        if len(rest) >= 2 and rest[0] == '"' and rest[-1] == '"' and "\\" not in rest \
                and '"' not in rest[1:-1]:
            cur.setdefault(key, []).append(rest[1:-1])  # the common case, without escapes
            continue
        try:
            value = ast.literal_eval(rest)
        except (ValueError, SyntaxError):
            raise PoError(f"{name}:{no}: bad quoted string: {rest!r}") from None
        if not isinstance(value, str):
            raise PoError(f"{name}:{no}: expected a quoted string")
        cur.setdefault(key, []).append(value)
    flush()
    entries.pop("", None)  # the header
    return entries


@lru_cache(maxsize=None)
def load_language(lang: str, locale_dir: str = str(LOCALE_DIR)) -> dict[str, str]:
    folder = Path(locale_dir) / lang / "LC_MESSAGES"
    merged: dict[str, str] = {}
    for po in sorted(folder.glob("*.po")):
        merged.update(parse_po(po.read_text(encoding="utf-8"), str(po)))
    return merged


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

    def gettext(self, msgid: str, lang: str | None = None, **fmt) -> str:
        lang = lang or self.language
        text = self.extra.get(msgid, {}).get(lang) or load_language(lang, self.locale_dir).get(msgid)
        if not text:
            text = (self.extra.get(msgid, {}).get(FALLBACK)
                    or load_language(FALLBACK, self.locale_dir).get(msgid))
            if (lang, msgid) not in self._warned:
                self._warned.add((lang, msgid))
                log.warning("no %s translation for %r", lang, msgid)
            if not text:
                text = msgid
        if fmt:
            try:
                text = text.format(**fmt)
            except (KeyError, IndexError, ValueError):
                log.warning("bad placeholders in %s translation of %r", lang, msgid)
        return text

    __call__ = gettext

    def language_name(self, lang: str) -> str:
        return load_language(lang, self.locale_dir).get("language.name", lang)
