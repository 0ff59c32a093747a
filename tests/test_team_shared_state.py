"""What a team's machines used to keep on their own disk is in the campaign's database (revision 0004):
the SMTP sink's uptime, the IMAP cursor, and runs' artifacts. Each test writes through one
``CampaignDatabase`` handle (one machine, its own working folder) and reads through another, on a real
PostgreSQL (tests/postgres.py), with a real SMTP sink and a real Dovecot (tests/dovecot.py)."""

import json
import socket
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dovecot
import postgres
import pytest
from dovecot import PASSWORD, Dovecot, sample_message
from postgres import Postgres
from test_campaign_folder import add_run
from test_mail_imap import Inbox

from auditor.campaign.artifacts import LEFT_OUT, read_left_out
from auditor.campaign.db.mailstate import SharedImapState, SharedSinkUptime
from auditor.campaign.db.store import CampaignDatabase
from auditor.campaign.folder import CampaignFolder
from auditor.campaign.mailboxes import ImapSpec, SmtpSinkSpec, open_mailbox
from auditor.campaign.scoring import score_folder
from auditor.mail.sink import SmtpSink
from auditor.models import Message, RunStatus
from auditor.rubric import load_rubric

postgres_server = postgres.postgres_server  # the session fixtures, registered for this module
dovecot_server = dovecot.dovecot_server


async def _ignore(_message: Message, _raw: bytes) -> None:
    """No mail is sent in the uptime test: only when the sink listened matters."""


async def test_sink_uptime_from_the_mailbox_host_gives_another_machines_score_its_gap(
    postgres_server: Postgres, tmp_path: Path
) -> None:
    """A real sink on machine A, stopped, then one on machine B: an analyst's third handle scores the run
    whose window spans both and names the stretch between them; no state file on either machine."""
    url = postgres_server.new_database()
    host_a = CampaignDatabase(url, tmp_path / "machine-a")
    run = add_run(host_a)
    sink = open_mailbox(SmtpSinkSpec(), host_a.mail_dir, host_a.mailbox_state(), _ignore)
    await sink.start()
    window_opens = datetime.now(UTC)
    await sink.stop()
    host_a.close()

    host_b = CampaignDatabase(url, tmp_path / "machine-b")  # the mailbox moved to another machine
    uptime_b = SharedSinkUptime(host_b.mailbox_state(), host="machine-b")
    async with SmtpSink(host_b.mail_dir, _ignore, state_db=uptime_b):
        window_closes = datetime.now(UTC)
        host_b.save_run(
            run.model_copy(update={"status": RunStatus.done, "started_at": window_opens, "finished_at": window_closes})
        )
    host_b.close()

    with CampaignDatabase(url, tmp_path / "analyst") as analyst:
        uptime = analyst.sink_uptime()
        assert [(u.host, u.ended) for u in uptime] == [(socket.gethostname(), "stopped"), ("machine-b", "stopped")]
        results = score_folder(analyst, load_rubric("default"))
    [gap] = results.stores[0].runs[0].anchors.mailbox_down
    assert gap.cause == "the sink was stopped"
    assert gap.since == uptime[0].stopped_at and gap.until == uptime[1].started_at
    assert window_opens < gap.since < gap.until < window_closes
    assert not list(tmp_path.rglob("*.db"))  # nothing kept on a machine's disk


def test_a_mailbox_host_taking_over_closes_what_a_dead_host_left_open_and_only_that(
    postgres_server: Postgres, tmp_path: Path
) -> None:
    with CampaignDatabase(postgres_server.new_database(), tmp_path) as db:
        dead = SharedSinkUptime(db.engine, host="machine-a")
        dead.started("10.0.0.1:2525")  # then the machine is lost: no beat, no stop
        live = SharedSinkUptime(db.engine, host="machine-b")
        live.started("10.0.0.2:2525", alone=True)  # alone on machine-b: machine-a's beats are recent
        assert [u.ended for u in db.sink_uptime()] == [None, None]
        live.stale_after = timedelta(0)  # as if machine-a's last beat were three heartbeats old
        live.beat()
        assert [(u.host, u.ended) for u in db.sink_uptime()] == [("machine-a", "crashed"), ("machine-b", None)]
        live.stopped()
        gaps = db.sink_down(db.sink_uptime()[0].started_at, datetime.now(UTC) + timedelta(seconds=1))
        assert [g.cause for g in gaps] == ["the sink crashed", "the sink was stopped"]


