"""`auditor run` as a script runs it: a run that could not be done, or a dry run, has no score and exits 2.

Against the demo store (a real server, a real browser, the real SMTP sink): a store that is down, and a
`--dry-run` that stops before the order click. Neither may report a total, let alone a "good" one.
"""

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cli_process import free_port

from auditor.demo.shop import DemoShop

CAMPAIGN = Path(__file__).parents[1] / "auditor" / "demo" / "campaign"


def profile_at(tmp_path: Path, label: str, store_id: str, base_url: str) -> Path:
    data = yaml.safe_load((CAMPAIGN / "stores" / f"{store_id}.yaml").read_text())
    data["base_url"] = base_url
    if "extends" in data:  # bare.yaml extends exemplary.yaml: the base comes along, beside it
        base = CAMPAIGN / "stores" / data["extends"]
        (tmp_path / data["extends"]).write_text(base.read_text())
    path = tmp_path / f"{label}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def start_run(
    tmp_path: Path, label: str, base_url: str, smtp_port: int, *extra: str, store_id: str = "exemplary"
) -> subprocess.Popen:
    args = [
        sys.executable, "-m", "auditor", "run", str(CAMPAIGN / "scenario.yaml"),
        "--store", str(profile_at(tmp_path, label, store_id, base_url)),
        "--persona", str(CAMPAIGN / "persona.yaml"),
        "--mailbox", f"smtp://127.0.0.1:{smtp_port}",
        "--out", str(tmp_path / f"out-{label}"),
        *extra,
    ]  # fmt: skip
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, Path]]:
    tmp = tmp_path_factory.mktemp("run")
    shop_port, bare_port = free_port(), free_port()
    with DemoShop("127.0.0.1", shop_port) as shop, DemoShop("127.0.0.1", bare_port) as bare_shop:
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            dead_url = f"http://127.0.0.1:{closed.getsockname()[1]}/exemplary"  # nothing listens there
        started = {
            "down": start_run(tmp, "down", dead_url, free_port()),
            "dry": start_run(tmp, "dry", shop.url_for("exemplary"), shop_port, "--dry-run"),
            "bare": start_run(tmp, "bare", bare_shop.url_for("bare"), bare_port, "--min-score", "90", store_id="bare"),
        }
        results = {}
        for name, proc in started.items():
            out, _ = proc.communicate(timeout=240)
            results[name] = (proc.returncode, out, tmp / f"out-{name}")
        assert shop.state.orders("exemplary") == []  # the dry run bought nothing
    return results


def test_a_failed_run_has_no_total_and_exits_2(outcomes: dict) -> None:
    code, out, folder = outcomes["down"]
    assert code == 2, out
    results = json.loads((folder / "results.json").read_text())
    store = results["stores"][0]
    run = store["runs"][0]
    assert run["run"]["status"] == "failed"
    assert run["scorecard"]["total"] is None and run["scorecard"]["unscored"].startswith("the run failed at step 0")
    assert store["scorecard"]["total"] is None and "its only run has no score" in store["scorecard"]["unscored"]
    assert "no score: its only run has no score: the run failed" in out
    assert "No score: its only run has no score" in (folder / "index.html").read_text()
    rows = (folder / "findings.csv").read_text().splitlines()
    assert rows[0].endswith(",found_by,no_score") and all("the run failed" in r for r in rows[1:])


def test_a_dry_run_campaign_reports_no_score_never_good(outcomes: dict) -> None:
    code, out, folder = outcomes["dry"]
    assert code == 2, out
    store = json.loads((folder / "results.json").read_text())["stores"][0]
    assert store["runs"][0]["run"]["status"] == "done"  # the dry run did what it was asked...
    assert store["scorecard"]["total"] is None  # ...and that is not a score
    assert store["scorecard"]["unscored"].startswith("its only run has no score: dry run")
    page = (folder / "store-exemplary.html").read_text()
    assert "no score: dry run" in page and 'class="score good"' not in page


def test_a_done_run_below_min_score_exits_1(outcomes: dict) -> None:
    """The bare store is done and scored, and poor: below --min-score is 1, not 2 (a verdict, not a breakdown)."""
    code, out, folder = outcomes["bare"]
    assert code == 1, out
    store = json.loads((folder / "results.json").read_text())["stores"][0]
    assert store["scorecard"]["total"] is not None and store["scorecard"]["total"] < 90
    assert store["scorecard"]["unscored"] is None
    assert "FAIL Minimum total" in out


def test_why_a_run_has_no_score_is_printed_terminal_safe() -> None:
    """A reason may quote the store's own alert text: its escape sequences are shown, never acted on."""
    from auditor.cli.run import no_score_lines
    from auditor.models.results import CampaignResults, StoreResult
    from auditor.models.scorecard import Scorecard

    card = Scorecard(subject="evil", categories={}, total=None, unscored="the store said: '\x1b]0;pwned\x07'")
    results = CampaignResults(
        campaign="c",
        rubric="default",
        categories=[],
        stores=[StoreResult(id="evil", name="Evil", scorecard=card, runs=[])],
    )
    line = no_score_lines(results)
    assert "\x1b" not in line and "\x07" not in line
    assert line == "Evil: no score: the store said: '\\x1b]0;pwned\\x07'"
