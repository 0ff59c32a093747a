"""Every delivery counts: the same bytes sent twice are stored once and counted twice.

Real parts: the SMTP sink over TCP with smtplib, a private Dovecot over IMAP, SQLite on disk.
"""

from __future__ import annotations

import asyncio
import hashlib
import smtplib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dovecot
import pytest
from dovecot import PASSWORD, Dovecot, save_to_folder

from auditor.campaign.folder import CampaignFolder
from auditor.campaign.intake import Analyser, Intake
from auditor.campaign.mailwatch import MailWatch
from auditor.mail.files import import_files, open_mail_files
from auditor.mail.imap import ImapMailbox
from auditor.mail.imap_config import ImapConfig
from auditor.mail.imap_state import ImapSyncState
from auditor.mail.matching import RunAddress
from auditor.mail.sink import SmtpSink
from auditor.models import (
    AddressStrategy,
    Expectations,
    FindingStatus,
    JournalEvent,
    Message,
    Persona,
    PostalAddress,
    Run,
    RunStatus,
    Store,
)
from auditor.rubric import load_rubric, score_run

dovecot_server = dovecot.dovecot_server

CORPUS = Path(__file__).parent / "corpus" / "messages"
# as it travels over SMTP: CRLF line ends, ending in one
CONFIRMATION = (CORPUS / "en_order_confirmation_table_0.eml").read_bytes().replace(b"\r\n", b"\n").rstrip(b"\n")
CONFIRMATION = CONFIRMATION.replace(b"\n", b"\r\n") + b"\r\n"
ADDRESS = "anna.kowalska+run7@mailbox.example"


def campaign(tmp_path: Path, address: str = ADDRESS) -> tuple[CampaignFolder, Intake]:
    """A folder with one run that placed its order a moment ago, and the intake claiming its mail."""
    folder = CampaignFolder(tmp_path / "campaign")
    persona = Persona(
        id="anna",
        first_name="Anna",
        last_name="Kowalska",
        address=PostalAddress(line1="ul. Długa 1", city="Kraków", postcode="30-001"),
        email=AddressStrategy(kind="plus", mailbox=address.replace("+run7", "")),
    )
    run = Run(id="run7", store_id="s", scenario_id="sc", persona_id="anna", address=address, status=RunStatus.done)
    folder.add_run(run, Store(id="s", name="Shop", base_url="http://northwind.example"), persona, Expectations())
    start = datetime.now(UTC) - timedelta(seconds=5)
    folder.add_event("run7", JournalEvent(at=start, kind="order_submitted"))
    folder.close_observation("run7", (start + timedelta(hours=1)).isoformat())
    intake = Intake(folder, MailWatch())
    intake.expect(RunAddress(run_id="run7", address=address, since=start - timedelta(days=1)))
    return folder, intake


def finding(folder: CampaignFolder, check: str):  # noqa: ANN201 - Finding
    findings = score_run(load_rubric("default"), folder.run_record("run7"))
    return next(f for f in findings if f.check == check)


