"""What the snapshot stage costs per email, against Chromium's bare minimum for the same pictures.

Emails: a fixed sample of the test corpus (``tests/corpus``: generated and
real-platform messages in six languages, the HTML-heavy ones included).
Measured in one process with one browser:

- stage: ``snapshot_messages`` on a fresh folder (MIME read, sanitise, store
  the preview, render 600 and 375 px PNGs, write them), browser launch excluded;
- baseline: the same stored previews, per width one context and two pages,
  ``page.set_content`` + ``page.screenshot(full_page=True)`` and nothing else.

Prints emails per second (both widths each) and stage/baseline time ratio, best
of ``ROUNDS`` each, alternating order so neither always runs on a warm cache.
"""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

from auditor.campaign.snapshots import CONCURRENCY, WIDTHS, preview_path, snapshot_messages
from auditor.shopper.browser import launch_browser

CORPUS = Path(__file__).parents[1] / "tests" / "corpus"
EMAILS = 40
ROUNDS = 3


def sample(folder: Path) -> list[str]:
    """Every n-th corpus message (sorted by path, so the sample is the same every run), stored by hash."""
    paths = sorted(CORPUS.rglob("*.eml"))
    step = max(1, len(paths) // EMAILS)
    (folder / "mail").mkdir(parents=True, exist_ok=True)
    shas = []
    for path in paths[::step][:EMAILS]:
        raw = path.read_bytes()
        sha = hashlib.sha256(raw).hexdigest()
        (folder / "mail" / f"{sha}.eml").write_bytes(raw)
        shas.append(sha)
    return list(dict.fromkeys(shas))


async def stage(browser, source: Path, shas: list[str]) -> float:  # noqa: ANN001 - a Playwright Browser
    work = Path(tempfile.mkdtemp(prefix="bench-snap-"))
    try:
        shutil.copytree(source / "mail", work / "mail")
        started = time.perf_counter()
        stats = await snapshot_messages(work, shas, browser=browser)
        elapsed = time.perf_counter() - started
        assert stats.pictures_rendered == len(shas) * len(WIDTHS), stats
        return elapsed
    finally:
        shutil.rmtree(work, ignore_errors=True)


async def baseline(browser, source: Path, shas: list[str]) -> float:  # noqa: ANN001 - a Playwright Browser
    docs = [preview_path(source, sha).read_text(encoding="utf-8") for sha in shas]
    started = time.perf_counter()
    for width in WIDTHS:
        context = await browser.new_context(viewport={"width": width, "height": 200})
        queue = list(docs)

        async def worker(context=context, queue=queue) -> None:  # noqa: ANN001
            page = await context.new_page()
            while queue:
                await page.set_content(queue.pop(0))
                await page.screenshot(full_page=True)
            await page.close()

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        await context.close()
    return time.perf_counter() - started


async def main() -> int:
    source = Path(tempfile.mkdtemp(prefix="bench-snap-src-"))
    try:
        shas = sample(source)
        async with launch_browser() as browser:
            await snapshot_messages(source, shas, browser=browser)  # stored previews for the baseline; warm-up
            best = {"stage": float("inf"), "baseline": float("inf")}
            for i in range(ROUNDS):
                order = ("stage", "baseline") if i % 2 == 0 else ("baseline", "stage")
                for name in order:
                    run = stage if name == "stage" else baseline
                    best[name] = min(best[name], await run(browser, source, shas))
        n = len(shas)
        print(f"emails: {n} from {CORPUS.relative_to(CORPUS.parents[1])}, widths {WIDTHS}, {CONCURRENCY} pages")
        for name, seconds in best.items():
            print(f"{name:9s} {seconds:6.2f} s  {n / seconds:6.1f} emails/s  ({1000 * seconds / n:.0f} ms per email)")
        print(f"ratio stage/baseline: {best['stage'] / best['baseline']:.2f}x")
        return 0
    finally:
        shutil.rmtree(source, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
