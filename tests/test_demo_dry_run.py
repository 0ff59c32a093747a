"""A `--dry-run` demo campaign (three real stores, a real browser, the real SMTP sink) tests nothing it could
score: every store has no score and says why, and nothing reads "good"."""

import asyncio
import json
from pathlib import Path

from auditor.campaign.orchestrate import CampaignOptions
from auditor.demo.run import run_demo
from auditor.shopper.options import ShopperOptions


def test_a_dry_run_campaign_has_no_store_score(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    lines: list[str] = []
    asyncio.run(run_demo(out, CampaignOptions(shopper=ShopperOptions(dry_run=True)), lines.append))
    results = json.loads((out / "results.json").read_text())
    assert {s["id"] for s in results["stores"]} == {"exemplary", "chatty", "bare"}
    for store in results["stores"]:
        card = store["scorecard"]
        assert card["total"] is None and all(v is None for v in card["categories"].values()), store["id"]
        assert card["unscored"].startswith("its only run has no score: dry run"), card
        run = store["runs"][0]
        assert run["run"]["status"] == "done" and run["messages"] == []  # stopped before the order: no mail
        assert run["scorecard"]["total"] is None
        statuses = {f["status"] for f in run["findings"]}
        assert "fail" not in statuses
    index = (out / "index.html").read_text()
    assert index.count("No score: its only run has no score: dry run") == 3
    assert index.count('class="score good"') == 1  # the legend only: no store, no category is "good"
