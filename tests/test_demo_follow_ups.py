"""The demo campaign measures what the published audits measure after the purchase: whether and when
each store follows up the customer's survey answer (48 h, Mopinion) and answers the review (3 days,
dentsu Polska). Exemplary answers in time, chatty late, bare never; each run observed its whole window."""

import json
import sqlite3
from pathlib import Path

import pytest

from auditor.campaign.plan import load_campaign
from auditor.demo.run import DEMO_CAMPAIGN
from auditor.demo.shop_feedback import DEMO_HOUR

pytestmark = pytest.mark.xdist_group("demo_run")  # shares the session's demo campaign: one worker runs it once


@pytest.fixture(scope="module")
def findings(demo_run: tuple[Path, list[str]]) -> dict[str, dict[str, dict]]:
    results = json.loads((demo_run[0] / "results.json").read_text())
    return {s["id"]: {f["criterion"]: f for f in s["runs"][0]["findings"]} for s in results["stores"]}


def test_the_demo_shop_hour_is_the_demo_scenarios_clock() -> None:
    scenario = load_campaign(DEMO_CAMPAIGN).scenarios[0]
    assert pytest.approx(scenario.expectations.time_scale * 3600) == DEMO_HOUR


@pytest.mark.parametrize("criterion", ["feedback-follow-up", "review-answered"])
def test_one_store_answers_in_time_one_late_one_never(findings: dict, criterion: str) -> None:
    exemplary, chatty, bare = (findings[s][criterion] for s in ("exemplary", "chatty", "bare"))
    assert exemplary["status"] == "pass" and "within" in exemplary["value"], exemplary["value"]
    assert chatty["status"] == "warn" and "late" in chatty["value"], chatty["value"]
    assert bare["status"] == "fail" and bare["value"].startswith("no answer"), bare["value"]
    assert "scenario's clock" in exemplary["value"]  # hours on the demo's clock, with the real seconds beside


def test_each_timed_step_ran_once_and_every_window_was_observed_whole(demo_run: tuple[Path, list[str]]) -> None:
    folder = demo_run[0]
    results = json.loads((folder / "results.json").read_text())
    for store in results["stores"]:
        anchors = store["runs"][0]["anchors"]
        assert anchors["observed"] and anchors["observed"].endswith(anchors["observed"].split(" of ")[0])
        assert store["runs"][0]["scorecard"]["pending"] == []
    with sqlite3.connect(folder / "campaign.db") as db:
        assert [r[0] for r in db.execute("SELECT status FROM timed_steps")] == ["done"] * 3
        acts = db.execute("SELECT kind, COUNT(*) FROM journal_events WHERE kind LIKE '%_sent' GROUP BY kind")
        assert dict(acts.fetchall()) == {"feedback_sent": 3, "review_sent": 3, "question_sent": 3}
