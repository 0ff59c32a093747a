"""Which run a message belongs to: by the run's own address, or by sender and time window.

A unique address per run (plus-address or catch-all) is the reliable way, and
it must be looked for everywhere a mail system may have put it: the envelope,
``Delivered-To``/``X-Original-To`` (the ``To:`` header is often not the real
recipient), then ``To`` and ``Cc``. A fixed address cannot tell runs apart, so
it falls back to "from the store's domain, after this run's first action".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from email.message import Message as EmailMessage
from typing import Literal

from pydantic import AwareDatetime, BaseModel, Field, field_validator

from auditor.mail.headers import parse_addresses
from auditor.models.message import Message

Strategy = Literal["plus", "catch_all", "fixed"]


class RunAddress(BaseModel):
    """What a mailbox needs to know about one run to claim its mail."""

    run_id: str
    address: str
    strategy: Strategy = "plus"
    since: AwareDatetime = Field(description="the run's first action; fixed-address mail before it is not the run's")
    until: AwareDatetime | None = Field(default=None, description="end of the observation window; None: open")
    sender_domains: list[str] = Field(
        default_factory=list, description="for fixed: the store's sending domains (subdomains count)"
    )

    @field_validator("address")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()

    @field_validator("sender_domains")
    @classmethod
    def _lower_domains(cls, value: list[str]) -> list[str]:
        return [d.strip().lower().lstrip("@.") for d in value if d.strip()]

    def in_window(self, moment: datetime) -> bool:
        return self.since <= moment and (self.until is None or moment <= self.until)


RawHeaders = Mapping[str, str | Sequence[str]] | EmailMessage | None

_ROUTING_HEADERS = ("Delivered-To", "X-Original-To", "To", "Cc")


def _header_values(raw_headers: RawHeaders, name: str) -> list[str]:
    if raw_headers is None:
        return []
    if isinstance(raw_headers, EmailMessage):
        try:  # the modern policy parses on access and can choke on a mangled header
            return [str(v) for v in raw_headers.get_all(name) or []]
        except Exception:  # noqa: BLE001 - an unreadable header just does not help matching
            return []
    wanted = name.lower()
    values: list[str] = []
    for key, value in raw_headers.items():
        if key.lower() != wanted:
            continue
        values.extend([value] if isinstance(value, str) else [str(v) for v in value])
    return values


def recipients_of(message: Message, raw_headers: RawHeaders = None) -> list[str]:
    """Every address the message was delivered or addressed to, most trustworthy first."""
    extra = [a for name in _ROUTING_HEADERS for a in parse_addresses(_header_values(raw_headers, name))]
    seen: dict[str, None] = dict.fromkeys(message.recipients)
    for addr in extra:
        seen.setdefault(addr, None)
    return list(seen)


def _domain(address: str | None) -> str:
    return (address or "").rpartition("@")[2].strip().strip(">").lower()


def _from_store(message: Message, domains: Sequence[str]) -> bool:
    """Empty ``domains`` means any sender: the time window alone decides."""
    if not domains:
        return True
    senders = {_domain(message.from_addr), _domain(message.envelope_from)} - {""}
    return any(s == d or s.endswith("." + d) for s in senders for d in domains)


def _best(candidates: list[RunAddress], arrived: datetime) -> RunAddress:
    """Several runs claim one message: prefer the one whose window holds it, then the latest start."""
    return max(candidates, key=lambda c: (c.in_window(arrived), c.since <= arrived, c.since))


def match_run(message: Message, raw_headers: RawHeaders, candidates: Sequence[RunAddress]) -> str | None:
    """The id of the run ``message`` belongs to, or None.

    A run's own address (plus or catch-all) anywhere among the recipients wins
    over any fixed-address guess; fixed addresses match by sender domain and
    arrival inside ``[since, until]``.
    """
    recipients = set(recipients_of(message, raw_headers))
    by_address = [c for c in candidates if c.strategy != "fixed" and c.address in recipients]
    if by_address:
        return _best(by_address, message.arrived_at).run_id
    by_window = [
        c
        for c in candidates
        if c.strategy == "fixed" and c.in_window(message.arrived_at) and _from_store(message, c.sender_domains)
    ]
    if by_window:
        return _best(by_window, message.arrived_at).run_id
    return None
