"""The local overrides staff write on the device (<data dir>/local.toml), and safe mode.

`apply_changes` sets dotted keys, validates the whole layered config with the change,
and only then writes the file atomically (temp file, fsync, rename, fsync of the folder).
Every good load is also kept as local.last-good.toml: if local.toml is broken at start-up
(a bad edit, a half-written file from another tool, disk trouble), `load_or_safe_mode`
starts on the last good overrides and says why, so the kiosk keeps serving visitors.
"""
from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

from kiosk.config import ConfigError, read_layer, validate_layers
from kiosk.config.loader import LOCAL_OVERRIDES, load
from kiosk.config.paths import LAST_GOOD
SECRET_KEYS = {"staff.pin_hash", "sync.token"}


# -- a small TOML writer for what staff write (tables, scalars, lists, arrays of tables) ----
def toml_value(v: Any) -> str:
    """One TOML value (also used by kiosk.config.render)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        if not v:
            return "{}"
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _key(k: str) -> str:
    return k if k.replace("_", "").replace("-", "").isalnum() else json.dumps(k)


def dumps(data: dict, _prefix: str = "") -> str:
    lines: list[str] = []
    scalars = {k: v for k, v in data.items() if not isinstance(v, dict)
               and not (isinstance(v, list) and v and all(isinstance(x, dict) for x in v))}
    for k, v in scalars.items():
        lines.append(f"{_key(k)} = {toml_value(v)}")
    for k, v in data.items():
        if k in scalars:
            continue
        name = f"{_prefix}.{_key(k)}" if _prefix else _key(k)
        if isinstance(v, dict):
            lines.append(f"\n[{name}]")
            body = dumps(v, name).strip("\n")
            if body:
                lines.append(body)
        else:
            for item in v:
                lines.append(f"\n[[{name}]]")
                lines.append(dumps(item, name).strip("\n"))
    return "\n".join(lines).lstrip("\n") + "\n"


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


# -- changing settings --------------------------------------------------------------------
def _get(data: dict, dotted: str, default=None):
    cur: Any = data
    for part in dotted.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return default
        cur = cur[part]
    return cur


def _set(data: dict, dotted: str, value) -> None:
    parts = dotted.split(".")
    cur = data
    for part in parts[:-1]:
        cur = cur.setdefault(part, {})
    cur[parts[-1]] = value


def read_local(data_dir: str | os.PathLike) -> dict:
    path = Path(data_dir) / LOCAL_OVERRIDES
    if not path.exists():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def apply_changes(site: str | None, data_dir: str | os.PathLike, changes: dict[str, Any]):
    """Validate and save. Returns (new config, audit list). Raises ConfigError, saving nothing."""
    data_dir = Path(data_dir)
    try:
        local = read_local(data_dir)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        local = _last_good(data_dir)
    before = json.loads(json.dumps(local))
    for key, value in changes.items():
        _set(local, key, value)
    layers = []
    if site:
        layer, probs = read_layer(site)
        if probs:
            raise ConfigError(probs)
        layers.append(layer)
    from kiosk.config.loader import Layer
    layers.append(Layer(str(data_dir / LOCAL_OVERRIDES), local))
    cfg, _ = validate_layers(layers)  # raises ConfigError: nothing is written
    text = dumps(local)
    write_atomic(data_dir / LOCAL_OVERRIDES, text)
    write_atomic(data_dir / LAST_GOOD, text)
    audit = []
    for key, value in changes.items():
        old = _get(before, key)
        if old == value:
            continue
        if key in SECRET_KEYS:
            audit.append({"key": key, "old": "(hidden)", "new": "(changed)"})
        else:
            audit.append({"key": key, "old": old, "new": value})
    return cfg, audit


def _last_good(data_dir: Path) -> dict:
    try:
        return tomllib.loads((data_dir / LAST_GOOD).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return {}


def load_or_safe_mode(site: str | None, data_dir: str | os.PathLike):
    """(config, layers, safe_mode_problems). Site-file problems still raise ConfigError:
    without a valid site file there is no good config to fall back on."""
    data_dir = Path(data_dir)
    try:
        cfg, layers = load(site, data_dir)
    except ConfigError as e:
        local = str(data_dir / LOCAL_OVERRIDES)
        if not any(p.file == local for p in e.problems):
            raise
        fallback = _last_good_layer(data_dir)
        cfg, layers = load(site, None, extra_layers=[fallback] if fallback else None)
        return cfg, layers, e.problems
    if (data_dir / LOCAL_OVERRIDES).exists():
        try:
            text = (data_dir / LOCAL_OVERRIDES).read_text(encoding="utf-8")
            if not (data_dir / LAST_GOOD).exists() or \
                    (data_dir / LAST_GOOD).read_text(encoding="utf-8") != text:
                write_atomic(data_dir / LAST_GOOD, text)
        except OSError:
            pass
    return cfg, layers, []


def _last_good_layer(data_dir: Path) -> str | None:
    path = data_dir / LAST_GOOD
    if not path.exists():
        return None
    layer, probs = read_layer(path)
    if probs:
        return None
    try:
        validate_layers([layer])
    except ConfigError:
        return None
    return str(path)
