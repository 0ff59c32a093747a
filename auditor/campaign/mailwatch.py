"""Per-run arrival notices: lets a run wait for its mail without polling (where the mailbox is in this
process; a team's worker reads its runs' mail from the shared store when told, ``StoredMailWatch``).

The mailbox side calls ``deliver`` as each matched message is stored; the
shopper's ``wait_for_mail`` step awaits ``wait``. A wait ends when every
expected kind has arrived and then ``settle`` seconds pass with no new
message (so a burst of chatter is seen whole), or when ``timeout`` runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from typing import TYPE_CHECKING

from auditor.models import MessageKind, MessageRecord

if TYPE_CHECKING:
    from auditor.campaign.folder import CampaignFolder


class MailWatch:
    def __init__(self) -> None:
        self._arrived: dict[str, list[MessageRecord]] = defaultdict(list)
        self._signals: dict[str, asyncio.Event] = defaultdict(asyncio.Event)

    def deliver(self, run_id: str, record: MessageRecord) -> None:
        """Announce a delivery; the same delivery announced twice (replayed after a restart and
        analysed late, say) is one arrival."""
        key = record.message.delivery_key
        if any(r.message.delivery_key == key for r in self._arrived[run_id]):
            return
        self._arrived[run_id].append(record)
        self._signals[run_id].set()

    def arrived(self, run_id: str) -> list[MessageRecord]:
        return list(self._arrived[run_id])

    async def wait(self, run_id: str, kinds: list[MessageKind], timeout: float, settle: float) -> list[MessageRecord]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        signal = self._signals[run_id]
        wanted = {MessageKind(k) for k in kinds}
        while True:
            seen = {r.evidence.kind for r in self._arrived[run_id]}
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            quiet_enough = wanted <= seen
            signal.clear()
            try:
                await asyncio.wait_for(signal.wait(), min(settle, remaining) if quiet_enough else remaining)
            except TimeoutError:
                if quiet_enough or loop.time() >= deadline:
                    break
        return self.arrived(run_id)


class StoredMailWatch(MailWatch):
    """The watch of a process that shops without the mailbox (a team's worker): while a run waits, its
    mail is read from the campaign's store, where the mailbox host puts it. On PostgreSQL the store
    announces each change (``LISTEN``/``NOTIFY`` on ``MAIL_CHANNEL``) and the wait reads again when told;
    elsewhere it looks every ``every`` seconds."""

    def __init__(self, folder: CampaignFolder, every: float = 1.0) -> None:
        super().__init__()
        self.folder, self.every = folder, every

    def _pull(self, run_id: str) -> None:
        for record in self.folder.run_record(run_id).messages:
            self.deliver(run_id, record)

    async def _follow(self, run_id: str) -> None:
        url = str(getattr(self.folder, "url", ""))
        if url.startswith(("postgresql", "postgres:")):
            import psycopg

            from auditor.campaign.db.store import MAIL_CHANNEL, psycopg_url

            async with await psycopg.AsyncConnection.connect(psycopg_url(url), autocommit=True) as conn:
                await conn.execute(f"LISTEN {MAIL_CHANNEL}")
                await asyncio.to_thread(self._pull, run_id)  # after LISTEN: nothing stored since is missed
                async for _ in conn.notifies():
                    await asyncio.to_thread(self._pull, run_id)
        while True:
            await asyncio.to_thread(self._pull, run_id)
            await asyncio.sleep(self.every)

    async def wait(self, run_id: str, kinds: list[MessageKind], timeout: float, settle: float) -> list[MessageRecord]:
        follower = asyncio.create_task(self._follow(run_id))
        try:
            return await super().wait(run_id, kinds, timeout, settle)
        finally:
            follower.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await follower
