"""What a failed run leaves behind for a person to see why: screenshot, URL, page HTML, trace."""

import json
from pathlib import Path

from playwright.async_api import BrowserContext, Page
from playwright.async_api import Error as PlaywrightError


async def save_failure(
    page: Page | None, context: BrowserContext | None, artifacts_dir: Path, about: dict[str, object], trace: bool
) -> list[Path]:
    """Write ``failure.png``, ``failure.html``, ``failure.json`` (step, reason, URL) and ``trace.zip``.

    Each is best effort: a page that crashed may not give a screenshot, and that must not hide the reason."""
    artifacts_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    notes: dict[str, str] = {}
    if page is not None and not page.is_closed():
        shot = artifacts_dir / "failure.png"
        try:
            await page.screenshot(path=shot, full_page=True, timeout=10_000)
            written.append(shot)
        except PlaywrightError as exc:
            notes["screenshot"] = exc.message.splitlines()[0]
        html = artifacts_dir / "failure.html"
        try:
            html.write_text(await page.content(), encoding="utf-8")
            written.append(html)
        except PlaywrightError as exc:
            notes["html"] = exc.message.splitlines()[0]
    if context is not None and trace:
        zip_path = artifacts_dir / "trace.zip"
        try:
            await context.tracing.stop(path=zip_path)
            written.append(zip_path)
        except PlaywrightError as exc:
            notes["trace"] = exc.message.splitlines()[0]
    summary = artifacts_dir / "failure.json"
    summary.write_text(json.dumps({**about, "not_saved": notes}, indent=2, default=str), encoding="utf-8")
    written.append(summary)
    return written
