"""The catalog check `make test` runs (tests/i18n): every catalog compiles, and against the
English reference each language has every message of the visitor domains, none empty or
fuzzy, the same placeholders, and every plural form its Plural-Forms header promises (which
must match the language's CLDR rule, from Babel). Staff screens may stay Dutch and English:
staff.po is required there only. `speech.letter.*` (how the voice says a ticket's letter) is
per language on purpose and is left out of the comparison.

  problems = check_catalogs()            # [] when all is well; else one line per problem
  python -m kiosk.i18n_check             # the same, printed (exit 1 on a problem)
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from common.catalogs import PoError, compile_po
from kiosk.i18n import LOCALE_DIR

VISITOR_DOMAINS = ("kiosk", "tickets", "display", "wayfinding", "audio")
STAFF_LANGUAGES = ("nl", "en")       # staff.po required only in these
REFERENCE = "en"
PER_LANGUAGE = ("speech.letter.",)
_PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def _read(po: Path):
    from babel.messages.pofile import read_po
    with po.open("rb") as f:
        return read_po(f)


def _forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]


def _placeholders(texts: list[str]) -> set[str]:
    return {name for t in texts for name in _PLACEHOLDER.findall(t or "")}


def _expected_plurals(lang: str) -> int | None:
    from babel.messages.plurals import get_plural
    try:
        return get_plural(lang).num_plurals
    except Exception:   # a language Babel does not know: the header is taken as it is
        return None


def check_language(lang: str, locale_dir: Path = LOCALE_DIR) -> list[str]:
    problems: list[str] = []
    folder = Path(locale_dir) / lang / "LC_MESSAGES"
    domains = VISITOR_DOMAINS + (("staff",) if lang in STAFF_LANGUAGES else ())
    for domain in domains:
        po = folder / f"{domain}.po"
        where = f"{lang}/{domain}.po"
        if not po.exists():
            problems.append(f"{where}: missing")
            continue
        try:
            compile_po(po)
            catalog = _read(po)
        except (PoError, Exception) as exc:
            problems.append(f"{where}: does not compile: {exc}")
            continue
        ref_po = Path(locale_dir) / REFERENCE / "LC_MESSAGES" / f"{domain}.po"
        reference = _read(ref_po)
        want = _expected_plurals(lang)
        if want is not None and catalog.num_plurals != want:
            problems.append(f"{where}: Plural-Forms has {catalog.num_plurals} forms, "
                            f"{lang} has {want}")
        ref_ids = set()
        for ref in reference:
            if not ref.id:
                continue
            key = ref.id[0] if isinstance(ref.id, tuple) else ref.id
            ref_ids.add(key)
            if key.startswith(PER_LANGUAGE):
                continue
            msg = catalog.get(ref.id)
            if msg is None:
                problems.append(f"{where}: {key!r} missing")
                continue
            forms = _forms(msg)
            if isinstance(ref.id, tuple) != isinstance(msg.id, tuple):
                problems.append(f"{where}: {key!r} must be {'plural' if isinstance(ref.id, tuple) else 'singular'}")
            elif isinstance(msg.id, tuple) and len(forms) != catalog.num_plurals:
                problems.append(f"{where}: {key!r} has {len(forms)} plural forms, needs "
                                f"{catalog.num_plurals}")
            if msg.fuzzy:
                problems.append(f"{where}: {key!r} is fuzzy")
            if any(not f.strip() for f in forms):
                problems.append(f"{where}: {key!r} is empty")
            for f in forms:
                if f.strip() and _placeholders([f]) != _placeholders(_forms(ref)):
                    problems.append(f"{where}: {key!r} placeholders {sorted(_placeholders([f]))} "
                                    f"differ from {sorted(_placeholders(_forms(ref)))}")
                    break
        for msg in catalog:
            key = msg.id[0] if isinstance(msg.id, tuple) else msg.id
            if key and key not in ref_ids and not key.startswith(PER_LANGUAGE):
                problems.append(f"{where}: {key!r} is not a message of the {REFERENCE} catalog")
    return problems


def languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    return sorted(d.name for d in Path(locale_dir).iterdir() if (d / "LC_MESSAGES").is_dir())


def check_catalogs(locale_dir: Path = LOCALE_DIR) -> list[str]:
    return [p for lang in languages(locale_dir) for p in check_language(lang, locale_dir)]


if __name__ == "__main__":
    found = check_catalogs()
    print("\n".join(found) if found else f"catalogs OK: {', '.join(languages())}")
    sys.exit(1 if found else 0)
