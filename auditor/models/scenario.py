"""A scenario: what a shopper does on any store, step by step, and which emails should follow.

The steps themselves (and the template references they may use) live in
``auditor.models.steps``, shared with store profiles; the user reference is
``docs/scenarios.md``.
"""

from pydantic import BaseModel, ConfigDict, Field

from auditor.models.audit import Expectations
from auditor.models.steps import Step

__all__ = ["Scenario", "Step"]


class Scenario(BaseModel):
    """What to do on any store, in order, and which emails should follow."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[\w.-]+$")
    title: str = ""
    allow_purchase: bool = Field(
        default=False, description="may place an order on a real-money store (also needs --allow-purchase)"
    )
    steps: list[Step] = Field(min_length=1)
    expectations: Expectations = Field(default_factory=Expectations)

    @property
    def profile_steps(self) -> list[str]:
        """Which profile entries a store needs to run this scenario."""
        return list(dict.fromkeys(s.profile_step for s in self.steps if s.profile_step))
