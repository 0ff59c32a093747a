"""The pytest plugin, seen from a store team's suite: pytester projects run in a subprocess, so the
plugin loads from its installed ``pytest11`` entry point as it would for them. Real SMTP (smtplib to
the plugin's embedded sink), real analysis and the real rubric; the assertions read pytest's output.

The browser end-to-end tests (demo stores, django-oscar, xdist) are in ``test_pytest_plugin_e2e.py``.
"""

from __future__ import annotations

import json
import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

# the inner sessions run with this venv's plugins; pytest-asyncio warns without this setting
QUIET_INI = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"

SEND = """
import smtplib
from email.message import EmailMessage

import pytest

CONFIRMATION = (
    "Hello Anna,\\n\\nthank you for your order 1042. We have received your order and will ship it soon.\\n\\n"
    "Wireless headphones  1 x 199.00 PLN\\nTotal: 199.00 PLN\\n"
)
PROMOTION = "Black Friday sale! 40% off everything this weekend only. Shop now.\\n"


def send(to, subject, body, sender="shop@store.example", smtp=None, mailbox=None):
    msg = EmailMessage()
    msg["From"] = f"Store <{sender}>"
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = "<fixed@store.example>"  # the same bytes twice are still two deliveries
    msg["Date"] = "Tue, 01 Dec 2026 12:00:00 +0000"
    msg.set_content(body)
    with smtplib.SMTP(*smtp) as client:
        client.send_message(msg)


def confirmation(mailbox):
    send(mailbox.address, "Order 1042 confirmed", CONFIRMATION, smtp=mailbox.smtp)


def promotion(mailbox):
    send(mailbox.address, "Black Friday: 40% off everything", PROMOTION, "news@store.example", mailbox.smtp)
"""

FIXTURE_TESTS = (
    SEND
    + """

def test_expect_found(audit_mailbox):
    confirmation(audit_mailbox)
    record = audit_mailbox.expect("order_confirmation", within=20)
    assert record.message.subject == "Order 1042 confirmed"
    assert record.evidence.kind == "order_confirmation"
    assert record.message.recipients == [audit_mailbox.address]


def test_expect_missing(audit_mailbox):
    promotion(audit_mailbox)
    audit_mailbox.expect("order_confirmation", within=2)


def test_expect_none_holds(audit_mailbox, audit_order):
    audit_order.clicked()
    confirmation(audit_mailbox)
    audit_mailbox.expect_none("marketing", within=1.5)


def test_expect_none_broken(audit_mailbox):
    confirmation(audit_mailbox)
    promotion(audit_mailbox)
    audit_mailbox.expect_none("marketing", within=30)


def test_exactly_one_holds(audit_mailbox):
    confirmation(audit_mailbox)
    audit_mailbox.assert_exactly_one("order_confirmation", within=2)


def test_exactly_one_duplicate(audit_mailbox, audit_order):
    audit_order.clicked()
    confirmation(audit_mailbox)
    confirmation(audit_mailbox)
    audit_mailbox.assert_exactly_one("order_confirmation", within=30)


def test_messages_are_this_tests_own(audit_mailbox, audit_order):
    audit_order.clicked()
    other = audit_mailbox.address.replace("+", "+someone-else-")
    send(other, "Order 9999 confirmed", CONFIRMATION, smtp=audit_mailbox.smtp)
    promotion(audit_mailbox)
    confirmation(audit_mailbox)
    audit_mailbox.expect("order_confirmation", within=20)
    audit_mailbox.expect("marketing", within=20)
    kinds = [m.evidence.kind.value for m in audit_mailbox.messages]
    assert sorted(kinds) == ["marketing", "order_confirmation"]
    assert audit_order.journal.first("order_submitted") is not None


def test_unknown_kind(audit_mailbox):
    with pytest.raises(ValueError, match="unknown kind 'confirmation'; one of: order_confirmation"):
        audit_mailbox.expect("confirmation", within=0)


def test_score_passes(audit_mailbox, audit_order, audit_score):
    audit_order.customer("Anna", "Nowak")
    audit_order.clicked()
    confirmation(audit_mailbox)
    audit_order.shown(order_number="1042", items=[("Wireless headphones", 1, "199.00 PLN")], total="199.00 PLN")
    audit_mailbox.expect("order_confirmation", within=20)
    score = audit_score("ci-strict")
    assert score.finding("order-number").status == "pass"
    assert score.finding("items").status == "pass"
    score.assert_passes()


def test_score_fails(audit_mailbox, audit_order, audit_score):
    audit_order.customer("Anna", "Nowak")
    audit_order.clicked()
    confirmation(audit_mailbox)
    confirmation(audit_mailbox)
    promotion(audit_mailbox)
    audit_order.shown(order_number="1042", items=[("Wireless headphones", 1, "199.00 PLN")], total="199.00 PLN")
    audit_mailbox.expect("marketing", within=20)
    audit_score().assert_passes()


def test_score_below_minimum(audit_mailbox, audit_order, audit_score):
    audit_order.clicked()
    send(audit_mailbox.address, "Order 1042 received", "Order 1042 received.\\n", smtp=audit_mailbox.smtp)
    audit_order.shown(order_number="1042", items=[("Wireless headphones", 1, "199.00 PLN")], total="199.00 PLN")
    audit_mailbox.expect("order_confirmation", within=20)
    audit_score("default").assert_passes(min_score=95)
"""
)


