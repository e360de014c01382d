"""devices/capabilities.py: what a printer can do comes from its python-escpos profile."""
import pytest
from escpos.capabilities import get_profile

from devices.capabilities import FALLBACK_WIDTH_PX, UnknownProfile, capabilities_for
from devices.factory import open_device


@pytest.mark.parametrize("profile,a,b,px,qr,cut,impl", [
    ("TM-T20II", 48, 64, 576, True, True, "bitImageRaster"),
    ("TM-T88V", 42, 56, 512, True, True, "bitImageRaster"),
    ("POS-5890", 32, 42, 384, False, False, "bitImageRaster"),
    ("TM-U220", 42, 56, 400, False, False, "bitImageColumn"),
])
def test_values_come_from_the_profile(profile, a, b, px, qr, cut, impl):
    caps = capabilities_for(profile)
    assert (caps.columns("a"), caps.columns("b"), caps.paper_px) == (a, b, px)
    assert (caps.native_qr, caps.cutter, caps.image_impl) == (qr, cut, impl)
    # and they are python-escpos' own figures, not ours
    data = get_profile(profile).profile_data
    assert caps.columns("a") == get_profile(profile).get_columns("a")
    assert caps.columns("b") == get_profile(profile).get_columns("b")
    assert caps.width_px == data["media"]["width"]["pixels"]
    assert caps.native_qr == bool(data["features"]["qrCode"])
    assert caps.full_cut == bool(data["features"]["paperFullCut"])
    assert caps.partial_cut == bool(data["features"]["paperPartCut"])
    assert set(caps.code_pages) == set(data["codePages"].values()) - {"Unknown"}


def test_profiles_differ_where_the_printers_do():
    t20, t88 = capabilities_for("TM-T20II"), capabilities_for("TM-T88V")
    assert t20.columns("a") != t88.columns("a") and t20.paper_px != t88.paper_px
    assert "CP1125" in t20.code_pages and "CP1125" not in t88.code_pages   # Ukrainian DOS page
    assert capabilities_for("TM-U220").code_pages == ("CP437",)


def test_a_width_the_profile_leaves_open_gets_the_named_fallback():
    caps = capabilities_for("default")
    assert caps.width_px is None and caps.paper_px == FALLBACK_WIDTH_PX
    assert (caps.columns("a"), caps.columns("b")) == (42, 56)


def test_text_is_printable_when_each_character_has_a_code_page():
    t20, u220 = capabilities_for("TM-T20II"), capabilities_for("TM-U220")
    assert t20.can_print_text("Verhuizing naar België, Één café")
    assert u220.can_print_text("Één café")                          # all in CP437
    assert t20.can_print_text("Paszport ą ę ł") and not u220.can_print_text("Paszport ą")
    assert t20.can_print_text("Паспорт") and not u220.can_print_text("Паспорт")
    # right to left and joined: never text mode, even where a code page holds the letters
    assert "CP864" in t20.code_pages and not t20.can_print_text("جواز السفر")
    assert not t20.can_print_text("שלום")
    assert not t20.can_print_text("护照")


def test_unknown_profile_and_font_are_named():
    with pytest.raises(UnknownProfile, match="'TM-NOPE' is not a python-escpos printer profile"):
        capabilities_for("TM-NOPE")
    with pytest.raises(ValueError, match="has no font 'c'"):
        capabilities_for("TM-T20II").columns("c")


def test_the_driver_asks_its_profile():
    p = open_device("printer", "dummy://", profile="TM-T88V")
    assert p.capabilities is capabilities_for("TM-T88V")
    assert "42/56 columns" in p.capabilities.summary()
