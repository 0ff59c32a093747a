"""``auditor mail``: import, sink, sync and watch, each as a real command on a real campaign folder."""

from __future__ import annotations

import asyncio
import os
import signal
import smtplib
import sys
from datetime import UTC, datetime
from pathlib import Path

import dovecot
from dovecot import PASSWORD, sample_message
from typer.testing import CliRunner

from auditor.campaign.folder import CampaignFolder
from auditor.cli import app
from auditor.models import Expectations, Persona, Run, Store
from auditor.models.persona import AddressStrategy, PostalAddress

dovecot_server = dovecot.dovecot_server

WAIT = 20  # upper bound for a subprocess to say something; normally well under a second
ROOT = Path(__file__).resolve().parents[1]


def campaign(path: Path, *, mailbox: str = "ann@example.test", run_id: str = "r1") -> str:
    """A campaign folder with one started run; returns the run's address."""
    persona = Persona(
        id="ann",
        first_name="Ann",
        last_name="Lee",
        address=PostalAddress(line1="1 Main St", city="Town", postcode="00-001"),
        email=AddressStrategy(kind="plus", mailbox=mailbox),
    )
    address = persona.email.address_for(run_id)
    store = Store(id="shop", name="Shop", base_url="http://127.0.0.1:1")
    run = Run(
        id=run_id, store_id="shop", scenario_id="buy", persona_id="ann", address=address,
        started_at=datetime.now(UTC),
    )  # fmt: skip
    with CampaignFolder(path) as folder:
        folder.add_run(run, store, persona, Expectations())
    return address


def eml(to: str, subject: str) -> bytes:
    return (
        f"From: Shop <orders@shop.example>\r\nTo: {to}\r\nSubject: {subject}\r\n"
        "Date: Mon, 23 Nov 2026 11:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Hello Ann,\r\nthank you for your order 100001.\r\n"
    ).encode()


def stored(path: Path) -> dict[str, str | None]:
    with CampaignFolder(path) as folder:
        return {m.subject: m.run_id for m in folder.messages()}


def test_import_matches_runs_and_is_idempotent(tmp_path):
    camp = tmp_path / "camp"
    address = campaign(camp)
    src = tmp_path / "src"
    src.mkdir()
    (src / "1.eml").write_bytes(eml(address, "Order confirmation 100001"))
    (src / "2.eml").write_bytes(eml("someone@else.test", "Newsletter"))
    runner = CliRunner()
    result = runner.invoke(app, ["mail", "import", str(src), str(camp)])
    assert result.exit_code == 0, result.output
    assert "  r1  orders@shop.example  Order confirmation 100001  " in result.stdout
    assert "  -  orders@shop.example  Newsletter  " in result.stdout  # kept, though no run claims it
    assert "2 read" in result.output and "2 new" in result.output
    assert stored(camp) == {"Order confirmation 100001": "r1", "Newsletter": None}
    assert len(list((camp / "mail").glob("*.eml"))) == 2
    again = runner.invoke(app, ["mail", "import", str(src), str(camp)])
    assert again.exit_code == 0 and "0 new" in again.output and "2 already there" in again.output


def test_import_of_something_that_is_not_mail(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)))
    result = CliRunner().invoke(app, ["mail", "import", str(junk), str(tmp_path / "camp")])
    assert result.exit_code == 2
    assert "junk.bin" in result.output


