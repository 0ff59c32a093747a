"""Which mailbox a campaign listens on, from its file: the embedded SMTP sink or a real IMAP inbox.

Both report each message through the same ``on_message(message, raw)``
callback after storing ``mail/<sha256>.eml``, so the rest of the campaign
never knows which one it was.

A mailbox opened here is checked before it starts: the IMAP account logs in
and selects every folder, the sink binds its port. Either failure is one
``MailboxUnavailable`` line naming the mailbox and the cause, raised before the
first run, so nothing is bought whose mail could not be read.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, Protocol

from pydantic import BaseModel, Field

from auditor.mail.errors import MailboxUnavailable
from auditor.mail.imap import ImapError, ImapMailbox
from auditor.mail.imap_config import ImapConfig, ImapConfigError
from auditor.mail.sink import OnMessage, SmtpSink

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from auditor.mail.imap_state import ImapSyncState
    from auditor.mail.sink_state import SinkUptime


class SmtpSinkSpec(BaseModel):
    """An embedded SMTP server the stores send to (point the store's SMTP settings at it)."""

    kind: Literal["smtp_sink"] = "smtp_sink"
    host: str = "127.0.0.1"
    port: int = Field(default=0, ge=0, le=65535, description="0 picks a free port")


class ImapSpec(ImapConfig):
    """A real inbox read over IMAP; the password comes from ``password_env`` or ``password_file``."""

    kind: Literal["imap"]


MailboxSpec = Annotated[SmtpSinkSpec | ImapSpec, Field(discriminator="kind")]


class Mailbox(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...


class CheckedImapMailbox(ImapMailbox):
    """An IMAP mailbox whose ``start`` fails at once, in one line, when the account cannot be read."""

    async def start(self) -> None:
        try:
            await self.check()
        except (ImapError, ImapConfigError) as error:
            raise MailboxUnavailable(f"mailbox {self.config.label}: {error}") from None
        await super().start()


def open_mailbox(
    spec: SmtpSinkSpec | ImapSpec, mail_dir: Path, db_path: "Path | Engine", on_message: OnMessage
) -> Mailbox:
    """The campaign's mailbox; ``start()`` raises ``MailboxUnavailable`` if it cannot be used.

    ``db_path`` is where it keeps its own state (the sink's uptime, the IMAP cursor): a folder's
    ``campaign.db``, or a team's database engine (``CampaignFolder.mailbox_state()`` gives either), so
    that state is shared with every machine of the team and survives the mailbox host's."""
    if isinstance(spec, ImapSpec):
        config = ImapConfig.model_validate(spec.model_dump(exclude={"kind"}))
        return CheckedImapMailbox(config, mail_dir, _imap_state(db_path, config.account), on_message)
    return SmtpSink(mail_dir, on_message, host=spec.host, port=spec.port, state_db=_sink_uptime(db_path))


def _imap_state(db: "Path | Engine", account: str) -> "Path | ImapSyncState":
    if isinstance(db, Path):
        return db
    from auditor.campaign.db.mailstate import SharedImapState

    return SharedImapState(db, account)


def _sink_uptime(db: "Path | Engine") -> "Path | SinkUptime":
    if isinstance(db, Path):
        return db
    from auditor.campaign.db.mailstate import SharedSinkUptime

    return SharedSinkUptime(db)


def describe(spec: SmtpSinkSpec | ImapSpec, mailbox: Mailbox) -> str:
    """A progress line naming the mailbox, never its password."""
    if isinstance(mailbox, SmtpSink):
        return f"mailbox: SMTP sink on {spec.host}:{mailbox.port}"
    assert isinstance(spec, ImapSpec)
    return f"mailbox: IMAP {spec.username}@{spec.host}:{spec.effective_port} {', '.join(spec.folders)}"
