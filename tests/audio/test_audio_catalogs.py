"""The audio catalogs: Dutch and English complete and in step, every id the audio code uses
exists in both, and nothing in kiosk/audio speaks a literal sentence."""
import re
from pathlib import Path

import pytest

from kiosk.audio.guide import STEPS
from kiosk.config.model import ROLES
from kiosk.i18n import load_language, read_po_file

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "kiosk" / "locale"
SOURCES = sorted((ROOT / "kiosk" / "audio").glob("*.py"))
MSGID = re.compile(r"""["'](audio\.[a-z_.]+|ticket\.[a-z_.]+|speech\.[a-z_.]+)["']""")


def catalog(lang):
    return read_po_file(LOCALE / lang / "LC_MESSAGES" / "audio.po")


def test_dutch_and_english_have_the_same_ids_and_placeholders():
    nl, en = catalog("nl"), catalog("en")
    assert set(nl) == set(en) and len(nl) >= 25
    assert [k for k, v in {**nl, **en}.items() if not v.strip()] == []
    for k in nl:
        assert set(re.findall(r"{(\w+)}", nl[k])) == set(re.findall(r"{(\w+)}", en[k])), k


def used_ids():
    ids = set()
    for src in SOURCES:
        ids |= set(MSGID.findall(src.read_text(encoding="utf-8")))
    ids |= {f"audio.welcome.{role}" for role in ROLES}   # built from the device's role
    ids |= {said for _attr, _steps, _dir, said, _end in STEPS.values()}
    ids |= {end for *_rest, end in STEPS.values()}
    return {i for i in ids if not i.endswith(".")}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_used_id_is_translated(lang):
    have = load_language(lang)
    assert sorted(i for i in used_ids() if i not in have) == []


def test_sentences_are_short():
    """Plain language: no sentence in the audio catalogs is longer than 20 words."""
    for lang in ("nl", "en"):
        for k, v in catalog(lang).items():
            for sentence in re.split(r"[.:?!]\s", v):
                assert len(sentence.split()) <= 20, (lang, k, sentence)
