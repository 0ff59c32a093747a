"""Trends across campaigns from results.json alone: points by date, the same store id joined, clear refusals."""

import json
import re
from pathlib import Path

from test_report_timeline import fast_store, results_of, slow_store
from typer.testing import CliRunner

from auditor.cli import app
from auditor.models.results import CampaignResults
from auditor.report.history import build_histories, load_campaigns


def campaign(folder: Path, results: CampaignResults, day: int, total_shift: float = 0) -> Path:
    data = json.loads(results.model_dump_json(by_alias=True))
    for store in data["stores"]:
        store["scorecard"]["total"] += total_shift
        for run in store["runs"]:
            run["run"]["started_at"] = f"2026-11-{day:02d}T09:00:00Z"
    folder.mkdir(parents=True)
    (folder / "results.json").write_text(json.dumps(data))
    return folder


def test_each_store_is_one_history_with_a_point_per_campaign_oldest_first(tmp_path: Path) -> None:
    newer = campaign(tmp_path / "b", results_of(slow_store(), fast_store()), day=20)
    older = campaign(tmp_path / "a", results_of(slow_store()), day=3, total_shift=-30)
    histories = {h.id: h for h in build_histories(load_campaigns([newer, older]))}
    assert [p.date.day for p in histories["slow"].points] == [3, 20]
    assert [p.total for p in histories["slow"].points] == [20, 50]
    assert len(histories["fast"].points) == 1  # only in the newer campaign


def test_history_pages_go_to_the_newest_folder_and_its_store_pages_link_them(tmp_path: Path) -> None:
    newer = campaign(tmp_path / "b", results_of(slow_store(), fast_store()), day=20)
    older = campaign(tmp_path / "a", results_of(slow_store()), day=3, total_shift=-30)
    done = CliRunner().invoke(app, ["report", "--history", str(newer), str(older), "--no-pictures"])
    assert done.exit_code == 0, done.output
    page = (newer / "history-slow.html").read_text()
    total = re.search(r'<g class="series" data-series="total">(.*?)</g>', page, re.S).group(1)
    assert total.count("<circle") == 2 and "2026-11-03" in page and "2026-11-20" in page
    assert 'href="history-slow.html"' in (newer / "store-slow.html").read_text()
    assert not list(older.glob("history*.html")) and "<script" not in page


def test_several_folders_need_history_and_each_needs_results(tmp_path: Path) -> None:
    good = campaign(tmp_path / "b", results_of(slow_store()), day=20)
    (tmp_path / "empty").mkdir()
    runner = CliRunner()
    done = runner.invoke(app, ["report", str(good), str(good)])
    assert done.exit_code == 2 and "--history" in done.output
    done = runner.invoke(app, ["report", "--history", str(good), str(tmp_path / "empty")])
    assert done.exit_code == 2 and "results.json" in done.output
