"""Following a campaign's mail from outside: which runs to claim mail for, what is new, one line each.

``auditor mail watch`` may run beside the process that shops and receives
(``auditor campaign``, ``auditor mail sink``); they share only the campaign
folder. SQLite cannot notify another process, so ``CampaignTail`` asks the
campaign for messages it has not shown yet; the CLI does that on an interval.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from auditor.campaign.folder import CampaignFolder
from auditor.mail.matching import RunAddress
from auditor.models import Evidence, Message, MessageKind, MessageRecord
from auditor.terminal import terminal_safe

FAR_PAST = datetime(2000, 1, 1, tzinfo=UTC)


def run_addresses(folder: CampaignFolder) -> list[RunAddress]:
    """A RunAddress for every run in the campaign, so a standalone mailbox can match their mail.

    The window starts at the run's first journal event (its first action) and
    lasts the scenario's observation window; a run that never started is
    matched from the start of time (its address is still its own)."""
    addresses = []
    for run in folder.runs():
        record = folder.run_record(run.id)
        since = record.journal.started_at or run.started_at
        until = since + timedelta(seconds=record.expectations.window_seconds) if since else None
        addresses.append(
            RunAddress(
                run_id=run.id,
                address=run.address,
                strategy=record.persona.email.kind,
                since=since or FAR_PAST,
                until=until,
            )
        )
    return addresses


def kind_of(folder: CampaignFolder, message: Message) -> MessageKind:
    """The analysed kind; analysed now (and not stored) when the campaign has no evidence yet."""
    evidence: Evidence | None = folder.evidence(message.sha256)
    if evidence is None:
        from auditor.analysis import analyze

        try:
            evidence = analyze(folder.raw(message.sha256))
        except OSError:
            return MessageKind.other
    return evidence.kind


class CampaignTail:
    """Remembers which messages were shown; ``new()`` returns the rest, oldest arrival first."""

    def __init__(self, folder: CampaignFolder, *, from_start: bool = False, matched_only: bool = True):
        self.folder = folder
        self.matched_only = matched_only
        self.shown: set[str] = set() if from_start else {m.sha256 for m in folder.messages()}

    def new(self) -> list[MessageRecord]:
        records = []
        for message in self.folder.messages():
            if message.sha256 in self.shown:
                continue
            if self.matched_only and message.run_id is None:
                continue
            self.shown.add(message.sha256)
            records.append(self.record(message))
        return records

    def record(self, message: Message) -> MessageRecord:
        evidence = self.folder.evidence(message.sha256) or Evidence(
            message_sha256=message.sha256, kind=kind_of(self.folder, message)
        )
        return MessageRecord(message=message, evidence=evidence)


def format_line(record: MessageRecord) -> str:
    """``time  run  from  subject  kind``: one line per message, kind last so a subject with
    spaces still splits cleanly from the right. Subject and sender are the sender's text: any character
    that could drive a terminal is shown as an escape (``auditor.terminal``)."""
    message = record.message
    when = message.arrived_at.strftime("%Y-%m-%d %H:%M:%SZ")
    subject = terminal_safe(" ".join(message.subject.split())) or "(no subject)"
    sender = terminal_safe(" ".join(message.from_addr.split())) or "-"
    return f"{when}  {message.run_id or '-'}  {sender}  {subject}  {record.evidence.kind.value}"
