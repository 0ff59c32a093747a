"""`auditor check` as CI runs it: a subprocess against the demo stores, its exit code and JUnit file."""

import re
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from cli_process import free_port

from auditor.demo.shop import DemoShop

CAMPAIGN = Path(__file__).parents[1] / "auditor" / "demo" / "campaign"


def profile_at(tmp_path: Path, label: str, store_id: str, base_url: str) -> Path:
    data = yaml.safe_load((CAMPAIGN / "stores" / f"{store_id}.yaml").read_text())
    data["base_url"] = base_url
    path = tmp_path / f"{label}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def start_check(
    tmp_path: Path, label: str, store_id: str, base_url: str, smtp_port: int, *extra: str
) -> tuple[subprocess.Popen, Path]:
    junit = tmp_path / f"{label}.xml"
    args = [
        sys.executable, "-m", "auditor", "check", str(CAMPAIGN / "scenario.yaml"),
        "--store", str(profile_at(tmp_path, label, store_id, base_url)),
        "--persona", str(CAMPAIGN / "persona.yaml"),
        "--rubric", "ci-strict",
        "--mailbox", f"smtp://127.0.0.1:{smtp_port}",
        "--junit", str(junit),
        "--markdown", str(tmp_path / f"{label}.md"),
        "--out", str(tmp_path / f"out-{label}"),
        *extra,
    ]  # fmt: skip
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True), junit


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str, Path]]:
    """Run the three checks side by side: exemplary, chatty, and a store that is down."""
    tmp = tmp_path_factory.mktemp("check")
    ports = {name: free_port() for name in ("exemplary", "chatty", "down")}
    shops = {name: DemoShop("127.0.0.1", ports[name]) for name in ("exemplary", "chatty")}
    for shop in shops.values():
        shop.start()
    try:
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            dead_url = f"http://127.0.0.1:{closed.getsockname()[1]}/exemplary"  # nothing listens there
        started = {
            "exemplary": start_check(
                tmp, "exemplary", "exemplary", shops["exemplary"].url_for("exemplary"), ports["exemplary"]
            ),
            "chatty": start_check(
                tmp, "chatty", "chatty", shops["chatty"].url_for("chatty"), ports["chatty"], "--no-snapshots"
            ),
            "down": start_check(tmp, "down", "exemplary", dead_url, ports["down"]),
        }
        results = {}
        for name, (proc, junit) in started.items():
            out, _ = proc.communicate(timeout=240)
            results[name] = (proc.returncode, out, junit)
        return results
    finally:
        for shop in shops.values():
            shop.stop()


def test_exemplary_passes_ci_strict(outcomes: dict) -> None:
    code, out, junit = outcomes["exemplary"]
    assert code == 0, out
    suite = ET.parse(junit).getroot().find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) >= 10
    assert not [c for c in cases if c.find("failure") is not None]


def test_chatty_fails_ci_strict_with_reasons(outcomes: dict) -> None:
    code, out, junit = outcomes["chatty"]
    assert code == 1, out
    failed = [c for c in ET.parse(junit).getroot().iter("testcase") if c.find("failure") is not None]
    assert failed, "JUnit must name the failing criteria"
    assert any("frequency" in (c.get("classname") or "") + (c.get("name") or "") for c in failed)
    assert "FAILED" in out
    summary = (junit.parent / "chatty.md").read_text()
    assert "fail" in summary.lower()


def test_a_store_that_is_down_exits_2(outcomes: dict) -> None:
    code, out, _ = outcomes["down"]
    assert code == 2, out
    assert "could not be done" in out


def test_a_run_that_could_not_be_done_still_writes_junit_and_markdown(outcomes: dict) -> None:
    """CI shows why there is no verdict: one <error> naming the step, the page and the artifacts; no score."""
    code, out, junit = outcomes["down"]
    assert code == 2, out
    suite = ET.parse(junit).getroot().find("testsuite")
    errors = [c for c in suite.iter("testcase") if c.find("error") is not None]
    assert len(errors) == 1 and suite.get("errors") == "1" and suite.get("failures") == "0"
    error = errors[0].find("error")
    assert error.get("type") == "run_failed" and "could not be done at step 0 visit" in error.get("message"), out
    details = error.text or ""
    assert "page: " in details or "127.0.0.1" in details
    shot = re.search(r"artifact: (\S+/runs/\S+\.png)", details)  # the screenshot saved on failure, in --out
    assert shot and Path(shot.group(1)).is_file(), details
    totals = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert totals["total"] == "no score"
    assert all(c.find("skipped") is not None for c in suite.iter("testcase") if c not in errors)
    summary = (junit.parent / "down.md").read_text()
    assert "could not be done" in summary and "No score" in summary and "Step: step 0 visit" in summary


def test_a_bad_input_file_exits_2_and_still_writes_the_ci_reports(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text("id: x\nsteps: [\n")
    junit, markdown = tmp_path / "audit.xml", tmp_path / "summary.md"
    args = [
        sys.executable, "-m", "auditor", "check", str(scenario),
        "--store", str(CAMPAIGN / "stores" / "exemplary.yaml"), "--persona", str(CAMPAIGN / "persona.yaml"),
        "--junit", str(junit), "--markdown", str(markdown), "--out", str(tmp_path / "out"),
    ]  # fmt: skip
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    error = ET.parse(junit).getroot().find("testsuite/testcase/error")
    assert error is not None and "reading the input files" in error.get("message")
    assert str(scenario) in error.get("message")
    assert "No score" in markdown.read_text() and not (tmp_path / "out").exists()  # nothing was run


def test_no_snapshots_keeps_the_previews_and_renders_no_pictures(outcomes: dict) -> None:
    """``--no-snapshots`` saves CI the pictures' seconds; the report still has each email's sanitised preview."""
    pictured = outcomes["exemplary"][2].parent / "out-exemplary" / "snapshots"
    plain = outcomes["chatty"][2].parent / "out-chatty" / "snapshots"
    assert list(pictured.glob("*-600.png")) and list(pictured.glob("*.html"))
    assert list(plain.glob("*.html")) and not list(plain.glob("*.png"))
