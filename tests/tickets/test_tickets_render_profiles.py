"""The ticket layout asks the printer's capabilities (from its python-escpos profile)
instead of assuming a TM-T20II: width, columns, code pages, native QR and the cutter."""
import struct

from devices.capabilities import capabilities_for
from kiosk.tickets.render import (job_for, label_magnification, raster_job,
                                  text_job, text_printable)
from ticket_kit import content

CUT = b"\x1dV\x00"
NATIVE_QR = b"\x1d(k"


def raster_width_bytes(job: bytes) -> int:
    i = job.index(b"\x1dv0")
    return struct.unpack("<H", job[i + 4:i + 6])[0]


def test_raster_width_follows_the_profile():
    assert raster_width_bytes(raster_job(content(), "TM-T20II")) * 8 == 576
    assert raster_width_bytes(raster_job(content(), "TM-T88V")) * 8 == 512
    assert raster_width_bytes(raster_job(content(), "default")) * 8 == 512   # the fallback


def test_a_printer_without_native_qr_or_cutter_gets_an_image_and_a_feed():
    caps = capabilities_for("POS-5890")
    job = text_job(content(), caps)
    assert NATIVE_QR not in job and b"https://www.example.nl" not in job   # QR as a picture
    assert b"\x1dv0" in job                                                 # bit image
    assert CUT not in job and b"\x1dV" not in job
    assert job.endswith(b"\x1bd\x06")                                       # feed 6 lines
    full = text_job(content(), "TM-T20II")
    assert NATIVE_QR in full and full.endswith(CUT)


def test_a_dot_matrix_printer_gets_column_images():
    job = raster_job(content(), "TM-U220")
    assert b"\x1d" + b"v0" not in job and b"\x1b*" in job                   # ESC * columns


def test_the_number_is_as_large_as_the_line_allows():
    assert label_magnification("A012", capabilities_for("TM-T20II")) == 6
    assert label_magnification("A012", capabilities_for("NT-80-V-UL")) == 3    # 12 columns
    assert label_magnification("A1234567", capabilities_for("TM-T88V")) == 5   # 42 // 8
    job = text_job(content(label="A1234567"), "TM-T88V")
    assert b"\x1d!\x44" in job                                                # 5x wide, 5x high


def test_code_pages_decide_text_or_raster_per_profile():
    polish = content(lang="pl", service_name="Paszport ąę", service_name_nl="Paspoort")
    assert text_printable(polish, "TM-T20II") and not text_printable(polish, "TM-U220")
    assert job_for(polish, "TM-T20II", "text")[1] == "text"
    assert job_for(polish, "TM-U220", "text")[1] == "text+pictures"   # CP437 only: a picture line
    job, _ = job_for(polish, "TM-T20II", "text")
    assert b"\x1bt\x12" in job and "ąę".encode("cp852") in job   # ESC t 18 = CP852, a byte a letter
