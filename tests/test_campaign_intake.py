"""Broken mail through a campaign's real SMTP sink: stored, matched, marked malformed, scored — never a crash."""

import asyncio
import smtplib
from datetime import UTC, datetime

from corpus.broken import BROKEN

from auditor.campaign.folder import CampaignFolder
from auditor.campaign.intake import Intake
from auditor.campaign.mailwatch import MailWatch
from auditor.campaign.scoring import score_folder
from auditor.mail.matching import RunAddress
from auditor.mail.sink import SmtpSink
from auditor.models import (
    AddressStrategy,
    Expectations,
    JournalEvent,
    Persona,
    PostalAddress,
    Run,
    RunStatus,
    Store,
)
from auditor.rubric import load_rubric

ADDRESS = "anna+r1@shopper.test"


async def test_every_broken_message_is_kept_marked_and_scored(tmp_path) -> None:
    folder = CampaignFolder(tmp_path)
    persona = Persona(
        id="anna",
        first_name="Anna",
        last_name="Kowalska",
        address=PostalAddress(line1="ul. Długa 1", city="Kraków", postcode="30-001"),
        email=AddressStrategy(kind="plus", mailbox="anna@shopper.test"),
    )
    run = Run(id="r1", store_id="s", scenario_id="sc", persona_id="anna", address=ADDRESS, status=RunStatus.done)
    folder.add_run(run, Store(id="s", name="Shop", base_url="http://shop.test"), persona, Expectations())
    start = datetime.now(UTC)
    folder.add_event("r1", JournalEvent(at=start, kind="order_submitted"))
    intake = Intake(folder, MailWatch())
    intake.expect(RunAddress(run_id="r1", address=ADDRESS, since=start))
    names = [n for n in BROKEN if "20mb" not in n]  # the sink's own size limit is tested with the mail tests

    def send(port: int, raw: bytes) -> None:  # a real client, off the loop the sink runs on
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.sendmail("shop@broken.example", [ADDRESS], raw)

    async with SmtpSink(folder.mail_dir, intake) as sink:
        for name in names:
            await asyncio.to_thread(send, sink.port, BROKEN[name]()[0])
    stored = folder.messages("r1")
    assert len(stored) == len({BROKEN[n]()[0] for n in names})  # every distinct message, once
    malformed = [folder.evidence(m.sha256).malformed for m in stored]
    assert all(malformed), malformed  # each with the reason it could not be fully read
    results = score_folder(folder, load_rubric("default"))
    run_result = results.stores[0].runs[0]
    assert run_result.findings and all(f.status.value != "error" for f in run_result.findings)
    assert any(m.malformed for m in run_result.messages)
    folder.close()
