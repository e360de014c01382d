"""A small typed-schema engine for TOML config, with no dependencies.

Sections are dataclasses whose fields are declared with `setting(default, doc, ...)`.
`build(cls, data, path)` turns a plain dict into a typed instance and collects every
problem (never stops at the first): wrong types, out-of-range numbers, bad choices,
empty lists where one is required, and unknown keys with a "did you mean".
"""
from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import MISSING
from typing import Any, Callable


@dataclasses.dataclass(frozen=True)
class Problem:
    path: str
    reason: str
    file: str = ""
    line: int | None = None

    def render(self) -> str:
        loc = self.file or "<config>"
        if self.line:
            loc += f":{self.line}"
        return f"{loc}: {self.path or '(top)'}: {self.reason}"


def setting(default: Any = MISSING, doc: str = "", *, min: float | None = None,
            max: float | None = None, choices: tuple | None = None, nonempty: bool = False,
            check: Callable[[Any], str | None] | None = None) -> Any:
    """Declare a config key: its default, what it means, and its limits."""
    meta = {"doc": doc, "min": min, "max": max, "choices": choices, "nonempty": nonempty,
            "check": check}
    if isinstance(default, (list, dict)):
        value = default
        return dataclasses.field(default_factory=lambda: _copy(value), metadata=meta)
    if dataclasses.is_dataclass(default) and isinstance(default, type):
        return dataclasses.field(default_factory=default, metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def section(cls):
    """`@dataclass` for a config section, with the same fields, __init__, repr and ==, but
    methods shared by every section instead of generated and compiled for each class:
    a dataclass compiles its __init__, __repr__ and __eq__ (and its docstring from its
    signature) at import: for all sections together that was 10-20 ms of the cold start on
    the development machine (`kiosk run` imports every section before its first frame).
    tests/config/test_config_sections.py checks they behave as dataclasses do."""
    if cls.__doc__ is None:
        cls.__doc__ = f"Config section {cls.__name__}."
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False)
    cls.__init__ = _section_init
    cls.__repr__ = _section_repr
    cls.__eq__ = _section_eq
    cls.__hash__ = None  # as a dataclass with eq: not hashable
    cls._init_fields = tuple(f for f in dataclasses.fields(cls) if f.init)
    return cls


def _section_init(self, *args, **kwargs):
    fields = type(self)._init_fields
    name = type(self).__qualname__
    if len(args) > len(fields):
        raise TypeError(f"{name}() takes {len(fields)} positional arguments but {len(args)} were given")
    for f, value in zip(fields, args):
        if f.name in kwargs:
            raise TypeError(f"{name}() got multiple values for argument '{f.name}'")
        kwargs[f.name] = value
    for f in fields:
        if f.name in kwargs:
            value = kwargs.pop(f.name)
        elif f.default_factory is not MISSING:
            value = f.default_factory()
        elif f.default is not MISSING:
            value = f.default
        else:
            raise TypeError(f"{name}() missing required argument: '{f.name}'")
        setattr(self, f.name, value)
    if kwargs:
        raise TypeError(f"{name}() got an unexpected keyword argument '{next(iter(kwargs))}'")


def _section_repr(self) -> str:
    body = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self) if f.repr)
    return f"{type(self).__qualname__}({body})"


def _section_eq(self, other):
    if other.__class__ is not self.__class__:
        return NotImplemented
    names = [f.name for f in dataclasses.fields(self) if f.compare]
    return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)


def _copy(v):
    import copy
    return copy.deepcopy(v)


def _type_name(tp) -> str:
    origin = typing.get_origin(tp)
    if origin is list:
        return f"a list of {_type_name(typing.get_args(tp)[0])}"
    if origin is dict:
        return "a table"
    if dataclasses.is_dataclass(tp):
        return "a table"
    return {int: "a whole number", float: "a number", str: "text", bool: "true or false"}.get(
        tp, getattr(tp, "__name__", str(tp)))


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def build(cls, data: Any, path: str = "", problems: list[Problem] | None = None):
    """Build dataclass `cls` from `data`; append problems; return (instance, problems).

    A key with a bad value keeps its default, so the rest of the config still loads.
    """
    problems = [] if problems is None else problems
    if not isinstance(data, dict):
        problems.append(Problem(path, f"expected a table, got {_got(data)}"))
        data = {}
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in data:
        if key not in fields:
            import difflib  # only for an unknown key
            close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            known = ", ".join(sorted(fields))
            problems.append(Problem(_join(path, key), f"unknown key{hint}; known keys: {known}"))
    kwargs = {}
    for name, f in fields.items():
        if name not in data:
            continue
        fpath = _join(path, name)
        ok, value = _convert(hints[name], data[name], fpath, problems)
        if ok:
            msg = _limits(f.metadata, value)
            if msg:
                problems.append(Problem(fpath, msg))
                continue
            kwargs[name] = value
    missing = False
    for name, f in fields.items():
        if name not in kwargs and f.default is MISSING and f.default_factory is MISSING:
            if name not in data:  # a bad value was reported already
                problems.append(Problem(_join(path, name), "is required"))
            missing = True
    if missing:
        return None, problems
    return cls(**kwargs), problems


def _got(v) -> str:
    if isinstance(v, bool):
        return f"{str(v).lower()} (true/false)"
    if isinstance(v, dict):
        return "a table"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, str):
        return f"text {v!r}"
    return f"{type(v).__name__} {v!r}"


def _convert(tp, v, path: str, problems: list[Problem]) -> tuple[bool, Any]:
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if v is None:
            return True, None
        return _convert(args[0], v, path, problems)
    if dataclasses.is_dataclass(tp):
        before = len(problems)
        inst, _ = build(tp, v, path, problems)
        return (inst is not None and len(problems) == before) or inst is not None, inst
    if origin is list:
        if not isinstance(v, list):
            problems.append(Problem(path, f"expected {_type_name(tp)}, got {_got(v)}"))
            return False, None
        (item_t,) = typing.get_args(tp)
        out, good = [], True
        for i, item in enumerate(v):
            ok, conv = _convert(item_t, item, _join(path, i), problems)
            good = good and ok
            out.append(conv)
        return good, out
    if origin is dict:
        if not isinstance(v, dict):
            problems.append(Problem(path, f"expected a table, got {_got(v)}"))
            return False, None
        _, val_t = typing.get_args(tp)
        out, good = {}, True
        for k, item in v.items():
            ok, conv = _convert(val_t, item, _join(path, k), problems)
            good = good and ok
            out[k] = conv
        return good, out
    if tp is bool:
        if isinstance(v, bool):
            return True, v
    elif tp is int:
        if isinstance(v, int) and not isinstance(v, bool):
            return True, v
    elif tp is float:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return True, float(v)
    elif tp is str:
        if isinstance(v, str):
            return True, v
    elif tp is Any:
        return True, v
    problems.append(Problem(path, f"expected {_type_name(tp)}, got {_got(v)}"))
    return False, None


def _limits(meta, value) -> str | None:
    if value is None:
        return None
    lo, hi = meta.get("min"), meta.get("max")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if lo is not None and value < lo:
            return f"{value} is below the minimum {lo}" + (f" (allowed {lo}..{hi})" if hi is not None else "")
        if hi is not None and value > hi:
            return f"{value} is above the maximum {hi}" + (f" (allowed {lo}..{hi})" if lo is not None else "")
    choices = meta.get("choices")
    if choices and value not in choices:
        return f"{value!r} is not one of: {', '.join(map(str, choices))}"
    if meta.get("nonempty") and isinstance(value, (list, dict, str)) and not value:
        return "must not be empty"
    check = meta.get("check")
    if check:
        return check(value)
    return None


def describe(cls, prefix: str = "") -> list[tuple[str, Any, str]]:
    """Every key under `cls` as (dotted path, default, doc), for docs and tests."""
    out = []
    hints = typing.get_type_hints(cls)
    defaults = cls()
    for f in dataclasses.fields(cls):
        path = _join(prefix, f.name)
        tp = hints[f.name]
        if dataclasses.is_dataclass(tp):
            out.append((path, None, f.metadata.get("doc", "")))
            out.extend(describe(tp, path))
        else:
            out.append((path, getattr(defaults, f.name), f.metadata.get("doc", "")))
    return out
