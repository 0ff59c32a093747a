"""Finding a browser: explicit option, environment, Playwright's download, PATH; and saying what was tried."""

from pathlib import Path

import pytest

from auditor.shopper.browser import BrowserNotFound, BrowserOptions, _candidates, launch_browser


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
