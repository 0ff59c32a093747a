"""End to end: `auditor demo`'s campaign with every real part, judged from results.json."""

import json
import sqlite3
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("demo_run")  # shares the session's demo campaign: one worker runs it once


@pytest.fixture(scope="module")
def demo_folder(demo_run: tuple[Path, list[str]]) -> Path:
    return demo_run[0]


def test_progress_is_reported_as_the_campaign_goes(demo_run: tuple[Path, list[str]]) -> None:
    lines = demo_run[1]
    for store_id in ("exemplary", "chatty", "bare"):
        assert any(line.startswith(f"[{store_id}] order shown") for line in lines), lines
        assert any(line.startswith(f"[{store_id}] mail: order_confirmation") for line in lines), lines


@pytest.fixture(scope="module")
def results(demo_folder: Path) -> dict:
    return json.loads((demo_folder / "results.json").read_text())


def store(results: dict, store_id: str) -> dict:
    return next(s for s in results["stores"] if s["id"] == store_id)


def test_exemplary_is_good_and_ranks_first(results: dict) -> None:
    assert results["stores"][0]["id"] == "exemplary"
    assert store(results, "exemplary")["scorecard"]["total"] >= 90


def test_chatty_is_poor_on_frequency(results: dict) -> None:
    assert store(results, "chatty")["scorecard"]["categories"]["frequency"] < 50


def test_bare_is_poor_on_order_details_and_personalization(results: dict) -> None:
    categories = store(results, "bare")["scorecard"]["categories"]
    assert categories["order_details"] < 50
    assert categories["personalization"] < 50


def test_every_finding_carries_a_measured_value_and_evidence(results: dict) -> None:
    for s in results["stores"]:
        for run in s["runs"]:
            assert run["run"]["status"] == "done", run["run"]
            for finding in run["findings"]:
                assert finding["value"], finding
                if finding["score"] is not None and finding["score"] < 1:
                    assert finding["evidence"] or "no " in finding["value"].lower(), finding


def test_the_folder_holds_raw_mail_and_the_database(demo_folder: Path, results: dict) -> None:
    shas = [m["sha256"] for s in results["stores"] for r in s["runs"] for m in r["messages"]]
    assert shas and all((demo_folder / "mail" / f"{sha}.eml").exists() for sha in shas)
    with sqlite3.connect(demo_folder / "campaign.db") as db:
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 3
        assert db.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == len(shas)


def test_the_html_report_links_a_page_per_store(demo_folder: Path, results: dict) -> None:
    index = (demo_folder / "index.html").read_text()
    for s in results["stores"]:
        assert f'href="store-{s["id"]}.html"' in index
        page = (demo_folder / f"store-{s['id']}.html").read_text()
        assert "<iframe sandbox" in page or not any(r["messages"] for r in s["runs"])
