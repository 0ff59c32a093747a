"""Every email as a picture: the stage between analysis and the report that renders stored messages.

For each message of a campaign it stores, beside nothing else, by content hash:
``snapshots/<sha256>.html`` (the sanitised preview: remote loads blocked, ``cid:``
images inlined, capped) and ``snapshots/<sha256>-600.png`` / ``-375.png``, what a
desktop and a phone mail client show first. A file that exists is never rendered
again, so the stage can run after every campaign, rescore and report at the
cost of only what is new. It lives in ``campaign/`` because it reads and writes
the campaign folder and needs a browser, like the shopper; it is never on the
path that accepts mail (the sink returns 250 long before any of this runs), and
the report only reads what it wrote.
"""

import asyncio
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page
from playwright.async_api import Error as PlaywrightError
from pydantic import BaseModel, Field

from auditor.analysis.preview import preview_document
from auditor.shopper.browser import BrowserNotFound, BrowserOptions, launch_browser

WIDTHS = (600, 375)
"""Desktop and phone mail-client widths, in CSS pixels."""
MAX_HEIGHT = 8000
"""A picture shows at most this many pixels of an email's height: a 60,000-image mail makes no 2 GB PNG."""
CONCURRENCY = 2
"""Pages rendering at once; the machine this runs on often has two cores."""


class SnapshotStats(BaseModel):
    """What one pass of the stage did."""

    previews_written: int = 0
    pictures_rendered: int = 0
    skipped: int = Field(default=0, description="messages whose files all existed already")
    missing: list[str] = Field(default_factory=list, description="hashes with no mail/<sha>.eml to render")
    seconds: float = 0.0


def snapshots_dir(folder: Path) -> Path:
    return Path(folder) / "snapshots"


def preview_path(folder: Path, sha256: str) -> Path:
    return snapshots_dir(folder) / f"{sha256}.html"


def picture_path(folder: Path, sha256: str, width: int) -> Path:
    return snapshots_dir(folder) / f"{sha256}-{width}.png"


def _write_atomic(path: Path, data: bytes) -> None:
    """A crash leaves the old file or none, never half a picture the next pass would skip."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_previews(folder: Path, shas: Iterable[str], stats: SnapshotStats) -> list[str]:
    """Store each message's sanitised preview (if absent); return the hashes that have one."""
    folder = Path(folder)
    snapshots_dir(folder).mkdir(parents=True, exist_ok=True)
    ready = []
    for sha in dict.fromkeys(shas):
        target = preview_path(folder, sha)
        if not target.exists():
            eml = folder / "mail" / f"{sha}.eml"
            if not eml.exists():
                stats.missing.append(sha)
                continue
            _write_atomic(target, preview_document(eml.read_bytes()).encode("utf-8"))
            stats.previews_written += 1
        ready.append(sha)
    return ready


async def _offline_context(browser: Browser, width: int) -> BrowserContext:
    """No network, no script: the preview's own CSP already blocks remote loads; this is the second lock.
    The viewport is short so a short email's page is as tall as its content, not the window."""
    context = await browser.new_context(
        viewport={"width": width, "height": 200}, java_script_enabled=False, offline=True, device_scale_factor=1
    )
    await context.route(lambda url: not url.startswith(("data:", "about:")), lambda route: route.abort())
    return context


_HEIGHT = "Math.ceil(document.documentElement.getBoundingClientRect().height)"


async def _render_one(page: Page, source: Path, target: Path, width: int) -> None:
    """set_content, not goto: the same stored HTML at 2-3x the speed (no file navigation per email)."""
    await page.set_content(source.read_text(encoding="utf-8"), wait_until="load")
    height = await page.evaluate(_HEIGHT)
    if height <= MAX_HEIGHT:
        png = await page.screenshot(full_page=True, type="png")
    else:
        png = await page.screenshot(
            full_page=True, type="png", clip={"x": 0, "y": 0, "width": width, "height": MAX_HEIGHT}
        )
    _write_atomic(target, png)


