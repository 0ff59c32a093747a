"""The campaign store on PostgreSQL holds what a SQLite folder holds, and both come from one
Alembic migration path (a real PostgreSQL, started privately: tests/postgres.py)."""

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import postgres
import pytest
from postgres import Postgres
from test_campaign_folder import add_run

from auditor.campaign.db.migrate import HEAD, script_head
from auditor.campaign.db.store import CampaignDatabase, copy_campaign, open_campaign
from auditor.campaign.folder import CampaignFolder
from auditor.campaign.scoring import score_folder
from auditor.models import Evidence, Finding, FindingStatus, JournalEvent, Message, MessageKind, RunStatus
from auditor.rubric import load_rubric

postgres_server = postgres.postgres_server  # the session fixture, registered for this module

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
RAW = (
    b"From: shop@shop.test\r\nTo: anna+r1@shopper.test\r\nSubject: Order 7 confirmed\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nHello Anna, thank you for your order 7.\r\n"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CampaignFolder]:
    db = request.getfixturevalue("postgres_server").new_database() if request.param == "postgresql" else None
    with open_campaign(tmp_path / "campaign", db) as opened:
        yield opened


def fill(folder: CampaignFolder) -> None:
    """One run with a journal, one message delivered twice plus a provisional delivery, evidence, findings."""
    run = add_run(folder)
    add_run(folder, "r2")
    folder.set_meta("campaign", {"id": "c1"})
    folder.add_event(run.id, JournalEvent(at=T0, kind="order_submitted"))
    folder.add_event(run.id, JournalEvent(at=T0 + timedelta(seconds=2), kind="order_shown", data={"number": "7"}))
    (folder.mail_dir / "abc.eml").write_bytes(RAW)
    first = Message(sha256="abc", run_id=None, mailbox="sink", arrived_at=T0 + timedelta(seconds=30), subject="x")
    assert folder.add_message(first.model_copy(update={"delivery_id": "recovered:abc"})) is True
    assert folder.add_message(first.model_copy(update={"delivery_id": "smtp:1"})) is True  # replaces the provisional
    assert folder.add_message(first.model_copy(update={"delivery_id": "smtp:1"})) is False
    assert folder.add_message(first.model_copy(update={"delivery_id": "smtp:2"})) is True
    folder.assign_message("abc", run.id)
    folder.put_evidence(Evidence(message_sha256="abc", kind=MessageKind.other))
    folder.put_evidence(Evidence(message_sha256="abc", kind=MessageKind.order_confirmation))
    folder.replace_findings(
        run.id,
        [Finding(criterion="a", check="a", category="c", title="A", status=FindingStatus.passed, score=1, value="ok")],
    )
    folder.save_run(run.model_copy(update={"status": RunStatus.done}))
    folder.close_observation(run.id, (T0 + timedelta(hours=1)).isoformat())


def test_both_stores_give_back_the_same_campaign(store: CampaignFolder) -> None:
    fill(store)
    assert [r.id for r in store.runs()] == ["r1", "r2"]
    assert [r.id for r in store.runs(RunStatus.done)] == ["r1"]
    assert store.meta("campaign") == {"id": "c1"} and store.meta("none", 5) == 5
    record = store.run_record("r1")
    assert record.journal.order.number == "7"
    assert [m.message.delivery_key for m in record.messages] == ["smtp:1", "smtp:2"]  # two arrivals, one content
    assert {m.evidence.kind for m in record.messages} == {MessageKind.order_confirmation}
    assert [m.sha256 for m in store.messages("r1")] == ["abc"] and store.messages("r2") == []
    assert store.deliveries(unmatched=True) == [] and store.unanalysed() == [] and store.indexed() == {"abc"}
    assert [f.check for f in store.findings("r1")] == ["a"]
    assert record.observed_until == T0 + timedelta(hours=1)
    assert store.raw("abc") == RAW
    store.clear_journal("r1")
    assert store.journal("r1").events == []
    with pytest.raises(KeyError):
        store.run("nope")


def test_raw_bytes_live_in_the_database(postgres_server: Postgres, tmp_path: Path) -> None:
    """Another machine, with its own empty working folder, reads the message from the database."""
    url = postgres_server.new_database()
    with CampaignDatabase(url, tmp_path / "a") as first:
        fill(first)
    with CampaignDatabase(url, tmp_path / "b") as second:
        assert not (second.mail_dir / "abc.eml").exists()
        assert second.raw("abc") == RAW
        assert second.run_record("r1").journal.order.number == "7"


