"""Run the real ``auditor`` CLI in a subprocess that is killed if the command takes longer than a limit.

"Within a second" must not count the interpreter's start and imports, nor the time other processes
hold a loaded CI machine's CPU. So the child imports the CLI and the libraries it calls first, then
arms two timers whose default action terminates it: one second of the command's own CPU time
(``ITIMER_PROF``: a blow-up, a quadratic parse) and ten seconds of wall-clock time (``ITIMER_REAL``:
a hang that burns no CPU, such as a blocking ``open`` of a FIFO). A command that overruns either ends
with that signal; the outer subprocess timeout is only a safety net."""

import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
WALL_SECONDS = 10.0

_CHILD = """
import signal, sys
import auditor.cli, auditor.analysis, auditor.config, auditor.rubric, auditor.report, auditor.models.results
cpu, wall = float(sys.argv[1]), float(sys.argv[2])
sys.argv = ["auditor", *sys.argv[3:]]
signal.setitimer(signal.ITIMER_PROF, cpu)
signal.setitimer(signal.ITIMER_REAL, wall)
auditor.cli.main()
"""


def run_within(args: list[str | Path], seconds: float = 1.0) -> subprocess.CompletedProcess[str]:
    """``auditor ARGS`` with the command itself limited to ``seconds`` of CPU (and ten of wall clock)."""
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(seconds), str(WALL_SECONDS), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode != -signal.SIGPROF, f"auditor {args} used more than {seconds} s of CPU: {result.stderr}"
    assert result.returncode != -signal.SIGALRM, f"auditor {args} hung for {WALL_SECONDS} s: {result.stderr}"
    return result
