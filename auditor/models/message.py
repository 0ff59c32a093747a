"""One email as received by a mailbox; the raw bytes live in ``mail/<sha256>.eml``."""

from pydantic import AwareDatetime, BaseModel, Field


class Message(BaseModel):
    """``arrived_at`` is the mailbox's clock (IMAP INTERNALDATE, sink receipt);
    ``date_header`` is the sender's claim, kept beside it so skew can be reported."""

    sha256: str
    run_id: str | None = None
    mailbox: str
    folder: str | None = None
    arrived_at: AwareDatetime
    date_header: AwareDatetime | None = None
    envelope_from: str | None = None
    envelope_to: list[str] = Field(default_factory=list)
    from_addr: str = ""
    to_addrs: list[str] = Field(default_factory=list)
    subject: str = ""
    message_id: str | None = None
    size: int = 0

    @property
    def path(self) -> str:
        return f"mail/{self.sha256}.eml"
