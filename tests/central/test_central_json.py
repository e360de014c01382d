"""Request bodies are read exactly as the standard library's json reads them (orjson is used
where it gives the same), NaN and Infinity refused: no value changes on the way in."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st
from starlette.exceptions import HTTPException

from central.jsonbody import parse_json

REFUSED = "refused"
texts = st.one_of(st.text(max_size=12), st.sampled_from(["\ud800", "a\udfffb", "\x00", "\u2028", "9" * 25]))
numbers = st.one_of(st.integers(), st.integers(min_value=-2 ** 90, max_value=2 ** 90),
                    st.floats(allow_nan=False, allow_infinity=False))
values = st.recursive(st.one_of(st.none(), st.booleans(), numbers, texts),
                      lambda c: st.one_of(st.lists(c, max_size=4), st.dictionaries(texts, c, max_size=4)),
                      max_leaves=16)
number_literals = st.from_regex(r"-?(0|[1-9][0-9]{0,24})(\.[0-9]{1,22})?([eE][+-]?[0-9]{1,3})?", fullmatch=True)


def read(body: bytes, reader) -> str:
    try:
        return repr(reader(body))  # repr: 1 and 1.0, 0.0 and -0.0 count as different
    except HTTPException as e:
        assert e.status_code == 400 and e.detail
        return REFUSED
    except (ValueError, RecursionError):
        return REFUSED


def stdlib(body: bytes):
    def refuse(name):
        raise ValueError(name)
    return json.loads(body, parse_constant=refuse)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(values, st.booleans())
def test_bodies_read_exactly_as_the_standard_library_reads_them(value, ascii_only):
    body = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    assert read(body, parse_json) == read(body, stdlib)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(number_literals, min_size=1, max_size=4))
def test_number_literals_keep_their_exact_value(literals):
    body = ("[" + ", ".join(literals) + "]").encode()
    assert read(body, parse_json) == read(body, stdlib)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(max_size=60))
def test_any_bytes_are_read_or_refused_as_the_standard_library_does(body):
    assert read(body, parse_json) == read(body, stdlib)


@pytest.mark.parametrize("body", [b'[NaN]', b'{"a": Infinity}', b'[-Infinity]', b"\xef\xbb\xbf[1]",
                                  b'"\\ud800"', b"[1e400]", b"[" * 5000 + b"]" * 5000, "[1]".encode("utf-16"),
                                  b'{"n": 1180591620717411303424}', b'[-9223372036854775809]'])
def test_the_cases_where_orjson_alone_would_differ(body):
    assert read(body, parse_json) == read(body, stdlib)
    if b"N" in body or b"Inf" in body:
        assert read(body, parse_json) == REFUSED
