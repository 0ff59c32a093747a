"""A check's raw result and the one helper that turns it into a Finding.

Checks return only what they measured (score, words, evidence); bounds,
status, not-applicable and a crashing check are handled here once, the way
Lighthouse's audit runner wraps every audit, so no check re-implements them.
"""

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from auditor.models import EvidenceRef, Finding, FindingStatus, FoundBy, JournalEvent, MessageRecord
from auditor.models.evidence import Fact

if TYPE_CHECKING:
    from auditor.rubric.model import Criterion
    from auditor.rubric.registry import CheckMeta

SNIPPET_MAX = 200


class CheckResult(BaseModel):
    """``score`` None means not applicable (``incomplete``: not judged, the run did not get that far).
    ``degraded``: something came, only late or partly, so a low score is a ``warn``, never a ``fail``
    (a late reply is not a missing one). ``missing``: the score says that something never arrived, which
    the runner only believes when the run watched its whole window."""

    score: float | None
    value: str
    evidence: list[EvidenceRef] = Field(default_factory=list)
    degraded: bool = False
    incomplete: bool = False
    missing: bool = False
    pending: bool = False


def not_applicable(reason: str, evidence: list[EvidenceRef] | None = None) -> CheckResult:
    return CheckResult(score=None, value=reason, evidence=evidence or [])


def incomplete(reason: str, evidence: list[EvidenceRef] | None = None) -> CheckResult:
    """Not judged: what the check needs could not happen in this run (it failed, was dry or interrupted)."""
    return CheckResult(score=None, value=reason, evidence=evidence or [], incomplete=True)


def pending(reason: str, evidence: list[EvidenceRef] | None = None) -> CheckResult:
    """Not judged yet: the outcome is still open and the run's observation window is not over."""
    return CheckResult(score=None, value=reason, evidence=evidence or [], pending=True)


def clip(text: str, limit: int = SNIPPET_MAX) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def message_ref(
    record: MessageRecord, snippet: str = "", note: str = "", found_by: FoundBy | None = None
) -> EvidenceRef:
    """Evidence pointing at a message; without a snippet, its subject stands in."""
    return EvidenceRef(
        message_sha256=record.message.sha256,
        snippet=clip(snippet or f"Subject: {record.message.subject}"),
        note=note,
        found_by=found_by,
    )


def fact_ref(record: MessageRecord, fact: Fact | None, note: str = "") -> EvidenceRef:
    """Evidence for one fact analysis read from a message: the snippet it quoted; where it was, in the note."""
    if fact is None:
        return message_ref(record, note=note)
    where = f"in {fact.source}" if fact.source not in ("text", "") else ""
    note = ", ".join(p for p in (note, where) if p)
    return message_ref(record, str(fact.snippet or fact.value), note, FoundBy.read)


def matched_ref(record: MessageRecord, snippet: str, note: str = "") -> EvidenceRef:
    """Evidence for a value the journal knows, found in the message's own text where analysis missed it."""
    return message_ref(record, snippet, note, FoundBy.matched)


def event_ref(event: JournalEvent, note: str = "") -> EvidenceRef:
    """Evidence pointing at a journal event: the shopper's word for what happened, and when."""
    return EvidenceRef(journal_event=event.kind, snippet=f"{event.kind} at {event.at.isoformat()}", note=note)


def found_by(evidence: list[EvidenceRef]) -> list[FoundBy]:
    """The ways a finding's values were found, read first: a reader sees at once when the journal helped."""
    ways = {ref.found_by for ref in evidence if ref.found_by is not None}
    return [way for way in FoundBy if way in ways]


def status_for(score: float | None, criterion: "Criterion") -> FindingStatus:
    if score is None:
        return FindingStatus.not_applicable
    if score >= criterion.pass_at:
        return FindingStatus.passed
    if score >= criterion.warn_at:
        return FindingStatus.warn
    return FindingStatus.failed


def to_finding(meta: "CheckMeta", criterion: "Criterion", result: CheckResult | Exception) -> Finding:
    """The final record of one criterion on one run; a crashed check becomes an ``error`` finding."""
    common = {
        "criterion": criterion.id,
        "check": meta.id,
        "category": criterion.category,
        "title": criterion.title,
        "failure_title": meta.failure_title if criterion.title == meta.title else "",
        "weight": criterion.weight,
        "rationale": criterion.rationale,
        "level": criterion.level,
        "must": criterion.must,
    }
    if isinstance(result, Exception):
        return Finding(
            **common,
            score=None,
            status=FindingStatus.error,
            value=f"check failed: {type(result).__name__}: {result}",
        )
    score = None if result.score is None else round(min(1.0, max(0.0, result.score)), 4)
    if result.pending:
        status = FindingStatus.pending
    elif result.incomplete:
        status = FindingStatus.incomplete
    else:
        status = status_for(score, criterion)
    if result.degraded and status == FindingStatus.failed:
        status = FindingStatus.warn
    return Finding(
        **common,
        score=None if result.incomplete or result.pending else score,
        status=status,
        value=result.value,
        evidence=result.evidence,
        found_by=found_by(result.evidence),
    )
