"""A campaign whose mail comes from a real inbox: demo store → SMTP relay → Dovecot (LMTP) → IMAP → campaign."""

import asyncio
import json
import smtplib
from pathlib import Path

import dovecot
import pytest
from aiosmtpd.controller import Controller
from dovecot import PASSWORD, Dovecot, free_port

from auditor.campaign.execute import execute_campaign
from auditor.campaign.mailboxes import ImapSpec
from auditor.campaign.orchestrate import CampaignOptions
from auditor.campaign.plan import load_campaign
from auditor.demo.run import DEMO_CAMPAIGN
from auditor.demo.shop import DemoShop
from auditor.models import AddressStrategy

dovecot_server = dovecot.dovecot_server  # the session fixture, registered for this module


class SmtpToLmtpRelay:
    """What a store's MTA does: accept SMTP, hand each recipient to the mail server over LMTP."""

    def __init__(self, lmtp_port: int):
        self.lmtp_port = lmtp_port

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802, ANN001
        def forward() -> None:
            for rcpt in envelope.rcpt_tos:  # one recipient per LMTP transaction
                with smtplib.LMTP("127.0.0.1", self.lmtp_port, timeout=10) as lmtp:
                    lmtp.sendmail(envelope.mail_from, [rcpt], envelope.original_content)

        await asyncio.to_thread(forward)
        return "250 OK relayed"


@pytest.fixture
def relay(dovecot_server: Dovecot):
    controller = Controller(SmtpToLmtpRelay(dovecot_server.lmtp_port), hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


def test_a_demo_store_audited_through_a_real_imap_inbox(
    dovecot_server: Dovecot, relay: Controller, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = dovecot_server.new_user("anna")
    monkeypatch.setenv("TEST_IMAP_PASSWORD", PASSWORD)
    demo = load_campaign(DEMO_CAMPAIGN)
    imap = ImapSpec(
        kind="imap",
        host="127.0.0.1",
        port=dovecot_server.imap_port,
        security="plain",
        username=user,
        password_env="TEST_IMAP_PASSWORD",
    )
    campaign = demo.model_copy(
        update={
            "spec": demo.spec.model_copy(update={"mailbox": imap, "id": "imap"}),
            "stores": [s for s in demo.stores if s.id == "exemplary"],
            # a 15 s window, not the demo's eight compressed days: the confirmation and the reply come in 2 s
            "scenarios": [
                sc.model_copy(update={"expectations": sc.expectations.model_copy(update={"window_seconds": 15})})
                for sc in demo.scenarios
            ],
            "personas": [
                p.model_copy(update={"email": AddressStrategy(kind="plus", mailbox=user)}) for p in demo.personas
            ],
        }
    )
    lines: list[str] = []
    out = tmp_path / "campaign"
    with DemoShop("127.0.0.1", relay.port) as shop:
        options = CampaignOptions(base_urls={"exemplary": shop.url_for("exemplary")})
        results = asyncio.run(execute_campaign(out, campaign, options, lines.append))

    store = results.stores[0]
    run = store.runs[0]
    assert run.run.status.value == "done", run.run.error
    assert run.run.address == user.replace("@", f"+{run.run.id}@")
    kinds = [m.kind.value for m in run.messages]
    assert "order_confirmation" in kinds and "support_reply" in kinds, "\n".join(lines)
    assert store.scorecard.total is not None and store.scorecard.total >= 90
    assert any(line.startswith(f"mailbox: IMAP {user}@127.0.0.1") for line in lines)
    # the password is read from the environment and written nowhere
    for path in [*out.rglob("*")]:
        if path.is_file() and path.suffix in {".json", ".html", ".db"}:
            assert PASSWORD.encode() not in path.read_bytes(), path
    assert all(PASSWORD not in line for line in lines)
    assert json.loads((out / "results.json").read_text())["stores"][0]["id"] == "exemplary"
