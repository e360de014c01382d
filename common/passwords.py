"""One way to hash and check a secret, shared by the kiosk (staff PIN) and the central
service (admin password): salted scrypt, compared in constant time.

  stored = hash_password("2468")        # 'scrypt$16384$8$1$<salt>$<digest>'
  verify_password("2468", stored)       # True; False for a wrong secret or a malformed string
  needs_rehash(stored)                  # True when stored with weaker parameters than today's

The scrypt parameters (n, r, p) travel in the stored string, so they can be raised later
without breaking what is stored: old strings keep verifying with their own parameters, and
`needs_rehash` says when to store a new one. Salt and digest are base64; both alphabets are
read (the kiosk wrote standard base64 with padding, central URL-safe without), new strings
are URL-safe without padding. `verify_password` never raises: a stored string that is not
ours, or whose parameters are out of bounds (a forged string asking for gigabytes), is False.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

SCHEME = "scrypt"
N, R, P = 2 ** 14, 8, 1      # 16 MiB and ~50 ms on a Raspberry Pi 4 per check
DKLEN = 32
SALT_BYTES = 16
MAXMEM = 64 * 1024 * 1024    # hashlib's own cap for one check (scrypt needs 128 * n * r bytes)
# what verify accepts from a stored string (anything else is malformed, never computed)
_LIMITS = {"n": (2, 2 ** 20), "r": (1, 32), "p": (1, 16), "salt": (8, 64), "dklen": (16, 64)}


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode("ascii").rstrip("=")


def _unb64(s: str) -> bytes:
    """Standard or URL-safe base64, padded or not; ValueError for anything else."""
    if not s:
        raise ValueError("empty base64")
    std = s.replace("-", "+").replace("_", "/").rstrip("=")
    try:
        return base64.b64decode(std + "=" * (-len(std) % 4), validate=True)
    except binascii.Error as e:
        raise ValueError(str(e)) from None


def _derive(secret: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8", "surrogatepass"), salt=salt, n=n, r=r, p=p,
                          dklen=dklen, maxmem=MAXMEM)


def hash_password(secret: str, *, n: int = N, r: int = R, p: int = P,
                  salt: bytes | None = None) -> str:
    """A new stored string for `secret` (a fresh random salt unless one is given)."""
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = _derive(secret, salt, n, r, p, DKLEN)
    return f"{SCHEME}${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes]:
    """(n, r, p, salt, digest) of a stored string; ValueError when it is not a valid one."""
    if not isinstance(stored, str):
        raise ValueError("not a string")
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        raise ValueError("not an scrypt$n$r$p$salt$digest string")
    if not all(x.isdigit() for x in parts[1:4]):
        raise ValueError("n, r and p must be whole numbers")
    n, r, p = (int(x) for x in parts[1:4])
    salt, digest = _unb64(parts[4]), _unb64(parts[5])
    for name, value in (("n", n), ("r", r), ("p", p), ("salt", len(salt)), ("dklen", len(digest))):
        low, high = _LIMITS[name]
        if not low <= value <= high:
            raise ValueError(f"{name} out of bounds")
    if n & (n - 1):
        raise ValueError("n must be a power of 2")
    if 128 * n * r > MAXMEM:
        raise ValueError("n and r ask for too much memory")
    return n, r, p, salt, digest


def hash_problem(stored: str) -> str | None:
    """Why `stored` is not a hash this module made (for config checks), or None when it is."""
    try:
        _parse(stored)
    except (ValueError, TypeError, UnicodeError) as e:
        return str(e) or "not a valid hash"
    return None


def verify_password(secret: str, stored: str) -> bool:
    """True only when `stored` is a valid string made from `secret`. Never raises."""
    try:
        n, r, p, salt, digest = _parse(stored)
        got = _derive(secret, salt, n, r, p, len(digest))
    except (ValueError, TypeError, AttributeError, UnicodeError, MemoryError):
        return False
    return hmac.compare_digest(got, digest)


def needs_rehash(stored: str, *, n: int = N, r: int = R, p: int = P) -> bool:
    """True when `stored` is malformed or uses weaker parameters than (n, r, p)."""
    try:
        sn, sr, sp, _, digest = _parse(stored)
    except ValueError:
        return True
    return sn < n or sr < r or sp < p or len(digest) < DKLEN