def send(port: int, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail("shop@northwind.example", [ADDRESS], raw)


async def test_the_same_bytes_twice_through_the_sink_are_two_deliveries(tmp_path: Path) -> None:
    folder, intake = campaign(tmp_path)
    async with SmtpSink(folder.mail_dir, intake.on_message, state_db=folder.path / "campaign.db") as sink:
        await asyncio.to_thread(send, sink.port, CONFIRMATION)
        await intake.drain()
        assert finding(folder, "exactly_one").status == FindingStatus.passed  # one delivery: the check holds
        await asyncio.to_thread(send, sink.port, CONFIRMATION)
        await intake.drain()
    sha = hashlib.sha256(CONFIRMATION).hexdigest()
    assert [p.name for p in folder.mail_dir.glob("*.eml")] == [f"{sha}.eml"]  # stored once
    deliveries = folder.deliveries("run7")
    assert [m.sha256 for m in deliveries] == [sha, sha] and deliveries[0].delivery_id != deliveries[1].delivery_id
    assert [m.message.sha256 for m in folder.run_record("run7").messages] == [sha, sha]
    one = finding(folder, "exactly_one")
    assert one.status == FindingStatus.failed
    assert "arrived 2 times (1 byte-identical repeat)" in one.value
    folder.close()


def imap_config(server: Dovecot, user: str, monkeypatch: pytest.MonkeyPatch) -> ImapConfig:
    monkeypatch.setenv("AUDITOR_TEST_IMAP_PASSWORD", PASSWORD)
    return ImapConfig(
        host="127.0.0.1", port=server.imap_port, security="plain", username=user,
        password_env="AUDITOR_TEST_IMAP_PASSWORD",
    )  # fmt: skip


async def test_an_imap_resync_is_not_a_new_delivery_but_a_second_uid_is(
    dovecot_server: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot_server.new_user()
    address = user.replace("@", "+run7@")
    raw = CONFIRMATION.replace(ADDRESS.encode(), address.encode())
    folder, intake = campaign(tmp_path, address)
    cfg = imap_config(dovecot_server, user, monkeypatch)
    db = folder.path / "campaign.db"

    def mailbox() -> ImapMailbox:  # a fresh process's view: only what campaign.db remembers
        return ImapMailbox(cfg, folder.mail_dir, db, intake)

    save_to_folder(dovecot_server, user, raw, "INBOX")
    assert await mailbox().sync() == 1
    assert len(folder.deliveries("run7")) == 1
    # a re-sync from scratch (the cursor lost) and a UIDVALIDITY change both read the same UID again
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM imap_sync")
    assert await mailbox().sync() == 0
    dovecot_server.set_uidvalidity(user, 424242)
    assert await mailbox().sync() == 0
    assert len(folder.deliveries("run7")) == 1
    assert finding(folder, "exactly_one").status == FindingStatus.passed
    # the same bytes under a second UID: the store sent it again
    save_to_folder(dovecot_server, user, raw, "INBOX")
    assert await mailbox().sync() == 1
    deliveries = folder.deliveries("run7")
    assert len(deliveries) == 2 and len({m.sha256 for m in deliveries}) == 1
    assert all(m.delivery_id and m.delivery_id.startswith("imap:") for m in deliveries)
    assert finding(folder, "exactly_one").status == FindingStatus.failed
    folder.close()


def test_an_older_campaign_folder_opens_with_one_delivery_per_message(tmp_path: Path) -> None:
    """A folder written before deliveries existed: its messages table is all there is."""
    path = tmp_path / "old"
    (path / "mail").mkdir(parents=True)
    arrived = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    old = Message(sha256="a" * 64, run_id="r1", mailbox="sink", arrived_at=arrived, subject="Order 1")
    with sqlite3.connect(path / "campaign.db") as db:
        db.execute("CREATE TABLE messages (sha256 TEXT PRIMARY KEY, run_id TEXT, arrived_at TEXT NOT NULL,"
                   " message TEXT NOT NULL)")  # fmt: skip
        db.execute(
            "INSERT INTO messages VALUES (?,?,?,?)",
            (old.sha256, "r1", arrived.isoformat(), old.model_dump_json(exclude={"delivery_id"})),
        )
    with CampaignFolder(path) as folder:
        [delivery] = folder.deliveries("r1")
        assert delivery.subject == "Order 1" and delivery.delivery_key == f"sha:{'a' * 64}"
        assert folder.add_message(old) is False  # the same content-keyed delivery, not a second one
    with CampaignFolder(path) as again:  # migrating twice changes nothing
        assert len(again.deliveries()) == 1


async def test_a_crash_s_leftovers_are_indexed_or_removed_on_the_next_start(tmp_path: Path) -> None:
    """What a killed sink leaves: a half-written temp file, an .eml never indexed, one cut short."""
    folder, intake = campaign(tmp_path)
    sha = hashlib.sha256(CONFIRMATION).hexdigest()
    (folder.mail_dir / f".{sha[:16]}-x1.tmp").write_bytes(CONFIRMATION[:100])
    (folder.mail_dir / f"{sha}.eml").write_bytes(CONFIRMATION)
    short = hashlib.sha256(b"other").hexdigest()
    (folder.mail_dir / f"{short}.eml").write_bytes(b"oth")  # renamed, never synced whole: never acknowledged
    async with SmtpSink(folder.mail_dir, intake.on_message) as sink:
        assert sink.swept == 1
        assert intake.resume() == 1
        await intake.drain()
        assert sorted(p.name for p in folder.mail_dir.iterdir()) == [f"{sha}.eml"]
        [recovered] = folder.deliveries("run7")
        assert recovered.delivery_id == f"recovered:{sha}" and folder.evidence(sha) is not None
        # the sender, which never got its 250, retries: that is the same delivery, not a second
        await asyncio.to_thread(send, sink.port, CONFIRMATION)
        await intake.drain()
    [delivery] = folder.deliveries("run7")
    assert delivery.delivery_id.startswith("smtp:")
    assert finding(folder, "exactly_one").status == FindingStatus.passed
    folder.close()


async def test_unanalysed_messages_are_analysed_after_a_restart(tmp_path: Path) -> None:
    """Indexed but not analysed when the process died: the next start queues it, nothing is lost."""
    folder, intake = campaign(tmp_path)
    sha = hashlib.sha256(CONFIRMATION).hexdigest()
    (folder.mail_dir / f"{sha}.eml").write_bytes(CONFIRMATION)
    message = Message(sha256=sha, mailbox="smtp-sink", arrived_at=datetime.now(UTC), to_addrs=[ADDRESS])
    message.delivery_id = "smtp:before-the-crash"
    assert folder.add_message(message.model_copy(update={"run_id": "run7"}))
    assert folder.unanalysed() == [sha]
    restarted = Intake(folder, MailWatch())
    assert restarted.resume() == 0  # indexed already: only its analysis was missing
    await restarted.drain()
    assert folder.unanalysed() == [] and folder.evidence(sha).kind.value == "order_confirmation"
    assert [r.message.delivery_id for r in restarted.watch.arrived("run7")] == ["smtp:before-the-crash"]
    folder.close()


class HeldAnalyser(Analyser):
    """Analysis that cannot finish until the test lets it (a named stand-in for slow analysis)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.started = 0

    async def run(self, path: Path):  # noqa: ANN201 - Evidence
        self.started += 1
        await self.release.wait()
        return await super().run(path)


async def test_analysis_never_holds_up_the_250(tmp_path: Path) -> None:
    folder, _ = campaign(tmp_path)
    analyser = HeldAnalyser()
    intake = Intake(folder, MailWatch(), analyser)
    intake.expect(RunAddress(run_id="run7", address=ADDRESS, since=datetime.now(UTC) - timedelta(days=1)))
    announced: list[str] = []
    intake.on_record = lambda record: announced.append(record.message.delivery_key)
    async with SmtpSink(folder.mail_dir, intake.on_message) as sink:
        for n in range(3):  # distinct messages; each answered while no analysis has finished
            raw = CONFIRMATION.replace(b"Order #1053", f"Order #105{n}".encode())
            await asyncio.to_thread(send, sink.port, raw)
        assert len(folder.deliveries("run7")) == 3 and folder.unanalysed() and announced == []
        assert intake.backlog == 3
        analyser.release.set()
        await intake.drain()
    assert folder.unanalysed() == [] and len(announced) == 3
    assert [r.evidence.kind.value for r in intake.watch.arrived("run7")] == ["order_confirmation"] * 3
    folder.close()


async def test_imported_files_are_deliveries_by_place_and_an_import_again_adds_none(tmp_path: Path) -> None:
    folder, intake = campaign(tmp_path)
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / "first.eml").write_bytes(CONFIRMATION)
    (archive / "again.eml").write_bytes(CONFIRMATION)  # the mailbox received the same bytes twice
    for _ in range(2):
        await import_files(open_mail_files(archive), folder.mail_dir, intake)
    deliveries = folder.deliveries("run7")
    assert len(deliveries) == 2 and len(list(folder.mail_dir.glob("*.eml"))) == 1
    assert all(m.delivery_id.startswith(f"eml:{archive.resolve()}/") for m in deliveries)
    folder.close()


def test_an_older_imap_sync_state_is_migrated_as_counted_deliveries(tmp_path: Path) -> None:
    db_path = tmp_path / "campaign.db"
    with sqlite3.connect(db_path) as db:
        db.execute(
            "CREATE TABLE imap_seen (account TEXT NOT NULL, sha256 TEXT NOT NULL, message_id TEXT, folder TEXT NOT NULL"
            ", uidvalidity INTEGER NOT NULL, uid INTEGER NOT NULL, PRIMARY KEY (account, sha256))"
        )
        db.execute("INSERT INTO imap_seen VALUES ('a@h', 'f00', '<m@x>', 'INBOX', 7, 3)")
    state = ImapSyncState(db_path, "a@h")
    assert state.places(["<m@x>"]) == {"<m@x>": {("INBOX", 7, 3, True)}}
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'imap_seen'").fetchone()[0] == 0


async def test_a_killed_analysis_worker_leaves_its_message_for_scoring_and_the_next_one_is_analysed(
    tmp_path: Path,
) -> None:
    """The worker killed with its job (as the OOM killer would): that message stays unanalysed, the
    sink's own process never retries it, and a fresh worker analyses the next one."""
    import multiprocessing
    import os
    import signal

    folder, _ = campaign(tmp_path)
    intake = Intake(folder, MailWatch(), Analyser(processes=True))
    for n, raw in enumerate((CONFIRMATION + b"x" * 20_000_000, CONFIRMATION)):  # the first takes seconds
        (folder.mail_dir / f"{hashlib.sha256(raw).hexdigest()}.eml").write_bytes(raw)
        message = Message(
            sha256=hashlib.sha256(raw).hexdigest(), mailbox="t", arrived_at=datetime.now(UTC), delivery_id=f"t:{n}"
        )
        intake.accept(message)
        if n == 0:
            while not multiprocessing.active_children():  # the worker is spawned by the first job
                await asyncio.sleep(0.05)  # no event to await in another process: poll for it
            for child in multiprocessing.active_children():
                os.kill(child.pid, signal.SIGKILL)
            await intake.drain()
    await intake.drain()
    killed, analysed = [hashlib.sha256(r).hexdigest() for r in (CONFIRMATION + b"x" * 20_000_000, CONFIRMATION)]
    assert folder.unanalysed() == [killed]
    assert folder.evidence(analysed) is not None
    assert len(intake.analysis_errors) == 1 and "worker died" in intake.analysis_errors[0]
    intake.close()
    folder.close()
