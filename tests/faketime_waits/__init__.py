"""Run the suite under libfaketime (the machine's clock moved, e.g. to a Sunday 03:00) without
hanging: when pytest starts under faketime, the wait wrapper (waits.c) is compiled into build/
and pytest starts again with it preloaded. Called from tests/conftest.py's pytest_configure."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = "kiosk-faketime-waits"


def needs_wrapper(env=os.environ) -> bool:
    preload = env.get("LD_PRELOAD", "")
    return "faketime" in preload and MARK not in preload


def build(out_dir: Path) -> Path:
    src = HERE / "waits.c"
    digest = hashlib.sha256(src.read_bytes()).hexdigest()[:12]
    lib = out_dir / f"{MARK}-{digest}.so"
    if not lib.exists():
        out_dir.mkdir(parents=True, exist_ok=True)
        tmp = lib.with_suffix(f".{os.getpid()}.tmp")
        # built without libfaketime in the compiler's environment
        env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
        subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", str(tmp), str(src), "-ldl"],
                       check=True, env=env)
        os.replace(tmp, lib)
    return lib


def restart_with_wrapper(config, out_dir: Path) -> None:
    """Start this pytest run again with the wrapper preloaded before libfaketime."""
    try:
        lib = build(out_dir)
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"tests/faketime_waits: cannot build the wait wrapper ({e}); timed waits may hang under "
              "faketime", file=sys.stderr)
        return
    capman = config.pluginmanager.getplugin("capturemanager")
    if capman is not None:
        capman.stop_global_capturing()  # give the new process the real stdout and stderr
    os.environ["LD_PRELOAD"] = f"{lib}:{os.environ['LD_PRELOAD']}"
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, sys.orig_argv)
