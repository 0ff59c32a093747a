"""`auditor rescore`: offline, deterministic, and a one-line rubric change moves exactly one finding."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("demo_run")  # shares the session's demo campaign: one worker runs it once


def rescore(folder: Path, rubric: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "auditor", "rescore", str(folder), "--rubric", rubric],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_demo(demo_run: tuple[Path, list[str]], tmp_path: Path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(demo_run[0], folder)
    return folder


def findings_by_run(results: dict) -> dict[tuple[str, str], dict]:
    return {
        (run["run"]["id"], f["criterion"]): f
        for store in results["stores"]
        for run in store["runs"]
        for f in run["findings"]
    }


def test_rescoring_gives_the_same_bytes_as_the_campaign_wrote(copy_of_demo: Path) -> None:
    written = (copy_of_demo / "results.json").read_bytes()
    first = rescore(copy_of_demo, "default")
    assert first.returncode == 0, first.stderr
    once = (copy_of_demo / "results.json").read_bytes()
    assert rescore(copy_of_demo, "default").returncode == 0
    assert (copy_of_demo / "results.json").read_bytes() == once == written


def test_a_rubric_extending_default_changes_exactly_the_finding_it_overrides(
    copy_of_demo: Path, tmp_path: Path
) -> None:
    before = findings_by_run(json.loads((copy_of_demo / "results.json").read_text()))
    lenient = tmp_path / "lenient.yaml"
    lenient.write_text(
        "id: lenient\nextends: default\ncriteria:\n  emails-first-30-min:\n    params: {max_emails: 6, worst: 12}\n"
    )
    done = rescore(copy_of_demo, str(lenient))
    assert done.returncode == 0, done.stderr
    after = findings_by_run(json.loads((copy_of_demo / "results.json").read_text()))
    changed = {key for key in before if before[key] != after[key]}
    assert changed, "chatty's six emails in 30 minutes are within the lenient limit"
    assert {criterion for _, criterion in changed} == {"emails-first-30-min"}


def test_a_folder_without_a_campaign_is_refused(tmp_path: Path) -> None:
    done = rescore(tmp_path, "default")
    assert done.returncode != 0
    assert "campaign.db" in done.stderr


def test_report_re_renders_from_results_json_alone(copy_of_demo: Path) -> None:
    written = (copy_of_demo / "results.json").read_bytes()
    (copy_of_demo / "index.html").unlink()
    (copy_of_demo / "campaign.db").unlink()  # rendering needs only results.json and the raw mail
    done = subprocess.run(
        [sys.executable, "-m", "auditor", "report", str(copy_of_demo)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert (copy_of_demo / "results.json").read_bytes() == written
    assert "store-exemplary.html" in (copy_of_demo / "index.html").read_text()
    rows = (copy_of_demo / "findings.csv").read_text().splitlines()
    assert rows[0].startswith("store,run,criterion,category")
    total = sum(len(r["findings"]) for s in json.loads(written)["stores"] for r in s["runs"])
    assert len(rows) == 1 + total