def test_watch_no_follow_lists_matched_mail(tmp_path):
    camp = tmp_path / "camp"
    address = campaign(camp)
    (tmp_path / "a.eml").write_bytes(eml(address, "Your order"))
    (tmp_path / "b.eml").write_bytes(eml("x@y.test", "Other"))
    runner = CliRunner()
    runner.invoke(app, ["mail", "import", str(tmp_path / "a.eml"), str(camp)])
    runner.invoke(app, ["mail", "import", str(tmp_path / "b.eml"), str(camp)])
    result = runner.invoke(app, ["mail", "watch", str(camp), "--from-start", "--no-follow"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("2026-11-23 11:00:00Z  r1  orders@shop.example  Your order  ")
    everything = runner.invoke(app, ["mail", "watch", str(camp), "--from-start", "--no-follow", "--all"])
    assert "  -  orders@shop.example  Other  " in everything.stdout


async def spawn(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "auditor", *args, cwd=ROOT, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip


async def line_from(stream: asyncio.StreamReader) -> str:
    line = await asyncio.wait_for(stream.readline(), WAIT)
    assert line, "the command ended without printing"
    return line.decode().rstrip("\n")


async def finish(proc: asyncio.subprocess.Process) -> int:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(proc.wait(), WAIT)


async def test_sink_command_receives_stores_and_prints(tmp_path):
    camp = tmp_path / "camp"
    address = campaign(camp)
    proc = await spawn("mail", "sink", "--port", "0", str(camp))
    try:
        banner = await line_from(proc.stderr)
        assert banner.startswith("listening on 127.0.0.1:"), banner
        port = int(banner.split(":")[1].split(",")[0])

        def send() -> None:
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
                client.sendmail("bounce@shop.example", [address], eml(address, "Confirmation of order 100001"))

        await asyncio.to_thread(send)
        line = await line_from(proc.stdout)
        assert "  r1  orders@shop.example  Confirmation of order 100001  order_confirmation" in line, line
    finally:
        assert await finish(proc) == 0
    assert stored(camp) == {"Confirmation of order 100001": "r1"}


async def test_watch_follows_mail_another_process_receives(tmp_path):
    camp = tmp_path / "camp"
    address = campaign(camp)
    (tmp_path / "late.eml").write_bytes(eml(address, "Shipped"))
    proc = await spawn("mail", "watch", str(camp), "--interval", "0.05")
    try:
        assert (await line_from(proc.stderr)).startswith("watching ")
        # a second process (the import) writes into the campaign while watch is running
        importer = await spawn("mail", "import", str(tmp_path / "late.eml"), str(camp))
        assert await asyncio.wait_for(importer.wait(), WAIT) == 0
        line = await line_from(proc.stdout)
        assert "  r1  orders@shop.example  Shipped  " in line
    finally:
        assert await finish(proc) == 0


async def test_sync_and_watch_an_imap_account(dovecot_server, tmp_path):
    user = dovecot_server.new_user()
    camp = tmp_path / "camp"
    address = campaign(camp, mailbox=user)
    (tmp_path / "pw").write_text(PASSWORD + "\n")
    account = tmp_path / "account.yaml"
    account.write_text(
        f"host: 127.0.0.1\nport: {dovecot_server.imap_port}\nsecurity: plain\nusername: {user}\npassword_file: pw\n"
    )
    dovecot_server.deliver(address, sample_message("Ann <ann@elsewhere.test>", "Confirmation 1"))
    result = await asyncio.to_thread(CliRunner().invoke, app, ["mail", "sync", "--imap", str(account), str(camp)])
    assert result.exit_code == 0, result.output
    assert "  r1  orders@shop.example  Confirmation 1  " in result.stdout
    assert f"1 new message(s) from {user}@127.0.0.1" in result.output

    proc = await spawn("mail", "watch", str(camp), "--imap", str(account))
    try:
        assert (await line_from(proc.stderr)).startswith("watching ")
        await asyncio.to_thread(dovecot_server.deliver, address, sample_message("ann@elsewhere.test", "Shipped 1"))
        line = await line_from(proc.stdout)
        assert "  r1  orders@shop.example  Shipped 1  " in line
    finally:
        assert await finish(proc) == 0


def test_bad_imap_yaml_names_the_file_and_field(tmp_path):
    account = tmp_path / "account.yaml"
    account.write_text("host: 127.0.0.1\nusername: u\npassword: hunter2\n")
    result = CliRunner().invoke(app, ["mail", "sync", "--imap", str(account), str(tmp_path / "camp")])
    assert result.exit_code == 2
    assert "account.yaml" in result.output
    assert "hunter2" not in result.output


async def test_watch_stops_with_a_clear_error_on_a_wrong_password(dovecot_server, tmp_path):
    camp = tmp_path / "camp"
    campaign(camp)
    (tmp_path / "pw").write_text("not-the-password")
    account = tmp_path / "account.yaml"
    account.write_text(
        f"host: 127.0.0.1\nport: {dovecot_server.imap_port}\nsecurity: plain\nusername: nobody@example.test\n"
        "password_file: pw\n"
    )
    proc = await spawn("mail", "watch", str(camp), "--imap", str(account), "--interval", "0.05")
    _, err = await asyncio.wait_for(proc.communicate(), WAIT)
    assert proc.returncode == 2
    assert "IMAP login failed for nobody@example.test" in err.decode()
    assert "not-the-password" not in err.decode()


async def test_watch_with_its_own_smtp_port_shows_mail_at_once(tmp_path):
    camp = tmp_path / "camp"
    address = campaign(camp)
    proc = await spawn("mail", "watch", str(camp), "--smtp-port", "0", "--interval", "60")
    try:
        banner = await line_from(proc.stderr)
        assert banner.startswith("listening on 127.0.0.1:"), banner
        port = int(banner.rsplit(":", 1)[1])
        assert (await line_from(proc.stderr)).startswith("watching ")

        def send() -> None:
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
                client.sendmail("bounce@shop.example", [address], eml(address, "Pushed"))

        await asyncio.to_thread(send)
        line = await line_from(proc.stdout)  # shown on arrival, not at the next 60 s look
        assert "  r1  orders@shop.example  Pushed  " in line
    finally:
        assert await finish(proc) == 0
