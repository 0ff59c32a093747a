"""A campaign killed mid-run resumes where it stopped: nothing bought twice, nothing lost."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import yaml
from cli_process import free_port

from auditor.demo.shop import DemoShop

DEMO = Path(__file__).parents[1] / "auditor" / "demo" / "campaign"


def write_campaign(tmp: Path, shop: DemoShop, smtp_port: int, window_seconds: float = 12) -> Path:
    """The demo campaign for exemplary then bare, one at a time, pointed at a running demo shop, each run
    watching a short window (the demo's eight compressed days would make each run last 69 s)."""
    scenario = yaml.safe_load((DEMO / "scenario.yaml").read_text())
    scenario["expectations"].pop("watch", None)
    scenario["expectations"]["window_seconds"] = window_seconds
    (tmp / "scenario.yaml").write_text(yaml.safe_dump(scenario))
    (tmp / "stores").mkdir()
    for store_id in ("exemplary", "bare"):
        data = yaml.safe_load((DEMO / "stores" / f"{store_id}.yaml").read_text())
        data["base_url"] = shop.url_for(store_id)
        (tmp / "stores" / f"{store_id}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    campaign = {
        "id": "resume",
        "stores": ["stores/exemplary.yaml", "stores/bare.yaml"],
        "scenarios": ["scenario.yaml"],
        "personas": [str(DEMO / "persona.yaml")],
        "concurrency": 1,
        "mailbox": {"kind": "smtp_sink", "host": "127.0.0.1", "port": smtp_port},
    }
    path = tmp / "campaign.yaml"
    path.write_text(yaml.safe_dump(campaign))
    return path


def campaign_process(campaign: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "auditor", "campaign", str(campaign), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def test_a_killed_campaign_resumes_without_buying_twice(tmp_path: Path) -> None:
    smtp_port = free_port()
    out = tmp_path / "out"
    with DemoShop("127.0.0.1", smtp_port) as shop:
        shop.outbox.attempts = 60  # like an MTA, keep retrying while the campaign's mailbox is down
        campaign = write_campaign(tmp_path, shop, smtp_port)
        first = campaign_process(campaign, out)
        seen = []
        for line in first.stdout:  # wait for the event, then pull the plug
            seen.append(line)
            if "[exemplary] order shown" in line:
                os.killpg(first.pid, signal.SIGKILL)
                break
        first.wait(timeout=30)
        assert first.returncode == -signal.SIGKILL, "".join(seen)
        assert [o.number for o in shop.state.orders("exemplary")] == ["EX-10001"]
        assert shop.state.orders("bare") == []

        second = campaign_process(campaign, out)
        output, _ = second.communicate(timeout=240)
        assert second.returncode == 0, output
        assert "resuming at step" in output
        # the exemplary order was not placed again; bare was shopped after the restart
        assert [o.number for o in shop.state.orders("exemplary")] == ["EX-10001"]
        assert len(shop.state.orders("bare")) == 1
        assert len(shop.state.questions("exemplary")) == 1  # the steps after the order ran once

    results = json.loads((out / "results.json").read_text())
    runs = {s["id"]: s["runs"] for s in results["stores"]}
    assert len(runs["exemplary"]) == 1 and len(runs["bare"]) == 1
    exemplary = runs["exemplary"][0]
    assert exemplary["run"]["status"] == "done"
    kinds = [m["kind"] for m in exemplary["messages"]]
    assert kinds.count("order_confirmation") == 1 and "support_reply" in kinds
    with sqlite3.connect(out / "campaign.db") as db:
        submitted = db.execute(
            "SELECT COUNT(*) FROM journal_events WHERE run_id = ? AND kind = 'order_submitted'",
            (exemplary["run"]["id"],),
        ).fetchone()[0]
    assert submitted == 1


def test_a_kill_between_the_order_click_and_its_answer_leaves_an_interrupted_run(tmp_path: Path) -> None:
    """The store holds the order post (a hanging payment gateway); the campaign is killed after journaling
    the click and before any answer. Resumed, the run is `interrupted`: not shopped again, not judged."""
    smtp_port = free_port()
    out = tmp_path / "out"
    with DemoShop("127.0.0.1", smtp_port) as shop:
        shop.outbox.attempts = 1
        campaign = write_campaign(tmp_path, shop, smtp_port, window_seconds=6)  # the interrupted run watches it
        shop.order_gates["exemplary"].clear()
        first = campaign_process(campaign, out)
        seen = []
        for line in first.stdout:
            seen.append(line)
            if "[exemplary] order submitted" in line:
                os.killpg(first.pid, signal.SIGKILL)
                break
        first.wait(timeout=30)
        assert first.returncode == -signal.SIGKILL, "".join(seen)

        second = campaign_process(campaign, out)
        output, _ = second.communicate(timeout=240)
        assert "interrupted" in output, output
        assert shop.state.orders("exemplary") == []  # still held: the resumed run did not click again
        assert len(shop.state.orders("bare")) == 1
        shop.order_gates["exemplary"].set()

    results = json.loads((out / "results.json").read_text())
    exemplary = next(s for s in results["stores"] if s["id"] == "exemplary")
    run = exemplary["runs"][0]["run"]
    assert run["status"] == "interrupted"
    assert "before the store's answer" in run["error"]
    with sqlite3.connect(out / "campaign.db") as db:
        kinds = [k for (k,) in db.execute("SELECT kind FROM journal_events WHERE run_id = ?", (run["id"],))]
    assert kinds.count("order_submitted") == 1 and "order_answered" not in kinds
