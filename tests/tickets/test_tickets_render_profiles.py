"""The ticket layout asks the printer's capabilities (from its python-escpos profile)
instead of assuming a TM-T20II: width, columns, code pages, native QR and the cutter."""
import struct

from devices.capabilities import capabilities_for
from devices.escpos_reader import read_job
from kiosk.tickets.render import job_for, raster_job, text_job, text_printable
from ticket_kit import content

CUT = b"\x1dVA"
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
    printed = read_job(job, caps)
    assert not printed.cut and job.endswith(b"\x1bJ\x80")     # the last line past the tear bar
    assert printed.pictures[-1][0] > 100                          # the QR picture
    full = text_job(content(), "TM-T20II")
    assert NATIVE_QR in full and full[:-1].endswith(CUT)


def test_a_dot_matrix_printer_gets_column_images():
    caps = capabilities_for("TM-U220")
    job = raster_job(content(), caps)
    assert b"\x1d" + b"v0" not in job and b"\x1b*" in job                   # ESC * columns
    assert read_job(job, caps).pictures


def number_line(label, profile):
    caps = capabilities_for(profile)
    printed = read_job(text_job(content(label=label), caps), caps)
    return next(line for line in printed.lines if label in line.text)


def test_the_number_is_large_and_fits_the_line():
    line = number_line("A012", "TM-T20II")
    assert (line.width, line.height, line.text) == (4, 4, "Uw nummer A012")
    line = number_line("A012", "NT-80-V-UL")                   # 12 columns: 3x, on its own
    assert (line.width, line.text) == (3, "A012") and line.columns_used <= 12
    line = number_line("A1234567", "TM-T88V")                  # 4x at most; 10 + 8 x 4 = 42
    assert (line.width, line.height, line.text) == (4, 4, "Uw nummer A1234567")
    assert line.columns_used == 42


def test_code_pages_decide_text_or_raster_per_profile():
    polish = content(lang="pl", service_name="Paszport ąę", service_name_nl="Paspoort")
    assert text_printable(polish, "TM-T20II") and not text_printable(polish, "TM-U220")
    assert job_for(polish, "TM-T20II", "text")[1] == "text"
    assert job_for(polish, "TM-U220", "text")[1] == "text+pictures"   # CP437 only: a picture line
    job, _ = job_for(polish, "TM-T20II", "text")
    assert b"\x1bt\x12" in job and "ąę".encode("cp852") in job   # ESC t 18 = CP852, a byte a letter
