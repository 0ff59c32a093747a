import asyncio
from datetime import UTC, datetime

from auditor.campaign.mailwatch import MailWatch
from auditor.models import Evidence, Message, MessageKind, MessageRecord


def record(sha: str, kind: MessageKind) -> MessageRecord:
    message = Message(sha256=sha, mailbox="test", arrived_at=datetime.now(UTC))
    return MessageRecord(message=message, evidence=Evidence(message_sha256=sha, kind=kind))


async def test_wait_ends_after_expected_kinds_and_a_quiet_settle() -> None:
    watch = MailWatch()
    loop = asyncio.get_running_loop()
    loop.call_later(0.05, watch.deliver, "r1", record("a", MessageKind.order_confirmation))
    loop.call_later(0.10, watch.deliver, "r1", record("b", MessageKind.marketing))
    start = loop.time()
    got = await watch.wait("r1", [MessageKind.order_confirmation], timeout=5, settle=0.3)
    took = loop.time() - start
    assert [r.message.sha256 for r in got] == ["a", "b"]  # the chatter inside settle is kept
    assert took < 2  # ended by the quiet period, not the timeout


async def test_wait_gives_up_at_timeout_and_returns_what_did_arrive() -> None:
    watch = MailWatch()
    watch.deliver("r1", record("a", MessageKind.order_confirmation))
    got = await watch.wait("r1", [MessageKind.support_reply], timeout=0.2, settle=0.05)
    assert [r.evidence.kind for r in got] == [MessageKind.order_confirmation]


async def test_runs_do_not_see_each_others_mail() -> None:
    watch = MailWatch()
    watch.deliver("r2", record("x", MessageKind.order_confirmation))
    got = await watch.wait("r1", [MessageKind.order_confirmation], timeout=0.1, settle=0.01)
    assert got == []
