"""Where the soak's memory goes: `SOAK_PROBE=1` (or a number of visits between readings) makes
bench/soak.py print, on stderr, what each part of the process holds, so a growing RSS can be
pinned on one of them instead of guessed at:

- py: bytes Python's allocator holds for live objects (tracemalloc; with SOAK_PROBE_TRACE=1,
  which also prints the 15 source lines whose allocations grew most since the warm-up);
- objects: live objects the garbage collector tracks;
- sqlite: bytes SQLite has allocated (page caches, statements), read from the library;
- kivy_cache: entries in Kivy's caches (textures, kv rules, images), per category at the end;
- malloc: bytes in use and free in the C heap (mallinfo2), i.e. what RSS holds beyond the above;
- threads, and the database's size on disk; at the end, the object types that grew most.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import sys
import threading
import tracemalloc
import types
from collections import Counter
from pathlib import Path


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallinfo2.restype = _Mallinfo2
        return libc
    except (OSError, AttributeError):  # not glibc, or glibc < 2.33
        return None


def _sqlite():
    try:
        lib = ctypes.CDLL(ctypes.util.find_library("sqlite3") or "libsqlite3.so.0")
        lib.sqlite3_memory_used.restype = ctypes.c_int64
        return lib
    except (OSError, AttributeError):
        return None


class Probe:
    def __init__(self, every: int, db_dir: Path, trace: bool):
        self.every = every
        self.db_dir = db_dir
        self.trace = trace
        self.libc, self.sqlite = _libc(), _sqlite()
        self.base = None
        if trace:
            tracemalloc.start(8)

    def reading(self) -> dict:
        from kivy.cache import Cache
        gc.collect()
        objs = gc.get_objects()
        out = {"objects": len(objs), "threads": threading.active_count()}
        self.types = Counter(type(o).__qualname__ for o in objs)
        # Bound methods by function: a bind() never undone shows up here as one that grows.
        self.methods = Counter(getattr(o.__func__, "__qualname__", "?") for o in objs
                               if isinstance(o, types.MethodType))
        del objs
        if self.trace:
            out["py_kib"] = tracemalloc.get_traced_memory()[0] / 1024
        if self.sqlite:
            out["sqlite_kib"] = self.sqlite.sqlite3_memory_used() / 1024
        if self.libc:
            mi = self.libc.mallinfo2()
            out["malloc_used_kib"] = (mi.uordblks + mi.hblkhd) / 1024
            out["malloc_free_kib"] = mi.fordblks / 1024
        out["db_kib"] = sum(p.stat().st_size for p in self.db_dir.rglob("*.sqlite3*")) / 1024
        out["kivy_cache"] = sum(len(v) for v in Cache._objects.values())
        return out

    def visit(self, visits: int, warmup: int, rss_mib: float) -> None:
        if visits < warmup or (visits - warmup) % self.every:
            return
        r = self.reading()
        if self.base is None:
            self.base, self.base_types, self.base_methods = r, self.types, self.methods
            if self.trace:
                self.snap = tracemalloc.take_snapshot()
        parts = " ".join(f"{k}={v:.0f}" if isinstance(v, float) else f"{k}={v}" for k, v in r.items())
        print(f"probe visit={visits} rss_mib={rss_mib:.1f} {parts}", file=sys.__stderr__, flush=True)

    def finish(self) -> None:
        if self.base is None:
            return
        grown = (self.types - self.base_types).most_common(12)
        print("probe: object types grown most since the warm-up:",
              ", ".join(f"{name} +{n}" for name, n in grown), file=sys.__stderr__)
        grown = (self.methods - self.base_methods).most_common(8)
        print("probe: bound methods grown most:", ", ".join(f"{name} +{n}" for name, n in grown),
              file=sys.__stderr__)
        from kivy.cache import Cache
        print("probe: kivy caches:", {k: len(v) for k, v in Cache._objects.items()}, file=sys.__stderr__)
        if not self.trace:
            return
        stats = tracemalloc.take_snapshot().compare_to(self.snap, "lineno")
        print("probe: allocations grown most since the warm-up (size, count):", file=sys.__stderr__)
        for s in stats[:15]:
            print(f"probe:   {s.size_diff / 1024:+9.1f} KiB {s.count_diff:+7d}  {s.traceback}",
                  file=sys.__stderr__)


def from_env(db_dir: Path) -> Probe | None:
    every = os.environ.get("SOAK_PROBE")
    if not every:
        return None
    return Probe(int(every) if every.isdigit() and int(every) > 1 else 100, db_dir,
                 os.environ.get("SOAK_PROBE_TRACE") == "1")
