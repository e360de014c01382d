"""One config layer: a TOML file read without ever raising, with the line of every key so a
problem can name `file:line`. The loader merges layers; the floor plan reads its own file
with it too."""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from common.schema import Problem


@dataclass
class Layer:
    file: str
    data: dict
    lines: dict[str, int] = field(default_factory=dict)


def read_layer(path: str | os.PathLike) -> tuple[Layer | None, list[Problem]]:
    """Parse one TOML file; never raises for bad content."""
    p = Path(path)
    name = str(p)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        return None, [Problem("", "file not found", name)]
    except IsADirectoryError:
        return None, [Problem("", "is a directory, not a TOML file", name)]
    except OSError as e:
        return None, [Problem("", f"cannot read file: {e.strerror}", name)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return None, [Problem("", f"not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start}); "
                                  "is this really a TOML file?", name, line)]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem("", "contains NUL bytes; is this really a TOML file?", name, line)]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = int(m.group(1)) if m else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        return None, [Problem("", f"not valid TOML: {reason}", name, line)]
    return Layer(name, data, index_lines(text)), []


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\.\"' ]+?)\s*=")


def _key_parts(s: str) -> list[str]:
    return [k.strip().strip("\"'") for k in s.split(".")]


def index_lines(text: str) -> dict[str, int]:
    """Map dotted key paths (`services[2].prefix`) to the line that sets them."""
    lines: dict[str, int] = {}
    prefix = ""
    counters: dict[str, int] = {}
    for no, line in enumerate(text.splitlines(), start=1):
        m = _HEADER.match(line)
        if m:
            parts = _key_parts(m.group(2))
            base = ".".join(parts)
            if m.group(1) == "[[":
                idx = counters.get(base, -1) + 1
                counters[base] = idx
                prefix = f"{base}[{idx}]"
            else:
                prefix = base
            lines.setdefault(prefix, no)
            continue
        m = _KEY.match(line)
        if m and not line.lstrip().startswith("#"):
            path = ".".join(p for p in [prefix] + _key_parts(m.group(1)) if p)
            lines.setdefault(path, no)
    return lines
