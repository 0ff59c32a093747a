"""Everything a rubric needs about one run, loaded from the campaign folder.

The rubric never talks to a browser or a mailbox: it gets a RunRecord.
"""

from pydantic import AwareDatetime, BaseModel, Field

from auditor.models.evidence import Evidence, MessageKind
from auditor.models.journal import Journal
from auditor.models.message import Message
from auditor.models.persona import Persona
from auditor.models.run import Run
from auditor.models.store import Store


class Expectations(BaseModel):
    """What mail a scenario expects and how long to watch for it."""

    kinds: list[MessageKind] = Field(default_factory=list)
    window_seconds: float = Field(default=1800, gt=0, description="observation window after the first action")
    settle_seconds: float = Field(default=5, ge=0, description="quiet time after the last expected kind")


class MessageRecord(BaseModel):
    message: Message
    evidence: Evidence
    text: str = Field(
        default="",
        description="the message's readable text, one line per line, so checks can look for what the journal "
        "knows where blind extraction missed it; filled when scoring, not stored",
    )


class RunRecord(BaseModel):
    run: Run
    journal: Journal
    persona: Persona
    store: Store
    expectations: Expectations
    messages: list[MessageRecord] = Field(default_factory=list, description="matched to this run, by arrival")
    observed_until: AwareDatetime | None = Field(default=None, description="when the mailbox stopped watching")
