"""What tests that drive the real command line share: a free loopback port and one `auditor` subprocess."""

import socket
import subprocess
import sys


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it; loopback only)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def auditor(*args: str, timeout: float = 300) -> tuple[int, str]:
    """Run ``python -m auditor ARGS`` as a user would; (exit code, stdout + stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "auditor", *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    return done.returncode, done.stdout + done.stderr
