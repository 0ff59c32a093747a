"""Run the real ``auditor`` CLI in a subprocess that is killed if the command takes longer than a limit.

"Within a second" must not count the interpreter's start and imports (seconds on a loaded CI machine),
so the child imports the CLI and the libraries it calls first, then arms ``SIGALRM`` (default action:
terminate, even inside a blocking ``open`` of a FIFO) and runs the command. A command that overruns
the limit ends with ``-SIGALRM``; the outer subprocess timeout is only a safety net."""

import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]

_CHILD = """
import signal, sys
import auditor.cli, auditor.analysis, auditor.config, auditor.rubric, auditor.report, auditor.models.results
limit = float(sys.argv[1])
sys.argv = ["auditor", *sys.argv[2:]]
signal.setitimer(signal.ITIMER_REAL, limit)
auditor.cli.main()
"""


def run_within(args: list[str | Path], seconds: float = 1.0) -> subprocess.CompletedProcess[str]:
    """``auditor ARGS`` with the command itself limited to ``seconds`` of wall-clock time."""
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(seconds), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode != -signal.SIGALRM, f"auditor {args} took longer than {seconds} s: {result.stderr}"
    return result
