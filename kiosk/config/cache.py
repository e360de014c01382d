"""The validated config of the last clean start, kept for the next `kiosk run` (cold start).

Loading the config parses every layer and runs every check (types, limits, catalogs, device
URLs, printer profiles, floor plan): about a tenth of a second of imports and work before the
first frame. `kiosk run` does it only when something it depends on has changed since a start
that had no problems at all.

The key is the stat (size, mtime, ctime, inode) of every layer file (site file, local
overrides, last good overrides; a missing file counts too), of every file of the kiosk and
devices packages (the model, the checks and the catalogs they use), of python-escpos'
printer profiles, plus the Python version. Anything different means a full load, so every
problem is found and reported exactly as without the cache: a start with problems (or in
safe mode) never writes it, and `kiosk config check` never reads it.

The file is <data dir>/cache/config.pickle, written atomically by the kiosk itself, like
python-escpos' profile pickle next to it. A file that cannot be read is simply ignored.
"""
from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

from kiosk.config.paths import LAST_GOOD, LOCAL_OVERRIDES

FORMAT = 1
CACHE_FILE = "config.pickle"
_CODE_DIRS = ("kiosk", "devices", "common")


def _stat(path: str) -> tuple:
    try:
        st = os.stat(path)
    except OSError:
        return (path, None)
    return (path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _walk(folder: str, out: list) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        if e.is_dir(follow_symlinks=False):
            if e.name != "__pycache__":
                _walk(e.path, out)
        elif not e.name.endswith((".pyc", ".pyo")):
            out.append(_stat(e.path))


def _code_stats() -> tuple:
    root = Path(__file__).resolve().parents[2]
    out: list = [sys.version]
    for name in _CODE_DIRS:
        _walk(str(root / name), out)
    try:
        import importlib.util
        spec = importlib.util.find_spec("escpos")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.origin:
        out.append(_stat(os.path.join(os.path.dirname(spec.origin), "capabilities.json")))
    return tuple(out)


def layer_stats(site: str | None, data_dir: str | os.PathLike) -> tuple:
    """The stat of every file a load reads (or would read if it existed)."""
    data = Path(data_dir)
    return (site, _stat(site) if site else None, _stat(str(data / LOCAL_OVERRIDES)))


def key(site: str | None, data_dir: str | os.PathLike) -> tuple:
    return (FORMAT, layer_stats(site, data_dir), _stat(str(Path(data_dir) / LAST_GOOD)),
            _code_stats())


def _path(data_dir: str | os.PathLike) -> Path:
    return Path(data_dir) / "cache" / CACHE_FILE


def get(data_dir: str | os.PathLike, k: tuple):
    """The cached config for key `k`, or None."""
    try:
        raw = _path(data_dir).read_bytes()
    except OSError:
        return None
    try:
        stored_key, cfg = pickle.loads(raw)
    except Exception:  # noqa: BLE001 - a torn or stale file is only a cache miss
        return None
    return cfg if stored_key == k else None


def put(data_dir: str | os.PathLike, k: tuple, cfg) -> None:
    """Keep `cfg` (loaded without any problem) under key `k`; silently skipped when the data
    dir is read-only."""
    path = _path(data_dir)
    tmp = path.with_name(f".{CACHE_FILE}.tmp-{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(pickle.dumps((k, cfg), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass

