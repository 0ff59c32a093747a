"""MemoryHooks: the journal in memory and an event-driven wait for mail."""

import asyncio
from datetime import UTC, datetime

from auditor.models import JournalEvent, Message, MessageKind
from auditor.shopper.hooks import RunHooks
from auditor.shopper.memory import MemoryHooks


def message(n: int) -> Message:
    return Message(sha256=f"{n:064x}", mailbox="test", arrived_at=datetime.now(UTC), subject=f"m{n}")


async def test_it_is_a_run_hooks_and_keeps_the_journal() -> None:
    hooks = MemoryHooks("r1")
    assert isinstance(hooks, RunHooks)
    await hooks.record(JournalEvent(at=datetime.now(UTC), kind="order_submitted"))
    assert hooks.journal.run_id == "r1" and hooks.journal.first("order_submitted") is not None


async def test_wait_returns_once_every_kind_arrived_and_the_mailbox_was_quiet_for_settle() -> None:
    hooks = MemoryHooks("r1")
    loop = asyncio.get_running_loop()

    async def store_sends() -> None:
        await hooks.deliver(message(1), MessageKind.order_confirmation)
        await hooks.deliver(message(2), MessageKind.marketing)
        await hooks.deliver(message(3), MessageKind.support_reply)

    start = loop.time()
    sender = asyncio.create_task(store_sends())
    got = await hooks.wait_for_mail([MessageKind.order_confirmation, MessageKind.support_reply], 5, 0.2)
    await sender
    assert [m.subject for m in got] == ["m1", "m2", "m3"]
    assert 0.2 <= loop.time() - start < 2


async def test_a_message_during_settle_restarts_the_quiet_time() -> None:
    hooks = MemoryHooks("r1")
    loop = asyncio.get_running_loop()
    await hooks.deliver(message(1), MessageKind.order_confirmation)
    waiter = asyncio.create_task(hooks.wait_for_mail([MessageKind.order_confirmation], 5, 0.3))
    await asyncio.sleep(0.15)  # the store's second email comes half-way through the quiet time
    second_at = loop.time()
    await hooks.deliver(message(2), MessageKind.payment)
    got = await waiter
    assert [m.subject for m in got] == ["m1", "m2"]
    assert loop.time() - second_at >= 0.3


async def test_timeout_returns_what_did_arrive() -> None:
    hooks = MemoryHooks("r1")
    await hooks.deliver(message(1), MessageKind.marketing)
    loop = asyncio.get_running_loop()
    start = loop.time()
    got = await hooks.wait_for_mail([MessageKind.order_confirmation], 0.3, 5)
    assert [m.subject for m in got] == ["m1"]
    assert 0.3 <= loop.time() - start < 1.5
