"""common.passwords: one salted-scrypt helper for the staff PIN and the admin password."""
import pytest

from common.passwords import hash_password, needs_rehash, verify_password

# Written by the code before common.passwords existed (fixed salts), as they sit in config
# files and environments today: the kiosk's PIN (standard base64, padded) and central's
# admin password (URL-safe base64, no padding).
OLD_KIOSK_PIN = ("scrypt$16384$8$1$AAECAwQFBgcICQoLDA0ODw==$"
                 "zqTxOQ9+JdPlblLqzTpgLMM2UTmilg/97SVoXbGeuf8=")
OLD_CENTRAL_PASSWORD = ("scrypt$16384$8$1$ZGVmZ2hpamtsbW5vcHFycw$"
                        "IePQonjPevFehCJpM11hYedsUcyO3sGzk9zqGLnERlk")


def test_round_trip_and_wrong_secret():
    stored = hash_password("2468")
    assert stored.startswith("scrypt$16384$8$1$")
    assert verify_password("2468", stored)
    assert not verify_password("2469", stored)
    assert not verify_password("", stored)


def test_salted_every_time():
    a, b = hash_password("same"), hash_password("same")
    assert a != b and verify_password("same", a) and verify_password("same", b)


def test_strings_written_before_still_verify():
    assert verify_password("2468", OLD_KIOSK_PIN)
    assert not verify_password("2467", OLD_KIOSK_PIN)
    assert verify_password("a long pässword", OLD_CENTRAL_PASSWORD)
    assert not verify_password("a long password", OLD_CENTRAL_PASSWORD)


def test_parameters_travel_in_the_string_and_can_be_raised():
    weak = hash_password("pw", n=2 ** 10, r=4, p=1)
    assert weak.split("$")[1:4] == ["1024", "4", "1"]
    assert verify_password("pw", weak)           # checked with its own parameters
    assert needs_rehash(weak) and not needs_rehash(hash_password("pw"))
    assert needs_rehash("garbage")


@pytest.mark.parametrize("stored", [
    "", "garbage", "scrypt", "bcrypt$16384$8$1$AAAA$AAAA",
    "scrypt$16384$8$1$AAECAwQFBgcICQoLDA0ODw==",                 # a field missing
    "scrypt$x$8$1$AAECAwQFBgcICQoLDA0ODw==$" + "A" * 43,         # n not a number
    "scrypt$-16384$8$1$AAECAwQFBgcICQoLDA0ODw==$" + "A" * 43,    # negative
    "scrypt$16383$8$1$AAECAwQFBgcICQoLDA0ODw==$" + "A" * 43,     # n not a power of 2
    "scrypt$1073741824$8$1$AAECAwQFBgcICQoLDA0ODw==$" + "A" * 43,  # asks for 1 TiB
    "scrypt$16384$8$1$not base64!$" + "A" * 43,
    "scrypt$16384$8$1$AAECAwQFBgcICQoLDA0ODw==$AAAA",            # digest too short
    "scrypt$16384$8$1$$" + "A" * 43,                              # no salt
    OLD_KIOSK_PIN + "$extra",
])
def test_malformed_stored_strings_are_false_never_an_exception(stored):
    assert verify_password("2468", stored) is False


@pytest.mark.parametrize("stored", [None, 12, b"scrypt$16384$8$1$AAAA$AAAA"])
def test_stored_values_of_the_wrong_type_are_false(stored):
    assert verify_password("2468", stored) is False


def test_kiosk_and_central_share_the_helper():
    from central import auth
    from kiosk.staff import gate
    pin = gate.hash_pin("2468")
    assert auth.check_password("2468", pin)            # one format, readable by both
    assert gate.verify_pin("secret words", auth.hash_password("secret words"))
    assert gate.verify_pin("2468", OLD_KIOSK_PIN)
    assert auth.check_password("a long pässword", OLD_CENTRAL_PASSWORD)