async def _worker(context: BrowserContext, folder: Path, queue: list[str], width: int, stats: SnapshotStats) -> None:
    """One page taking the next email until none is left (pages are reused: a new page costs more)."""
    page = await context.new_page()
    try:
        while queue:
            sha = queue.pop(0)
            await _render_one(page, preview_path(folder, sha), picture_path(folder, sha, width), width)
            stats.pictures_rendered += 1
    finally:
        await page.close()


async def render_pictures(browser: Browser, folder: Path, shas: list[str], stats: SnapshotStats) -> None:
    """Render every missing ``<sha>-<width>.png`` from its stored preview: per width one context
    with ``CONCURRENCY`` pages."""
    for width in WIDTHS:
        queue = [sha for sha in shas if not picture_path(folder, sha, width).exists()]
        if not queue:
            continue
        context = await _offline_context(browser, width)
        try:
            workers = min(CONCURRENCY, len(queue))
            await asyncio.gather(*(_worker(context, folder, queue, width, stats) for _ in range(workers)))
        finally:
            await context.close()


def _complete(folder: Path, sha: str) -> bool:
    return preview_path(folder, sha).exists() and all(picture_path(folder, sha, w).exists() for w in WIDTHS)


async def snapshot_messages(
    folder: Path,
    shas: Iterable[str],
    options: BrowserOptions | None = None,
    *,
    browser: Browser | None = None,
    pictures: bool = True,
) -> SnapshotStats:
    """Previews and pictures for ``shas`` in campaign ``folder``; starts a browser only if one is needed.
    Without ``pictures`` only the sanitised previews are written (no browser): the report still shows
    each email in its sandboxed frame, a CI check saves the seconds the pictures cost."""
    started = time.perf_counter()
    folder = Path(folder)
    stats = SnapshotStats()
    shas = list(dict.fromkeys(shas))
    todo = [sha for sha in shas if not (_complete(folder, sha) if pictures else preview_path(folder, sha).exists())]
    stats.skipped = len(shas) - len(todo)
    ready = write_previews(folder, todo, stats)
    if ready and pictures:
        if browser is not None:
            await render_pictures(browser, folder, ready, stats)
        else:
            async with launch_browser(options) as launched:
                await render_pictures(launched, folder, ready, stats)
    stats.seconds = time.perf_counter() - started
    return stats


def folder_shas(folder: Path) -> list[str]:
    """Every message a run of the campaign received (its ``campaign.db``; mail matched to no run, e.g. the
    rest of a shared inbox, is not pictured), else every ``mail/*.eml``."""
    folder = Path(folder)
    if (folder / "campaign.db").exists():
        from auditor.campaign.folder import CampaignFolder

        with CampaignFolder(folder) as campaign:
            return [m.sha256 for m in campaign.messages() if m.run_id]
    return sorted(p.stem for p in (folder / "mail").glob("*.eml"))


def describe(stats: SnapshotStats) -> str:
    said = f"pictures: {stats.pictures_rendered} PNGs rendered, {stats.skipped} emails already pictured"
    if stats.missing:
        said += f", {len(stats.missing)} without a stored .eml"
    return f"{said} ({stats.seconds:.1f} s)"


async def snapshot_stage(
    folder: Path,
    options: BrowserOptions | None = None,
    progress: Callable[[str], None] = print,
    *,
    pictures: bool = True,
) -> SnapshotStats | None:
    """The stage as every flow calls it (campaign, demo, rescore, report): all of the folder's messages;
    without a browser it says so and the report shows "no picture stored", the campaign loses nothing.
    ``pictures=False`` (``--no-snapshots``): previews only, no browser."""
    try:
        stats = await snapshot_messages(folder, folder_shas(folder), options, pictures=pictures)
    except BrowserNotFound as exc:
        progress(f"pictures skipped: {str(exc).splitlines()[0]}")
        return None
    except PlaywrightError as exc:
        progress(f"pictures skipped: the browser failed: {exc.message.strip().splitlines()[0]}")
        return None
    progress(describe(stats))
    return stats
