"""Everything a rubric needs about one run, loaded from the campaign folder.

The rubric never talks to a browser or a mailbox: it gets a RunRecord.
"""

from typing import Any

from pydantic import AwareDatetime, BaseModel, Field, model_validator

from auditor.models.duration import parse_duration
from auditor.models.evidence import Evidence, MessageKind
from auditor.models.journal import Journal
from auditor.models.message import Message
from auditor.models.persona import Persona
from auditor.models.run import Run
from auditor.models.store import Store


class Expectations(BaseModel):
    """What mail a scenario expects and how long to watch for it.

    ``watch: 30d`` (or ``window_seconds``, the older spelling) is the observation window each run
    watches, from its order (else its first action). ``time_scale`` compresses a scenario's clock for demos and tests:
    ``watch``, ``after:`` offsets and the day-scale checks (feedback follow-up, review answer) are read
    on it, so with ``time_scale: 0.001`` "48 h" passes in 173 s; ``window_seconds`` is real seconds."""

    kinds: list[MessageKind] = Field(default_factory=list)
    window_seconds: float = Field(default=1800, gt=0, description="observation window after the first action")
    settle_seconds: float = Field(default=5, ge=0, description="quiet time after the last expected kind")
    time_scale: float = Field(
        default=1.0, gt=0, le=1, description="real seconds per scenario second (a demo compresses days into seconds)"
    )

    @model_validator(mode="before")
    @classmethod
    def _watch(cls, data: Any) -> Any:
        """``watch: 30d`` sets the window (real seconds = scenario seconds x time_scale)."""
        if isinstance(data, dict) and "watch" in data:
            data = dict(data)
            watch = data.pop("watch")
            if "window_seconds" in data:
                raise ValueError("give either watch or window_seconds, not both")
            data["window_seconds"] = parse_duration(watch) * float(data.get("time_scale", 1.0) or 1.0)
        return data


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
