"""The display catalogs: Dutch and English complete and in step, and every message id the
hall display code uses exists in both (speech.letter.* is per language on purpose)."""
import re
from pathlib import Path

from kiosk.i18n import read_po_file

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "kiosk" / "locale"
SOURCES = [ROOT / "kiosk" / "hall" / "announce.py", ROOT / "kiosk" / "hall" / "directions.py",
           ROOT / "kiosk" / "tickets" / "spoken.py", ROOT / "screens" / "hall_display.py",
           ROOT / "screens" / "hall_display.kv"]
MSGID = re.compile(r"""["']((?:display|call|speech)\.[a-z_.]+)["']""")


def catalog(lang):
    return read_po_file(LOCALE / lang / "LC_MESSAGES" / "display.po")


def test_same_ids_and_placeholders_in_both_languages():
    nl, en = catalog("nl"), catalog("en")
    common = {k for k in {**nl, **en} if not k.startswith("speech.letter.")}
    assert common <= set(nl) and common <= set(en)
    assert [k for k, v in {**nl, **en}.items() if not v.strip()] == []
    for k in common:
        assert set(re.findall(r"{(\w+)}", nl[k])) == set(re.findall(r"{(\w+)}", en[k])), k


def test_every_used_id_exists():
    ids = set()
    for src in SOURCES:
        ids |= set(MSGID.findall(src.read_text(encoding="utf-8")))
    ids |= {f"display.dir.{w}" for w in ("straight", "left", "right", "back")}  # built by name
    ids.discard("display.dir.")
    nl, en = catalog("nl"), catalog("en")
    assert ids and sorted(ids - set(nl)) == [] and sorted(ids - set(en)) == []
