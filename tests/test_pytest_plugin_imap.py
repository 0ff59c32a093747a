"""The pytest plugin reading a real IMAP inbox (``--auditor-mailbox FILE``): a private Dovecot, mail
delivered over LMTP as an MTA would, each test's plus-address claiming only its own messages, the
inbox's older mail left alone, and a refused login told in one sentence without the password.
"""

from __future__ import annotations

from pathlib import Path

import dovecot
import pytest
from dovecot import PASSWORD, Dovecot, sample_message

pytest_plugins = ["pytester"]

# the inner sessions run with this venv's plugins; pytest-asyncio warns without this setting
QUIET_INI = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"

dovecot_server = dovecot.dovecot_server  # the session fixture, registered for this module

IMAP_TESTS = """
import smtplib
from email.message import EmailMessage

LMTP_PORT = {lmtp_port}


def deliver(to, subject, body, sender="shop@store.example"):
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.LMTP("127.0.0.1", LMTP_PORT) as lmtp:
        lmtp.sendmail(sender, [to], msg.as_bytes())


def test_confirmation_through_the_inbox(audit_mailbox, audit_order):
    assert audit_mailbox.smtp is None
    assert audit_mailbox.address.startswith("{local}+main-") and audit_mailbox.address.endswith("@{domain}")
    audit_order.clicked()
    deliver(audit_mailbox.address.replace("+", "+another-test-"), "Order 7 confirmed", "Your order 7 is confirmed.")
    deliver(audit_mailbox.address, "Order 1042 confirmed", "Thank you for your order 1042. We received it.")
    record = audit_mailbox.expect("order_confirmation", within=30)
    assert record.message.subject == "Order 1042 confirmed"
    assert record.message.arrival_source == "imap_internaldate"
    audit_mailbox.assert_exactly_one("order_confirmation", within=1)
    assert [m.message.subject for m in audit_mailbox.messages] == ["Order 1042 confirmed"]
"""


def _inbox_yaml(path: Path, server: Dovecot, user: str, password_env: str) -> Path:
    path.write_text(
        f"kind: imap\nhost: 127.0.0.1\nport: {server.imap_port}\nsecurity: plain\nusername: {user}\n"
        f"password_env: {password_env}\naddress: {{kind: plus, mailbox: {user}}}\n"
    )
    return path


def test_each_test_reads_its_own_mail_from_an_imap_inbox(
    pytester: pytest.Pytester, dovecot_server: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeini(QUIET_INI)
    user = dovecot_server.new_user("team")
    local, _, domain = user.partition("@")
    old = local + "+main-old@" + domain
    dovecot_server.deliver(old, sample_message(old, subject="Order 1 confirmed"))  # before the session: not read
    monkeypatch.setenv("TEST_IMAP_PASSWORD", PASSWORD)
    inbox = _inbox_yaml(pytester.path / "inbox.yaml", dovecot_server, user, "TEST_IMAP_PASSWORD")
    pytester.makepyfile(test_inbox=IMAP_TESTS.format(lmtp_port=dovecot_server.lmtp_port, local=local, domain=domain))
    report = pytester.path / "audit"
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", f"--auditor-mailbox={inbox}", f"--auditor-report={report}"
    )
    result.assert_outcomes(passed=1)
    stored = sorted(p.name for p in (report / "mail").glob("*.eml"))
    assert len(stored) == 1  # only the test's own message was copied into the session's report
    assert PASSWORD not in result.stdout.str()


def test_a_refused_login_fails_the_test_in_one_sentence(
    pytester: pytest.Pytester, dovecot_server: Dovecot, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makeini(QUIET_INI)
    user = dovecot_server.new_user("team")
    monkeypatch.setenv("TEST_IMAP_WRONG", "not-the-password")
    inbox = _inbox_yaml(pytester.path / "inbox.yaml", dovecot_server, user, "TEST_IMAP_WRONG")
    pytester.makepyfile("def test_one(audit_mailbox):\n    pass\n\ndef test_two(audit_mailbox):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--auditor-mailbox={inbox}")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines([f"*auditor: the mailbox could not be started: IMAP login failed for {user}*"])
    out = result.stdout.str()
    assert "not-the-password" not in out
    assert "Traceback" not in out
