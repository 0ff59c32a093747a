"""Score a campaign folder with a rubric: findings per run, scorecards per run and store.

Reads only the folder (journal, messages, stored evidence), so the same folder
can be re-scored offline with any rubric. Evidence missing for a stored
message (an older campaign, a crash between storing and analysing) is
computed from the raw ``.eml`` and stored, never skipped.
"""

from datetime import datetime

from auditor.analysis import analyze
from auditor.analysis.document import from_html, from_text
from auditor.campaign.folder import CampaignFolder
from auditor.mail.mime import parse_mime
from auditor.mail.sink_state import UpInterval, down_intervals
from auditor.models import RunRecord
from auditor.models.results import (
    CampaignResults,
    CategoryInfo,
    MailboxGap,
    MessageSummary,
    RunAnchors,
    RunResult,
    StoreResult,
)
from auditor.rubric import Rubric, score_record, store_scorecard
from auditor.rubric.honesty import observed_words


def readable_text(raw: bytes) -> str:
    """The words of a message as a reader sees them, one line per line (table rows as 'a | b | c'):
    what checks search for the values the journal knows. The HTML part when there is one."""
    mail = parse_mime(raw)
    try:
        doc = from_html(mail.html) if mail.html else from_text(mail.text or "")
    except Exception:  # noqa: BLE001 - an unreadable body leaves only blind evidence, never a crash
        return ""
    return "\n".join(line.text for line in doc.lines)


def with_texts(folder: CampaignFolder, record: RunRecord) -> RunRecord:
    """The record with each message's readable text, from its raw bytes (absent: no text)."""
    messages = []
    for m in record.messages:
        try:
            text = readable_text(folder.raw(m.message.sha256))  # a folder's mail/, or a team's database
        except FileNotFoundError:
            text = ""
        messages.append(m.model_copy(update={"text": text}))
    return record.model_copy(update={"messages": messages})


def _complete_evidence(folder: CampaignFolder, run_id: str) -> None:
    for message in folder.messages(run_id):
        if folder.evidence(message.sha256) is None:
            evidence = analyze(folder.raw(message.sha256))
            folder.put_evidence(evidence.model_copy(update={"message_sha256": message.sha256}))


def _timeline(record: RunRecord) -> list[MessageSummary]:
    ordered_at: datetime | None = record.journal.time_of("order_submitted")
    return [
        MessageSummary(
            sha256=m.message.sha256,
            arrived_at=m.message.arrived_at,
            after_order_s=(m.message.arrived_at - ordered_at).total_seconds() if ordered_at else None,
            date_header=m.message.date_header,
            from_addr=m.message.from_addr,
            subject=m.message.subject,
            kind=m.evidence.kind,
            malformed=m.evidence.malformed,
        )
        for m in record.messages
    ]


def _mailbox_down(uptime: list[UpInterval], record: RunRecord) -> list[MailboxGap]:
    """The SMTP sink's gaps inside the part of the run's window that was observed (none for IMAP or
    files: a folder whose sink never ran records no uptime). ``uptime`` is read once per scoring."""
    since = record.run.started_at
    until = record.observed_until or record.run.finished_at
    if not uptime or since is None or until is None or until <= since:
        return []
    return [MailboxGap(since=d.since, until=d.until, cause=d.cause) for d in down_intervals(uptime, since, until)]


def _anchors(record: RunRecord, mailbox_down: list[MailboxGap] | None = None) -> RunAnchors:
    """When the order was clicked, the question sent and the watching stopped: what a timeline is drawn on."""
    ordered_at = record.journal.time_of("order_submitted")
    asked = record.journal.time_of("question_sent")
    return RunAnchors(
        ordered_at=ordered_at,
        question_after_s=(asked - ordered_at).total_seconds() if ordered_at and asked else None,
        observed_s=(record.observed_until - ordered_at).total_seconds()
        if ordered_at and record.observed_until
        else None,
        expected=record.expectations.kinds,
        window_s=record.expectations.window_seconds,
        observed=observed_words(record),
        mailbox_down=mailbox_down or [],
    )


def score_folder(folder: CampaignFolder, rubric: Rubric) -> CampaignResults:
    """Recompute every finding in the folder and return the ranked results (also stored as findings)."""
    by_store: dict[str, list[RunResult]] = {}
    names: dict[str, str] = {}
    uptime = folder.sink_uptime()
    for run in folder.runs():
        _complete_evidence(folder, run.id)
        record = with_texts(folder, folder.run_record(run.id))
        findings, card = score_record(rubric, record)
        folder.replace_findings(run.id, findings)
        result = RunResult(
            run=run,
            scorecard=card,
            findings=findings,
            messages=_timeline(record),
            anchors=_anchors(record, _mailbox_down(uptime, record)),
        )
        by_store.setdefault(run.store_id, []).append(result)
        names[run.store_id] = record.store.name
    stores = []
    for store_id, runs in by_store.items():
        card = store_scorecard(rubric, store_id, [r.scorecard for r in runs])  # runs without a score left out
        stores.append(StoreResult(id=store_id, name=names[store_id], scorecard=card, runs=runs))
    stores.sort(key=lambda s: (-(s.scorecard.total if s.scorecard.total is not None else -1), s.id))
    return CampaignResults(
        campaign=folder.meta("campaign", {}).get("id", folder.path.name),
        rubric=rubric.id,
        categories=[CategoryInfo(id=c.id, title=c.title, weight=c.weight) for c in rubric.categories],
        stores=stores,
    )
