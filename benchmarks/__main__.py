"""Run every ``benchmarks/bench_*.py`` (or those whose name contains an argument), one process each.

Usage: ``python -m benchmarks`` or ``python -m benchmarks mail sink``. Each
benchmark runs as ``python -m benchmarks.<name>`` in its own process, so one
that crashes or leaks cannot skew or stop the next; the exit code is 1 if any failed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover(filters: list[str]) -> list[str]:
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    return [n for n in names if not filters or any(f in n for f in filters)]


def main(argv: list[str]) -> int:
    names = discover(argv)
    if not names:
        print(f"no benchmarks match {argv!r} in {HERE}", file=sys.stderr)
        return 2
    failed: list[str] = []
    for name in names:
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", f"benchmarks.{name}"], cwd=HERE.parent)
        print(f"== {name}: {'ok' if done.returncode == 0 else f'FAILED ({done.returncode})'}"
              f" in {time.perf_counter() - start:.1f} s\n", flush=True)  # fmt: skip
        if done.returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
