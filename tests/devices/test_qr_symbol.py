"""devices/qrsymbol.py: the same symbol the qrcode library draws, worked out once per
(data, error correction) for the screen, the layout and the printed picture."""
import pytest
import qrcode

from devices import qrsymbol
from devices.qrsymbol import LEVELS, qr_modules, qr_picture

URLS = ["https://kiosk.example.org/t/AbC-123_xyz", "https://central.example.nl/t/" + "q" * 60, "x"]


def library_picture(data, ec, module, border):
    q = qrcode.QRCode(error_correction=LEVELS[ec], box_size=module, border=border)
    q.add_data(data)
    q.make(fit=True)
    return q.make_image(fill_color="black", back_color="white").get_image().convert("1")


@pytest.mark.parametrize("ec", list(LEVELS))
@pytest.mark.parametrize("data", URLS)
def test_the_picture_is_the_librarys_own_pixel_for_pixel(data, ec):
    for module, border in ((1, 0), (4, 0), (10, 4), (3, 2)):
        mine, theirs = qr_picture(data, ec, module, border), library_picture(data, ec, module, border)
        assert (mine.mode, mine.size) == (theirs.mode, theirs.size)
        assert mine.tobytes() == theirs.tobytes(), (data, ec, module, border)
    assert qr_modules(data, ec) * 4 == qr_picture(data, ec, 4).size[0]


def test_a_symbol_is_worked_out_once_for_screen_layout_and_paper(monkeypatch):
    made = []
    real = qrcode.QRCode.make
    monkeypatch.setattr(qrcode.QRCode, "make", lambda self, *a, **kw: made.append(1) or real(self, *a, **kw))
    qrsymbol._matrix.cache_clear()
    url = "https://kiosk.example.org/t/once"
    qr_picture(url, "M", 10, border=4)   # the screen's QR, drawn ahead on the ticket worker
    qr_modules(url, "M")                 # the printed ticket's layout
    qr_picture(url, "M", 4)              # its picture on paper
    assert len(made) == 1
    qr_picture(url, "H", 4)              # another error correction is another symbol
    assert len(made) == 2
