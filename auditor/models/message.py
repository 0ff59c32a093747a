"""One email as received by a mailbox; the raw bytes live in ``mail/<sha256>.eml``.

Storage is by content, counting is by delivery: the same bytes sent twice are one
file and two ``Message`` rows with different ``delivery_id``, so "exactly one
confirmation" sees both.
"""

from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field

ArrivalSource = Literal["smtp", "imap_internaldate", "received", "date_header", "file_mtime"]


class Message(BaseModel):
    """``arrived_at`` is the mailbox's clock (IMAP INTERNALDATE, sink receipt);
    ``date_header`` is the sender's claim, kept beside it so skew can be reported.

    ``arrival_source`` says which clock ``arrived_at`` came from, because an
    imported file has no mailbox clock and a response time measured from a
    ``Date`` header is the sender's word, not ours.
    """

    sha256: str
    run_id: str | None = None
    mailbox: str
    folder: str | None = None
    arrived_at: AwareDatetime
    arrival_source: ArrivalSource = "smtp"
    date_header: AwareDatetime | None = None
    envelope_from: str | None = None
    envelope_to: list[str] = Field(default_factory=list)
    delivered_to: list[str] = Field(
        default_factory=list, description="Delivered-To and X-Original-To addresses, lower-cased"
    )
    from_addr: str = ""
    to_addrs: list[str] = Field(default_factory=list)
    cc_addrs: list[str] = Field(default_factory=list)
    subject: str = ""
    message_id: str | None = None
    size: int = 0
    delivery_id: str | None = Field(
        default=None,
        description="this arrival: smtp:<transaction>, imap:<account>/<folder>/<uidvalidity>/<uid>, file:<path>, "
        "recovered:<sha256>; None: known only by its content (one delivery per hash)",
    )

    @property
    def delivery_key(self) -> str:
        """What makes two arrivals of the same bytes two deliveries, or one seen twice."""
        return self.delivery_id or f"sha:{self.sha256}"

    @property
    def path(self) -> str:
        return f"mail/{self.sha256}.eml"

    @property
    def recipients(self) -> list[str]:
        """Every address this message was delivered or addressed to, envelope first, no repeats."""
        seen: dict[str, None] = {}
        for addr in (*self.envelope_to, *self.delivered_to, *self.to_addrs, *self.cc_addrs):
            seen.setdefault(addr.lower(), None)
        return list(seen)
