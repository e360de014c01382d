"""`python -m bench [NAME ...]`: run benchmarks and print one table."""
from __future__ import annotations

import importlib
import sys
import traceback
from pathlib import Path

from bench.report import Report


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    names = argv or sorted(p.stem[len("bench_"):] for p in here.glob("bench_*.py"))
    report = Report()
    failed = []
    for name in names:
        print(f"== bench {name}", flush=True)
        try:
            importlib.import_module(f"bench.bench_{name}").run(report)
        except Exception:  # noqa: BLE001 - report and go on with the others
            traceback.print_exc()
            failed.append(name)
    print()
    print(report.table())
    print(f"\nwritten to {report.out}")
    if failed:
        print(f"benchmarks that failed to run: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
