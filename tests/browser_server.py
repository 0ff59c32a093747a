"""A real remote Playwright browser server (``playwright run-server``) serving the system's Chromium,
for the tests of ``--browser-endpoint`` (the shopper, a team's workers)."""

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import playwright

# the old headless shell when the system has it (as Playwright's server would launch), else the full browser
SYSTEM_SHELL = next(
    (p for p in (Path("/usr/lib/chromium/chromium-headless-shell"), Path("/usr/bin/chromium")) if p.exists()),
    Path("/usr/bin/chromium"),
)


@contextmanager
def browser_server(workdir: Path) -> Iterator[str]:
    """The server's ws:// endpoint while it runs. Playwright's server launches its own headless shell;
    none is downloaded here, so a browsers folder in ``workdir`` is made whose shell is the system's."""
    manifest = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    revision = next(b["revision"] for b in json.loads(manifest.read_text())["browsers"] if b["name"] == "chromium")
    shell = workdir / f"chromium_headless_shell-{revision}" / "chrome-headless-shell-linux64" / "chrome-headless-shell"
    shell.parent.mkdir(parents=True)
    shell.symlink_to(SYSTEM_SHELL)
    server = subprocess.Popen(
        [sys.executable, "-m", "playwright", "run-server", "--host", "127.0.0.1", "--port", "0"],
        env={**os.environ, "PLAYWRIGHT_BROWSERS_PATH": str(workdir)},
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()  # "Listening on ws://127.0.0.1:PORT/" once it accepts connections
        assert line.startswith("Listening on ws://"), line
        yield line.removeprefix("Listening on ").strip()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
