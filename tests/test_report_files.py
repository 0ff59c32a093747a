"""Report files go in place all together, results.json last; a bad results.json is one line, not a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.models.results import CampaignResults
from auditor.report import write_reports
from auditor.report.files import SUFFIX, ReportFiles, ResultsError, read_results
from auditor.report.write import results_json

ROOT = Path(__file__).parents[1]


def results(rubric: str, stores: tuple[str, ...] = ("alpha", "beta")) -> CampaignResults:
    card = {"categories": {}, "total": None}
    return CampaignResults.model_validate(
        {
            "campaign": "c",
            "rubric": rubric,
            "categories": [],
            "stores": [{"id": s, "name": s.title(), "scorecard": {**card, "subject": s}, "runs": []} for s in stores],
        }
    )


def test_every_file_is_written_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    index = write_reports(tmp_path, results("default"))
    assert index == tmp_path / "index.html"
    names = {p.name for p in tmp_path.iterdir()}
    assert {"results.json", "findings.csv", "index.html", "store-alpha.html", "store-beta.html"} <= names
    assert not [n for n in names if n.endswith(SUFFIX)]
    assert read_results(tmp_path).rubric == "default"


def test_a_write_that_fails_half_way_leaves_the_old_report_whole(tmp_path: Path) -> None:
    write_reports(tmp_path, results("default"))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(RuntimeError), ReportFiles(tmp_path) as files:
        files.add("index.html", "new rubric")
        files.add("store-alpha.html", "new rubric")
        raise RuntimeError("disk full while rendering store-beta")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_write_killed_with_sigkill_leaves_no_empty_page_and_the_next_write_cleans_up(tmp_path: Path) -> None:
    write_reports(tmp_path, results("default"))
    old_index = (tmp_path / "index.html").read_bytes()
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal, sys\n"
            "from auditor.report.files import ReportFiles\n"
            "files = ReportFiles(sys.argv[1]).__enter__()\n"
            "files.add('index.html', 'half of a new report')\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n",
            str(tmp_path),
        ],
        cwd=ROOT,
        timeout=60,
    )
    assert killed.returncode == -9
    assert (tmp_path / "index.html").read_bytes() == old_index  # neither 0 bytes nor the new rubric's
    assert [p.name for p in tmp_path.glob(f"*{SUFFIX}")] != []
    write_reports(tmp_path, results("ci-strict"))
    assert list(tmp_path.glob(f"*{SUFFIX}")) == []
    assert read_results(tmp_path).rubric == "ci-strict"


def test_results_json_is_put_in_place_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """results.json is the marker: a page beside it is never newer than it."""
    order: list[str] = []
    real_replace = os.replace

    def recording_replace(src: str | Path, dst: str | Path) -> None:
        order.append(Path(dst).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", recording_replace)
    write_reports(tmp_path, results("default"))
    assert order[-1] == "results.json"
    assert sorted(order[:-1]) == ["findings.csv", "index.html", "store-alpha.html", "store-beta.html"]


def report_cli(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", "report", str(folder)], capture_output=True, text=True, timeout=60, cwd=ROOT
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("truncated", "not complete JSON (truncated?)"),
        ("empty", "is empty (0 bytes)"),
        ("foreign", "not the results of a scored campaign (stores: Field required)"),
        ("binary", "not JSON"),
    ],
)
def test_report_on_a_broken_results_json_says_so_in_one_line(tmp_path: Path, content: str, reason: str) -> None:
    whole = results_json(results("default"))
    data = {
        "truncated": whole[: len(whole) // 2].encode(),
        "empty": b"",
        "foreign": b'{"campaign": "c", "rubric": "r", "categories": []}',
        "binary": os.urandom(64).replace(b"{", b"x").replace(b"[", b"x"),
    }[content]
    (tmp_path / "results.json").write_bytes(data)
    done = report_cli(tmp_path)
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith(f"error: {tmp_path / 'results.json'}")
    assert reason in lines[0] and lines[0].endswith(f"score it again with: auditor rescore {tmp_path}")
    assert not (tmp_path / "index.html").exists()


def test_report_without_results_json_says_what_to_do(tmp_path: Path) -> None:
    done = report_cli(tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"error: {tmp_path} has no results.json; score it again with: auditor rescore {tmp_path}"
    ]


def test_read_results_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "results.json")
    with pytest.raises(ResultsError, match="FIFO"):
        read_results(tmp_path)
