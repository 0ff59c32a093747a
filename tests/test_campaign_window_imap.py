"""A campaign that outlives its process: a 60-second window, a timed step at +20 s, the process stopped
after shopping and restarted, and mail the store sends at +40 s while nothing runs, read from a real
Dovecot over IMAP with its arrival time. Waits for wall-clock moments (the step's time, the window's
end) are the subject of the test, so they are real."""

import asyncio
import smtplib
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path

import dovecot
import pytest
from aiosmtpd.controller import Controller
from dovecot import PASSWORD, Dovecot, free_port

from auditor.campaign.collect import CollectOptions, collect_campaign, watch_campaign
from auditor.campaign.execute import execute_campaign
from auditor.campaign.folder import CampaignFolder
from auditor.campaign.mailboxes import ImapSpec
from auditor.campaign.orchestrate import CampaignOptions
from auditor.campaign.plan import load_campaign
from auditor.campaign.schedule import Schedule
from auditor.demo.run import DEMO_CAMPAIGN
from auditor.demo.shop import DemoShop
from auditor.models import AddressStrategy, FindingStatus, RunStatus
from auditor.models.scenario import Scenario

dovecot_server = dovecot.dovecot_server

WINDOW, STEP_AT, ANSWER_AFTER = 60, 20, 20  # seconds; exemplary answers a survey after 6 store hours
FEEDBACK = "Fast delivery, but the box was dented."


class Relay:
    """A store's MTA: SMTP in, LMTP to Dovecot; remembers when each subject was handed over."""

    def __init__(self, lmtp_port: int):
        self.lmtp_port = lmtp_port
        self.relayed: dict[str, datetime] = {}
        self.survey_answer = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802, ANN001
        def forward() -> None:
            for rcpt in envelope.rcpt_tos:
                with smtplib.LMTP("127.0.0.1", self.lmtp_port, timeout=10) as lmtp:
                    lmtp.sendmail(envelope.mail_from, [rcpt], envelope.original_content)
            subject = str(message_from_bytes(envelope.original_content)["Subject"])
            self.relayed[subject] = datetime.now(UTC)
            if subject == "Re: your survey answer":
                self.survey_answer.set()

        await asyncio.to_thread(forward)
        return "250 OK relayed"


@pytest.fixture
def relay(dovecot_server: Dovecot):
    handler = Relay(dovecot_server.lmtp_port)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def _campaign(user: str, port: int):
    demo = load_campaign(DEMO_CAMPAIGN)
    base = demo.scenarios[0].model_dump(mode="json", exclude={"timed", "expectations"})
    scenario = Scenario.model_validate(
        {
            **base,
            "id": "window",
            "steps": [
                *[s for s in base["steps"] if not {"ask_question", "wait_for_mail"} & s.keys()],
                {"after": f"{STEP_AT}s"},
                {"do": {"step": "answer_survey", "rating": "4", "text": FEEDBACK}},
                {"do": {"step": "leave_review", "rating": "5", "text": "Great headphones."}},
            ],
            "expectations": {"kinds": ["order_confirmation"], "watch": f"{WINDOW}s"},
        }
    )
    imap = ImapSpec(kind="imap", host="127.0.0.1", port=port, security="plain", username=user,
                    password_env="TEST_IMAP_PASSWORD")  # fmt: skip
    return demo.model_copy(
        update={
            "spec": demo.spec.model_copy(update={"mailbox": imap, "id": "window"}),
            "stores": [s for s in demo.stores if s.id == "exemplary"],
            "scenarios": [scenario],
            "personas": [
                p.model_copy(update={"email": AddressStrategy(kind="plus", mailbox=user)}) for p in demo.personas
            ],
        }
    )


def _events(out: Path, kind: str) -> list[datetime]:
    with sqlite3.connect(out / "campaign.db") as db:
        rows = db.execute("SELECT at FROM journal_events WHERE kind = ? ORDER BY id", (kind,)).fetchall()
    return [datetime.fromisoformat(r[0]) for r in rows]


