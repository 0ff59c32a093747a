"""One criterion on one run: a score, what was measured, and the evidence."""

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

Level = Literal["off", "warn", "error"]


class FindingStatus(StrEnum):
    passed = "pass"
    warn = "warn"
    failed = "fail"
    not_applicable = "not_applicable"
    error = "error"
    # the run did not get far enough to judge this criterion (it failed, was dry, was interrupted, or its
    # window is still open): excluded from scores like not applicable, but never mistaken for "does not apply"
    incomplete = "incomplete"
    # the run's observation window is not over and the outcome is still open (a reply that may yet come):
    # neither failed nor passed, excluded from scores, settled by a later collect
    pending = "pending"


class FoundBy(StrEnum):
    """How a finding came by a value: analysis read it from the email unaided, or the rubric found
    the value the journal knows (the order number, an item, the persona's name) in the email's text."""

    read = "read from the email"
    matched = "matched to the journal"


class EvidenceRef(BaseModel):
    """Points at what a finding rests on: a message (by hash) or a journal event."""

    message_sha256: str | None = None
    journal_event: str | None = None
    snippet: str = ""
    note: str = ""
    found_by: FoundBy | None = Field(default=None, description="how the value was found, for order facts")


class Finding(BaseModel):
    criterion: str
    check: str
    category: str
    title: str
    failure_title: str = Field(default="", description="how to say it when it does not pass (Lighthouse style)")
    weight: float = 1.0
    score: float | None = Field(default=None, ge=0, le=1, description="None: not applicable")
    status: FindingStatus
    value: str = Field(description="what was measured, in words: '3 emails in 30 min'")
    evidence: list[EvidenceRef] = Field(default_factory=list)
    rationale: str = ""
    level: Level = Field(default="warn", description="the criterion's gate level: error fails a CI check")
    must: bool = Field(default=False, description="fails a CI check whatever the total")
    found_by: list[FoundBy] = Field(
        default_factory=list, description="how the values it rests on were found (from its evidence), read first"
    )
