"""``scorecard.pdf``: the comparison and every store page, with the pictures, printed by Chromium for A4.

The pages are the HTML report itself: their ``<main>`` parts are put one after
another into one print document (each store from a new page) and printed with
``page.pdf()``; the print CSS (``_visuals.css.j2``) hides what paper cannot
use (previews, sort orders other than by total) and keeps charts and
thumbnails whole. The browser is handed in: the report stage starts none.
"""

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.async_api import Browser

from auditor.models.results import CampaignResults

if TYPE_CHECKING:
    from auditor.shopper.browser import BrowserOptions

PDF_NAME = "scorecard.pdf"
_MAIN = re.compile(r"<main>(.*?)</main>", re.S)
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def print_document(folder: Path, results: CampaignResults) -> str:
    """One HTML document: index.html's main part, then each store page's, each from a new page."""
    pages = [folder / "index.html", *(folder / f"store-{s.id}.html" for s in results.stores)]
    style, parts = "", []
    for i, page in enumerate(pages):
        html = page.read_text(encoding="utf-8")
        style = style or (m.group(1) if (m := _STYLE.search(html)) else "")
        main = _MAIN.search(html)
        body = main.group(1) if main else html
        parts.append(f'<section class="{"page-break" if i else "first"}">{body}</section>')
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{results.campaign}: scorecard</title>'
        f"<style>{style}</style></head><body><main>{''.join(parts)}</main></body></html>"
    )


async def write_pdf(folder: Path, results: CampaignResults, browser: Browser) -> Path:
    """Print the folder's (already written) HTML report to ``scorecard.pdf``; returns its path."""
    folder = Path(folder)
    source = folder / ".scorecard-print.html"  # in the folder, so the pictures' relative links resolve
    source.write_text(print_document(folder, results), encoding="utf-8")
    target = folder / PDF_NAME
    try:
        context = await browser.new_context(java_script_enabled=False, offline=True)
        try:
            page = await context.new_page()
            await page.goto(source.resolve().as_uri(), wait_until="load")
            await page.emulate_media(media="print")
            pdf = await page.pdf(format="A4", print_background=True, prefer_css_page_size=True, outline=True)
        finally:
            await context.close()
    finally:
        source.unlink(missing_ok=True)
    tmp = target.with_name(f".{PDF_NAME}.{os.getpid()}.tmp")
    tmp.write_bytes(pdf)
    os.replace(tmp, target)
    return target


async def print_pdf(folder: Path, results: CampaignResults, options: "BrowserOptions | None" = None) -> Path:
    """``write_pdf`` with a browser of its own, for the commands that have none open."""
    from auditor.shopper.browser import launch_browser

    async with launch_browser(options) as browser:
        return await write_pdf(folder, results, browser)
