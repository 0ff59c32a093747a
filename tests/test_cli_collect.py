"""`auditor collect` on a folder: closes the windows that are over, re-scores, says what is pending; a
folder that is not a campaign is one line and exit 2."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from auditor.campaign.folder import CampaignFolder
from auditor.campaign.plan import CampaignSpec
from auditor.cli import app
from auditor.models import Expectations, JournalEvent, MessageKind, Run, RunStatus, Store
from auditor.rubric.examples import persona


def _campaign(path: Path, window: float, ordered_ago: float) -> str:
    ordered = datetime.now(UTC) - timedelta(seconds=ordered_ago)
    with CampaignFolder(path) as folder:
        spec = CampaignSpec(id="c", stores=["s.yaml"], scenarios=["x.yaml"], personas=["p.yaml"])
        folder.set_meta("campaign", spec.model_dump(mode="json"))
        run = Run(id="r1", store_id="s", scenario_id="x", persona_id="anna", address="a+r1@x.test",
                  status=RunStatus.watching, started_at=ordered - timedelta(seconds=5))  # fmt: skip
        folder.add_run(run, Store(id="s", name="S", base_url="http://127.0.0.1:1/s"), persona(),
                       Expectations(kinds=[MessageKind.order_confirmation], window_seconds=window))  # fmt: skip
        folder.add_event("r1", JournalEvent(at=ordered, kind="order_submitted", step="place_order"))
    return str(path)


def test_collect_keeps_an_open_window_open_and_says_what_is_pending(tmp_path: Path) -> None:
    folder = _campaign(tmp_path / "c", window=3600, ordered_ago=60)
    result = CliRunner().invoke(app, ["collect", folder, "--no-snapshots"])
    assert result.exit_code == 0, result.output
    assert "pending: their runs' observation windows are not over" in result.output
    run = json.loads((Path(folder) / "results.json").read_text())["stores"][0]["runs"][0]
    assert run["run"]["status"] == "watching" and run["anchors"]["observed"].endswith(" of 1 h")
    by_id = {f["criterion"]: f for f in run["findings"]}
    assert by_id["confirmation-time"]["status"] == "pending"  # none yet, and the window is open


def test_collect_closes_a_window_that_is_over_and_judges_what_never_came(tmp_path: Path) -> None:
    folder = _campaign(tmp_path / "c", window=30, ordered_ago=60)
    result = CliRunner().invoke(app, ["collect", folder, "--no-snapshots"])
    assert result.exit_code == 0, result.output
    run = json.loads((Path(folder) / "results.json").read_text())["stores"][0]["runs"][0]
    assert run["run"]["status"] == "done" and run["anchors"]["observed"] == "30 s of 30 s"
    by_id = {f["criterion"]: f for f in run["findings"]}
    assert by_id["confirmation-time"]["status"] == "fail" and run["scorecard"]["pending"] == []


def test_collect_on_a_folder_that_is_no_campaign_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["collect", str(tmp_path), "--no-snapshots"])
    words = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code == 2 and "has no campaign.db (make it with `auditor campaign`)" in words, words
    assert "Traceback" not in result.output
