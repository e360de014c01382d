"""Choosing one code page of the printer's profile and encoding text in it."""
import pytest

from devices.capabilities import capabilities_for
from devices.codepages import can_encode, choose_code_page, encode, select_code_page

T20 = capabilities_for("TM-T20II")


@pytest.mark.parametrize("texts,page,codec", [
    (["Numer w kolejce", "Paszport lub dowód osobisty", "Poczekalnia, pierwsze piętro"], "CP852", "cp852"),
    (["Numaranız", "Pasaport veya kimlik kartı", "Taşınma"], "CP857", "cp857"),
    (["Ваш номер", "Зона очікування, поверх 1", "Переїзд", "ґанок"], "CP1251", "cp1251"),
    (["Uw nummer", "Verhuizing naar België"], "CP437", "cp437"),
])
def test_one_page_for_the_whole_ticket_and_the_bytes_decode_back(texts, page, codec):
    assert choose_code_page(T20, texts) == page
    for t in texts:
        assert encode(t, page).decode(codec) == t


def test_select_uses_the_profile_slot_and_missing_characters_are_named():
    assert select_code_page(T20, "CP852") == b"\x1bt\x12"
    assert select_code_page(T20, "CP1251") == b"\x1bt\x2e"
    assert not can_encode("і", "CP866")                  # why Ukrainian is not PC866
    with pytest.raises(ValueError, match=r"U\+0456"):
        encode("і", "CP866")
    assert choose_code_page(capabilities_for("TM-U220"), ["ł"]) is None   # CP437 only