def test_a_folder_copied_to_postgresql_rescores_the_same(postgres_server: Postgres, tmp_path: Path) -> None:
    rubric = load_rubric("default")
    with CampaignFolder(tmp_path / "folder") as folder:
        fill(folder)
        folder.put_evidence(Evidence(message_sha256="abc", kind=MessageKind.other))  # scoring recomputes nothing
        with CampaignDatabase(postgres_server.new_database(), tmp_path / "team") as team:
            copy_campaign(folder, team)
            on_postgres = score_folder(team, rubric)
            team.add_event("r2", JournalEvent(at=T0, kind="order_submitted"))  # ids go on after the copied ones
        on_sqlite = score_folder(folder, rubric)
    assert on_postgres.model_dump_json() == on_sqlite.model_dump_json()
    assert json.loads(on_sqlite.model_dump_json())["stores"]


def test_migrations_have_one_head() -> None:
    assert script_head() == HEAD


def test_an_old_folder_is_upgraded_in_place(tmp_path: Path) -> None:
    """A folder from before deliveries (SQLite user_version 0): each stored message becomes one delivery,
    and the folder is then at Alembic's head."""
    tmp_path.joinpath("mail").mkdir()
    db = sqlite3.connect(tmp_path / "campaign.db")
    db.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "CREATE TABLE messages (sha256 TEXT PRIMARY KEY, run_id TEXT, arrived_at TEXT NOT NULL, message TEXT NOT NULL);"
    )
    message = Message(sha256="abc", run_id="r1", mailbox="sink", arrived_at=T0)
    db.execute("INSERT INTO messages VALUES (?,?,?,?)", ("abc", "r1", T0.isoformat(), message.model_dump_json()))
    db.commit()
    db.close()
    with CampaignFolder(tmp_path) as folder:
        assert [m.delivery_key for m in folder.deliveries("r1")] == ["sha:abc"]
        assert folder.db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD


def test_rescore_reads_a_team_campaign_and_writes_the_folders_reports(
    postgres_server: Postgres, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from auditor.cli import app

    url = postgres_server.new_database()
    with CampaignDatabase(url, tmp_path / "machine-a") as team:
        fill(team)
    result = CliRunner().invoke(app, ["rescore", str(tmp_path / "reports"), "--db", url])
    assert result.exit_code == 0, result.output
    results = json.loads((tmp_path / "reports" / "results.json").read_text())
    assert [r["run"]["id"] for s in results["stores"] for r in s["runs"]] == ["r1", "r2"]
    assert (tmp_path / "reports" / "mail" / "abc.eml").read_bytes() == RAW  # read back from the database


def test_a_worker_refuses_a_database_that_is_not_postgresql(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from auditor.cli import app

    result = CliRunner().invoke(app, ["worker", "--db", f"sqlite:///{tmp_path}/x.db"])
    assert result.exit_code == 2 and "PostgreSQL" in result.output


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_the_migrations_make_exactly_the_tables_the_code_declares(
    dialect: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Alembic's own comparison of the migrated database with ``tables.metadata`` finds nothing to change."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from auditor.campaign.db.migrate import sqlite_engine, upgrade
    from auditor.campaign.db.store import engine_for
    from auditor.campaign.db.tables import metadata

    if dialect == "sqlite":
        engine = sqlite_engine(tmp_path / "campaign.db")
    else:
        engine = engine_for(request.getfixturevalue("postgres_server").new_database())
    try:
        upgrade(engine)
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    finally:
        engine.dispose()


def test_timed_steps_are_scheduled_claimed_once_and_reaped_alike(store: CampaignFolder) -> None:
    """The schedule behind ``CampaignFolder.schedule()``: a team's on PostgreSQL, a folder's on SQLite."""
    import socket

    from test_campaign_schedule import SCENARIO, T0

    with store.schedule() as schedule:
        rows = schedule.plan("r1", SCENARIO.timed, SCENARIO.timed_offsets(), T0)
        again = schedule.plan("r1", SCENARIO.timed, SCENARIO.timed_offsets(), T0 + timedelta(hours=1))
        assert (
            [r.due_at for r in again]
            == [r.due_at for r in rows]
            == [T0 + timedelta(seconds=20), T0 + timedelta(days=2)]
        )
        assert schedule.next_due() == T0 + timedelta(seconds=20)
        step = schedule.due(T0 + timedelta(seconds=21))[0]
        assert schedule.claim(step) and not schedule.claim(step)  # exactly once
        schedule.finish(step)
        assert [(s.block, s.status) for s in schedule.of_run("r1")] == [(0, "done"), (1, "scheduled")]
        schedule.me = f"{socket.gethostname()}:999999"  # as if the next claimant were a process now gone
        assert schedule.claim(schedule.due(T0 + timedelta(days=3))[0])
    with store.schedule() as other:
        reaped = other.reap()
        assert [(s.block, s.status) for s in reaped] == [(1, "interrupted")]  # never run again
        assert not other.open_for("r1") and other.due(T0 + timedelta(days=3)) == []
