"""`watch` on a campaign whose stores send to the auditor's SMTP sink: it listens until the open window
ends, mail that arrives is matched to its run with the sink's receipt time, and the run closes done."""

import asyncio
import smtplib
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

from auditor.campaign.collect import CollectOptions, watch_campaign
from auditor.campaign.folder import CampaignFolder
from auditor.campaign.mailboxes import SmtpSinkSpec
from auditor.campaign.plan import CampaignSpec
from auditor.models import Expectations, JournalEvent, MessageKind, Run, RunStatus, Store
from auditor.rubric.examples import persona

WINDOW = 3.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_watch_listens_on_the_sink_until_the_window_ends(tmp_path: Path) -> None:
    port = _free_port()
    ordered = datetime.now(UTC)
    with CampaignFolder(tmp_path / "c") as folder:
        spec = CampaignSpec(id="c", stores=["s.yaml"], scenarios=["x.yaml"], personas=["p.yaml"],
                            mailbox=SmtpSinkSpec(port=port))  # fmt: skip
        folder.set_meta("campaign", spec.model_dump(mode="json"))
        run = Run(id="r1", store_id="s", scenario_id="x", persona_id="anna", address="anna+r1@x.test",
                  status=RunStatus.watching, started_at=ordered)  # fmt: skip
        folder.add_run(run, Store(id="s", name="S", base_url="http://127.0.0.1:1/s"), persona(),
                       Expectations(kinds=[MessageKind.order_confirmation], window_seconds=WINDOW))  # fmt: skip
        folder.add_event("r1", JournalEvent(at=ordered, kind="order_submitted", step="place_order"))
    lines: list[str] = []

    async def store_sends_once_listening() -> datetime:
        while not any(line.startswith("mailbox: SMTP sink") for line in lines):
            await asyncio.sleep(0.05)
        raw = (
            "From: Shop <orders@s.test>\r\nTo: anna+r1@x.test\r\nSubject: Order 100001 confirmed\r\n"
            "Message-ID: <1@s.test>\r\nDate: Tue, 01 Dec 2026 12:00:00 +0000\r\n\r\n"
            "Thank you for your order 100001.\r\n"
        )
        sent = datetime.now(UTC)
        await asyncio.to_thread(
            lambda: smtplib.SMTP("127.0.0.1", port).sendmail("orders@s.test", ["anna+r1@x.test"], raw)
        )
        return sent

    async def both():  # noqa: ANN202
        return await asyncio.gather(
            watch_campaign(tmp_path / "c", CollectOptions(snapshots=False), lines.append), store_sends_once_listening()
        )

    results, sent = asyncio.run(both())
    assert datetime.now(UTC) >= ordered + timedelta(seconds=WINDOW)  # it stayed up for the window
    result = results.stores[0].runs[0]
    assert result.run.status == RunStatus.done, lines
    (message,) = result.messages
    assert message.subject == "Order 100001 confirmed" and abs((message.arrived_at - sent).total_seconds()) < 1
    assert result.anchors.observed == "3 s of 3 s"
    with CampaignFolder(tmp_path / "c") as folder:
        assert folder.deliveries("r1")[0].arrival_source == "smtp"
