"""Find and start a browser, or connect to a remote one, and say clearly what was tried.

Order: an explicit option, then the environment (``AUDITOR_BROWSER`` path or
``AUDITOR_BROWSER_ENDPOINT`` ws:// URL), then Playwright's own download, then a
system Chromium on PATH. One browser per process; each run gets its own context.

Headless, a system *headless shell* (Debian's ``chromium-headless-shell``, Chrome's
``chrome-headless-shell``) comes before the full browser, as Playwright's own headless
launch does: the full browser's "new headless" mode runs the whole browser UI process
and costs about twice the CPU per run, which is what limits ten stores shopped at once
on a small machine (benchmarks/bench_campaign_parallel.py).
"""

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import Browser, Error, async_playwright
from pydantic import BaseModel, Field

SYSTEM_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SYSTEM_HEADLESS_SHELLS = ("chromium-headless-shell", "chrome-headless-shell")

# Debian's Chromium under Playwright: without the background-networking flags it keeps
# calling hosts a sandboxed network refuses; without --no-sandbox it cannot start as root.
SYSTEM_CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
)


class BrowserOptions(BaseModel):
    executable: Path | None = Field(default=None, description="a Chromium binary; else $AUDITOR_BROWSER")
    endpoint: str | None = Field(
        default=None, description="ws:// URL of a remote Playwright browser server; else $AUDITOR_BROWSER_ENDPOINT"
    )
    headless: bool = True
    args: list[str] = Field(default_factory=list, description="extra command-line flags")


class BrowserNotFound(RuntimeError):
    """No browser could be started; the message lists every attempt and why it failed."""


def _candidates(options: BrowserOptions) -> list[tuple[str, Path | None]]:
    """(how it was found, executable) in the order to try; None = Playwright's own download."""
    if options.executable:
        return [("option executable", options.executable)]
    env = os.environ.get("AUDITOR_BROWSER")
    if env:
        return [("$AUDITOR_BROWSER", Path(env))]
    found: list[tuple[str, Path | None]] = [("Playwright's own Chromium", None)]
    for name in (*SYSTEM_HEADLESS_SHELLS, *SYSTEM_CHROMIUMS) if options.headless else SYSTEM_CHROMIUMS:
        path = shutil.which(name)
        if path:
            found.append((f"{name} on PATH", Path(path)))
    return found


@asynccontextmanager
async def launch_browser(options: BrowserOptions | None = None) -> AsyncIterator[Browser]:
    """Start (or connect to) one browser for this process and close it on exit."""
    options = options or BrowserOptions()
    endpoint = options.endpoint or os.environ.get("AUDITOR_BROWSER_ENDPOINT")
    async with async_playwright() as pw:
        if endpoint:
            try:
                browser = await pw.chromium.connect(endpoint)
            except Error as exc:
                raise BrowserNotFound(f"could not connect to browser at {endpoint}: {exc.message}") from exc
        else:
            browser = await _launch(pw.chromium, options)
        try:
            yield browser
        finally:
            await browser.close()


async def _launch(chromium, options: BrowserOptions) -> Browser:  # noqa: ANN001 - Playwright's BrowserType
    tried: list[str] = []
    for how, path in _candidates(options):
        if path is not None and not path.exists():
            tried.append(f"{how} ({path}): no such file")
            continue
        args = [*(SYSTEM_CHROMIUM_ARGS if path is not None else ()), *options.args]
        try:
            return await chromium.launch(executable_path=path, headless=options.headless, args=args)
        except Error as exc:
            first_line = exc.message.strip().splitlines()[0] if exc.message.strip() else str(exc)
            tried.append(f"{how} ({path or 'ms-playwright'}): {first_line}")
    if not any("PATH" in t for t in tried) and not options.executable and not os.environ.get("AUDITOR_BROWSER"):
        tried.append(f"no {', '.join(SYSTEM_CHROMIUMS)} on PATH")
    raise BrowserNotFound(
        "no browser could be started; tried:\n  "
        + "\n  ".join(tried)
        + "\nSet AUDITOR_BROWSER=/path/to/chromium, pass --browser, or --browser-endpoint ws://..."
    )
