"""Finding a browser: explicit option, environment, Playwright's download, PATH; and saying what was tried."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_server import browser_server

from auditor.shopper.browser import BrowserNotFound, BrowserOptions, _candidates, launch_browser


@pytest.fixture
def remote_browser(tmp_path: Path) -> Iterator[str]:
    """A real remote Playwright server (``playwright run-server``) serving the system Chromium."""
    with browser_server(tmp_path) as endpoint:
        yield endpoint


async def test_the_system_chromium_is_found_and_runs_a_page() -> None:
    async with launch_browser() as browser:
        context = await browser.new_context()
        page = await context.new_page()
        await page.set_content("<h1>hi</h1>")
        assert await page.text_content("h1") == "hi"
        await context.close()


def test_the_search_order_is_option_then_env_then_playwright_then_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDITOR_BROWSER", "/opt/env-chrome")
    assert _candidates(BrowserOptions(executable=Path("/opt/given"))) == [("option executable", Path("/opt/given"))]
    assert _candidates(BrowserOptions()) == [("$AUDITOR_BROWSER", Path("/opt/env-chrome"))]
    monkeypatch.delenv("AUDITOR_BROWSER")
    found = _candidates(BrowserOptions())
    assert found[0] == ("Playwright's own Chromium", None)
    assert ("chromium on PATH", Path("/usr/bin/chromium")) in found


def test_headless_a_system_headless_shell_comes_before_the_full_browser(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("AUDITOR_BROWSER", raising=False)
    for name in ("chromium", "chromium-headless-shell"):
        (tmp_path / name).write_text("#!/bin/sh\n")
        (tmp_path / name).chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    headless = [how for how, _ in _candidates(BrowserOptions(headless=True))]
    assert headless == ["Playwright's own Chromium", "chromium-headless-shell on PATH", "chromium on PATH"]
    shown = [how for how, _ in _candidates(BrowserOptions(headless=False))]
    assert shown == ["Playwright's own Chromium", "chromium on PATH"]  # a shell has no window to show


async def test_a_missing_executable_is_an_error_that_says_what_was_tried(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-chrome"
    with pytest.raises(BrowserNotFound) as caught:
        async with launch_browser(BrowserOptions(executable=missing)):
            pass
    message = str(caught.value)
    assert f"option executable ({missing}): no such file" in message
    assert "AUDITOR_BROWSER" in message


async def test_without_playwrights_download_or_path_every_attempt_is_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDITOR_BROWSER", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", "/nonexistent/ms-playwright")
    with pytest.raises(BrowserNotFound) as caught:
        async with launch_browser():
            pass
    message = str(caught.value)
    assert "Playwright's own Chromium (ms-playwright)" in message
    assert "no chromium, chromium-browser, google-chrome, google-chrome-stable on PATH" in message


async def test_a_dead_endpoint_is_named() -> None:
    with pytest.raises(BrowserNotFound, match="could not connect to browser at ws://127.0.0.1:9/"):
        async with launch_browser(BrowserOptions(endpoint="ws://127.0.0.1:9/")):
            pass


async def test_a_remote_browser_is_used_through_its_endpoint(
    remote_browser: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDITOR_BROWSER_ENDPOINT", remote_browser)
    monkeypatch.setenv("AUDITOR_BROWSER", "/nonexistent/chrome")  # the endpoint wins: nothing is launched here
    async with launch_browser() as browser:
        page = await browser.new_page()
        await page.set_content("<h1>remote</h1>")
        assert await page.text_content("h1") == "remote"
