"""RunHooks kept in memory: for one run outside a campaign (a test, a quick ``auditor run``).

The campaign has its own hooks that write to SQLite; this one keeps the journal
in a list and is fed messages by whoever listens to the mailbox
(``deliver(message, kind)``, e.g. from an ``SmtpSink`` callback after
``analyze``). Waiting is event-driven: each delivery wakes the waiter.
"""

import asyncio
from collections.abc import Iterable

from auditor.models import Journal, JournalEvent, Message, MessageKind


class MemoryHooks:
    """A RunHooks that keeps the journal and the delivered messages in memory."""

    def __init__(self, run_id: str):
        self.journal = Journal(run_id=run_id)
        self.messages: list[tuple[Message, MessageKind]] = []
        self._arrived = asyncio.Condition()

    async def record(self, event: JournalEvent) -> None:
        self.journal.events.append(event)

    async def deliver(self, message: Message, kind: MessageKind) -> None:
        """A message for this run arrived (already classified by the caller)."""
        async with self._arrived:
            self.messages.append((message, kind))
            self._arrived.notify_all()

    def kinds(self) -> set[MessageKind]:
        return {kind for _, kind in self.messages}

    async def wait_for_mail(self, kinds: Iterable[MessageKind], timeout: float, settle: float) -> list[Message]:
        """Until every kind arrived and ``settle`` s passed with nothing new, or ``timeout`` ran out."""
        wanted = {MessageKind(k) for k in kinds}
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with self._arrived:
            while not wanted <= self.kinds():
                if not await self._wait_until(deadline):
                    return [m for m, _ in self.messages]
            while True:
                seen = len(self.messages)
                quiet_until = min(deadline, loop.time() + settle)
                if not await self._wait_until(quiet_until) or len(self.messages) == seen:
                    break
        return [m for m, _ in self.messages]

    async def _wait_until(self, when: float) -> bool:
        """Wait for the next delivery; False when ``when`` came first."""
        remaining = when - asyncio.get_running_loop().time()
        if remaining <= 0:
            return False
        try:
            await asyncio.wait_for(self._arrived.wait(), remaining)
        except TimeoutError:
            return False
        return True
