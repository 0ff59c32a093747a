"""The campaign folder keeps everything on disk and reads it back from disk alone."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from auditor.campaign.folder import CampaignFolder
from auditor.models import (
    AddressStrategy,
    Evidence,
    Expectations,
    Finding,
    FindingStatus,
    JournalEvent,
    Message,
    MessageKind,
    Persona,
    PostalAddress,
    Run,
    RunStatus,
    Store,
)

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def persona() -> Persona:
    return Persona(
        id="anna",
        first_name="Anna",
        last_name="Kowalska",
        address=PostalAddress(line1="ul. Długa 1", city="Kraków", postcode="30-001"),
        email=AddressStrategy(kind="plus", mailbox="anna@shopper.test"),
    )


def add_run(folder: CampaignFolder, run_id: str = "r1") -> Run:
    run = Run(id=run_id, store_id="s", scenario_id="sc", persona_id="anna", address=f"anna+{run_id}@shopper.test")
    folder.add_run(run, Store(id="s", name="Shop", base_url="http://x"), persona(), Expectations(kinds=["payment"]))
    return run


def test_a_run_record_comes_back_from_a_reopened_folder(tmp_path: Path) -> None:
    with CampaignFolder(tmp_path) as folder:
        run = add_run(folder)
        folder.add_event(run.id, JournalEvent(at=T0, kind="order_submitted"))
        folder.add_event(run.id, JournalEvent(at=T0 + timedelta(seconds=2), kind="order_shown", data={"number": "7"}))
        (folder.mail_dir / "abc.eml").write_bytes(b"Subject: hi\r\n\r\nbody")
        message = Message(sha256="abc", run_id=run.id, mailbox="sink", arrived_at=T0 + timedelta(seconds=30))
        assert folder.add_message(message) is True
        assert folder.add_message(message) is False  # the same bytes are never counted twice
        folder.put_evidence(Evidence(message_sha256="abc", kind=MessageKind.order_confirmation))
        folder.save_run(run.model_copy(update={"status": RunStatus.done}))
    with CampaignFolder(tmp_path) as again:
        record = again.run_record("r1")
    assert record.run.status == RunStatus.done
    assert record.journal.order.number == "7"
    assert record.journal.time_of("order_submitted") == T0
    assert [m.evidence.kind for m in record.messages] == [MessageKind.order_confirmation]
    assert record.persona.first_name == "Anna"
    assert record.expectations.kinds == [MessageKind.payment]


def test_findings_are_replaced_whole_and_kept_in_order(tmp_path: Path) -> None:
    with CampaignFolder(tmp_path) as folder:
        add_run(folder)

        def finding(name: str) -> Finding:
            return Finding(
                criterion=name,
                check=name,
                category="c",
                title=name,
                status=FindingStatus.passed,
                score=1,
                value="ok",
            )

        folder.replace_findings("r1", [finding("b"), finding("a")])
        folder.replace_findings("r1", [finding("z")])
        assert [f.criterion for f in folder.findings("r1")] == ["z"]


def test_messages_without_a_run_are_kept(tmp_path: Path) -> None:
    with CampaignFolder(tmp_path) as folder:
        folder.add_message(Message(sha256="x", mailbox="sink", arrived_at=T0))
        add_run(folder)
        folder.assign_message("x", "r1")
        assert [m.sha256 for m in folder.messages("r1")] == ["x"]
        assert folder.messages("r1")[0].run_id == "r1"