def _junit_properties(path: Path) -> dict[str, dict[str, str]]:
    tree = ET.parse(path)
    out = {}
    for case in tree.iter("testcase"):
        out[case.get("name")] = {p.get("name"): p.get("value") for p in case.iter("property")}
    return out


def test_fixtures_pass_and_fail_as_documented(pytester: pytest.Pytester) -> None:
    pytester.makeini(QUIET_INI)
    pytester.makepyfile(test_store=FIXTURE_TESTS)
    report = pytester.path / "audit"
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", f"--auditor-report={report}", "--junitxml=junit.xml", "-rf"
    )
    result.assert_outcomes(passed=6, failed=5)
    out = result.stdout.str()
    # expect: the failure names the kind, the window and every message that came instead
    result.stdout.fnmatch_lines(
        [
            "audit_mailbox = <AuditMailbox shopper+main-*@auditor.test (smtp 127.0.0.1:*, 1 message)>",
            "*MailAssertionError: expected an order_confirmation within 2 s; none came.",
            "*1 message arrived for shopper+main-*@auditor.test:",
            "*+*s  marketing *'Black Friday: 40% off everything'  from news@store.example",
        ]
    )
    # expect_none: fails as soon as the unwanted kind arrives, listing all
    result.stdout.fnmatch_lines(
        [
            "*expected no marketing within 30 s; 1 came.",
            "*2 messages arrived for shopper+main-*",
            "*order_confirmation 'Order 1042 confirmed'*",
            "*marketing *'Black Friday: 40% off everything'*",
        ]
    )
    # assert_exactly_one: the same bytes delivered twice are two confirmations, both listed, timed from the click
    result.stdout.fnmatch_lines(
        [
            "*expected exactly one order_confirmation within 30 s of the order click; 2 came.",
            "*2 messages arrived for shopper+main-*",
            "*+*s  order_confirmation 'Order 1042 confirmed'  from shop@store.example",
            "*+*s  order_confirmation 'Order 1042 confirmed'  from shop@store.example",
        ]
    )
    # audit_score: each failed criterion with its measured value and evidence
    result.stdout.fnmatch_lines(
        [
            "*ScoreAssertionError: rubric ci-strict: total *; the gate failed on *:",
            "*✗ one-confirmation: * — must and error level: fail (score 0.00)",
            "*measured: order_confirmation arrived 2 times*",
            "*evidence: *Order 1042 confirmed*",
            "*✗ marketing-consent: * — error level: fail (score 0.00)",
            "*measured: 1 marketing email although consent was refused",
            "*evidence: *Black Friday: 40% off everything*",
        ]
    )
    result.stdout.fnmatch_lines(
        [
            "*rubric default: total *; the gate failed on 1:",
            "*✗ Minimum total: total * is below 95",
            "*warn-level criteria did not pass:",
            "*! items: * — warn level: fail*",
            "*measured: *",
        ]
    )
    assert "test_score_passes" not in out.split("short test summary info")[-1]
    assert "Traceback" not in out

    properties = _junit_properties(pytester.path / "junit.xml")
    addresses = [p["auditor_address"] for name, p in properties.items() if name != "test_unknown_kind"]
    assert len(set(addresses)) == len(addresses) == 10
    for name, props in properties.items():
        evidence = json.loads(Path(props["auditor_evidence"]).read_text())
        assert evidence["test"] == f"test_store.py::{name}"
        for message in evidence["messages"]:
            assert (Path(props["auditor_evidence"]).parent / message["eml"]).is_file()
    duplicate = json.loads(Path(properties["test_exactly_one_duplicate"]["auditor_evidence"]).read_text())
    assert [m["kind"] for m in duplicate["messages"]] == ["order_confirmation", "order_confirmation"]

    results = json.loads((report / "results.json").read_text())
    runs = {r["run"]["plan_key"]: r for s in results["stores"] for r in s["runs"]}
    assert len(runs) == 11
    scored = runs["test_store.py::test_score_fails"]
    failed = {f["criterion"] for f in scored["findings"] if f["status"] == "fail"}
    assert {"one-confirmation", "marketing-consent"} <= failed
    assert (report / "index.html").is_file()
    result.stdout.fnmatch_lines([f"auditor: 11 test run(s) scored with ci-strict: {report}/index.html"])
    received = {m["sha256"] for r in runs.values() for m in r["messages"]}  # each email pictured for the report
    assert received and {p.name.removesuffix("-600.png") for p in (report / "snapshots").glob("*-600.png")} == received
    pages = "".join(page.read_text() for page in report.glob("store-*.html"))
    assert all(f"snapshots/{sha}-375.png" in pages for sha in received)


