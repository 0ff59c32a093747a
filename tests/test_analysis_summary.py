"""The readable summary, the stable JSON and the ``auditor analyze`` command around them."""

import json
from pathlib import Path

from typer.testing import CliRunner

from auditor.analysis import analyze
from auditor.analysis.summary import evidence_json, summary
from auditor.cli import app
from auditor.models import Evidence

CORPUS = Path(__file__).parent / "corpus" / "messages"
OSCAR = CORPUS / "oscar_confirmation_100002.eml"


def test_json_round_trips_to_the_same_evidence() -> None:
    evidence = analyze(OSCAR.read_bytes())
    data = json.loads(evidence_json(evidence))
    assert Evidence.model_validate(data) == evidence
    assert data["total"]["value"] == {"amount": "39.99", "currency": "EUR"}  # exact decimal strings
    assert list(data)[:4] == ["message_sha256", "kind", "kind_confidence", "kind_reasons"]


def test_summary_shows_each_fact_with_its_snippet() -> None:
    text = summary(analyze(OSCAR.read_bytes()))
    assert "order_confirmation" in text
    assert "generic (no name)  [html: 'Hello,']" in text
    assert "2 x Hacking Exposed @ 10.00 EUR = 20.00 EUR" in text
    assert "order number 100002" in text
    assert "beside items, 0 logo)" in text


def test_cli_prints_summary_json_and_arrays() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["analyze", str(OSCAR)])
    assert result.exit_code == 0, result.output
    assert "kind         order_confirmation" in result.output
    result = runner.invoke(app, ["analyze", str(OSCAR), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["order_number"]["value"] == "100002"
    other = CORPUS / "oscar_confirmation_100001.eml"
    result = runner.invoke(app, ["analyze", str(OSCAR), str(other), "--json"])
    assert [e["order_number"]["value"] for e in json.loads(result.output)] == ["100002", "100001"]


def test_cli_names_a_missing_file_and_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.eml"
    result = CliRunner().invoke(app, ["analyze", str(missing)])
    assert result.exit_code == 2
    assert f"{missing}: no such file" in result.output


def test_malformed_message_is_shown_not_hidden(tmp_path: Path) -> None:
    broken = tmp_path / "broken.eml"
    broken.write_bytes(b"Subject: x\nContent-Type: multipart/mixed; boundary=q\n\n--q\nContent-Type: text/plain\n\nHi")
    result = CliRunner().invoke(app, ["analyze", str(broken)])
    assert result.exit_code == 0
    assert "MALFORMED    multipart with boundary 'q' is truncated" in result.output
