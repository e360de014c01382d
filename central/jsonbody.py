"""Request bodies as JSON, read the way json.loads reads them, fast (orjson) where that gives
the same. Used by POST /api/v1/events (central/ingest.py); its speed is measured in
bench/bench_sync.py."""
from __future__ import annotations

import json

import orjson
from starlette.exceptions import HTTPException as StarletteHTTPException


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed in JSON")


_DIGITS = bytes.maketrans(b"0123456789", b"9" * 10)
_LONG_NUMBER = b"9" * 19  # beyond 64 bits orjson gives a float where json gives the exact integer


def parse_json(body: bytes):
    """The body as json.loads reads it (NaN and Infinity refused), read by orjson when that
    gives the same: about 2.5x faster (bench/bench_sync.py). orjson refuses what json is
    lenient about (lone surrogates, 1e400, UTF-16, a BOM): those go to json as before, and so
    do bodies with a run of 19+ digits, where orjson would turn an integer beyond 64 bits
    into a float (json keeps it, and the event is rejected alone, as always)."""
    if _LONG_NUMBER not in body.translate(_DIGITS):  # translate + find: ~0.4 us per event
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError, UnicodeDecodeError) as e:
        raise StarletteHTTPException(400, f"body is not valid JSON: {str(e)[:200]}") from None
