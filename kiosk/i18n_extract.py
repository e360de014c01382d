"""Message extraction with Babel (`pybabel extract -F babel.cfg -o build/messages.pot .`):
Python files with Babel's own extractor, and the .kv files with `extract_kv` below (a kv
rule calls `app.tr('msgid', app.lang)`). Ids built at run time (f"home.{k}") are not found
this way; the English catalog is the complete list (kiosk/i18n_check.py)."""
from __future__ import annotations

import re

KEYWORDS = {"tr": (1,), "_tr": (1,), "gettext": (1,), "ngettext": (1,)}
METHOD_MAP = [("kiosk/**.py", "python"), ("screens/**.py", "python"), ("devices/**.py", "python"),
              ("screens/**.kv", "kiosk.i18n_extract:extract_kv")]
_KV_CALL = re.compile(r"""\b(?:app\.)?tr\(\s*['"]([A-Za-z0-9_.]+)['"]""")


def extract_kv(fileobj, keywords, comment_tags, options):
    """Babel extraction method for Kivy .kv files: yields (lineno, funcname, message, comments)."""
    for lineno, raw in enumerate(fileobj, start=1):
        line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        for msgid in _KV_CALL.findall(line):
            yield lineno, "tr", msgid, []


def extracted_ids(root) -> dict[str, list[str]]:
    """msgid -> where it is used (file:line), for every literal id in the code."""
    from babel.messages.extract import extract_from_dir
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(root), METHOD_MAP, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid and re.fullmatch(r"[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)+", msgid):
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found
