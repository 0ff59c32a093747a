"""The demo campaign's report as a reader's browser opens it (real Chromium), at desktop and phone widths.

Every page: no request leaves the report folder, no console error, a thumbnail
for every email, one timeline mark per email, and axe-core finds nothing
serious or critical. ``auditor report --pdf`` prints an A4 scorecard.pdf and
``auditor report --history`` on two campaigns draws a trend. Screenshots are
kept in ``reports/test-artifacts/report-browser/`` (git ignores ``reports/``; REPORT_TEST_ARTIFACTS
moves them), because pytest's tmp dirs are pruned by the next sessions.
"""

import asyncio
import json
import os
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page
from typer.testing import CliRunner

from auditor.cli import app
from auditor.models.results import CampaignResults
from auditor.shopper.browser import launch_browser

pytestmark = pytest.mark.xdist_group("demo_run")  # shares the session's demo campaign: one worker runs it once

ROOT = Path(__file__).resolve().parents[1]
AXE = Path(os.environ.get("AXE_CORE_JS", ROOT / ".venv" / "node_modules" / "axe-core" / "axe.min.js"))
ARTIFACTS = Path(os.environ.get("REPORT_TEST_ARTIFACTS", ROOT / "reports" / "test-artifacts" / "report-browser"))
WIDTHS = (1280, 375)


@pytest.fixture(scope="module")
def report(demo_run: tuple[Path, list[str]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo campaign (the session's own stays untouched), one month older, then the demo
    again as the newer campaign: rendered with --pdf and --history like a user would."""
    base = tmp_path_factory.mktemp("report")
    older, newer = base / "2026-11", base / "2026-12"
    shutil.copytree(demo_run[0], older)
    shutil.copytree(demo_run[0], newer)
    results = json.loads((older / "results.json").read_text())
    for store in results["stores"]:
        for run in store["runs"]:
            for key in ("started_at", "finished_at"):
                run["run"][key] = shift(run["run"][key])
            if run.get("anchors", {}).get("ordered_at"):
                run["anchors"]["ordered_at"] = shift(run["anchors"]["ordered_at"])
            store["scorecard"]["total"] = max(0, (store["scorecard"]["total"] or 0) - 20)  # a month ago, worse
    (older / "results.json").write_text(json.dumps(results))
    runner = CliRunner()
    done = runner.invoke(app, ["report", str(newer), "--pdf"])
    assert done.exit_code == 0, done.output
    done = runner.invoke(app, ["report", "--history", str(older), str(newer)])
    assert done.exit_code == 0, done.output
    return newer


def shift(stamp: str | None) -> str | None:
    from datetime import datetime

    return None if stamp is None else (datetime.fromisoformat(stamp) - timedelta(days=30)).isoformat()


def test_the_demo_report_holds_every_picture_and_an_a4_pdf(report: Path) -> None:
    results = CampaignResults.model_validate_json((report / "results.json").read_text())
    for sha in {m.sha256 for s in results.stores for r in s.runs for m in r.messages}:
        for name in (f"{sha}.html", f"{sha}-600.png", f"{sha}-375.png"):
            assert (report / "snapshots" / name).stat().st_size > 0, name
    pdf = (report / "scorecard.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf)
    assert len(pages) >= 1 + len(results.stores)  # the comparison, then each store from a new page
    assert re.search(rb"/MediaBox\s*\[0 0 594\.9\d* 841\.9\d*\]", pdf)  # A4 in points
    assert pdf.count(b"/Subtype /Image") >= 1  # the emails' pictures are in it


def test_history_draws_each_store_over_both_campaigns(report: Path) -> None:
    page = (report / "history-exemplary.html").read_text()
    total = re.search(r'<g class="series" data-series="total">(.*?)</g>', page, re.S)
    assert total and total.group(1).count("<circle") == 2  # one point per campaign
    assert "2026-11" in page or "-11-" in page
    assert 'href="history-exemplary.html"' in (report / "store-exemplary.html").read_text()


async def check_page(page: Page, url: str, folder: Path, shots: Path, width: int) -> dict:
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    await page.goto(url, wait_until="load")
    await page.screenshot(path=shots / f"{Path(url).stem}-{width}.png", full_page=True)
    thumbs = await page.eval_on_selector_all(
        ".thumbs li.thumb", "els => els.map(e => { const i = e.querySelector('img');"
        " return [e.dataset.sha256, !!i && i.complete && i.naturalWidth > 0]; })",
    )  # fmt: skip
    marks = await page.eval_on_selector_all(
        "svg.timeline:not(.comparison)",
        "els => els.map(s => [s.getAttribute('class'), s.querySelectorAll('g.mark').length])",
    )
    overflow = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    await page.add_script_tag(path=str(AXE))
    axe = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    outside = [u for u in requests if not u.startswith(folder.resolve().as_uri()) and not u.startswith("data:")]
    bad = [(v["id"], v["impact"], len(v["nodes"])) for v in axe["violations"] if v["impact"] in ("serious", "critical")]
    return {"outside": outside, "errors": errors, "thumbs": thumbs, "marks": marks, "axe": bad, "overflow": overflow}


def test_every_page_loads_nothing_remote_and_passes_axe(report: Path) -> None:
    assert AXE.exists(), f"axe-core not found at {AXE}: run scripts/install.sh (npm install axe-core)"
    results = CampaignResults.model_validate_json((report / "results.json").read_text())
    pages = sorted(report.glob("*.html"))
    assert {"index.html", "history.html", "store-bare.html", "history-bare.html"} <= {p.name for p in pages}
    shots = ARTIFACTS
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    print(f"screenshots: {shots}")

    async def visit() -> dict:
        seen = {}
        async with launch_browser() as browser:
            for width in WIDTHS:
                context = await browser.new_context(viewport={"width": width, "height": 900})
                await context.route(
                    "**/*",
                    lambda route: (
                        route.continue_() if route.request.url.startswith(report.resolve().as_uri()) else route.abort()
                    ),
                )
                for path in pages:
                    page = await context.new_page()
                    seen[(path.name, width)] = await check_page(page, path.resolve().as_uri(), report, shots, width)
                    await page.close()
                await context.close()
        return seen

    seen = asyncio.run(visit())
    runs = {r.run.id: r for s in results.stores for r in s.runs}
    for (name, width), got in seen.items():
        where = f"{name} at {width} px"
        assert got["outside"] == [], f"{where} asked outside the report folder: {got['outside']}"
        assert got["errors"] == [], f"{where} console errors: {got['errors']}"
        assert got["axe"] == [], f"{where} axe-core serious/critical: {got['axe']}"
        assert got["overflow"] <= 0, f"{where} is {got['overflow']} px wider than the screen (wide parts must scroll)"
        assert all(ok for _, ok in got["thumbs"]), f"{where} thumbnails missing: {got['thumbs']}"
        if name.startswith("store-"):
            store = next(s for s in results.stores if f"store-{s.id}.html" == name)
            assert sorted(sha for sha, _ in got["thumbs"]) == sorted(m.sha256 for r in store.runs for m in r.messages)
            assert len(got["marks"]) == len(store.runs)
            for css, count in got["marks"]:
                run_id = re.search(r"run-(\S+)", css).group(1)
                assert count == len(runs[run_id].messages), f"{where}: run {run_id} has {count} marks"
    assert len(list(shots.glob("*.png"))) == len(pages) * len(WIDTHS)
