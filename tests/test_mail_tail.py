"""CampaignTail and run_addresses: what `auditor mail watch` shows, and which runs a mailbox claims for."""

import base64
from datetime import UTC, datetime, timedelta

from auditor.campaign.folder import CampaignFolder
from auditor.campaign.tail import FAR_PAST, CampaignTail, format_line, run_addresses
from auditor.mail.headers import read_message
from auditor.mail.store import store_raw
from auditor.models import Evidence, Expectations, JournalEvent, MessageKind, Persona, Run, Store
from auditor.models.persona import AddressStrategy, PostalAddress

T0 = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


def persona(kind: str) -> Persona:
    return Persona(
        id=f"p-{kind}", first_name="Ann", last_name="Lee",
        address=PostalAddress(line1="1 Main St", city="Town", postcode="00-001"),
        email=AddressStrategy(kind=kind, mailbox="box@example.test"),
    )  # fmt: skip


def add_run(folder: CampaignFolder, run_id: str, kind: str, *, started: bool) -> None:
    p = persona(kind)
    run = Run(id=run_id, store_id="s", scenario_id="x", persona_id=p.id, address=p.email.address_for(run_id))
    folder.add_run(run, Store(id="s", name="S", base_url="http://x"), p, Expectations(window_seconds=600))
    if started:
        folder.add_event(run_id, JournalEvent(at=T0, kind="run_started"))


def add_mail(folder: CampaignFolder, subject: str, run_id: str | None, kind: MessageKind | None) -> str:
    raw = f"From: Shop <orders@shop.example>\r\nSubject: {subject}\r\n\r\nHi\r\n".encode()
    message = read_message(raw, arrived_at=T0, mailbox="t").model_copy(update={"run_id": run_id})
    store_raw(folder.mail_dir, raw, message.sha256)
    folder.add_message(message)
    if kind is not None:
        folder.put_evidence(Evidence(message_sha256=message.sha256, kind=kind))
    return message.sha256


def test_run_addresses_from_the_campaign(tmp_path):
    with CampaignFolder(tmp_path) as folder:
        add_run(folder, "r1", "plus", started=True)
        add_run(folder, "r2", "fixed", started=False)
        by_id = {a.run_id: a for a in run_addresses(folder)}
    assert by_id["r1"].address == "box+r1@example.test" and by_id["r1"].strategy == "plus"
    assert by_id["r1"].since == T0 and by_id["r1"].until == T0 + timedelta(seconds=600)
    assert by_id["r2"].strategy == "fixed" and by_id["r2"].since == FAR_PAST and by_id["r2"].until is None


def test_tail_shows_only_new_matched_messages_once(tmp_path):
    with CampaignFolder(tmp_path) as folder:
        add_mail(folder, "old", "r1", MessageKind.order_confirmation)
        tail = CampaignTail(folder)
        assert tail.new() == []
        add_mail(folder, "Your order", "r1", MessageKind.order_confirmation)
        add_mail(folder, "nobody's", None, MessageKind.marketing)
        [record] = tail.new()
        assert tail.new() == []
        assert format_line(record) == ("2026-11-23 11:00:00Z  r1  orders@shop.example  Your order  order_confirmation")
        everything = CampaignTail(folder, from_start=True, matched_only=False).new()
        assert sorted(r.message.subject for r in everything) == ["Your order", "nobody's", "old"]


def test_tail_analyses_a_message_without_evidence(tmp_path):
    with CampaignFolder(tmp_path) as folder:
        tail = CampaignTail(folder)
        add_mail(folder, "Confirmation of order 100001", "r1", None)
        [record] = tail.new()
        assert record.evidence.kind == MessageKind.order_confirmation


def test_a_line_escapes_what_the_sender_wrote_to_drive_a_terminal(tmp_path):
    folder = CampaignFolder(tmp_path / "c")
    add_run(folder, "r1", "plus", started=True)
    raw = (
        "From: =?utf-8?q?Shop=1B]0;pwned=07?= <orders@shop.example>\r\n"
        "Subject: =?utf-8?b?" + base64.b64encode("Hi\x1b[2J\u202e\x9bx\rfake".encode()).decode() + "?=\r\n"
        "\r\nHi\r\n"
    ).encode()
    message = read_message(raw, arrived_at=T0, mailbox="t").model_copy(update={"run_id": "r1"})
    store_raw(folder.mail_dir, raw, message.sha256)
    folder.add_message(message)
    folder.put_evidence(Evidence(message_sha256=message.sha256, kind=MessageKind.other))
    (record,) = CampaignTail(folder, from_start=True).new()
    line = format_line(record)
    assert not any(ch in line for ch in "\x1b\x07\x9b\u202e\r\n")
    assert "Hi\\x1b[2J\\u202e\\x9bx" in line
    assert line.endswith("  other")


def test_mail_watch_prints_the_escaped_line(tmp_path):
    from typer.testing import CliRunner

    from auditor.cli import app

    camp = tmp_path / "c"
    folder = CampaignFolder(camp)
    add_run(folder, "r1", "plus", started=True)
    add_mail(folder, "Order =?utf-8?q?=1B[2J=1B]0;owned=07?= shipped", "r1", MessageKind.shipping)
    folder.close()
    result = CliRunner().invoke(app, ["mail", "watch", str(camp), "--from-start", "--no-follow"])
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.stdout.splitlines() if "r1" in line]
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "Order \\x1b[2J\\x1b]0;owned\\x07 shipped" in line and line.endswith("  shipping")