def _imap(server: Dovecot, user: str, monkeypatch: pytest.MonkeyPatch) -> ImapSpec:
    monkeypatch.setenv("AUDITOR_TEST_IMAP_PASSWORD", PASSWORD)
    return ImapSpec(
        kind="imap",
        host="127.0.0.1",
        port=server.imap_port,
        security="plain",
        username=user,
        password_env="AUDITOR_TEST_IMAP_PASSWORD",
    )


async def test_an_imap_cursor_saved_by_one_mailbox_host_is_where_the_next_host_goes_on(
    postgres_server: Postgres, dovecot_server: Dovecot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Machine B fetches only what came after machine A's last sync (the cursor is shared), where a host
    with its own state file fetches the whole inbox again. A spy around the real FETCH counts the UIDs."""
    from imapclient import IMAPClient

    fetched: list[list[int]] = []
    real_fetch = IMAPClient.fetch

    def spy(client: IMAPClient, messages: list[int], data: list[str], *args: object, **kw: object) -> object:
        fetched.append(sorted(messages))
        return real_fetch(client, messages, data, *args, **kw)

    monkeypatch.setattr(IMAPClient, "fetch", spy)
    url, user = postgres_server.new_database(), dovecot_server.new_user()
    spec = _imap(dovecot_server, user, monkeypatch)
    for subject in ("one", "two"):
        dovecot_server.deliver(user, sample_message(user, subject))
    with CampaignDatabase(url, tmp_path / "machine-a") as host_a:
        assert await open_mailbox(spec, host_a.mail_dir, host_a.mailbox_state(), Inbox()).sync() == 2
    dovecot_server.deliver(user, sample_message(user, "three"))
    fetched.clear()
    with CampaignDatabase(url, tmp_path / "machine-b") as host_b:
        seen_b = Inbox()
        mailbox = open_mailbox(spec, host_b.mail_dir, host_b.mailbox_state(), seen_b)
        assert await mailbox.sync() == 1
        cursor = SharedImapState(host_b.engine, mailbox.config.account).cursor("INBOX")
    assert fetched == [[3]] and [m.subject for m in seen_b.messages] == ["three"]
    assert cursor is not None and cursor.last_uid == 3

    fetched.clear()  # the same host with its state on its own disk, as before: the whole inbox again
    alone = open_mailbox(spec, tmp_path / "machine-c" / "mail", tmp_path / "machine-c" / "state.db", Inbox())
    assert await alone.sync() == 3 and fetched == [[1, 2, 3]]


def _leave_artifacts(directory: Path) -> dict[str, bytes]:
    """What a failed run leaves (sizes chosen against a small cap): page, summary, screenshot, a retry's trace."""
    files = {
        "failure.json": json.dumps({"reason": "selector not found"}).encode(),
        "failure.html": b"<html><body>Out of stock</body></html>",
        "failure.png": bytes(range(256)) * 20,
        "retry/trace.zip": bytes(range(256)) * 60,
    }
    for name, data in files.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_bytes(data)
    return files


def test_artifacts_stored_by_a_worker_are_materialised_byte_for_byte_and_the_cap_leaves_a_note(
    postgres_server: Postgres, tmp_path: Path
) -> None:
    url = postgres_server.new_database()
    with CampaignDatabase(url, tmp_path / "worker") as worker:
        add_run(worker)
        files = _leave_artifacts(worker.artifacts_dir("r1"))
        stored = worker.store_artifacts("r1", cap=10_000)
    assert stored.stored == ["failure.json", "failure.html", "failure.png"]  # smallest first: the trace did not fit
    assert [(i.name, i.size) for i in stored.left_out] == [("retry/trace.zip", len(files["retry/trace.zip"]))]

    with CampaignDatabase(url, tmp_path / "report") as analyst:
        assert [a.name for a in analyst.artifacts("r1")] == [LEFT_OUT, "failure.html", "failure.json", "failure.png"]
        written = analyst.materialise_artifacts()
        assert len(written) == 4 and analyst.materialise_artifacts() == []  # a second time: nothing to write
    run_dir = tmp_path / "report" / "runs" / "r1"
    for name in stored.stored:
        assert (run_dir / name).read_bytes() == files[name]
    assert not (run_dir / "retry").exists()
    note = (run_dir / LEFT_OUT).read_text()
    assert "retry/trace.zip" in note and socket.gethostname() in note and str(tmp_path / "worker") in note

    with CampaignDatabase(url, tmp_path / "report") as analyst:  # the journal's paths are the worker's own
        recorded = [str(tmp_path / "worker" / "runs" / "r1" / name) for name in ("failure.png", "retry/trace.zip")]
        assert analyst.artifact_refs("r1", recorded) == [
            "runs/r1/failure.png",  # recorded, and here: relative to the report folder
            "runs/r1/failure.json",  # here, not recorded
            "runs/r1/failure.html",
            f"runs/r1/{LEFT_OUT}",  # in place of the trace, which stayed on the worker
        ]


def test_a_timed_steps_files_from_another_worker_keep_the_note_and_a_trace_that_fits_later_drops_it(
    postgres_server: Postgres, tmp_path: Path
) -> None:
    url = postgres_server.new_database()
    with CampaignDatabase(url, tmp_path / "worker-1") as first:
        add_run(first)
        files = _leave_artifacts(first.artifacts_dir("r1"))
        first.store_artifacts("r1", cap=10_000)
    with CampaignDatabase(url, tmp_path / "worker-2") as second:  # ran the run's `after: 48h` block
        (second.artifacts_dir("r1") / "after-0").mkdir(parents=True)
        (second.artifacts_dir("r1") / "after-0" / "survey.png").write_bytes(b"the survey page")
        assert second.store_artifacts("r1", cap=10_000).left_out == []
        [earlier] = read_left_out(second.artifact_data("r1", LEFT_OUT).decode())
        assert (earlier.name, earlier.size) == ("retry/trace.zip", len(files["retry/trace.zip"]))
        assert earlier.directory == str((tmp_path / "worker-1" / "runs" / "r1").resolve())
    with CampaignDatabase(url, tmp_path / "worker-1") as first:
        (first.artifacts_dir("r1") / "failure.png").write_bytes(b"a second screenshot")
        again = first.store_artifacts("r1")  # the default 20 MB: the trace fits now
        assert again.left_out == [] and "retry/trace.zip" in again.stored
        assert LEFT_OUT not in [a.name for a in first.artifacts("r1")]
        assert first.artifact_data("r1", "failure.png") == b"a second screenshot"
        assert first.artifact_data("r1", "after-0/survey.png") == b"the survey page"  # the other worker's, kept


def test_rescore_from_the_database_writes_the_workers_artifacts_into_the_report_folder(
    postgres_server: Postgres, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from auditor.cli import app

    url = postgres_server.new_database()
    with CampaignDatabase(url, tmp_path / "worker") as worker:
        add_run(worker)
        worker.set_meta("campaign", {"id": "team"})
        files = _leave_artifacts(worker.artifacts_dir("r1"))
        worker.store_artifacts("r1")
    result = CliRunner().invoke(app, ["rescore", str(tmp_path / "reports"), "--db", url])
    assert result.exit_code == 0, result.output
    assert "artifacts: 4 run files" in result.output
    for name, data in files.items():
        assert (tmp_path / "reports" / "runs" / "r1" / name).read_bytes() == data


def test_a_folder_keeps_its_mailbox_state_in_the_same_tables_and_an_old_sink_table_gains_its_host(
    tmp_path: Path,
) -> None:
    """A folder from before 0004 whose sink made ``sink_uptime`` without ``host`` keeps its rows."""
    from alembic import command

    from auditor.campaign.db.migrate import alembic_config, sqlite_engine

    engine = sqlite_engine(tmp_path / "campaign.db")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    engine.dispose()
    with sqlite3.connect(tmp_path / "campaign.db") as db:
        db.execute(
            "CREATE TABLE sink_uptime (id INTEGER PRIMARY KEY AUTOINCREMENT, sink TEXT NOT NULL, address TEXT NOT NULL,"
            " started_at TEXT NOT NULL, alive_at TEXT NOT NULL, stopped_at TEXT, ended TEXT)"
        )
        db.execute(
            "INSERT INTO sink_uptime (sink, address, started_at, alive_at, stopped_at, ended) VALUES"
            " ('smtp-sink', '127.0.0.1:2525', '2026-11-20T10:00:00+00:00', '2026-11-20T11:00:00+00:00',"
            " '2026-11-20T11:00:00+00:00', 'stopped')"
        )
    db.close()
    with CampaignFolder(tmp_path) as folder:
        [old] = folder.sink_uptime()
        assert old.host is None and old.ended == "stopped"
        assert folder.mailbox_state() == tmp_path / "campaign.db"
        assert folder.artifacts("r1") == [] and folder.materialise_artifacts() == []
