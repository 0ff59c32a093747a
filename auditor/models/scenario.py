"""A scenario: what a shopper does on any store, step by step, and which emails should follow.

The steps themselves (and the template references they may use) live in
``auditor.models.steps``, shared with store profiles; the user reference is
``docs/scenarios.md``.

``- after: 48h`` inside the step list starts a timed block: the steps after it
(until the next ``after:``) run that long after the order (or, without one, the
run's first action), by whichever process collects the campaign then
(``auditor collect`` / ``auditor watch``), durably and exactly once.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

from auditor.models.audit import Expectations
from auditor.models.duration import parse_duration
from auditor.models.steps import Step

__all__ = ["Scenario", "Step", "TimedBlock"]

# Profile entries whose step, run in a timed block, is journaled as the customer's act a check measures
# from (the step's start: a reply can never seem to come before what it answers).
TIMED_ACTS = {
    "leave_review": "review_sent",
    "answer_survey": "feedback_sent",
    "send_feedback": "feedback_sent",
    "unsubscribe": "unsubscribed",
    "reply_to_email": "question_sent",
}


AFTER_SCHEMA = {
    "type": "object",
    "properties": {"after": {"type": ["string", "number"], "description": "run the steps below this long after "
                             "the order: 48h, 3d, 90min, 20s"}},
    "required": ["after"],
    "additionalProperties": False,
}  # fmt: skip


def _after_allowed(schema: dict[str, Any]) -> None:
    """In files, ``steps`` also holds ``- after: 48h`` markers (split off into ``timed`` on loading)."""
    schema["items"] = {"anyOf": [schema["items"], AFTER_SCHEMA]}


class TimedBlock(BaseModel):
    """Steps that run ``after`` (scenario time) past the order; ``after_seconds`` is that in seconds."""

    model_config = ConfigDict(extra="forbid")

    after: str | float
    steps: list[Step] = Field(min_length=1)

    @property
    def after_seconds(self) -> float:
        return parse_duration(self.after)

    @model_validator(mode="after")
    def _valid_after(self) -> "TimedBlock":
        parse_duration(self.after)
        kinds = {s.kind for s in self.steps}
        if "place_order" in kinds:
            raise ValueError("a timed block cannot place an order: it runs long after the run's shopping")
        return self


class Scenario(BaseModel):
    """What to do on any store, in order, and which emails should follow."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[\w.-]+$")
    title: str = ""
    allow_purchase: bool = Field(
        default=False, description="may place an order on a real-money store (also needs --allow-purchase)"
    )
    steps: list[Step] = Field(min_length=1, json_schema_extra=lambda schema: _after_allowed(schema))
    timed: list[TimedBlock] = Field(
        default_factory=list, description="steps run later (written as '- after: 48h' in the step list)"
    )
    expectations: Expectations = Field(default_factory=Expectations)

    @model_validator(mode="before")
    @classmethod
    def _split_after(cls, data: Any) -> Any:
        """``- after: 48h`` in ``steps`` starts a timed block holding the steps that follow it."""
        if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
            return data
        now: list[Any] = []
        blocks: list[dict[str, Any]] = []
        for item in data["steps"]:
            if isinstance(item, dict) and "after" in item:
                if len(item) != 1:
                    raise ValueError("'after' stands alone as a step ('- after: 48h'); the steps it delays follow it")
                blocks.append({"after": item["after"], "steps": []})
            elif blocks:
                blocks[-1]["steps"].append(item)
            else:
                now.append(item)
        if not blocks:
            return data
        return {**data, "steps": now, "timed": [*data.get("timed", []), *blocks]}

    @model_serializer(mode="wrap")
    def _without_empty_timed(self, handler: Any) -> dict[str, Any]:
        """Dump as before when nothing is timed, so stored scenarios and schemas of old files stay alike."""
        out = handler(self)
        if not out.get("timed"):
            out.pop("timed", None)
        return out

    def timed_offsets(self) -> list[float]:
        """Each timed block's offset in real seconds (``after`` x the expectations' time scale)."""
        return [b.after_seconds * self.expectations.time_scale for b in self.timed]

    @property
    def profile_steps(self) -> list[str]:
        """Which profile entries a store needs to run this scenario (timed blocks included)."""
        steps = [*self.steps, *(s for b in self.timed for s in b.steps)]
        return list(dict.fromkeys(s.profile_step for s in steps if s.profile_step))
