"""What the shopper needs from whoever runs it: somewhere to write the journal, and a way to wait for mail.

The shopper never reads mail and never writes to a database itself; the
campaign (or a test) passes an object with these two methods.
"""

from typing import Protocol, runtime_checkable

from auditor.models import JournalEvent, Message, MessageKind


@runtime_checkable
class RunHooks(Protocol):
    async def record(self, event: JournalEvent) -> None:
        """Persist a journal event now, so a crash later loses nothing."""
        ...

    async def wait_for_mail(self, kinds: list[MessageKind], timeout: float, settle: float) -> list[Message]:
        """Return when every kind has arrived for this run and then ``settle`` seconds passed with no new
        message, or when ``timeout`` runs out (returning what did arrive). Event-driven, never polling."""
        ...