def _findings(results) -> dict:  # noqa: ANN001
    return {f.criterion: f for f in results.stores[0].runs[0].findings}


def test_a_window_outlives_the_process_and_mail_sent_meanwhile_counts(
    dovecot_server: Dovecot, relay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    controller, relayed = relay
    user = dovecot_server.new_user("window")
    monkeypatch.setenv("TEST_IMAP_PASSWORD", PASSWORD)
    out, lines = tmp_path / "campaign", []
    quiet = CollectOptions(snapshots=False)
    with DemoShop("127.0.0.1", controller.port, hour=ANSWER_AFTER / 6) as shop:
        # 1. shop, and return: the window is not watched in this process
        options = CampaignOptions(base_urls={"exemplary": shop.url_for("exemplary")}, watch_inline=0)
        first = asyncio.run(execute_campaign(out, _campaign(user, dovecot_server.imap_port), options, lines.append))
        run = first.stores[0].runs[0].run
        assert run.status == RunStatus.watching, "\n".join(lines)
        ordered = _events(out, "order_submitted")[0]
        window_end = ordered + timedelta(seconds=WINDOW)  # a window counts from the order
        with Schedule(out / "campaign.db") as schedule:
            (survey_step,) = schedule.all()
        assert survey_step.due_at == ordered + timedelta(seconds=STEP_AT)
        assert _findings(first)["feedback-follow-up"].status == FindingStatus.pending  # scheduled, not yet run

        # 2. restart: a watcher runs the timed step at its time, then stops before the store answers
        asyncio.run(watch_campaign(out, quiet, lines.append, until=survey_step.due_at + timedelta(seconds=3)))
        started = _events(out, "timed_step_started")
        assert len(started) == 1 and timedelta(0) <= started[0] - survey_step.due_at < timedelta(seconds=3)
        assert len(_events(out, "feedback_sent")) == 1 and len(shop.feedback) == 2  # survey and review, once

        # 3. nothing runs; the store answers the survey about 20 s later, into Dovecot
        assert relayed.survey_answer.wait(timeout=60), relayed.relayed
        sent_at = relayed.relayed["Re: your survey answer"]
        assert datetime.now(UTC) < window_end - timedelta(seconds=3), "the machine was too slow to test this"
        time.sleep(1.5)  # so an arrival stamped at collection time could not pass for the real one
        collected_at = datetime.now(UTC)
        second = asyncio.run(collect_campaign(out, quiet, lines.append))
        with CampaignFolder(out) as folder:
            answer = next(d for d in folder.deliveries(run.id) if d.subject == "Re: your survey answer")
        assert answer.arrival_source == "imap_internaldate"
        assert abs((answer.arrived_at - sent_at).total_seconds()) < 1.5 and answer.arrived_at < collected_at
        found = _findings(second)
        assert found["feedback-follow-up"].status == FindingStatus.passed, found["feedback-follow-up"].value
        assert found["review-answered"].status == FindingStatus.pending  # answered only after 20 store hours
        assert "review-answered" in second.stores[0].runs[0].scorecard.pending
        assert " of 1 min" in (second.stores[0].runs[0].anchors.observed or "")

        # 4. after the window: settled, the run done, the timed step never run again
        time.sleep(max(0.0, (window_end - datetime.now(UTC)).total_seconds()) + 1)
        third = asyncio.run(collect_campaign(out, quiet, lines.append))
    result = third.stores[0].runs[0]
    assert result.run.status == RunStatus.done
    assert _findings(third)["review-answered"].status == FindingStatus.failed
    assert result.scorecard.pending == [] and result.anchors.observed == "1 min of 1 min"
    assert len(_events(out, "timed_step_started")) == 1 and len(_events(out, "feedback_sent")) == 1
    with Schedule(out / "campaign.db") as schedule:
        assert [s.status for s in schedule.all()] == ["done"]