def test_loads_from_its_entry_point(pytester: pytest.Pytester) -> None:
    pytester.makeini(QUIET_INI)
    pytester.makepyfile("def test_address(audit_mailbox):\n    assert audit_mailbox.address\n")
    helped = pytester.runpytest_inprocess("--help")
    helped.stdout.fnmatch_lines(
        ["*post-purchase-auditor*", "*--auditor-mailbox=FILE*", "*--auditor-rubric=NAME*", "*--auditor-report=DIR*"]
    )
    disabled = pytester.runpytest_inprocess("-p", "no:auditor")
    disabled.assert_outcomes(errors=1)
    disabled.stdout.fnmatch_lines(["*fixture 'audit_mailbox' not found*"])


def test_bad_options_are_usage_errors(pytester: pytest.Pytester) -> None:
    pytester.makeini(QUIET_INI)
    pytester.makepyfile("def test_nothing():\n    pass\n")
    (pytester.path / "inbox.yaml").write_text(
        "kind: imap\nhost: imap.example.com\nusername: tests@example.com\npassword: hunter2\n"
        "address: {kind: fixed, mailbox: tests@example.com}\n"
    )
    bad_file = pytester.runpytest_inprocess("--auditor-mailbox=inbox.yaml")
    assert bad_file.ret == pytest.ExitCode.USAGE_ERROR
    bad_file.stderr.fnmatch_lines(["*--auditor-mailbox inbox.yaml:*", "*inbox.yaml:4: password: *never write*"])
    assert "hunter2" not in bad_file.stderr.str() + bad_file.stdout.str()
    assert "address.kind" in bad_file.stderr.str()
    bad_rubric = pytester.runpytest_inprocess("--auditor-rubric=ci-strictest")
    assert bad_rubric.ret == pytest.ExitCode.USAGE_ERROR
    bad_rubric.stderr.fnmatch_lines(["*--auditor-rubric ci-strictest: *no bundled rubric named 'ci-strictest'*"])


def test_a_taken_port_fails_the_tests_in_one_sentence(pytester: pytest.Pytester) -> None:
    pytester.makeini(QUIET_INI)
    pytester.makepyfile("def test_one(audit_mailbox):\n    pass\n\ndef test_two(audit_mailbox):\n    pass\n")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--auditor-smtp-port={port}")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [f"*auditor: the mailbox could not be started: SMTP sink: port {port} on 127.0.0.1 is already in use*"]
    )
    assert "Traceback" not in result.stdout.str()
